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
        .select_related("nationality", "residence__parent", "organization__country", "created_by")
        .prefetch_related(
            Prefetch("documents", queryset=IdentityDocument.objects.select_related("document_type__country")),
            Prefetch(
                "returns", queryset=ReturnEvent.objects.select_related("organization", "origin_country")
            ),
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


def returns_of_the_day(*, membership, day):
    """Today's arrivals at the organization, urgent needs first."""
    from incluye.people.models import ReturnEvent

    if not membership.can("people.view"):
        return ReturnEvent.objects.none()
    return (
        ReturnEvent.objects.filter(
            organization_id=membership.organization_id, arrived_on=day, person__merged_into__isnull=True
        )
        .select_related("person", "person__residence")
        .order_by("-is_urgent", "created_at")
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


# -- Protection-sensitive data: migration status, nationality, documents for foreigners ------------


def can_see_protection(membership) -> bool:
    return membership is not None and membership.can("protection.view")


def is_protected_document(document_type, *, country_id: str) -> bool:
    """A document for foreigners, or one issued by another country (a Venezuelan cédula, a
    passport of the country of origin), tells the person's status or nationality."""
    return document_type.for_foreigners or document_type.country_id != country_id


def documents_for_page(*, membership, person) -> tuple[list, list]:
    """(the identity documents the membership may see, those only protection roles see)."""
    shown, protected = [], []
    for document in person.documents.all():
        if is_protected_document(document.document_type, country_id=person.organization.country_id):
            protected.append(document)
        else:
            shown.append(document)
    return (shown, protected) if can_see_protection(membership) else (shown, [])


def statuses_of(*, person):
    from incluye.people.models import MigrationStatus

    return MigrationStatus.objects.filter(person=person).select_related("country", "organization")


def current_status(*, person, on=None):
    """The migration status that holds on `on` (today), or None (a national, or not recorded)."""
    on = on or timezone.localdate()
    return next((s for s in statuses_of(person=person) if s.is_current(on)), None)


def population_of(*, person, on=None) -> str:
    """Returnee, refugee, asylum seeker or other migrant (see `Population`)."""
    from incluye.people.models import Population, StatusKind

    status = current_status(person=person, on=on)
    if status is not None and status.kind in (StatusKind.REFUGEE, StatusKind.ASYLUM_SEEKER):
        return status.kind
    if person.nationality_id == person.organization.country_id:
        return Population.RETURNEE
    return Population.OTHER_MIGRANT


def _authorization_facts(person_ids) -> dict:
    """{person_id: (national, [Status], [Document], rules)} for the work authorization rules."""
    from incluye.people import authorization as auth
    from incluye.people.models import MigrationStatus

    ids = list(person_ids)
    facts = {}
    for pk, nationality, country, rules in Person.objects.filter(pk__in=ids).values_list(
        "pk", "nationality_id", "organization__country_id", "organization__country__migration"
    ):
        facts[pk] = (nationality == country, [], [], rules or {}, country)
    for person_id, kind, category, since, until, country in MigrationStatus.objects.filter(
        person_id__in=ids
    ).values_list("person_id", "kind", "category", "since", "until", "country_id"):
        if facts[person_id][4] == country:
            facts[person_id][1].append(auth.Status(kind, category, since, until))
    for row in IdentityDocument.objects.filter(
        person_id__in=ids, document_type__for_foreigners=True
    ).values_list(
        "person_id",
        "document_type__code",
        "document_type__country_id",
        "document_type__grants_work",
        "document_type__statuses",
        "document_type__requires",
        "issued_on",
        "expires_on",
    ):
        person_id, code, country, grants, statuses, requires, valid_from, expires_on = row
        if facts[person_id][4] == country:
            facts[person_id][2].append(
                auth.Document(
                    code, grants, tuple(statuses or ()), tuple(requires or ()), valid_from, expires_on
                )
            )
    return facts


def work_periods_by_person(person_ids) -> dict:
    """{person_id: [Period]}: when each person may work in the country served (four queries)."""
    from incluye.people import authorization as auth

    return {
        pk: auth.work_periods(national=national, statuses=statuses, documents=documents, rules=rules)
        for pk, (national, statuses, documents, rules, _country) in _authorization_facts(person_ids).items()
    }


def work_authorized_on(*, person, day) -> bool:
    from incluye.people import authorization as auth

    return auth.authorized_on(work_periods_by_person([person.pk]).get(person.pk, []), day)


def people_whose_authorization_changed(*, since) -> set:
    """People whose statuses or documents changed since `since` (for the matching index)."""
    from incluye.people.models import MigrationStatus

    return set(
        MigrationStatus.objects.filter(updated_at__gte=since).values_list("person_id", flat=True)
    ) | set(IdentityDocument.objects.filter(updated_at__gte=since).values_list("person_id", flat=True))


def documents_expiring(*, today, organization_id=None, horizon_days: int = 366):
    """Documents with an expiry date whose reminder period has begun (their type's `remind_days`
    before they expire) and that have not expired for more than a month: [(IdentityDocument,
    days left)], soonest first. Of live people only."""
    import datetime

    qs = IdentityDocument.objects.filter(
        document_type__has_expiry=True,
        expires_on__gte=today - datetime.timedelta(days=31),
        expires_on__lte=today + datetime.timedelta(days=horizon_days),
        person__merged_into__isnull=True,
        person__erased_at__isnull=True,
    ).select_related("document_type", "person", "person__organization")
    if organization_id is not None:
        qs = qs.filter(person__organization_id=organization_id)
    due = []
    for document in qs.order_by("expires_on"):
        left = (document.expires_on - today).days
        if left <= document.document_type.remind_days:
            due.append((document, left))
    return due


def expiring_for(*, membership, today):
    if not can_see_protection(membership):
        return []
    return documents_expiring(today=today, organization_id=membership.organization_id)


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
