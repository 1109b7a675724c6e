"""Merging records of the same person, and undoing it.

The surviving record takes, field by field, the value the officer chose; the other record's
returns, documents and consents move to it; the merged record stays (pointing at the survivor,
invisible everywhere) so that an administrator can undo the merge exactly.

A group found by the duplicate search is reviewed as a whole: the officer keeps one record, picks
which of the others are the same person, and chooses each differing field's value among them; the
merge is one action (one merge per record, sharing a batch) that an administrator undoes at once.
The records left out are recorded as different people, so the search never groups them again.

A group spanning organizations of one country (`alliance_group_merge`) is merged by an
administrator of one of them: what the other applications hold about the merged records (cases,
handoffs, enrolments…) moves to the surviving record too, which is shared with the other
organizations (a `PersonAccess` grant, reason "merge"); undoing it puts everything back and ends
those grants.
"""

import uuid

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incluye.core.actionlog import log_action
from incluye.core.links import absolute_url
from incluye.people.models import (
    AccessReason,
    Consent,
    DuplicateCandidate,
    DuplicateCluster,
    DuplicateStatus,
    IdentityDocument,
    Person,
    PersonAccess,
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
    "preferred_language",
    "education",
    "household_size",
]


def differing_fields(a: Person, b: Person) -> list[str]:
    return [f for f in MERGE_FIELDS if getattr(a, f) != getattr(b, f)]


def _serializable(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def person_merge(
    *,
    membership,
    survivor: Person,
    merged: Person,
    choices: dict[str, str],
    batch: uuid.UUID | None = None,
    cluster: DuplicateCluster | None = None,
) -> PersonMerge:
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
    moved["access"] = _move_access(merged=merged, survivor=survivor)
    # Everything else that points at the merged record (its migration statuses and household, its
    # cases, referrals, work history…) follows it: nothing is left behind on a record nobody can
    # open any more.
    moved["related"] = _move_related(merged=merged, survivor=survivor)
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
        batch=batch,
        cluster=cluster,
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
    """Put the records back exactly as they were before the merge — every record of a group's
    merge, last merged first — and the group back in the queue."""
    if merge.undone_at:
        raise ValueError("This merge was already undone")
    if merge.batch is None:
        _unmerge_one(membership=membership, merge=merge)
        return
    steps = list(PersonMerge.objects.filter(batch=merge.batch, undone_at__isnull=True).order_by("-pk"))
    for step in steps:
        _unmerge_one(membership=membership, merge=step)
    for step in steps:
        for pk, status in step.moved.get("kept_apart", []):
            if status is None:
                DuplicateCandidate.objects.filter(pk=pk).delete()
            else:
                DuplicateCandidate.objects.filter(pk=pk).update(status=status)
    _end_merge_grants(membership=membership, steps=steps)
    if merge.cluster_id:
        DuplicateCluster.objects.filter(pk=merge.cluster_id).update(
            status=DuplicateStatus.PENDING, reviewed_by=None, reviewed_at=None
        )


def _end_merge_grants(*, membership, steps: list[PersonMerge]) -> None:
    """A merge across organizations shared the surviving record with the other organizations;
    undoing it ends that sharing (each organization has its own record back)."""
    from incluye.people.services import person_access_end

    for step in steps:
        for grant in PersonAccess.objects.filter(
            pk__in=step.moved.get("grants", []), revoked_at__isnull=True
        ).select_related("person", "organization"):
            person_access_end(
                membership=membership,
                person=grant.person,
                organization=grant.organization,
                why="merge_undone",
            )


def _unmerge_one(*, membership, merge: PersonMerge) -> None:
    survivor = Person.objects.select_for_update().get(pk=merge.survivor_id)
    merged = Person.objects.select_for_update().get(pk=merge.merged_id)
    for f, value in merge.previous_survivor_fields.items():
        setattr(survivor, f, Person._meta.get_field(f.removesuffix("_id")).to_python(value))
    survivor.save()
    ReturnEvent.objects.filter(pk__in=merge.moved.get("returns", [])).update(person=merged)
    for related in merge.moved.get("related", []):
        apps.get_model(related["model"])._base_manager.filter(pk__in=related["pks"]).update(
            **{related["field"]: merged}
        )
    IdentityDocument.objects.filter(pk__in=merge.moved.get("documents", [])).update(person=merged)
    Consent.objects.filter(pk__in=merge.moved.get("consents", [])).update(person=merged)
    PersonAccess.objects.filter(pk__in=merge.moved.get("access", [])).update(person=merged)
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


def group_members(cluster: DuplicateCluster) -> list[Person]:
    """The group's records still standing, the first registered first."""
    return list(
        cluster.members.filter(merged_into__isnull=True)
        .select_related("residence", "nationality", "organization")
        .order_by("created_at", "pk")
    )


def _keep_apart(*, membership, a: Person, b: Person, now) -> tuple[int, str | None]:
    """Record that two records are different people: (pair pk, its previous status or None)."""
    first, second = (a, b) if str(a.pk) < str(b.pk) else (b, a)
    pair, created = DuplicateCandidate.objects.get_or_create(
        person_a=first,
        person_b=second,
        defaults={
            "organization_id": first.organization_id,
            "match_weight": 0.0,
            "match_probability": 0.0,
            "status": DuplicateStatus.DISTINCT,
            "reviewed_by": membership.user,
            "reviewed_at": now,
        },
    )
    previous = None if created else pair.status
    if not created:
        pair.status, pair.reviewed_by, pair.reviewed_at = DuplicateStatus.DISTINCT, membership.user, now
        pair.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return pair.pk, previous


@transaction.atomic
def group_merge(
    *, membership, cluster: DuplicateCluster, survivor: Person, same: list[Person], choices: dict[str, str]
) -> list[PersonMerge]:
    """Merge the records `same` of a group into `survivor`, in one action.

    `choices` maps a differing field to the primary key (as a string) of the record whose value
    the survivor keeps (its own when absent). The group's other records are recorded as different
    people from the survivor."""
    members = group_members(cluster)
    by_pk = {str(p.pk): p for p in members}
    if str(survivor.pk) not in by_pk or any(str(p.pk) not in by_pk for p in same):
        raise ValidationError(_("These records are not all in the group any more. Reload the page."))
    same = [p for p in same if p.pk != survivor.pk]
    if not same:
        raise ValidationError(_("Choose at least one other record that is the same person."))
    batch = uuid.uuid4()
    merges = [
        person_merge(
            membership=membership,
            survivor=survivor,
            merged=person,
            choices={field: "b" if choices.get(field) == str(person.pk) else "a" for field in MERGE_FIELDS},
            batch=batch,
            cluster=cluster,
        )
        for person in same
    ]
    now = timezone.now()
    apart = [p for p in members if p.pk != survivor.pk and p not in same]
    kept_apart = [_keep_apart(membership=membership, a=survivor, b=person, now=now) for person in apart]
    merges[0].moved = {**merges[0].moved, "kept_apart": kept_apart}
    merges[0].save(update_fields=["moved"])
    cluster.status, cluster.reviewed_by, cluster.reviewed_at = DuplicateStatus.MERGED, membership.user, now
    cluster.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.duplicates.group_merged",
        obj=survivor,
        data={
            "group": cluster.pk,
            "merged": [str(p.pk) for p in same],
            "kept_apart": [str(p.pk) for p in apart],
        },
    )
    return merges


