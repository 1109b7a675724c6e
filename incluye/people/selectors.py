"""Reads of the registry, scoped to the active membership.

One person per country, many organizations: a membership sees in full the people its organization
registered and those another organization shared with it (an accepted handoff, a transfer or an
access request: `PersonAccess`). Of the other people registered by the alliance of its country it
sees only a minimal stub — name, birth year, registering organization, date of the last return —
and only while the person's consent to share with alliance members stands."""

import dataclasses
import datetime
import typing
import uuid
from dataclasses import dataclass, field

from django.core import signing
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from incluye.core.crypto import blind_index
from incluye.core.text import fold
from incluye.people.models import (
    Consent,
    ConsentPurpose,
    IdentityDocument,
    Person,
    PersonAccess,
    ReturnEvent,
)

# Consent to share with the alliance ------------------------------------------------------------


def sharing_allowed(*, given, expires_on, today=None) -> bool:
    """A consent allows sharing when it is given and not expired: it expires at the start of its
    `expires_on` day."""
    today = today or timezone.localdate()
    return bool(given) and (expires_on is None or expires_on > today)


def alliance_sharing_consent(*, person) -> Consent | None:
    """The person's latest decision about sharing with alliance members."""
    return (
        Consent.objects.filter(person=person, purpose=ConsentPurpose.ALLIANCE_SHARING)
        .order_by("-recorded_at", "-id")
        .first()
    )


def person_allows_sharing(*, person) -> bool:
    consent = alliance_sharing_consent(person=person)
    return consent is not None and sharing_allowed(given=consent.given, expires_on=consent.expires_on)


def with_sharing_consent(queryset, *, person_path: str = "pk"):
    """Annotate each row with the latest alliance-sharing decision of the person at `person_path`
    (`sharing_given`, `sharing_expires_on`), in SQL: the person is not loaded."""
    latest = Consent.objects.filter(
        person_id=OuterRef(person_path), purpose=ConsentPurpose.ALLIANCE_SHARING
    ).order_by("-recorded_at", "-id")
    return queryset.annotate(
        sharing_given=Subquery(latest.values("given")[:1]),
        sharing_expires_on=Subquery(latest.values("expires_on")[:1]),
    )


def sharing_q(*, today=None) -> Q:
    """On a queryset annotated by `with_sharing_consent`: the consent stands."""
    today = today or timezone.localdate()
    return Q(sharing_given=True) & (Q(sharing_expires_on__isnull=True) | Q(sharing_expires_on__gt=today))


# What a membership sees ------------------------------------------------------------------------


def granted_person_ids(*, organization_id) -> list:
    """People another organization shared with this one (grants in force)."""
    today = timezone.localdate()
    return list(
        PersonAccess.objects.filter(organization_id=organization_id, revoked_at__isnull=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=today))
        .values_list("person_id", flat=True)
    )


def people_visible_to(*, membership):
    """People a membership may see in full: those its organization registered and those shared
    with it. Roles without `people.view` see nobody."""
    if membership is None or not membership.can("people.view"):
        return Person.objects.none()
    scope = Q(organization_id=membership.organization_id)
    # The ids, not a subquery: an OR with a subquery would make the database scan every person.
    granted = granted_person_ids(organization_id=membership.organization_id)
    if granted:
        scope |= Q(pk__in=granted)
    return Person.objects.filter(scope, merged_into__isnull=True)


def person_is_visible_to(*, membership, person) -> bool:
    """Whether the membership's organization serves the person: it registered them, or the record
    is shared with it (a handoff, a transfer or an access request)."""
    if membership is None or person is None:
        return False
    if person.organization_id == membership.organization_id:
        return True
    return people_visible_to(membership=membership).filter(pk=person.pk).exists()


def organizations_sharing(*, person) -> list:
    """The organizations that see the person in full: the one that registered them and those it
    is shared with now."""
    return [person.organization, *(grant.organization for grant in access_grants_of(person=person))]


