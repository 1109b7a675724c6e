from incluye.accounts.roles import PERMISSIONS
from incluye.accounts.selectors import memberships_of


def membership(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    current = request.membership
    return {
        "membership": current,
        "membership_permissions": {p for p in PERMISSIONS if current and current.can(p)},
        "switchable_memberships": memberships_of(user=request.user),
    }