@transaction.atomic
def group_distinct(*, membership, cluster: DuplicateCluster) -> None:
    """Every record of the group is a different person: the search never groups them again."""
    members = group_members(cluster)
    now = timezone.now()
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            _keep_apart(membership=membership, a=a, b=b, now=now)
    cluster.status, cluster.reviewed_by, cluster.reviewed_at = DuplicateStatus.DISTINCT, membership.user, now
    cluster.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.duplicates.reviewed",
        obj=cluster,
        data={"decision": "distinct", "records": len(members)},
    )


@transaction.atomic
def alliance_group_merge(
    *, membership, cluster: DuplicateCluster, survivor: Person, same: list[Person], choices: dict[str, str]
) -> list[PersonMerge]:
    """Merge a group spanning organizations of one country (`group_merge`), then share the surviving
    record with every other organization whose record was merged into it (a `PersonAccess` grant,
    reason "merge"), so that its cases, referrals and work with the person go on; undoing the merge
    ends those grants. Refused when the person's consent does not allow sharing with the alliance."""
    from incluye.people.services import person_access_grant

    if cluster.organization_id is not None:
        raise ValueError("Not a group spanning organizations")
    merges = group_merge(
        membership=membership, cluster=cluster, survivor=survivor, same=same, choices=choices
    )
    survivor.refresh_from_db()
    others = {m.merged.organization for m in merges if m.merged.organization_id != survivor.organization_id}
    grants = []
    for organization in sorted(others, key=lambda o: o.pk):
        existed = PersonAccess.objects.filter(
            person=survivor, organization=organization, revoked_at__isnull=True
        ).exists()
        try:
            grant = person_access_grant(
                membership=membership, person=survivor, organization=organization, reason=AccessReason.MERGE
            )
        except PermissionDenied:
            raise ValidationError(
                _("The person's consent does not allow sharing the record with the other organization.")
            ) from None
        if not existed:  # a sharing that was there before the merge outlives its undoing
            grants.append(grant.pk)
    merges[0].moved = {**merges[0].moved, "grants": grants}
    merges[0].save(update_fields=["moved"])
    _notify_merge(membership=membership, organizations={survivor.organization, *others})
    return merges