def access_grants_of(*, person):
    """The organizations a person's record is shared with now, for the person's page."""
    today = timezone.localdate()
    return (
        PersonAccess.objects.filter(person=person, revoked_at__isnull=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=today))
        .select_related("organization")
        .order_by("granted_at")
    )


# Stubs -----------------------------------------------------------------------------------------

STUB_SALT = "incluye.people.stub"
STUB_MAX_AGE = 60 * 60 * 24  # a stub's token is good for a day: enough to ask for access


@dataclass(frozen=True)
class PersonStub:
    """All another member of the alliance learns of a person it does not serve. `token` names the
    person (signed, for a day) so that the member can ask for access without ever holding the id."""

    name: str
    birth_year: int | None
    registered_by: str
    last_return_on: datetime.date | None
    token: str
    person_id: object = field(repr=False, compare=False)
    reasons: tuple = ()
    from_number: bool = False  # found by the same identity number


def stub_token(person_id) -> str:
    return signing.dumps(str(person_id), salt=STUB_SALT, compress=True)


def person_id_from_stub_token(token: str):
    """The person a stub's token names, or None when it is forged or too old."""
    try:
        return signing.loads(token or "", salt=STUB_SALT, max_age=STUB_MAX_AGE)
    except signing.BadSignature:
        return None


def _alliance_others(membership):
    """People of the membership's country, registered by another organization and not shared with
    it, whose consent to share with the alliance stands: the ones it may see as stubs."""
    if membership is None or not membership.can("people.view"):
        return Person.objects.none()
    qs = Person.objects.filter(
        organization__country_id=membership.organization.country_id,
        merged_into__isnull=True,
        erased_at__isnull=True,
    ).exclude(organization_id=membership.organization_id)
    granted = granted_person_ids(organization_id=membership.organization_id)
    if granted:
        qs = qs.exclude(pk__in=granted)
    return with_sharing_consent(qs).filter(sharing_q())


def alliance_stubs(*, membership, person_ids, reasons: dict | None = None) -> list[PersonStub]:
    """Stubs of those of `person_ids` the membership may see as stubs, in the order given. Reads
    only the stub's fields (never the documents, the history or the notes)."""
    return _stubs(_alliance_others(membership), person_ids, reasons)


def act_stub(*, person_id) -> PersonStub | None:
    """The stub of the person a handoff, a transfer or an access request is about, for the
    organization at the other end — while the person's consent to share with the alliance stands."""
    found = _stubs(with_sharing_consent(Person.objects.all()).filter(sharing_q()), [person_id], None)
    return found[0] if found else None


def _stubs(queryset, person_ids, reasons) -> list[PersonStub]:
    person_ids = list(dict.fromkeys(person_ids))
    if not person_ids:
        return []
    last_return = (
        ReturnEvent.objects.filter(person_id=OuterRef("pk")).order_by("-arrived_on").values("arrived_on")
    )
    rows = {
        row["pk"]: row
        for row in queryset.filter(pk__in=person_ids)
        .annotate(last_return_on=Subquery(last_return[:1]))
        .values(
            "pk",
            "given_names",
            "first_surname",
            "second_surname",
            "birth_date",
            "organization__name",
            "organization__short_name",
            "last_return_on",
        )
    }
    stubs = []
    for pk in person_ids:
        row = rows.get(pk)
        if row is None:
            continue
        name = " ".join(
            part for part in (row["given_names"], row["first_surname"], row["second_surname"]) if part
        )
        stubs.append(
            PersonStub(
                name=name,
                birth_year=row["birth_date"].year if row["birth_date"] else None,
                registered_by=row["organization__short_name"] or row["organization__name"],
                last_return_on=row["last_return_on"],
                token=stub_token(pk),
                person_id=pk,
                reasons=tuple((reasons or {}).get(pk, ())),
            )
        )
    return stubs


