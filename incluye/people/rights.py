"""Rights of the person: everything held about them (JSON and a PDF summary), and erasure by
anonymization, on request or when the retention period ends, that keeps anonymous indicators
intact (a case still counts in its phase; a screening still counts, without its answers).

What is "held about a person" is found, not listed: every record that depends on the person
(Django's deletion collector walks the foreign keys, whatever app added them), plus the action-log
entries about them. What erasure does to each kind of record is listed, though: `ERASURE` says, per
model, whether the record is deleted or which of its fields are wiped. A test fails when a model that
depends on a person has no entry, so a new app cannot forget its personal data.
"""

import datetime
import json

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import FileField
from django.utils import timezone

from incluye.core.actionlog import log_action
from incluye.people.models import Person

DELETE = "delete"
# A record depends on the person when its foreign key to them (or to such a record) cascades or
# protects; SET_NULL links (who created a record, which organization) are not the person's data.
DEPENDENT = (models.CASCADE, models.PROTECT)
# model label → DELETE, or the fields to wipe (set to their empty value: "", {}, [] or None).
ERASURE: dict[str, str | tuple[str, ...]] = {
    "people.IdentityDocument": DELETE,
    "people.ReturnEvent": ("transport_reference", "reception_point", "manifest_reference"),
    # The kind and dates of a status stay for anonymous counts by population; the file number goes.
    "people.MigrationStatus": ("reference",),
    "people.Consent": ("witness",),
    "people.DuplicateCandidate": DELETE,
    "people.PersonMerge": DELETE,
    "people.PersonAccess": DELETE,
    # Family members listed at the person's arrival, and the person's own place in the household.
    "people.HouseholdMember": DELETE,
    # Which KoboToolbox submission the person came from (the uuid stays, so that a later import of
    # the same submission does not bring the person back); fingerprints of the values go.
    "people.ImportedSubmission": ("fingerprint", "field_hashes"),
    "cases.Case": ("closure_outcome",),
    "cases.CaseStageChange": ("note",),
    "cases.CaseNote": DELETE,
    "cases.Task": DELETE,
    "cases.CaseDocument": ("appointment_place",),
    "cases.DocumentScan": DELETE,
    "cases.Screening": ("answers",),
    "cases.FollowUp": ("answers",),
    "cases.Goal": ("title",),
    "referrals.Referral": ("given_names", "surnames", "phone", "reason", "decline_reason", "outcome"),
    "skills.WorkExperience": ("job_title", "employer", "city", "region", "tasks", "tools"),
    "skills.SkillsProfile": ("summary", "snapshot"),
    "skills.ProfileOccupation": (),
    "skills.ForeignQualification": ("title", "institution", "outcome"),
    # A story is the person's own words and photo: it goes entirely.
    "impact.Story": DELETE,
}
# Person fields kept for anonymous indicators: sex, birth year (the date becomes 1 January),
# nationality, municipality of residence, education, household size, organization, dates.
PERSON_WIPED = ("given_names", "first_surname", "second_surname", "preferred_name", "phone", "email")


def register_erasure(policies: dict) -> None:
    """For apps: how erasure treats their models that depend on a person."""
    ERASURE.update(policies)


# The copy of a person's data follows the same field rules as the pages. Each app registers, per
# model label, a function `(record, membership) -> fields withheld` (a set of field names, or
# WITHHOLD_ALL): what the exporting membership could not read on the pages is not in its copy.
# (Psychosocial notes and screenings: only the case's psychosocial professionals read them, so
# only they produce the person's copy of that content.)
WITHHOLD_ALL = "__all__"
EXPORT_RULES: dict = {}


def register_export_rules(rules: dict) -> None:
    EXPORT_RULES.update(rules)


def _apply_rules(label: str, obj, item: dict, membership) -> dict:
    rule = EXPORT_RULES.get(label)
    withheld = rule(obj, membership) if rule else set()
    if not withheld:
        return item
    if withheld == WITHHOLD_ALL:
        return {"id": item["id"], "withheld": True}
    return {**{k: (None if k in withheld else v) for k, v in item.items()}, "withheld": sorted(withheld)}


def held_records(person: Person) -> list:
    """Every record that depends on the person: the records whose foreign key to the person (or to
    such a record) cascades or protects, found level by level, one query per relation and level."""
    found: dict[tuple[str, object], object] = {}
    level = {Person: [person.pk]}
    while level:
        following: dict = {}
        for model, pks in level.items():
            for relation in model._meta.related_objects:
                if relation.many_to_many or relation.on_delete not in DEPENDENT:
                    continue
                related = relation.related_model
                for obj in related._base_manager.filter(**{f"{relation.field.name}__in": pks}):
                    key = (related._meta.label, obj.pk)
                    if key not in found:
                        found[key] = obj
                        following.setdefault(related, []).append(obj.pk)
        level = following
    return list(found.values())


