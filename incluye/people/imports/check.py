"""Stage 4, check: every row becomes the data of an `IntakeForm` (the desk's own rules and messages),
every family member of a repeat group is checked too, and each submission is compared with what was
imported before, by its identity (`_uuid`): new, already imported, edited since, or missing from the
export (deleted in KoboToolbox). Nothing is written here."""

import datetime
import functools
import hashlib
import json
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from incluye.core.models import IdDocumentType
from incluye.core.selectors import country_code
from incluye.core.text import word_key
from incluye.people.forms import DATE_INPUT_FORMATS, NATIONALITY_PASSPORT, IntakeForm, document_key
from incluye.people.imports.base import ManifestFileError, Source, Table
from incluye.people.imports.columns import IGNORE, Recognizer, TablePlan, column_key, plan_table, selected
from incluye.people.imports.fields import (
    CHOICE,
    DATE,
    MULTIPLE,
    MUNICIPALITY,
    YES_NO,
    ImportKind,
)
from incluye.people.imports.values import ValueMapper, form_choice_labels, place_key
from incluye.people.models import ImportedSubmission, Relationship

PROGRESS_EVERY = 1000
STORED_ERRORS = 500
ERRORS_PER_PROBLEM = 20
UNKNOWN_VALUES_PER_FIELD = 60
REVIEW_LIMIT = 200
ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")


class ErrorLog:
    """Every problem is counted; the first ones are kept, a few of each kind, with a summary by kind
    ("and 999 950 more rows with the same problem"): a million bad rows never make a million
    stored errors."""

    def __init__(self, limit: int = STORED_ERRORS, per_problem: int = ERRORS_PER_PROBLEM):
        self.limit, self.per_problem = limit, per_problem
        self.entries: list[dict] = []
        self.count = 0
        self.problems: dict[tuple, dict] = {}

    def add(self, row: int, column: str, message: str, code: str = "", sheet: str = "") -> None:
        self.count += 1
        key = (sheet, column, code or message)
        problem = self.problems.get(key)
        if problem is None:
            if len(self.problems) >= 1000:  # a summary of a thousand kinds is summary enough
                key = ("", "", "…")
                problem = self.problems.setdefault(
                    key,
                    {
                        "sheet": "",
                        "column": "",
                        "message": _("Other problems"),
                        "count": 0,
                        "kept": 0,
                        "rows": [],
                    },
                )
            else:
                problem = self.problems[key] = {
                    "sheet": sheet,
                    "column": column,
                    "message": message,
                    "count": 0,
                    "kept": 0,
                    "rows": [],
                }
        problem["count"] += 1
        if len(problem["rows"]) < 5:
            problem["rows"].append(row)
        if problem["count"] <= self.per_problem and len(self.entries) < self.limit:
            entry = {"row": row, "column": column, "message": message}
            if sheet:
                entry["sheet"] = sheet
            self.entries.append(entry)
            problem["kept"] += 1

    def summary(self) -> list[dict]:
        return sorted(self.problems.values(), key=lambda p: -p["count"])[:50]

    def __bool__(self):
        return self.count > 0


@dataclass
class Checked:
    """One submission that passed the check, in what the import needs (JSON-ready)."""

    row: int
    data: dict


@dataclass
class Result:
    errors: ErrorLog = field(default_factory=ErrorLog)
    valid: list[Checked] = field(default_factory=list)
    new: list[Checked] = field(default_factory=list)
    known: int = 0
    changed: list[dict] = field(default_factory=list)
    deleted: list[dict] = field(default_factory=list)
    unknown_values: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)
    preview: list[dict] = field(default_factory=list)
    households: int = 0


