"""Writes of the people registry. Each one logs what it did (ids and field names, never values)."""

import contextlib
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from incluye.core.actionlog import log_action, log_reads
from incluye.core.versioning import check_current, save_versioned
from incluye.people.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    IdentityDocument,
    IntakeDraft,
    MigrationStatus,
    Person,
    PersonAccess,
    ReturnEvent,
    StatusKind,
)
from incluye.people.selectors import is_protected_document


def _documents_create(person, documents):
    """`documents`: (IdDocumentType, number) or (IdDocumentType, number, valid from, expires on)."""
    for document_type, number, *dates in documents:
        issued_on, expires_on = (*dates, None, None)[:2]
        IdentityDocument.objects.create(
            person=person,
            document_type=document_type,
            number=document_type.clean_number(number),
            issued_on=issued_on,
            expires_on=expires_on,
        )


@transaction.atomic
def person_register(
    *,
    membership,
    documents=(),
    return_event: dict | None = None,
    consents=(),
    migration_status: dict | None = None,
    **fields,
) -> Person:
    """Register a person in the membership's organization, with their identity documents, the
    return or arrival that brought them (optional), their migration status (an arrival's, optional)
    and the consents they gave.

    `documents` is a sequence of (IdDocumentType, number as typed[, valid from, expires on]);
    numbers are validated by the type's rule and stored normalized. `consents` is a sequence of
    dicts with purpose, given, method and optionally witness and expires_on.
    """
    person = Person.objects.create(organization=membership.organization, created_by=membership.user, **fields)
    _documents_create(person, documents)
    event = (
        return_event_record(membership=membership, person=person, log=False, **return_event)
        if return_event
        else None
    )
    status = (
        migration_status_record(membership=membership, person=person, log=False, **migration_status)
        if migration_status
        else None
    )
    for consent in consents:
        consent_record(membership=membership, person=person, log=False, **consent)
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.person.registered",
        obj=person,
        data={
            "documents": [document[0].code for document in documents],
            "return_event": str(event.pk) if event else None,
            "migration_status": str(status.pk) if status else None,
            "consents": sorted(c["purpose"] for c in consents),
        },
    )
    return person


# The fields a correction may change (the nationality is recorded with an arrival's status).
CORRECTABLE = (
    "given_names",
    "first_surname",
    "second_surname",
    "preferred_name",
    "sex",
    "birth_date",
    "birth_date_precision",
    "phone",
    "residence_id",
    "languages",
    "preferred_language",
    "education",
    "household_size",
)


@transaction.atomic
def person_correct(*, membership, person: Person, expected_version, **fields) -> dict:
    """Correct the person's own details (a name misspelt at the desk, a new phone, the municipality
    they moved to): only the fields given, only if nobody saved the record since the version the
    user read (`StaleRecord` otherwise). The action log names the fields changed, never their
    values; the search and the duplicate check see the new name at their next refresh (the write
    moves `updated_at`)."""
    _require(membership, "people.correct")
    unknown = set(fields) - set(CORRECTABLE)
    if unknown:
        raise ValueError(f"Not a field a correction changes: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(person, name, value)
    saved = save_versioned(person, expected_version=expected_version, fields=list(fields))
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.person.updated",
        obj=person,
        data=saved,
    )
    return saved


@transaction.atomic
def return_event_record(*, membership, person: Person, log: bool = True, **fields) -> ReturnEvent:
    """Record a new return of a person already registered (people come back more than once)."""
    event = ReturnEvent(
        person=person, organization=membership.organization, created_by=membership.user, **fields
    )
    event.save()
    Person.objects.filter(pk=person.pk).update(updated_at=event.created_at)
    if log:
        log_action(
            actor=membership.user,
            organization=membership.organization,
            action="incluye.arrival.recorded" if event.is_arrival else "incluye.return.recorded",
            obj=event,
            data={"person": str(person.pk)},
        )
    return event


@transaction.atomic
def consent_record(
    *,
    membership,
    person: Person,
    purpose: str,
    given: bool,
    method: str,
    witness: str = "",
    expires_on=None,
    log: bool = True,
) -> Consent:
    """Append the person's decision about one purpose; the latest decision per purpose counts."""
    return _consent_append(
        person=person,
        purpose=purpose,
        given=given,
        method=method,
        witness=witness,
        expires_on=expires_on,
        actor=membership.user,
        organization=membership.organization,
        logged={"purpose": purpose, "method": method} if log else None,
    )


