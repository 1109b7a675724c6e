"""Reads of the service directory and of referrals, scoped to the membership's organization.

A referral is visible to two organizations: the sender (all of it, and the case behind it) and the
receiver (the service's organization: status, dates and the snapshot, never the case or the
person). The receiver sees the snapshot only while the person's latest consent to share with
alliance members is given and not expired: it is checked every time a referral is read, so a
withdrawal stops the sharing from that moment."""

from django.core.paginator import Paginator
from django.db.models import Case as CaseWhen
from django.db.models import Count, IntegerField, Q, Value, When
from django.utils import timezone

from incluye.accounts.selectors import members_who_can, organizations_that_can
from incluye.core.access import get_scoped_or_404
from incluye.core.models import Division
from incluye.people.selectors import (  # noqa: F401  (person_allows_sharing: for the views)
    person_allows_sharing,
    sharing_allowed,
    with_sharing_consent,
)
from incluye.referrals.models import (
    OPEN_STATUSES,
    RECEIVER,
    SENDER,
    AccessRequest,
    Handoff,
    Referral,
    Service,
    Transfer,
)

PAGE_SIZE = 50


# Consent -------------------------------------------------------------------------------------


def _with_sharing_consent(queryset):
    """Annotate each referral with the person's latest alliance-sharing decision (in SQL: neither
    the case nor the person is loaded)."""
    return with_sharing_consent(queryset, person_path="case__person_id")


def _apply_consent(referrals, *, membership) -> None:
    """Set `sharing_allowed` and `side` on each referral; hide the snapshot from the receiver when
    the consent no longer stands."""
    today = timezone.localdate()
    for referral in referrals:
        referral.sharing_allowed = sharing_allowed(
            given=referral.sharing_given, expires_on=referral.sharing_expires_on, today=today
        )
        referral.side = SENDER if referral.from_organization_id == membership.organization_id else RECEIVER
        if referral.side == RECEIVER and not referral.sharing_allowed:
            referral.hide_snapshot()


# Service directory ---------------------------------------------------------------------------


def services_directory(*, membership, kind: str = "", municipality_code: str = ""):
    """Active services of the organizations of the membership's country (its own included)."""
    if membership is None or not membership.can("services.view"):
        return Service.objects.none()
    qs = Service.objects.filter(
        organization__country_id=membership.organization.country_id,
        organization__is_active=True,
        is_active=True,
    ).select_related("organization", "municipality__parent")
    if kind:
        qs = qs.filter(kind=kind)
    if municipality_code:
        qs = qs.filter(municipality__code=municipality_code)
    return qs.order_by("name", "id")


def directory_municipalities(*, membership) -> list[tuple[str, str]]:
    """(code, name) of the municipalities where the country's alliance offers services."""
    divisions = (
        Division.objects.filter(
            country_id=membership.organization.country_id,
            pk__in=services_directory(membership=membership).values("municipality_id"),
        )
        .select_related("parent")
        .order_by("name")
    )
    return [(d.code, str(d)) for d in divisions]


def services_of(*, membership):
    """The organization's own services, inactive ones included, for those who manage them."""
    if membership is None or not membership.can("services.manage"):
        return Service.objects.none()
    return (
        Service.objects.filter(organization_id=membership.organization_id)
        .select_related("organization", "municipality__parent")
        .order_by("-is_active", "name", "id")
    )


def service_for_edit(*, membership, pk) -> Service:
    """One of the organization's own services; another organization's is a 404."""
    return get_scoped_or_404(Service.objects.filter(organization_id=membership.organization_id), pk=pk)


def services_to_refer_to(*, membership):
    """Where a referral may go: active services of the other organizations of the country."""
    return services_directory(membership=membership).exclude(organization_id=membership.organization_id)


# Referrals -----------------------------------------------------------------------------------


def referrals_visible_to(*, membership):
    """Referrals the membership's organization sent or received."""
    if membership is None or not membership.can("referrals.view"):
        return Referral.objects.none()
    org = membership.organization_id
    return Referral.objects.filter(Q(from_organization_id=org) | Q(to_organization_id=org))


