"""Stage 5, import: the checked submissions are written in one transaction, all or nothing. A
submission already imported (its `_uuid`, whatever the reference or the row) is skipped; a person
already in the organization's registry (same identity number) gets a new return, not a second
record; family members of a repeat group become the household of the arrival."""

import datetime

from django.utils import timezone

from incluye.core.crypto import blind_index
from incluye.core.db import insert_many
from incluye.core.models import IdDocumentType
from incluye.core.text import fold
from incluye.people.forms import document_key
from incluye.people.models import (
    URGENT_NEEDS,
    Consent,
    Household,
    HouseholdMember,
    IdentityDocument,
    ImportedSubmission,
    MigrationStatus,
    Person,
    Relationship,
    ReturnEvent,
)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_rows(manifest, rows: list[dict], actor) -> dict:
    organization = manifest.organization
    served = organization.country_id
    wanted = {t for r in rows for t, _n in r["documents"]}
    types = {
        key: t
        for t in IdDocumentType.objects.filter(
            country_id__in={served} | {k.split(":", 1)[0] for k in wanted if ":" in k}
        )
        if (key := document_key(t, served)) in wanted or t.country_id == served
    }
    keys = [r["key"] for r in rows]
    done = set()
    for chunk in _chunks(keys, 5000):
        done |= set(
            ImportedSubmission.objects.filter(organization=organization, key__in=chunk).values_list(
                "key", flat=True
            )
        )
    pending = [r for r in rows if r["key"] not in done]
    # People already in the organization's registry (same identity number) get a new return.
    numbers = {n for r in pending for _t, n in r["documents"]}
    known = {}
    for chunk in _chunks(sorted(numbers), 5000):
        for country, code, number, person_id in IdentityDocument.objects.filter(
            number_hash__in=[blind_index(n) for n in chunk],
            person__organization=organization,
            person__merged_into__isnull=True,
        ).values_list("document_type__country_id", "document_type__code", "number", "person_id"):
            known[(code if country == served else f"{country}:{code}", number)] = person_id
    households = _households_of(
        organization, {known[k] for r in pending for k in map(tuple, r["documents"]) if k in known}
    )
    people, documents, returns, consents, submissions, statuses = [], [], [], [], [], []
    declared = []
    new_households, members = [], []
    attached = 0
    now = timezone.now()
    for row in pending:
        person_id = next((known[(t, n)] for t, n in row["documents"] if (t, n) in known), None)
        if person_id is None:
            person = Person(organization=organization, created_by=actor, **row["person"])
            person.refresh_name_key()
            people.append(person)
            documents += [
                IdentityDocument(
                    person=person,
                    document_type=types[t],
                    number=n,
                    expires_on=row.get("document_expires_on") if types[t].has_expiry else None,
                )
                for t, n in row["documents"]
            ]
            if row.get("status"):  # an arrival's declared status
                statuses.append(
                    MigrationStatus(
                        person=person,
                        organization=organization,
                        country_id=served,
                        recorded_by=actor,
                        **row["status"],
                    )
                )
            for t, n in row["documents"]:
                known[(t, n)] = person.pk  # the same person twice in one file is one person
            person_id = person.pk
        else:
            attached += 1
            if row.get("status"):  # a person already known: the status is added to her history
                declared.append((person_id, row["status"]))
        event = ReturnEvent(
            person_id=person_id,
            organization=organization,
            created_by=actor,
            manifest=manifest,
            manifest_reference=manifest.reference,
            manifest_row=row["row"],
            **row["return"],
        )
        event.is_urgent = bool(URGENT_NEEDS & set(event.vulnerabilities))
        returns.append(event)
        consents += [
            Consent(person_id=person_id, recorded_by=actor, organization=organization, **consent)
            for consent in row["consents"]
        ]
        submissions.append(
            ImportedSubmission(
                organization=organization,
                key=row["key"],
                form_key=row["form_key"],
                submitted_at=_moment(row["submitted_at"]),
                fingerprint=row["fingerprint"],
                field_hashes=row["field_hashes"],
                person_id=person_id,
                return_event_id=event.pk,
                manifest=manifest,
                created_at=now,
            )
        )
        if row["members"]:
            household = households.get(person_id)
            listed = set()
            if household is None:
                household = households[person_id] = Household(organization=organization, created_at=now)
                new_households.append(household)
                members.append(
                    HouseholdMember(
                        household=household,
                        person_id=person_id,
                        relationship=Relationship.HEAD,
                        arrived_with=event,
                        created_at=now,
                    )
                )
            else:
                listed = household.listed
            for member in row["members"]:
                marker = (fold(member["name"]), member["birth_date"] or "")
                if marker in listed:
                    continue
                listed.add(marker)
                members.append(
                    HouseholdMember(
                        household=household,
                        listed_by_id=person_id,
                        name=member["name"],
                        relationship=member["relationship"],
                        birth_date=member["birth_date"],
                        arrived_with=event,
                        created_at=now,
                    )
                )
    insert_many(Person, people)
    insert_many(IdentityDocument, documents)
    insert_many(ReturnEvent, returns)
    statuses += _statuses_of_known_people(organization, served, actor, declared)
    insert_many(MigrationStatus, statuses)
    insert_many(Consent, consents)
    insert_many(ImportedSubmission, submissions)
    insert_many(Household, new_households)
    insert_many(HouseholdMember, members)
    if attached:
        Person.objects.filter(pk__in={r.person_id for r in returns}).update(updated_at=now)
    return {
        "created": len(people),
        "attached": attached,
        "skipped": len(rows) - len(pending),
        "statuses": len(statuses),
        "households": len({m.household_id for m in members}),
        "family_members": sum(1 for m in members if m.person_id is None),
    }