@transaction.atomic
def consent_withdraw_by_person(*, person: Person, purpose: str) -> Consent:
    """The person withdraws a consent themselves (from their own page): the same append-only
    decision as staff record, digital and by nobody of staff, under the organization that
    registered them; it counts everywhere at once, as any latest decision does."""
    if purpose not in ConsentPurpose.values:
        raise ValueError(f"Unknown consent purpose {purpose!r}")
    return _consent_append(
        person=person,
        purpose=purpose,
        given=False,
        method=ConsentMethod.DIGITAL,
        actor=None,
        organization=person.organization,
        logged={"purpose": purpose, "method": ConsentMethod.DIGITAL, "by": "person"},
    )


def _consent_append(
    *, person, purpose, given, method, actor, organization, logged, witness="", expires_on=None
) -> Consent:
    """One decision, whoever records it: appended, logged (unless `logged` is None), and the
    records shared under the alliance consent follow it."""
    consent = Consent.objects.create(
        person=person,
        purpose=purpose,
        given=given,
        method=method,
        witness=witness,
        expires_on=expires_on,
        recorded_by=actor,
        organization=organization,
    )
    if logged is not None:
        log_action(
            actor=actor,
            organization=organization,
            action="incluye.consent.given" if given else "incluye.consent.withdrawn",
            obj=person,
            data=logged,
        )
    if purpose == ConsentPurpose.ALLIANCE_SHARING:
        _grants_follow_consent(actor=actor, organization=organization, person=person, consent=consent)
    return consent


def _grants_follow_consent(*, actor, organization, person: Person, consent: Consent) -> None:
    """The records shared with other organizations are shared under this consent: withdrawn, the
    sharing ends now; given again with another expiry, the sharing lapses with it."""
    active = PersonAccess.objects.filter(person=person, revoked_at__isnull=True)
    if consent.given:
        active.exclude(expires_on=consent.expires_on).update(expires_on=consent.expires_on)
        return
    ended = list(active.values_list("organization_id", flat=True))
    if not ended:
        return
    active.update(revoked_at=timezone.now(), revoked_reason="consent_withdrawn")
    log_action(
        actor=actor,
        organization=organization,
        action="incluye.person.access_ended",
        obj=person,
        data={"organizations": ended, "why": "consent_withdrawn"},
    )


@transaction.atomic
def person_access_grant(*, membership, person: Person, organization, reason: str) -> PersonAccess:
    """Share a person's record with `organization` (a handoff or a transfer it accepted, an access
    request it was granted). Refused, like a referral, without the person's consent to share with
    alliance members; the sharing lapses with that consent."""
    from incluye.people.selectors import alliance_sharing_consent, sharing_allowed

    consent = alliance_sharing_consent(person=person)
    if consent is None or not sharing_allowed(given=consent.given, expires_on=consent.expires_on):
        raise PermissionDenied
    if organization.pk == person.organization_id or organization.country_id != person.organization.country_id:
        raise PermissionDenied
    grant = PersonAccess.objects.filter(
        person=person, organization=organization, revoked_at__isnull=True
    ).first()
    if grant is None:
        grant = PersonAccess.objects.create(
            person=person,
            organization=organization,
            reason=reason,
            granted_by=membership.user,
            expires_on=consent.expires_on,
        )
    elif grant.expires_on != consent.expires_on:
        grant.expires_on = consent.expires_on
        grant.save(update_fields=["expires_on"])
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.person.access_granted",
        obj=person,
        data={"organization": organization.pk, "reason": reason},
    )
    return grant


@transaction.atomic
def person_access_end(*, membership, person: Person, organization, why: str) -> int:
    """End the sharing of a person's record with `organization` (e.g. its case was transferred
    away). The registering organization's own access never ends this way."""
    ended = PersonAccess.objects.filter(
        person=person, organization=organization, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), revoked_reason=why[:40])
    if ended:
        log_action(
            actor=membership.user,
            organization=membership.organization,
            action="incluye.person.access_ended",
            obj=person,
            data={"organizations": [organization.pk], "why": why},
        )
    return ended


