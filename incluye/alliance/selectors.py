from django.db.models import Count

from incluye.accounts.models import Organization, Sector
from incluye.alliance.models import Agreement, AllianceMember, Commitment, Council, Meeting
from incluye.core.access import get_scoped_or_404


def council_of(*, membership):
    """The council of the membership's country (None if it has none yet)."""
    return Council.objects.filter(country_id=membership.organization.country_id).first()


def _scoped(model, membership, permission="alliance.view"):
    if membership is None or not membership.can(permission):
        return model.objects.none()
    return model.objects.filter(council__country_id=membership.organization.country_id)


def members_of(*, membership):
    return _scoped(AllianceMember, membership).filter(left_on__isnull=True).select_related("organization")


def agreements_of(*, membership):
    return _scoped(Agreement, membership).prefetch_related("parties")


def commitments_of(*, membership):
    return _scoped(Commitment, membership).select_related("owner")


def meetings_of(*, membership):
    return _scoped(Meeting, membership).annotate(decision_count=Count("decisions"))


def agreement_for_page(*, membership, pk):
    return get_scoped_or_404(agreements_of(membership=membership), pk=pk)


def commitment_for_page(*, membership, pk):
    return get_scoped_or_404(commitments_of(membership=membership), pk=pk)


def meeting_for_page(*, membership, pk):
    return get_scoped_or_404(
        _scoped(Meeting, membership).prefetch_related("attendees", "decisions__commitment"), pk=pk
    )


def sector_summary(*, membership) -> list[tuple[str, str, int]]:
    """(sector, label, members) for every sector, zeros included (one aggregate query)."""
    counts = dict(
        members_of(membership=membership)
        .order_by()
        .values_list("organization__sector")
        .annotate(n=Count("pk"))
        .values_list("organization__sector", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in Sector.choices]


def referral_matrix(*, country: str) -> dict:
    """Referrals between the country's organizations: {"organizations": [...], "rows": [[n]]},
    from ONE aggregate query (GROUP BY sender, receiver). Counts only, no person."""
    from incluye.referrals.models import Referral

    pairs = list(
        Referral.objects.filter(from_organization__country_id=country)
        .order_by()
        .values_list("from_organization_id", "to_organization_id")
        .annotate(n=Count("pk"))
    )
    ids = sorted({a for a, _b, _n in pairs} | {b for _a, b, _n in pairs})
    names = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "short_name"))
    full = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    index = {pk: i for i, pk in enumerate(ids)}
    rows = [[0] * len(ids) for _ in ids]
    for a, b, n in pairs:
        rows[index[a]][index[b]] = n
    return {
        "organizations": [names.get(pk) or full.get(pk, "") for pk in ids],
        "rows": rows,
        "total": sum(n for _a, _b, n in pairs),
    }