def _day(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _statuses_of_known_people(organization, served, actor, declared) -> list:
    """The statuses declared for people already registered, fitted into each one's history as the
    intake does (`migration_status_record`): a status already recorded (same kind, same start) is
    not recorded twice; one that starts later ends the status open before it; one that starts
    before a recorded status ends the day before that one begins."""
    if not declared:
        return []
    history: dict = {}
    for status in MigrationStatus.objects.filter(
        person_id__in={pk for pk, _ in declared}, country_id=served
    ).order_by("since"):
        history.setdefault(status.person_id, []).append(status)
    new = []
    for person_id, fields in declared:
        since = _day(fields["since"])
        known = history.setdefault(person_id, [])
        if any(s.kind == fields["kind"] and _day(s.since) == since for s in known):
            continue
        for earlier in known:
            if _day(earlier.since) < since and (earlier.until is None or _day(earlier.until) >= since):
                earlier.until = since - datetime.timedelta(days=1)
                if earlier.pk and not earlier._state.adding:
                    earlier.save(update_fields=["until", "updated_at"])
        later = [_day(s.since) for s in known if _day(s.since) > since]
        status = MigrationStatus(
            person_id=person_id,
            organization=organization,
            country_id=served,
            recorded_by=actor,
            **{**fields, "since": since},
        )
        if later:
            status.until = min(later) - datetime.timedelta(days=1)
        known.append(status)
        new.append(status)
    return new


def _households_of(organization, person_ids: set) -> dict:
    """The households the people already belong to, with who is listed in them (name, birth date)."""
    found = {}
    for membership in HouseholdMember.objects.filter(
        person_id__in=person_ids, household__organization=organization
    ).select_related("household"):
        household = membership.household
        household.listed = {
            (fold(m.name), m.birth_date.isoformat() if m.birth_date else "")
            for m in household.members.filter(person__isnull=True)
        }
        found[membership.person_id] = household
    return found


def _moment(value):
    if not value:
        return None
    from incluye.people.imports.check import _moment as parse

    return parse(value)