def stubs_viewed(*, membership, stubs) -> int:
    """Every stub of another organization's person shown to a member is a read of that person's
    data: one entry each, in the person's "who saw my data" report."""
    return log_reads(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.person.stub_viewed",
        objs=[Person(pk=stub.person_id) for stub in stubs],
    )


def duplicate_records_viewed(*, membership, people, where: str) -> int:
    """Another organization's records shown in the review of duplicates across organizations
    (`where`: "queue" or "review"): one read each, in the person's "who saw my data" report."""
    return log_reads(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.duplicates.record_viewed",
        objs=[person for person in people if person.organization_id != membership.organization_id],
        data={"where": where},
    )


def person_registered_over_match(
    *, membership, person: Person, stubs=(), number_held_elsewhere=False
) -> None:
    """The officer registered a new record although the alliance already holds this identity
    number: never silent — logged on the new record, naming the records it may duplicate."""
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.person.registered_over_match",
        obj=person,
        data={
            "possible_duplicates": [str(stub.person_id) for stub in stubs if stub.from_number],
            "number_held_elsewhere": bool(number_held_elsewhere),
        },
    )


def person_viewed(*, membership, person: Person) -> None:
    """A person's record holds identity documents and deportation history: every opening is logged."""
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.person.viewed",
        obj=person,
    )


DRAFT_IGNORED_KEYS = {
    "csrfmiddlewaretoken",
    "action",
    "draft",
    "attach",
    "confirm_new",
    "confirm_number",
    "ask_access",
    "next",
}


def intake_draft_save(*, membership, draft_id, data) -> IntakeDraft:
    """Keep a half-typed intake form for its author (the officer was interrupted)."""
    values = {k: data.getlist(k) for k in data if k not in DRAFT_IGNORED_KEYS}
    label = " ".join(
        v[0] for k in ("given_names", "first_surname", "second_surname") if (v := values.get(k)) and v[0]
    )
    draft = None
    if draft_id:
        try:
            draft = IntakeDraft.objects.filter(pk=draft_id, created_by=membership.user).first()
        except (ValueError, ValidationError):
            draft = None
    if draft is None:
        draft = IntakeDraft(organization=membership.organization, created_by=membership.user)
    draft.data, draft.label = values, label[:200]
    draft.save()
    return draft


def intake_draft_discard(*, membership, draft_id) -> None:
    if draft_id:
        with contextlib.suppress(ValueError, ValidationError):
            IntakeDraft.objects.filter(pk=draft_id, created_by=membership.user).delete()


@transaction.atomic
def intake_attach(*, membership, person: Person, form) -> ReturnEvent:
    """The arrival is someone already registered: record the new return (and any new document
    and consent) on the existing record instead of creating a duplicate."""
    event = return_event_record(membership=membership, person=person, **form.return_event_fields())
    known_types = set(person.documents.values_list("document_type_id", flat=True))
    for document in form.documents(with_dates=True):
        if document[0].pk not in known_types:  # a different number of a known type is for a merge review
            _documents_create(person, [document])
    status = form.migration_status_fields()
    current = MigrationStatus.objects.filter(person=person, until__isnull=True).first()
    if status and (
        current is None or (current.kind, current.category) != (status["kind"], status["category"])
    ):
        migration_status_record(membership=membership, person=person, **status)
    for consent in form.consents():
        consent_record(membership=membership, person=person, **consent)
    return event


def person_exported(*, membership, person: Person, form: str) -> None:
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.person.exported",
        obj=person,
        data={"format": form},
    )


def person_erase(*, membership, person: Person, reason: str) -> dict:
    from incluye.people.rights import person_erase as erase

    if not membership.can("people.erase"):
        raise PermissionDenied
    return erase(person=person, actor=membership.user, organization=membership.organization, reason=reason)