def _overdue_first(queryset):
    today = timezone.localdate()
    return queryset.annotate(
        overdue=CaseWhen(
            When(status__in=OPEN_STATUSES, outcome_due_on__lt=today, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("-overdue", "-sent_at", "-id")


def referrals_sent(*, membership):
    """The organization's referrals to others, overdue first. The sender sees the case's person."""
    if membership is None or not membership.can("referrals.view"):
        return Referral.objects.none()
    qs = Referral.objects.filter(from_organization_id=membership.organization_id).select_related(
        "case__person", "service", "to_organization", "sent_by"
    )
    return _overdue_first(_with_sharing_consent(qs))


def referrals_received(*, membership):
    """Referrals to the organization's services, overdue first. Only the referral's own fields:
    the case and the person stay with the sender."""
    if membership is None or not membership.can("referrals.view"):
        return Referral.objects.none()
    qs = Referral.objects.filter(to_organization_id=membership.organization_id).select_related(
        "service", "from_organization", "municipality__parent"
    )
    return _overdue_first(_with_sharing_consent(qs))


def referral_list(*, membership, tab: str, page=None):
    """One page of the sent or received tab, the snapshot hidden where consent no longer stands."""
    qs = (
        referrals_received(membership=membership)
        if tab == "received"
        else referrals_sent(membership=membership)
    )
    page = Paginator(qs, PAGE_SIZE).get_page(page)
    page.object_list = list(page.object_list)
    _apply_consent(page.object_list, membership=membership)
    return page


def overdue_counts(*, membership) -> dict:
    """How many referrals are overdue on each tab, in one query."""
    org = membership.organization_id
    overdue = Q(status__in=OPEN_STATUSES, outcome_due_on__lt=timezone.localdate())
    return referrals_visible_to(membership=membership).aggregate(
        sent=Count("pk", filter=overdue & Q(from_organization_id=org)),
        received=Count("pk", filter=overdue & Q(to_organization_id=org)),
    )


def referral_for_page(*, membership, pk) -> Referral:
    """One referral, for either side; a referral of two other organizations is a 404."""
    referral = get_scoped_or_404(
        _with_sharing_consent(referrals_visible_to(membership=membership)).select_related(
            "service", "from_organization", "to_organization", "sent_by", "municipality__parent"
        ),
        pk=pk,
    )
    _apply_consent([referral], membership=membership)
    referral.sender_case = None
    if referral.side == SENDER:
        from incluye.cases.selectors import cases_visible_to

        referral.sender_case = (
            cases_visible_to(membership=membership)
            .select_related("person")
            .filter(pk=referral.case_id)
            .first()
        )
    return referral


def referral_handlers(*, organization):
    """Who handles referrals received by `organization`: its active members whose role may."""
    return members_who_can(organization=organization, permission="referrals.handle")


def referrals_of_case(*, membership, case):
    """The referrals sent from a case, for the case page of the sending organization."""
    if (
        membership is None
        or not membership.can("referrals.view")
        or case.organization_id != membership.organization_id
    ):
        return Referral.objects.none()
    return (
        Referral.objects.filter(case=case, from_organization_id=membership.organization_id)
        .select_related("service", "to_organization")
        .order_by("-sent_at", "-id")
    )


# Handoffs, transfers and access requests ----------------------------------------------------------

VIEW_PERMISSION = {Handoff: "people.view", Transfer: "cases.view", AccessRequest: "people.view"}


def acts_visible_to(model, *, membership):
    """Handoffs, transfers or access requests the membership's organization sent or received."""
    if membership is None or not membership.can(VIEW_PERMISSION[model]):
        return model.objects.none()
    org = membership.organization_id
    return model.objects.filter(Q(from_organization_id=org) | Q(to_organization_id=org))


def act_for_page(model, *, membership, pk):
    """One handoff, transfer or access request, for either side, with the person's stub when the
    consent to share with the alliance stands (else `stub` is None); another's is a 404."""
    from incluye.people.selectors import act_stub

    act = get_scoped_or_404(
        acts_visible_to(model, membership=membership).select_related(
            "from_organization", "to_organization", "sent_by", "answered_by"
        ),
        pk=pk,
    )
    act.side = SENDER if act.from_organization_id == membership.organization_id else RECEIVER
    act.stub = act_stub(person_id=act.person_id)
    return act


def destinations(*, membership, permission: str):
    """Where a handoff or a transfer may go: the country's other organizations that can take it."""
    return organizations_that_can(
        country_id=membership.organization.country_id,
        permission=permission,
        exclude_id=membership.organization_id,
    )


def caseworkers_of(*, membership):
    """Who may be given a case at the membership's organization."""
    return members_who_can(organization=membership.organization, permission="cases.manage")


def handoffs_of_person(*, membership, person):
    """The handoffs of a person the membership's organization sent or received, newest first."""
    return (
        acts_visible_to(Handoff, membership=membership)
        .filter(person=person)
        .select_related("to_organization", "from_organization")
        .order_by("-sent_at")
    )


def transfers_of_case(*, membership, case):
    return (
        acts_visible_to(Transfer, membership=membership)
        .filter(case=case)
        .select_related("to_organization", "from_organization")
        .order_by("-sent_at")
    )


def arrivals_to_hand_off(*, membership, day):
    """The day's arrivals at the organization, with each person's latest handoff from here (to
    show who was already handed to whom), urgent needs first."""
    from django.db.models import OuterRef, Subquery

    from incluye.people.selectors import returns_of_the_day, with_sharing_consent

    latest = Handoff.objects.filter(
        person_id=OuterRef("person_id"), from_organization_id=membership.organization_id
    ).order_by("-sent_at")
    return with_sharing_consent(
        returns_of_the_day(membership=membership, day=day), person_path="person_id"
    ).annotate(
        handoff_status=Subquery(latest.values("status")[:1]),
        handoff_to=Subquery(latest.values("to_organization__short_name")[:1]),
        handoff_to_name=Subquery(latest.values("to_organization__name")[:1]),
    )
