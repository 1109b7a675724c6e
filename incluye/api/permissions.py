from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission


class HasActiveMembership(BasePermission):
    """Signed in, working for an organization, and — when the view names one — allowed the
    view's `required_permission` (a string, or a dict by HTTP method). A read-only API token
    only reads."""

    message = None

    def has_permission(self, request, view):
        from incluye.accounts.models import ApiToken

        user = request.user
        if not user or not user.is_authenticated:
            return False
        if (
            isinstance(request.auth, ApiToken)
            and not request.auth.allows_writes
            and request.method not in SAFE_METHODS
        ):
            self.message = _("This API token is read-only: create a read-and-write token to change records.")
            return False
        membership = getattr(request._request, "membership", None)
        if membership is None:
            from incluye.accounts.selectors import active_membership_for

            membership = active_membership_for(user=user)
            request._request.membership = membership
        if membership is None:
            return False
        required = getattr(view, "required_permission", None)
        if isinstance(required, dict):
            required = required.get(request.method, required.get("*"))
        return required is None or membership.can(required)
