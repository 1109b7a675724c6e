from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from incluye.accounts.selectors import memberships_of, pick_membership, user_needs_mfa

SESSION_KEY = "incluye_membership_id"


class ActiveMembershipMiddleware:
    """Sets `request.membership`: the organization and role the user is working as now.

    A user who belongs to several organizations picks one (stored in the session); everything
    they see is scoped by it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships, request.membership = [], None
        if request.user.is_authenticated:
            request.memberships = list(memberships_of(user=request.user))
            request.membership = pick_membership(request.memberships, request.session.get(SESSION_KEY))
        return self.get_response(request)


class RequireMfaMiddleware:
    """Users whose roles read sensitive data must activate a second factor before anything else."""

    allowed_prefixes = ("/accounts/", "/i18n/", "/static/", "/health/", "/api/schema/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.INCLUYE_REQUIRE_MFA
            and request.user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
            and user_needs_mfa(request.user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
