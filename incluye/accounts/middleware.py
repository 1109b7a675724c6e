from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from incluye.accounts.selectors import (
    has_second_factor,
    has_sensitive_role,
    memberships_of,
    pick_membership,
    session_passed_second_factor,
)

SESSION_KEY = "incluye_membership_id"


class SecondFactorSessionMiddleware:
    """A session counts only if its sign-in went through the user's second factor.

    allauth's sign-in asks for the second factor and records it in the session. Any other way of
    getting a session (a password-only login form such as Django's admin, or one added later)
    leaves no such record: for a user who has a second factor, that session is ended here, before
    any view, page or API call sees it. One rule for every way in, instead of a check per form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.second_factor_passed = user.is_authenticated and session_passed_second_factor(request)
        if user.is_authenticated and not request.second_factor_passed and has_second_factor(user):
            logout(request)
        return self.get_response(request)


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
            and not getattr(request, "second_factor_passed", False)
            and not request.path.startswith(self.allowed_prefixes)
            and has_sensitive_role(request.user)
            and not has_second_factor(request.user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
