from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from incluye.accounts.roles import Role
from incluye.core.access import get_scoped_or_404
from incluye.impact.models import Story, StoryStatus
from incluye.people.models import Consent, ConsentPurpose


def dashboard_scope(*, membership) -> dict:
    """What the membership's dashboard covers: a coordinator the whole country (aggregates of
    other organizations' records: suppressed), an organization's manager their own organization."""
    country = membership.organization.country_id
    if membership.role == Role.COORDINATOR:
        return {"country": country, "organization": None, "suppress": True}
    return {"country": country, "organization": membership.organization_id, "suppress": False}


def with_stories_consent(qs):
    """Annotate stories with the person's latest consent for stories and communications."""
    latest = Consent.objects.filter(person=OuterRef("person"), purpose=ConsentPurpose.STORIES).order_by(
        "-recorded_at", "-id"
    )
    return qs.annotate(
        consent_given=Subquery(latest.values("given")[:1]),
        consent_expires=Subquery(latest.values("expires_on")[:1]),
    )


def consent_in_force():
    return Q(consent_given=True) & (
        Q(consent_expires__isnull=True) | Q(consent_expires__gte=timezone.localdate())
    )


def public_stories(*, country: str | None = None, limit: int = 6):
    """Stories the public may read: published, and the person's latest consent for stories is
    given and not expired — checked now, so a withdrawal takes effect on the next page view."""
    qs = with_stories_consent(Story.objects.filter(status=StoryStatus.PUBLISHED))
    if country:
        qs = qs.filter(organization__country_id=country)
    return qs.filter(consent_in_force()).order_by("-published_at")[:limit]


def stories_visible_to(*, membership):
    if membership is None or not membership.can("stories.manage"):
        return Story.objects.none()
    return with_stories_consent(Story.objects.filter(organization_id=membership.organization_id))


def story_for_page(*, membership, pk):
    return get_scoped_or_404(stories_visible_to(membership=membership).select_related("person"), pk=pk)


def people_export_rows(*, membership):
    """The organization's people with non-sensitive columns only (no names, documents, phones,
    returns or vulnerabilities)."""
    from django.db.models.functions import ExtractYear

    from incluye.people.selectors import people_visible_to

    return (
        people_visible_to(membership=membership)
        .order_by("created_at", "pk")
        .annotate(birth_year=ExtractYear("birth_date"))
        .values_list(
            "pk",
            "created_at__date",
            "sex",
            "birth_year",
            "residence__parent__name",
            "residence__name",
            "household_size",
        )
    )
