from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled

from incluye.accounts.models import Membership, Organization, User
from incluye.accounts.roles import SENSITIVE_ROLES


def memberships_of(*, user):
    return (
        Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
        .select_related("organization", "organization__country")
        .order_by("organization__name", "role")
    )


def pick_membership(memberships, membership_id=None) -> Membership | None:
    """The membership chosen in the session; otherwise the first one that may change records."""
    for membership in memberships:
        if membership.pk == membership_id:
            return membership
    return min(memberships, key=lambda m: m.read_only, default=None)


def active_membership_for(*, user, membership_id=None) -> Membership | None:
    return pick_membership(list(memberships_of(user=user)), membership_id)


def user_needs_mfa(user) -> bool:
    """True when the user holds a role that reads sensitive data and has no second factor yet."""
    return has_sensitive_role(user) and not has_second_factor(user)


def has_sensitive_role(user) -> bool:
    return Membership.objects.filter(user=user, is_active=True, role__in=SENSITIVE_ROLES).exists()


def has_second_factor(user) -> bool:
    return is_mfa_enabled(user)


def session_passed_second_factor(request) -> bool:
    """True when this session's sign-in went through a second factor (allauth records each step of
    a sign-in in the session; activating a second factor in the session counts too)."""
    return any(
        isinstance(record, dict) and record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def organization_members(*, organization):
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "role")
    )


def organizations_visible_to(*, membership):
    """Organizations a member may open: their own. (The alliance directory comes later.)"""
    return Organization.objects.filter(pk=membership.organization_id)


def users_of(*, organization):
    return User.objects.filter(memberships__organization=organization).distinct()


def api_tokens_of(*, user):
    from incluye.accounts.models import ApiToken

    return (
        ApiToken.objects.filter(user=user).select_related("membership__organization").order_by("-created_at")
    )


def api_token_by_key(key: str):
    """The token whose key is `key` (looked up by its hash), with what authentication needs."""
    from incluye.accounts.models import ApiToken
    from incluye.accounts.tokens import key_hash

    return (
        ApiToken.objects.select_related("user", "membership__organization__country")
        .filter(key_hash=key_hash(key))
        .first()
    )


def pending_grants(*, organization):
    from incluye.accounts.models import GrantStatus, RoleGrant

    return (
        RoleGrant.objects.filter(organization=organization, status=GrantStatus.PENDING)
        .select_related("requested_by", "membership__user")
        .order_by("requested_at")
    )