def stub_for_token(*, membership, token: str) -> PersonStub | None:
    """The stub a token names, if the membership may (still) see it as a stub."""
    person_id = person_id_from_stub_token(token)
    if person_id is None:
        return None
    try:
        found = alliance_stubs(membership=membership, person_ids=[uuid.UUID(person_id)])
    except (ValueError, TypeError, AttributeError):
        return None
    return found[0] if found else None


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


def person_to_correct(*, membership, pk):
    """A person whose details the membership may correct: one it sees in full, never an erased
    record (a correction would put personal data back on it)."""
    from incluye.core.access import get_scoped_or_404

    return get_scoped_or_404(
        people_visible_to(membership=membership)
        .filter(erased_at__isnull=True)
        .select_related("organization__country", "residence"),
        pk=pk,
    )


@dataclass
class IntakeMatches:
    """What the officer must look at before a new record is created."""

    people: list = field(default_factory=list)  # [(Person, reasons)] the membership sees in full
    stubs: list = field(default_factory=list)  # [PersonStub] registered by another member
    # The identity number is already held by an organization the membership cannot see into
    # (and the person's consent does not allow a stub): a second record is still not silent.
    number_held_elsewhere: bool = False

    def __bool__(self):
        return bool(self.people or self.stubs or self.number_held_elsewhere)

    @property
    def number_match(self) -> bool:
        """An identity-number match anywhere: registering anew needs an explicit confirmation."""
        return (
            self.number_held_elsewhere
            or any(s.from_number for s in self.stubs)
            or any(getattr(p, "from_number", False) for p, _reasons in self.people)
        )


def intake_matches(*, membership, person_fields: dict, documents: list, limit: int = 5) -> IntakeMatches:
    """Records the officer should look at before registering someone new: the same identity
    number (through its keyed hash, whoever holds it), or a similar name (and birth date) found by
    the search engine among the people of the country's alliance. People the membership sees come
    in full; the others as stubs, where their consent allows."""
    from django.utils.translation import gettext as _

    from incluye.accounts.selectors import organization_ids_of_country
    from incluye.people.searching import search_people

    visible = people_visible_to(membership=membership)
    found: dict = {}
    by_number = set()
    number_hashes = [(document_type, blind_index(number)) for document_type, number in documents]
    for document_type, number_hash in number_hashes:
        for person_id in IdentityDocument.objects.filter(
            document_type=document_type,
            number_hash=number_hash,
            person__merged_into__isnull=True,
            person__organization__country_id=membership.organization.country_id,
        ).values_list("person_id", flat=True):
            found[person_id] = [_("same identity number")]
            by_number.add(person_id)
    name = " ".join(
        person_fields.get(k, "")
        for k in ("given_names", "first_surname", "second_surname")
        if person_fields.get(k)
    )
    for hit in search_people(
        organization_ids=organization_ids_of_country(country_id=membership.organization.country_id),
        query=name,
        birth_date=person_fields.get("birth_date"),
        birth_precision=person_fields.get("birth_date_precision") or "day",
        limit=limit * 2,
    ):
        if hit.score >= INTAKE_MATCH_MIN_SCORE and hit.person_id not in found:
            found[hit.person_id] = hit.reasons
    people = visible.in_bulk(list(found))
    visible_ids = set(people)
    result = IntakeMatches()
    for pk, reasons in found.items():
        if pk in people:
            people[pk].from_number = pk in by_number
            result.people.append((people[pk], reasons))
    others = [pk for pk in found if pk not in visible_ids]
    stubs = alliance_stubs(membership=membership, person_ids=others, reasons=found)
    result.stubs = [dataclasses.replace(stub, from_number=stub.person_id in by_number) for stub in stubs]
    shown = {stub.person_id for stub in stubs}
    result.number_held_elsewhere = any(pk not in visible_ids and pk not in shown for pk in by_number)
    result.people = result.people[:limit]
    result.stubs = result.stubs[:limit]
    return result


