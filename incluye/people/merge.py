"""Merging two records of the same person, and undoing it.

The surviving record takes, field by field, the value the officer chose; the other record's
returns, documents and consents move to it; the merged record stays (pointing at the survivor,
invisible everywhere) so that an administrator can undo the merge exactly.
"""

from django.db import transaction
from django.utils import timezone

from incluye.core.actionlog import log_action
from incluye.people.models import (
    Consent,
    DuplicateCandidate,
    DuplicateStatus,
    IdentityDocument,
    Person,
    PersonMerge,
    ReturnEvent,
)

MERGE_FIELDS = [
    "given_names",
    "first_surname",
    "second_surname",
    "preferred_name",
    "sex",
    "birth_date",
    "birth_date_precision",
    "phone",
    "email",
    "residence_id",
    "languages",
    "education",
    "household_size",
]


def differing_fields(a: Person, b: Person) -> list[str]:
    return [f for f in MERGE_FIELDS if getattr(a, f) != getattr(b, f)]


def _serializable(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def person_merge(*, membership, survivor: Person, merged: Person, choices: dict[str, str]) -> PersonMerge:
    """`choices` maps a differing field to "a" (keep the survivor's value) or "b" (take the other's)."""
    if survivor.pk == merged.pk or merged.merged_into_id or survivor.merged_into_id:
        raise ValueError("Both records must be distinct and not merged already")
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    previous = {f: _serializable(getattr(survivor, f)) for f in MERGE_FIELDS}
    differing = differing_fields(survivor, merged)
    taken = [f for f in differing if choices.get(f) == "b"]
    for f in taken:
        setattr(survivor, f, getattr(merged, f))
    survivor.save()
    # A document of a type the survivor already has stays on the merged record (one per type).
    documents = IdentityDocument.objects.filter(person=merged).exclude(
        document_type__in=IdentityDocument.objects.filter(person=survivor).values("document_type")
    )
    moved = {
        "returns": [str(pk) for pk in ReturnEvent.objects.filter(person=merged).values_list("pk", flat=True)],
        "documents": list(documents.values_list("pk", flat=True)),
        "consents": list(Consent.objects.filter(person=merged).values_list("pk", flat=True)),
    }
    ReturnEvent.objects.filter(pk__in=moved["returns"]).update(person=survivor)
    IdentityDocument.objects.filter(pk__in=moved["documents"]).update(person=survivor)
    Consent.objects.filter(pk__in=moved["consents"]).update(person=survivor)
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into", "updated_at"])
    DuplicateCandidate.objects.filter(
        person_a__in=[survivor, merged], person_b__in=[survivor, merged]
    ).update(status=DuplicateStatus.MERGED, reviewed_by=membership.user, reviewed_at=timezone.now())
    record = PersonMerge.objects.create(
        survivor=survivor,
        merged=merged,
        organization=membership.organization,
        field_choices={f: choices.get(f, "a") for f in differing},
        previous_survivor_fields=previous,
        moved=moved,
        performed_by=membership.user,
    )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.person.merged",
        obj=survivor,
        data={
            "merged": str(merged.pk),
            "fields_taken": taken,
            "moved": {k: len(v) for k, v in moved.items()},
        },
    )
    return record


@transaction.atomic
def person_unmerge(*, membership, merge: PersonMerge) -> None:
    """Put both records back exactly as they were before the merge."""
    if merge.undone_at:
        raise ValueError("This merge was already undone")
    survivor = Person.objects.select_for_update().get(pk=merge.survivor_id)
    merged = Person.objects.select_for_update().get(pk=merge.merged_id)
    for f, value in merge.previous_survivor_fields.items():
        setattr(survivor, f, Person._meta.get_field(f.removesuffix("_id")).to_python(value))
    survivor.save()
    ReturnEvent.objects.filter(pk__in=merge.moved.get("returns", [])).update(person=merged)
    IdentityDocument.objects.filter(pk__in=merge.moved.get("documents", [])).update(person=merged)
    Consent.objects.filter(pk__in=merge.moved.get("consents", [])).update(person=merged)
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    DuplicateCandidate.objects.filter(
        person_a__in=[survivor, merged], person_b__in=[survivor, merged]
    ).update(status=DuplicateStatus.PENDING, reviewed_by=None, reviewed_at=None)
    merge.undone_at, merge.undone_by = timezone.now(), membership.user
    merge.save(update_fields=["undone_at", "undone_by"])
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.person.unmerged",
        obj=survivor,
        data={"merged": str(merged.pk), "merge": merge.pk},
    )