class Check:
    """Checks one source for one manifest (its organization, default arrival date, mode…)."""

    def __init__(self, manifest, source: Source, kind: ImportKind, mapping=None):
        self.manifest = manifest
        self.organization = manifest.organization
        self.country = self.organization.country_id
        self.source = source
        self.kind = kind
        self.fields = kind.by_name()
        saved_columns = mapping.columns if mapping else {}
        self.recognizer = Recognizer(kind.fields)
        self.member_recognizer = Recognizer(kind.member_fields)
        self.plan = plan_table(source.main, self.recognizer, saved_columns)
        self.members_plan, self.other_tables = self._household_plan(saved_columns)
        self.values = ValueMapper(
            self.fields,
            country=self.country,
            mapped=mapping.values if mapping else {},
            form_labels=self._form_labels(),
        )
        self.document_types = {
            t.code: t
            for t in IdDocumentType.objects.filter(country_id=self.country).select_related("country")
        }
        self.document_names = {}
        for code, doc_type in self.document_types.items():
            for text in (code, *doc_type.names.values()):
                self.document_names.setdefault(word_key(text), code)
        self.national_type = next((c for c, t in self.document_types.items() if t.is_national_id), "")
        self.foreign = kind.name != "arrivals"
        if self.foreign:
            # Foreigners arriving hold the country's documents for foreigners and those of their
            # own country ("cédula" is the cédula of the row's nationality, not the country's);
            # a number without a type is their passport.
            self.document_names = {}
            for code, doc_type in self.document_types.items():
                if doc_type.for_foreigners:
                    for text in (code, *doc_type.names.values()):
                        self.document_names.setdefault(word_key(text), code)
            for origin in IdDocumentType.objects.exclude(country_id=self.country):
                for text in (origin.code, *origin.names.values()):
                    self.document_names.setdefault(word_key(text), f"*:{origin.code}")
            self.national_type = NATIONALITY_PASSPORT
        places = self.values.places
        self.residence_ids = dict(
            self.organization.country.divisions.filter(level=places.deepest).values_list("code", "id")
        )
        self.template = IntakeForm(
            organization=self.organization,
            division_codes=frozenset(places.by_code),
            residence_ids=self.residence_ids,
            document_types=self.document_types,
        )
        self.columns = self.plan.by_field()
        self.meta = {column_key(c.header): c.position for c in self.plan.columns if c.how == "meta"}
        self.result = Result()

    # -- columns ---------------------------------------------------------------------------------
    def _household_plan(self, saved: dict) -> tuple[TablePlan | None, list[Table]]:
        best, best_score, others = None, 0, []
        for table in self.source.repeats:
            plan = plan_table(table, self.member_recognizer, saved)
            score = len(plan.by_field())
            if score > best_score:
                if best is not None:
                    others.append(best.table)
                best, best_score = plan, score
            else:
                others.append(table)
        return best, [t for t in others if t.rows]

    def _form_labels(self) -> dict:
        if not self.source.form:
            return {}
        labels = {}
        for question, choices in form_choice_labels(self.source.form).items():
            name = self.recognizer.named(question) or self.member_recognizer.named(question)
            if name:
                labels[name] = choices
        return labels

    def missing(self) -> list[str]:
        missing = []
        if "given_names" not in self.columns:
            missing.append(str(self.fields["given_names"].label))
        if "first_surname" not in self.columns and "second_surname" not in self.columns:
            missing.append(str(self.fields["first_surname"].label))
        return missing

    def columns_report(self) -> dict:
        tables = [self.plan.report(self.fields)]
        if self.members_plan:
            tables.append({**self.members_plan.report(self.fields), "members": True})
        return {
            "tables": tables,
            "other_sheets": [{"name": t.name, "rows": len(t.rows)} for t in self.other_tables],
            "unknown_values": self.result.unknown_values,
            "unrecognised": sum(len(p.unknown_with_data()) for p in self._plans()),
            "hxl": bool(self.source.main.tags),
            "form_version": form_version(self.source),
        }

    def _plans(self):
        return [self.plan] + ([self.members_plan] if self.members_plan else [])

    # -- values ----------------------------------------------------------------------------------
    def _value(self, row: list[str], name: str) -> tuple[str, str]:
        for column in self.columns.get(name, []):
            if not column.choice and column.how != "covered":
                return row[column.position], column.header
        return "", ""

    def _meta(self, row: list[str], *names: str) -> str:
        for name in names:
            position = self.meta.get(name)
            if position is not None and row[position]:
                return row[position]
        return ""

    def _unknown(
        self, field_name: str, value: str, row: int, header: str, department: str = "", message: str = ""
    ) -> None:
        field_def = self.fields[field_name]
        known = self.result.unknown_values.setdefault(field_name, {})
        key = place_key(value, department) if field_def.kind == MUNICIPALITY else word_key(value)
        entry = known.get(key)
        if entry is None and len(known) < UNKNOWN_VALUES_PER_FIELD:
            entry = known[key] = {"value": value, "department": department, "count": 0, "rows": []}
        if entry is not None:
            entry["count"] += 1
            if len(entry["rows"]) < 5:
                entry["rows"].append(row)
        self.result.errors.add(
            row,
            header,
            message
            or _("“%(value)s” is not one of the options of “%(field)s”: map the value to one of them.")
            % {"value": value, "field": field_def.label},
            code=f"unknown:{field_name}",
        )

    def _choice(self, name: str, row: list[str], number: int) -> str:
        value, header = self._value(row, name)
        if not value:
            return ""
        code = self.values.choices[name].one(value)
        if code is None:
            self._unknown(name, value, number, header)
            return ""
        return code

    def _many(self, name: str, row: list[str], number: int) -> list[str]:
        codes: list[str] = []
        value, header = self._value(row, name)
        choices = self.values.choices[name]
        if value:
            found, unknown = choices.many(value)
            codes += found
            for part in unknown:
                self._unknown(name, part, number, header)
        for column in self.columns.get(name, []):
            if column.choice and column.how != "covered" and selected(row[column.position]):
                code = choices.one(column.choice)
                if code is None:
                    self._unknown(name, column.choice, number, column.header)
                elif code and code not in codes:
                    codes.append(code)
        return codes

    def _date(self, value: str) -> str:
        match = ISO_DATETIME.match(value)
        return match.group(1) if match else value

    def form_data(self, row: list[str], number: int) -> tuple[dict, list[str]]:
        """The IntakeForm's data for a row, and the consent purposes the row explicitly refused."""
        data: dict = {}
        refused: list[str] = []
        for name, field_def in self.fields.items():
            if name.startswith("member_") or name in ("department", "residence", "document_type"):
                continue
            if field_def.kind == CHOICE:
                data[name] = self._choice(name, row, number)
            elif field_def.kind == MULTIPLE:
                data[name] = self._many(name, row, number)
            elif field_def.kind == YES_NO:
                answer = self._choice(name, row, number)
                data[name] = "on" if answer == "1" else ""
                if answer == "0":
                    refused.append(name.removeprefix("consent_"))
            elif field_def.kind == DATE:
                data[name] = self._date(self._value(row, name)[0])
            else:
                data[name] = self._value(row, name)[0]
        # Where: the municipality within its department.
        department_value, department_header = self._value(row, "department")
        department = ""
        if department_value:
            department, error = self.values.department(department_value)
            if error:
                self._unknown("department", department_value, number, department_header, message=error)
        residence_value, residence_header = self._value(row, "residence")
        if residence_value:
            code, error = self.values.municipality(residence_value, department_value, department)
            if error:
                self._unknown(
                    "residence", residence_value, number, residence_header, department_value, message=error
                )
            data["residence"] = code
        # The identity document: its type from the column's name, a type column, or the country's.
        number_value = data.get("document_number", "")
        doc_type = next(
            (c.document_type for c in self.columns.get("document_number", []) if c.document_type), ""
        )
        type_value, type_header = self._value(row, "document_type")
        if type_value and not doc_type:
            doc_type = self.document_names.get(word_key(type_value), "")
            if not doc_type:
                self.result.errors.add(
                    number,
                    type_header,
                    _("“%(value)s” is not an identity document of this country.") % {"value": type_value},
                    code="unknown:document_type",
                )
        if doc_type and doc_type not in self.document_types and not doc_type.startswith("*:"):
            doc_type = ""
        data["document_type"] = (doc_type or self.national_type) if number_value else ""
        # When: the row's own arrival date, the manifest's, or the day the form was filled in.
        if not data.get("arrived_on"):
            arrived = self.manifest.arrived_on
            data["arrived_on"] = (
                arrived.isoformat() if arrived else self._date(self._meta(row, "today", "_submission_time"))
            )
        data["mode"] = data.get("mode") or self.manifest.mode
        data["returned_from"] = data.get("returned_from") or self.manifest.returned_from
        if self.foreign:
            data["population"] = data.get("population") or self.manifest.population
            data["nationality"] = country_code(data.get("nationality", ""))
            data["origin_country"] = country_code(data.get("origin_country", ""))
        data["consent_method"] = data.get("consent_method") or "signed_form"
        data["birth_date_precision"] = "day"
        data["education"] = data.get("education") or "unknown"
        data["sex"] = data.get("sex") or "X"
        return {k: v for k, v in data.items() if v not in ("", [])}, refused

    # -- family members --------------------------------------------------------------------------
    def members_by_row(self) -> dict[str, list[tuple[int, list[str]]]]:
        """Repeat rows by their parent: the main row's `_index`, or the submission's `_uuid`."""
        found: dict[str, list] = {}
        if not self.members_plan:
            return found
        table = self.members_plan.table
        positions = {column_key(h): i for i, h in enumerate(table.columns)}
        parent = positions.get("_parent_index")
        parent_table = positions.get("_parent_table_name")
        by_uuid = positions.get("_submission__uuid")
        repeat_names = {column_key(t.name) for t in self.source.repeats}
        for offset, row in enumerate(table.rows):
            if parent_table is not None and column_key(row[parent_table]) in repeat_names - {""}:
                continue  # a repeat inside another repeat
            if by_uuid is not None and row[by_uuid]:
                key = "uuid:" + row[by_uuid]
            elif parent is not None:
                key = "index:" + row[parent]
            else:
                continue
            found.setdefault(key, []).append((table.row_number(offset), row))
        return found

    def members(self, rows: list[tuple[int, list[str]]]) -> list[dict]:
        plan = self.members_plan
        if plan is None or not rows:
            return []
        columns = plan.by_field()
        sheet = plan.table.name
        result = []
        today = timezone.localdate()
        for number, row in rows:

            def value(name, row=row):
                return next((row[c.position] for c in columns.get(name, []) if not c.choice), "")

            name = " ".join(value("member_name").split())
            relationship_value = value("member_relationship")
            birth_value = self._date(value("member_birth_date"))
            if not (name or relationship_value or birth_value):
                continue
            header = lambda field_name: next((c.header for c in columns.get(field_name, [])), "")  # noqa: E731
            if not name:
                self.result.errors.add(
                    number, header("member_name"), _("Write the family member's name."), "member_name", sheet
                )
            relationship = Relationship.OTHER
            if relationship_value:
                code = self.values.choices["member_relationship"].one(relationship_value)
                if code is None:
                    self._unknown(
                        "member_relationship", relationship_value, number, header("member_relationship")
                    )
                else:
                    relationship = code or Relationship.OTHER
            birth = None
            if birth_value:
                birth = _parse_date(birth_value)
                if birth is None:
                    self.result.errors.add(
                        number, header("member_birth_date"), _("Enter a valid date."), "member_date", sheet
                    )
                elif birth > today:
                    self.result.errors.add(
                        number,
                        header("member_birth_date"),
                        _("The birth date cannot be in the future."),
                        "member_future",
                        sheet,
                    )
            result.append(
                {
                    "name": name,
                    "relationship": relationship,
                    "birth_date": birth.isoformat() if birth else None,
                }
            )
        return result

    # -- the whole file --------------------------------------------------------------------------
    def run(self, progress=None) -> Result:
        missing = self.missing()
        if missing:
            raise ManifestFileError(
                _("Columns missing: %(columns)s. Map the columns of the file to the fields.")
                % {"columns": ", ".join(missing)}
            )
        result = self.result
        table = self.source.main
        members = self.members_by_row()
        seen_keys: dict[str, int] = {}
        seen_documents: dict[tuple, int] = {}
        checked: list[Checked] = []
        for offset, row in enumerate(table.rows):
            number = table.row_number(offset)
            before = result.errors.count
            uuid = self._meta(row, "_uuid", "meta/instanceid", "_submission__uuid").removeprefix("uuid:")
            data, refused = self.form_data(row, number)
            key = "uuid:" + uuid if uuid else "row:" + _digest([data, self.manifest.arrived_on])
            if key in seen_keys:
                message = (
                    _("The same submission (_uuid) is on row %(row)d.") if uuid else _("Repeats row %(row)d.")
                )
                result.errors.add(number, "", message % {"row": seen_keys[key]}, code="repeat")
                continue
            seen_keys[key] = number
            index = self._meta(row, "_index") or str(offset + 1)
            family = self.members(members.get("uuid:" + uuid, []) or members.get("index:" + index, []))
            form = self.template.rebound(data)
            if not form.is_valid():
                for field_name, errors in form.errors.as_data().items():
                    header = self._header(field_name)
                    for error in errors:
                        message = " ".join(error.messages)
                        result.errors.add(number, header, message, code=f"{field_name}:{error.code}")
            elif result.errors.count == before:
                for document_type, document_number in form.documents():
                    doc_key = (document_type.code, document_number)
                    if doc_key in seen_documents:
                        result.errors.add(
                            number,
                            self._header("document_number"),
                            _("The same identity number is on row %(row)d.")
                            % {"row": seen_documents[doc_key]},
                            code="same_document",
                        )
                    seen_documents[doc_key] = number
                checked.append(Checked(number, self._checked(number, key, row, form, data, refused, family)))
            if progress and (offset + 1) % PROGRESS_EVERY == 0:
                progress(offset + 1)
        result.valid = checked
        self._compare(checked, table)
        result.columns = self.columns_report()
        return result

    def _header(self, field_name: str) -> str:
        if field_name == "__all__":
            return ""
        columns = self.columns.get(field_name) or (
            self.columns.get("second_surname", []) if field_name == "first_surname" else []
        )
        return columns[0].header if columns else ""

    def _checked(self, number, key, row, form, data, refused, family) -> dict:
        hashes = {name: _short_digest(value) for name, value in sorted(data.items())}
        if family:
            hashes["household"] = _short_digest(family)
        consents = [c for c in form.consents() if c["given"] or c["purpose"] in refused]
        return {
            "row": number,
            "key": key,
            "form_key": self._meta(row, "__version__", "_xform_id_string", "formhub/uuid")[:120],
            "submitted_at": self._meta(row, "_submission_time") or None,
            "fingerprint": _digest(hashes),
            "field_hashes": hashes,
            "person": form.person_fields(),
            "documents": [[document_key(t, self.country), n] for t, n in form.documents()],
            "document_expires_on": form.cleaned_data.get("document_expires_on"),
            "return": form.return_event_fields(),
            "status": form.migration_status_fields(),
            "consents": consents,
            "members": family,
        }

    # -- compared with earlier imports -----------------------------------------------------------
    def _compare(self, checked: list[Checked], table: Table) -> None:
        result = self.result
        keys = [c.data["key"] for c in checked]
        before = {}
        for start in range(0, len(keys), 5000):
            for sub in ImportedSubmission.objects.filter(
                organization=self.organization, key__in=keys[start : start + 5000]
            ).values("key", "fingerprint", "field_hashes", "person_id"):
                before[sub["key"]] = sub
        for item in checked:
            old = before.get(item.data["key"])
            if old is None:
                result.new.append(item)
                if item.data["members"]:
                    result.households += 1
            elif old["fingerprint"] == item.data["fingerprint"]:
                result.known += 1
            else:
                changed = sorted(
                    name
                    for name in {*old["field_hashes"], *item.data["field_hashes"]}
                    if old["field_hashes"].get(name) != item.data["field_hashes"].get(name)
                )
                if len(result.changed) < REVIEW_LIMIT:
                    result.changed.append(
                        {
                            "row": item.row,
                            "key": item.data["key"],
                            "person": str(old["person_id"]),
                            "fields": changed,
                        }
                    )
                else:
                    result.changed.append({"row": item.row})
        # Submissions imported before from the same KoboToolbox form and period, missing here.
        form_keys = {c.data["form_key"] for c in checked if c.data["form_key"]}
        times = sorted(c.data["submitted_at"] for c in checked if c.data["submitted_at"])
        if form_keys and times:
            start, end = _moment(times[0]), _moment(times[-1])
            if start and end:
                missing = (
                    ImportedSubmission.objects.filter(
                        organization=self.organization,
                        form_key__in=form_keys,
                        submitted_at__gte=start,
                        submitted_at__lte=end,
                        person__merged_into__isnull=True,
                    )
                    .exclude(key__in=set(keys))
                    .select_related("person")
                    .order_by("submitted_at")
                )
                for sub in missing[:REVIEW_LIMIT]:
                    result.deleted.append(
                        {
                            "key": sub.key,
                            "person": str(sub.person_id),
                            "name": sub.person.full_name,
                            "submitted_at": sub.submitted_at.isoformat() if sub.submitted_at else "",
                        }
                    )