# A correction of these fields may make the person look like another record (a surname misspelt
# at the desk kept them apart from their first registration).
IDENTIFYING_FIELDS = frozenset(
    {"given_names", "first_surname", "second_surname", "birth_date", "birth_date_precision"}
)


def records_like(*, membership, person: Person, limit: int = 5) -> IntakeMatches:
    """The other records the person now looks like, found as the intake finds them (by name and
    birth date, among the people of the country's alliance; another organization's as stubs,
    where their consent allows), the person's own record left out."""
    matches = intake_matches(
        membership=membership,
        person_fields={name: getattr(person, name) for name in IDENTIFYING_FIELDS},
        documents=[],
        limit=limit + 1,
    )
    matches.people = [(other, why) for other, why in matches.people if other.pk != person.pk][:limit]
    matches.stubs = [stub for stub in matches.stubs if stub.person_id != person.pk][:limit]
    return matches


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


def returns_since(*, membership, since):
    """The organization's arrivals since a day (the person with each), newest first."""
    if not membership.can("people.view"):
        return ReturnEvent.objects.none()
    return (
        ReturnEvent.objects.filter(
            organization_id=membership.organization_id,
            arrived_on__gte=since,
            person__merged_into__isnull=True,
            person__erased_at__isnull=True,
        )
        .select_related("person")
        .order_by("-arrived_on", "-created_at")
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


def people_search(
    *, membership, query: str, limit: int = 25, birth_date=None, birth_precision: str = "day"
) -> list[Person]:
    """Search as you type: the engine's ranked hits as Person objects, each with `.reasons` —
    the people the membership sees in full (its own and those shared with it)."""
    return alliance_search(
        membership=membership,
        query=query,
        limit=limit,
        birth_date=birth_date,
        birth_precision=birth_precision,
    ).people


class AllianceSearch(typing.NamedTuple):
    people: list  # Person objects the membership sees in full, with `.reasons` and `.score`
    stubs: list  # PersonStub of the others, where their consent allows
    crowded: bool = False  # more people than shown match as well as the first one


def alliance_search(
    *, membership, query: str, limit: int = 25, birth_date=None, birth_precision: str = "day"
) -> AllianceSearch:
    """One search over the people of the membership's country: the people it sees in full and
    stubs of the others (`AllianceSearch`). A member of another country's alliance finds nothing
    of this one. `birth_date` (known to `birth_precision`) ranks those born then first."""
    from incluye.accounts.selectors import organization_ids_of_country
    from incluye.people.searching import search_people

    if not membership.can("people.view"):
        return AllianceSearch([], [])
    organization_ids = organization_ids_of_country(country_id=membership.organization.country_id)
    # The engine fetched the hits by primary key, re-checking organization and merges.
    hits = search_people(
        organization_ids=organization_ids,
        query=query,
        limit=limit * 2,
        birth_date=birth_date,
        birth_precision=birth_precision,
    )
    own = membership.organization_id
    granted = (
        set(granted_person_ids(organization_id=own))
        if any(h.person.organization_id != own for h in hits)
        else set()
    )
    ranked, others, reasons = [], [], {}
    for hit in hits:
        person = hit.person
        if person.organization_id == own or person.pk in granted:
            person.reasons, person.score = hit.reasons, hit.score
            ranked.append(person)
        else:
            others.append(person.pk)
            reasons[person.pk] = hit.reasons
    stubs = alliance_stubs(membership=membership, person_ids=others, reasons=reasons)
    # Every hit fetched scored as the first: others beyond them may too ("Marta Ruiz").
    crowded = len(hits) == limit * 2 and hits[-1].score == hits[0].score
    return AllianceSearch(ranked[:limit], stubs[:limit], crowded)


def access_report(*, person):
    """Every action-log entry about the person, newest first, whatever organization wrote it: the
    person's right to know who saw their data does not stop at the registering organization."""
    from incluye.core.models import ActionLogEntry

    # The records merged into this one were the same person: what was read of them counts too.
    merged = list(Person.objects.filter(merged_into_id=person.pk).values_list("pk", flat=True))
    return ActionLogEntry.objects.filter(person_id__in=[person.pk, *merged]).select_related(
        "actor", "organization"
    )


def duplicate_groups(*, membership):
    """Groups of possible duplicates the membership's organization reviews: those whose records
    are all its own (groups spanning organizations wait for the country's review)."""
    from incluye.people.models import DuplicateCluster

    if membership is None or not membership.can("people.view"):
        return DuplicateCluster.objects.none()
    return DuplicateCluster.objects.filter(organization_id=membership.organization_id)


def alliance_duplicate_groups(*, membership, status=None):
    """Groups spanning organizations of the membership's country (found by the nightly job) that
    hold a record of its organization, for its administrators: `(shown, hidden)`, where `shown`
    are those whose other records' people allow sharing with the alliance (as stubs do) and
    `hidden` counts the others. `status` filters (default: every status)."""
    from incluye.people.models import DuplicateCluster

    if membership is None or not membership.can("duplicates.review_alliance"):
        return DuplicateCluster.objects.none(), 0
    own = membership.organization_id
    groups = DuplicateCluster.objects.filter(
        organization__isnull=True,
        country_id=membership.organization.country_id,
        members__organization_id=own,
    ).distinct()
    if status is not None:
        groups = groups.filter(status=status)
    # People of another organization in a group whose consent does not allow sharing.
    others = Person.objects.filter(
        organization__country_id=membership.organization.country_id, merged_into__isnull=True
    ).exclude(organization_id=own)
    allowed = with_sharing_consent(others).filter(sharing_q()).values("pk")
    withheld = others.exclude(pk__in=allowed).values("pk")
    blocked = groups.filter(members__in=withheld).values("pk")
    hidden = groups.filter(pk__in=blocked).count()
    return groups.exclude(pk__in=blocked), hidden


def merges_of(*, membership):
    """Merges an organization sees and may undo: those it made, and those that merged a record
    of its own (a merge across organizations belongs to both)."""
    from incluye.people.models import PersonMerge

    if membership is None:
        return PersonMerge.objects.none()
    own = membership.organization_id
    return PersonMerge.objects.filter(
        Q(organization_id=own) | Q(survivor__organization_id=own) | Q(merged__organization_id=own)
    )


def alliance_merges_received(*, membership, since):
    """Merges across organizations that another organization made of a record of this one, since
    `since` and not undone: one per action (its first merge, which holds the sharing it granted).
    Only for those who review duplicates across the alliance, who may undo them."""
    from incluye.people.models import PersonMerge

    if membership is None or not membership.can("duplicates.review_alliance"):
        return PersonMerge.objects.none()
    own = membership.organization_id
    involving_ours = PersonMerge.objects.filter(merged__organization_id=own, batch__isnull=False).values(
        "batch"
    )
    return (
        PersonMerge.objects.filter(moved__has_key="grants", undone_at__isnull=True, performed_at__gte=since)
        .exclude(organization_id=own)
        .filter(Q(survivor__organization_id=own) | Q(batch__in=involving_ours))
        .select_related("organization")
        .order_by("-performed_at", "-pk")
    )


def duplicate_search_state(*, membership) -> dict:
    """The last finished duplicate search that covered the organization (its own, or its
    country's nightly run), and the one under way, if any."""
    from django.db.models import Q

    from incluye.people.models import DuplicateSearch, SearchStatus

    organization = membership.organization
    covering = DuplicateSearch.objects.filter(
        Q(organization_id=organization.pk) | Q(organization__isnull=True, country_id=organization.country_id)
    )
    return {
        "last": covering.filter(status=SearchStatus.DONE).order_by("-finished_at").first(),
        "running": covering.filter(status__in=[SearchStatus.QUEUED, SearchStatus.RUNNING]).first(),
    }


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
