from django.db.models import Prefetch, Q
from django.utils import timezone

from incluye.core.crypto import blind_index
from incluye.core.text import fold
from incluye.people.models import Consent, IdentityDocument, Person, ReturnEvent


def people_visible_to(*, membership):
    """People a membership may see: those its organization registered (consented sharing comes
    with the Registry issue). Roles without `people.view` see nobody."""
    if membership is None or not membership.can("people.view"):
        return Person.objects.none()
    return Person.objects.filter(organization_id=membership.organization_id, merged_into__isnull=True)


def people_list(*, membership, query: str = "", today: bool = False):
    qs = (
        people_visible_to(membership=membership)
        .filter(erased_at__isnull=True)
        .select_related("residence", "nationality")
    )
    if today:
        qs = qs.filter(created_at__date=timezone.localdate())
    for term in query.split():
        qs = qs.filter(
            Q(name_key__contains=fold(term)) | Q(documents__number_hash=blind_index(term.replace("-", "")))
        )
    return qs.distinct().order_by("name_key")


def person_for_page(*, membership, pk):
    from incluye.core.access import get_scoped_or_404

    return get_scoped_or_404(
        people_visible_to(membership=membership)
        .select_related("nationality", "residence__parent", "organization", "created_by")
        .prefetch_related(
            Prefetch("documents", queryset=IdentityDocument.objects.select_related("document_type")),
            Prefetch("returns", queryset=ReturnEvent.objects.select_related("organization")),
            Prefetch("consents", queryset=Consent.objects.select_related("recorded_by", "organization")),
        ),
        pk=pk,
    )


def intake_matches(
    *, membership, person_fields: dict, documents: list, limit: int = 5
) -> list[tuple[Person, list[str]]]:
    """Records the officer should look at before registering someone new: the same identity
    number, or a similar name (and birth date) found by the search engine."""
    from django.utils.translation import gettext as _

    from incluye.people.search import search_people

    visible = people_visible_to(membership=membership)
    found: dict = {}
    for document_type, number in documents:
        for person in visible.filter(
            documents__document_type=document_type, documents__number_hash=blind_index(number)
        ):
            found[person.pk] = [_("same identity number")]
    name = " ".join(
        person_fields.get(k, "")
        for k in ("given_names", "first_surname", "second_surname")
        if person_fields.get(k)
    )
    for hit in search_people(
        organization_ids=[membership.organization_id],
        query=name,
        birth_date=person_fields.get("birth_date"),
        limit=limit,
    ):
        if hit.score >= INTAKE_MATCH_MIN_SCORE and hit.person_id not in found:
            found[hit.person_id] = hit.reasons
    people = visible.in_bulk(list(found))
    return [(people[pk], reasons) for pk, reasons in found.items() if pk in people][:limit]


# A name found by the engine with at least this score is shown to the officer at intake.
INTAKE_MATCH_MIN_SCORE = 80


def returns_of_the_day(*, membership, day, flight: str | None = None, urgent_only: bool = False):
    """A day's arrivals at the organization, urgent needs first; optionally one flight or bus
    (its reference) and only the urgent ones."""
    from incluye.people.models import ReturnEvent

    if not membership.can("people.view"):
        return ReturnEvent.objects.none()
    returns = ReturnEvent.objects.filter(
        organization_id=membership.organization_id, arrived_on=day, person__merged_into__isnull=True
    )
    if flight is not None:
        returns = returns.filter(transport_reference=flight)
    if urgent_only:
        returns = returns.filter(is_urgent=True)
    return returns.select_related("person", "person__residence").order_by("-is_urgent", "created_at", "pk")


def flights_of_the_day(*, membership, day) -> list[tuple[str, int]]:
    """The flights and buses that arrived on a day, with how many people each brought: [(ref, n)];
    arrivals without a reference are counted under ""."""
    from django.db.models import Count

    return list(
        returns_of_the_day(membership=membership, day=day)
        .order_by()
        .values_list("transport_reference")
        .annotate(people=Count("pk"))
        .order_by("transport_reference")
    )


def consent_state(*, person) -> dict:
    """The latest decision per purpose: {purpose: Consent}."""
    state = {}
    for consent in person.consents.all():  # newest first (model ordering)
        state.setdefault(consent.purpose, consent)
    return state


def drafts_of(*, membership):
    from incluye.people.models import IntakeDraft

    return IntakeDraft.objects.filter(
        organization_id=membership.organization_id, created_by_id=membership.user_id
    )


def people_search(*, membership, query: str, limit: int = 25) -> list[Person]:
    """Search as you type: the engine's ranked hits as Person objects, each with `.reasons`."""
    from incluye.people.search import search_people

    if not membership.can("people.view"):
        return []
    # The engine fetched the hits by primary key, re-checking organization and merges.
    ranked = []
    for hit in search_people(organization_ids=[membership.organization_id], query=query, limit=limit):
        person = hit.person
        person.reasons, person.score = hit.reasons, hit.score
        ranked.append(person)
    return ranked


def access_report(*, person):
    """Every action-log entry about the person, newest first, whatever organization wrote it: the
    person's right to know who saw their data does not stop at the registering organization."""
    from incluye.core.models import ActionLogEntry

    return ActionLogEntry.objects.filter(person_id=person.pk).select_related("actor", "organization")


def manifests_for(*, membership):
    """The manifests (uploads and KoboToolbox pulls) of the membership's organization."""
    from incluye.people.models import ManifestImport

    if membership is None or not membership.can("manifests.import"):
        return ManifestImport.objects.none()
    return ManifestImport.objects.filter(organization_id=membership.organization_id).select_related(
        "organization__country", "mapping", "uploaded_by", "kobo_source"
    )


def kobo_sources_for(*, membership):
    from incluye.people.models import KoboSource

    if membership is None or not membership.can("manifests.import"):
        return KoboSource.objects.none()
    return KoboSource.objects.filter(organization_id=membership.organization_id).select_related("mapping")


def household_of(*, person) -> list:
    """The members of the person's household(s) — the person first, then family in order of arrival;
    each registered member with their person (a link on the page)."""
    from incluye.people.models import HouseholdMember

    households = HouseholdMember.objects.filter(person=person).values_list("household_id", flat=True)
    return list(
        HouseholdMember.objects.filter(
            household_id__in=households, household__organization=person.organization_id
        )
        .select_related("person", "arrived_with")
        .order_by("household__created_at", "created_at", "id")
    )
