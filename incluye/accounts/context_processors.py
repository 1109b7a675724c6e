from incluye.accounts.roles import PERMISSIONS


def membership(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    from incluye.core.navigation import navigation_for

    current = request.membership
    return {
        "membership": current,
        "membership_permissions": {p for p in PERMISSIONS if current and current.can(p)},
        "switchable_memberships": getattr(request, "memberships", []),
        "navigation": navigation_for(current, request.path) if current else [],
    }