# Relations to `Person` that stay on the merged record, and why. Every other relation follows the
# surviving record (`_move_related`) or has its own rule in `person_merge` (`OWN_RULE`); a test walks
# every model so that a new relation is one or the other.
STAYS = {
    "people.Person.merged_into": "the merge itself: it is what points the merged record at the survivor",
    "people.DuplicateCluster.members": "the group found alike keeps the records it grouped",
    "people.DuplicateCluster_members.person": "the same, through its table",
    "people.DuplicateCandidate.person_a": "the pair found alike names the records compared",
    "people.DuplicateCandidate.person_b": "the pair found alike names the records compared",
    "people.PersonMerge.survivor": "the record of the merge, for its undo",
    "people.PersonMerge.merged": "the record of the merge, for its undo",
}
OWN_RULE = {
    "people.ReturnEvent.person",
    "people.IdentityDocument.person",  # one document per type: the survivor's own stays first
    "people.Consent.person",
    "people.PersonAccess.person",  # `_move_access`: never a wider access than before
}


def relation_key(field) -> str:
    """`app.Model.field` of a field pointing at `Person`."""
    return f"{field.model._meta.label}.{field.name}"


def moving_relations() -> list:
    """The foreign keys (and one-to-one keys) to `Person` that `_move_related` moves."""
    return [
        relation.field
        for relation in Person._meta.get_fields(include_hidden=True)
        if relation.auto_created
        and (relation.one_to_many or relation.one_to_one)
        and relation_key(relation.field) not in STAYS
        and relation_key(relation.field) not in OWN_RULE
    ]


def _move_access(*, merged: Person, survivor: Person) -> list[int]:
    """Another organization's sharing of the merged record moves to the surviving record, as it was
    (same reason, same expiry), so that its work with the person goes on. Nobody's access grows: an
    organization that already shares the surviving record keeps that sharing as it is (the merged
    record's stays behind), the surviving record's own organization needs none, and an ended
    sharing stays where it ended. Recorded for the undo."""
    already = PersonAccess.objects.filter(person=survivor, revoked_at__isnull=True).values("organization")
    grants = (
        PersonAccess.objects.filter(person=merged, revoked_at__isnull=True)
        .exclude(organization_id=survivor.organization_id)
        .exclude(organization__in=already)
    )
    pks = list(grants.values_list("pk", flat=True))
    PersonAccess.objects.filter(pk__in=pks).update(person=survivor)
    return pks


def _move_related(*, merged: Person, survivor: Person) -> list[dict]:
    """Move what points at the merged record — the registry's migration statuses, households and
    imported submissions, the other applications' cases, handoffs, transfers, enrolments,
    applications… — to the surviving record, so that the organization that holds them keeps
    reaching them; recorded for the undo. Rows a constraint keeps on the merged record (both
    records applied to one vacancy, say, or each has its availability) stay there."""
    moved = []
    for relation in moving_relations():
        model, field = relation.model, relation.name
        pks = [str(pk) for pk in model._base_manager.filter(**{field: merged}).values_list("pk", flat=True)]
        if not pks:
            continue
        try:
            with transaction.atomic():
                model._base_manager.filter(pk__in=pks).update(**{field: survivor})
        except IntegrityError:
            continue
        moved.append({"model": model._meta.label, "field": field, "pks": pks})
    return moved


def _notify_merge(*, membership, organizations) -> None:
    """Tell the administrators of the other organizations involved (no personal data)."""

    from incluye.accounts.selectors import members_who_can
    from incluye.core.notify import notify_on_commit

    link = absolute_url("people:duplicates")
    for organization in organizations:
        if organization.pk == membership.organization_id:
            continue
        notify_on_commit(
            to_users=list(
                members_who_can(organization=organization, permission="duplicates.review_alliance")
            ),
            template="people/email/alliance_merge",
            context={"organization": membership.organization.name, "link": link},
        )