def person_export(person: Person, *, membership) -> dict:
    """Everything held about the person that `membership` may read, as JSON-ready data. Records or
    fields its role may not read on the pages are marked `withheld` (their count is in
    `withheld`): psychosocial staff produce the person's copy of psychosocial content."""
    from incluye.core.models import ActionLogEntry

    records = held_records(person)
    by_model: dict[str, list] = {}
    for obj in records:
        by_model.setdefault(obj._meta.label, []).append(obj)
    exported: dict[str, list] = {}
    withheld: dict[str, int] = {}
    for label, objs in sorted(by_model.items()):
        objs = sorted(objs, key=lambda o: str(o.pk))
        items = []
        for obj, item in zip(objs, serializers.serialize("python", objs), strict=True):
            item = _apply_rules(label, obj, {"id": str(item["pk"]), **item["fields"]}, membership)
            if "withheld" in item:
                withheld[label] = withheld.get(label, 0) + 1
            items.append(item)
        exported[label] = items
    data = {
        "exported_at": timezone.now().isoformat(),
        "exported_by": {"organization": str(membership.organization), "role": membership.role},
        "person": serializers.serialize("python", [person])[0]["fields"] | {"id": str(person.pk)},
        "records": exported,
        "withheld": withheld,
        "access_log": [
            {
                "when": entry.created_at.isoformat(),
                "who": str(entry.actor) if entry.actor else None,
                "organization": str(entry.organization) if entry.organization else None,
                "what": entry.display,
            }
            for entry in ActionLogEntry.objects.filter(person_id=person.pk).select_related(
                "actor", "organization"
            )
        ],
    }
    # Protection-sensitive data (migration status, nationality, an arrival's origin, documents for
    # foreigners) follows the pages' rule too: only roles with `protection.view` read it.
    from incluye.people.protection import withhold_protected

    data = withhold_protected(data, person=person, membership=membership)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def export_summary(data: dict) -> list[tuple[str, int]]:
    """(kind of record, how many) for the PDF summary, in the reader's language."""
    from django.apps import apps

    out = []
    for label, items in data["records"].items():
        model = apps.get_model(label)
        out.append((str(model._meta.verbose_name_plural).capitalize(), len(items)))
    return out


def withheld_summary(data: dict) -> list[tuple[str, int]]:
    """(kind of record, how many) of what this copy leaves out, for the PDF."""
    from django.apps import apps

    return [
        (str(apps.get_model(label)._meta.verbose_name_plural).capitalize(), count)
        for label, count in data.get("withheld", {}).items()
    ]


def render_export_pdf(person: Person, data: dict) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(
        "people/person_export_pdf.html",
        {"person": person, "data": data, "summary": export_summary(data), "withheld": withheld_summary(data)},
    )
    return HTML(string=html).write_pdf()


class ErasurePolicyMissing(Exception):
    pass


def _empty(field):
    if field.get_internal_type() == "JSONField":
        return field.default() if field.has_default() and callable(field.default) else {}
    if field.null:
        return None
    return ""


@transaction.atomic
def person_erase(*, person: Person, actor=None, organization=None, reason: str) -> dict:
    """Anonymize the person and everything held about them. Returns counts per model."""
    if person.erased_at:
        return {}
    records = held_records(person)
    missing = sorted({obj._meta.label for obj in records} - set(ERASURE))
    if missing:
        raise ErasurePolicyMissing(f"No erasure policy for: {', '.join(missing)}")
    counts: dict[str, int] = {}
    for obj in records:
        policy = ERASURE[obj._meta.label]
        counts[obj._meta.label] = counts.get(obj._meta.label, 0) + 1
        if policy == DELETE:
            for field in obj._meta.concrete_fields:
                if isinstance(field, FileField) and getattr(obj, field.name):
                    getattr(obj, field.name).delete(save=False)
            type(obj).objects.filter(pk=obj.pk).delete()
        elif policy:
            values = {name: _empty(obj._meta.get_field(name)) for name in policy}
            type(obj).objects.filter(pk=obj.pk).update(**values)
    for name in PERSON_WIPED:
        setattr(person, name, "")
    person.given_names = "—"
    if person.birth_date:
        person.birth_date = datetime.date(person.birth_date.year, 1, 1)
        person.birth_date_precision = "year"
    person.languages = []
    person.preferred_language = ""
    person.erased_at = timezone.now()
    person.save()
    log_action(
        actor=actor,
        organization=organization,
        action="incluye.person.erased",
        obj=person,
        data={"reason": reason, "records": counts},
    )
    return counts


def due_for_retention(*, years: int, today=None):
    """People with no activity for `years` and no open case: erased by `apply_retention`."""
    from django.db.models import Exists, OuterRef

    from incluye.cases.models import Case
    from incluye.core.dates import add_months
    from incluye.people.models import ReturnEvent

    today = today or timezone.localdate()
    cutoff = add_months(today, -12 * years)
    cases = Case.objects.filter(person=OuterRef("pk"))
    return (
        Person.objects.filter(erased_at__isnull=True, merged_into__isnull=True, updated_at__date__lt=cutoff)
        .exclude(Exists(ReturnEvent.objects.filter(person=OuterRef("pk"), created_at__date__gte=cutoff)))
        .exclude(Exists(cases.filter(updated_at__date__gte=cutoff)))
        .exclude(Exists(cases.filter(closed_at__isnull=True)))
    )
