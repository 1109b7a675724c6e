from incluye.accounts.roles import PERMISSIONS


def membership(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    current = request.membership
    return {
        "membership": current,
        "membership_permissions": {p for p in PERMISSIONS if current and current.can(p)},
        "switchable_memberships": getattr(request, "memberships", []),
    }