def duplicate_search_request(*, membership):
    """Check the organization's records for duplicates now, in the background (Django's task
    framework): (the search, whether it was started now). One at a time per organization."""
    from incluye.people.models import DuplicateSearch, SearchStatus
    from incluye.people.tasks import search_duplicates

    with transaction.atomic():
        under_way = (
            DuplicateSearch.objects.select_for_update()
            .filter(
                organization_id=membership.organization_id,
                status__in=[SearchStatus.QUEUED, SearchStatus.RUNNING],
            )
            .first()
        )
        if under_way is not None:
            return under_way, False
        search = DuplicateSearch.objects.create(
            country_id=membership.organization.country_id,
            organization_id=membership.organization_id,
            requested_by=membership.user,
        )
        log_action(
            actor=membership.user,
            organization=membership.organization,
            action="incluye.duplicates.search_requested",
            obj=search,
        )
    transaction.on_commit(lambda: search_duplicates.enqueue(search_id=search.pk))
    return search, True


# -- Migration status and documents for foreigners (protection-sensitive) ---------------------------

# Sent after a person's migration status changed (their checklists and matches follow it).
migration_status_changed = Signal()


def _require(membership, permission):
    from django.core.exceptions import PermissionDenied

    if not membership.can(permission):
        raise PermissionDenied


@transaction.atomic
def migration_status_record(
    *,
    membership,
    person: Person,
    kind: str,
    since,
    category: str = "",
    until=None,
    reference: str = "",
    log: bool = True,
) -> MigrationStatus:
    """Record a status from `since`; the status that held until then ends the day before (an
    asylum seeker recognized as refugee stops being an asylum seeker). The log says which record
    changed, never the status itself."""
    _require(membership, "protection.record")
    country = membership.organization.country
    earlier = MigrationStatus.objects.filter(
        person=person, country=country, since__lt=since, until__isnull=True
    ) | MigrationStatus.objects.filter(person=person, country=country, since__lt=since, until__gte=since)
    for previous in earlier:
        previous.until = since - datetime.timedelta(days=1)
        # Versioned: whoever is recording the end of that status by hand is told it changed.
        save_versioned(previous, expected_version=previous.version, fields=["until"])
    status = MigrationStatus.objects.create(
        person=person,
        organization=membership.organization,
        country=country,
        kind=kind,
        category=category if kind == StatusKind.RESIDENT else "",
        since=since,
        until=until,
        reference=reference,
        recorded_by=membership.user,
    )
    if log:
        log_action(
            actor=membership.user,
            organization=membership.organization,
            action="incluye.migration_status.recorded",
            obj=status,
        )
    migration_status_changed.send(sender=MigrationStatus, person=person)
    return status


@transaction.atomic
def migration_status_end(
    *, membership, status: MigrationStatus, until, expected_version=None
) -> MigrationStatus:
    """The status ended (the claim was refused in last instance, the person left)."""
    _require(membership, "protection.record")
    check_current(status, expected_version)
    if until < status.since:
        raise ValidationError(_("A status cannot end before it began."), code="before_start")
    status.until = until
    saved = save_versioned(
        status,
        expected_version=status.version if expected_version is None else expected_version,
        fields=["until"],
    )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.migration_status.ended",
        obj=status,
        data=saved,
    )
    migration_status_changed.send(sender=MigrationStatus, person=status.person)
    return status


@transaction.atomic
def identity_document_set(
    *, membership, person: Person, document_type, number: str, issued_on=None, expires_on=None
) -> IdentityDocument:
    """Record a document, or renew it: one per type, the new number and dates replace the old."""
    if not membership.can("people.correct") and not membership.can("protection.record"):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if is_protected_document(document_type, country_id=person.organization.country_id):
        _require(membership, "protection.record")
    if issued_on and expires_on and expires_on < issued_on:
        raise ValidationError(_("A document cannot expire before it is valid."), code="expires_before")
    document, created = IdentityDocument.objects.get_or_create(
        person=person,
        document_type=document_type,
        defaults={
            "number": document_type.clean_number(number),
            "issued_on": issued_on,
            "expires_on": expires_on,
        },
    )
    if not created:
        document.number = document_type.clean_number(number)
        document.issued_on, document.expires_on = issued_on, expires_on
        document.save()
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.document.recorded" if created else "incluye.document.renewed",
        obj=person,
        data={"document": document.pk},
    )
    return document


def protection_viewed(*, membership, person: Person, shown: list[str]) -> None:
    """A read of protection-sensitive data (which kinds were shown, never their values)."""
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.protection.viewed",
        obj=person,
        data={"shown": sorted(shown)},
    )
