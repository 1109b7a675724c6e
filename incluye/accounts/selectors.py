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
    has_sensitive_role = Membership.objects.filter(
        user=user, is_active=True, role__in=SENSITIVE_ROLES
    ).exists()
    return has_sensitive_role and not is_mfa_enabled(user)


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


def organization_ids_of_country(*, country_id) -> list[int]:
    """Every organization of a country's alliance (inactive ones too: their records remain)."""
    return list(Organization.objects.filter(country_id=country_id).values_list("pk", flat=True))


def members_who_can(*, organization, permission: str):
    """Active users of `organization` whose (active, not read-only) membership allows `permission`."""
    from incluye.accounts.roles import PERMISSIONS

    return (
        User.objects.filter(
            is_active=True,
            memberships__organization=organization,
            memberships__is_active=True,
            memberships__read_only=False,
            memberships__role__in=PERMISSIONS[permission],
        )
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def organizations_that_can(*, country_id, permission: str, exclude_id=None):
    """Active organizations of a country with at least one member whose role allows `permission`:
    where a handoff or a transfer may go."""
    from incluye.accounts.roles import PERMISSIONS

    qs = Organization.objects.filter(
        country_id=country_id,
        is_active=True,
        memberships__is_active=True,
        memberships__read_only=False,
        memberships__role__in=PERMISSIONS[permission],
    )
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs.distinct().order_by("name")


def psychosocial_staff(*, organization, leads_only: bool = False):
    """The organization's psychosocial professionals, its psychosocial leads first."""
    from django.db.models import Exists, OuterRef

    from incluye.accounts.roles import Role

    lead = Membership.objects.filter(
        user=OuterRef("pk"),
        organization=organization,
        role=Role.PSYCHOSOCIAL,
        is_active=True,
        is_psychosocial_lead=True,
    )
    qs = User.objects.filter(
        is_active=True,
        memberships__organization=organization,
        memberships__role=Role.PSYCHOSOCIAL,
        memberships__is_active=True,
    ).annotate(lead=Exists(lead))
    if leads_only:
        qs = qs.filter(lead=True)
    return qs.distinct().order_by("-lead", "first_name", "last_name", "email")