def form_version(source: Source) -> str:
    """The KoboToolbox form version (or form id) the file's submissions were made with."""
    table = source.main
    for name in ("__version__", "_xform_id_string"):
        positions = [i for i, h in enumerate(table.columns) if column_key(h) == name]
        for position in positions:
            for row in table.rows[:50]:
                if row[position]:
                    return row[position][:120]
    return ""


@functools.cache
def _fingerprint_key() -> bytes:
    """Fingerprints of personal values are keyed (with the search key, kept outside the database):
    a stored fingerprint of an identity number cannot be matched by trying every number."""
    from incluye.core.crypto import keys

    return hashlib.sha256(b"incluye.import-fingerprint:" + keys()[1]).digest()


def _short_digest(value) -> str:
    """A short fingerprint of one value (the value itself is never stored)."""
    return hashlib.blake2b(repr(value).encode(), digest_size=8, key=_fingerprint_key()).hexdigest()


def _digest(value) -> str:
    return hashlib.blake2b(
        json.dumps(value, sort_keys=True, default=str).encode(), digest_size=32, key=_fingerprint_key()
    ).hexdigest()


def _parse_date(value: str) -> datetime.date | None:
    for pattern in DATE_INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _moment(value: str) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment


__all__ = ["IGNORE", "Check", "ErrorLog", "Result"]
