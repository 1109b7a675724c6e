"""Manifest import: a flight or bus manifest (CSV, XLSX, KoboToolbox export) → people and returns.

Two phases. *Validation* reads the whole file, maps its columns, checks every row with the same
`IntakeForm` the desk uses and lists every problem row by row; nothing is written. *Import* runs
only when validation found nothing, writes everything in one transaction (all or nothing) and is
idempotent: a row already imported under the same manifest reference is skipped. A row whose
identity number is already in the registry becomes a new return of that person, not a new person.
"""

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incluye.core.actionlog import log_action
from incluye.core.crypto import blind_index
from incluye.core.db import insert_many
from incluye.core.models import Division, IdDocumentType
from incluye.core.spreadsheets import safe_row
from incluye.core.text import fold
from incluye.people.forms import IntakeForm
from incluye.people.models import (
    URGENT_NEEDS,
    Consent,
    IdentityDocument,
    ManifestImport,
    ManifestStatus,
    Person,
    ReturnEvent,
)

# Intake fields a manifest may carry, with the column names they are recognized by (folded, so
# "Número de documento" and "numero_de_documento" both match). KoboToolbox group paths
# ("datos/nombres") are matched by their last part.
FIELDS: dict[str, tuple[str, list[str]]] = {
    "given_names": (
        gettext_lazy("Given names"),
        ["nombres", "nombre", "given names", "given_names", "first name"],
    ),
    "first_surname": (
        gettext_lazy("First surname"),
        [
            "primer apellido",
            "primer_apellido",
            "apellido 1",
            "apellido1",
            "apellido",
            "first surname",
            "last name",
        ],
    ),
    "second_surname": (
        gettext_lazy("Second surname"),
        ["segundo apellido", "segundo_apellido", "apellido 2", "apellido2", "second surname"],
    ),
    "sex": (gettext_lazy("Sex"), ["sexo", "sex", "genero", "gender"]),
    "birth_date": (
        gettext_lazy("Birth date"),
        ["fecha de nacimiento", "fecha_nacimiento", "nacimiento", "birth date", "dob"],
    ),
    "document_type": (
        gettext_lazy("Identity document"),
        ["tipo de documento", "tipo_documento", "document type"],
    ),
    "document_number": (
        gettext_lazy("Document number"),
        [
            "numero de documento",
            "numero_documento",
            "documento",
            "no documento",
            "document number",
            "id number",
        ],
    ),
    "phone": (gettext_lazy("Phone"), ["telefono", "celular", "phone", "tel"]),
    "residence": (
        gettext_lazy("Municipality"),
        ["municipio", "municipio de residencia", "canton", "distrito", "municipality"],
    ),
    "months_abroad": (
        gettext_lazy("Months abroad"),
        ["meses en el extranjero", "meses_fuera", "months abroad"],
    ),
    "needs": (gettext_lazy("Urgent needs and vulnerabilities"), ["necesidades", "vulnerabilidades", "needs"]),
    "transport_reference": (gettext_lazy("Flight or bus"), ["vuelo", "bus", "flight"]),
    "household_size": (
        gettext_lazy("Household size"),
        ["tamano del hogar", "personas en el hogar", "household size"],
    ),
    "consent_case_management": (
        gettext_lazy("Agrees to case management"),
        ["consentimiento", "consentimiento gestion", "consent"],
    ),
}
# National id columns named after the document ("DPI", "DUI"…) also work.
ID_COLUMNS = {
    "dpi": "DPI",
    "cui": "DPI",
    "dui": "DUI",
    "dni": "DNI",
    "cedula": "CEDULA",
    "pasaporte": "PASSPORT",
}
ERRORS_COLUMN = "errores"
INLINE_MAX_ROWS = 300  # above this, validation and import run as background tasks
PROGRESS_EVERY = 1000


class ManifestFileError(Exception):
    """The file as a whole cannot be used (unreadable, empty, required columns missing)."""


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]  # cell values as text, one list per data row
    first_row_number: int = 2  # spreadsheet row number of rows[0] (the header is row 1)


@dataclass
class Validation:
    errors: list[dict] = field(default_factory=list)
    valid: list[tuple[int, IntakeForm]] = field(default_factory=list)


# -- reading files -----------------------------------------------------------------------------
def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(name: str, content: bytes) -> Table:
    """Read a CSV (any common encoding and delimiter) or the first sheet of an XLSX file."""
    if content[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    return _read_csv(content)


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ManifestFileError(_("The Excel file could not be opened: is it a valid .xlsx file?")) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header or not any(header):
        raise ManifestFileError(_("The first sheet is empty: the first row must name the columns."))
    columns = [_cell(c) for c in header]
    data = []
    for row in rows:
        values = [_cell(v) for v in row[: len(columns)]]
        if any(values):
            data.append(values + [""] * (len(columns) - len(values)))
    workbook.close()
    return Table(columns, data)


def _read_csv(content: bytes) -> Table:
    if b"\x00" in content[:4096]:
        raise ManifestFileError(_("This is not a text (CSV) file. Upload a CSV or an Excel (.xlsx) file."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Files saved by spreadsheet programs on Windows are often Windows-1252 or Latin-1.
        best = from_bytes(content, cp_isolation=["cp1252", "latin_1", "utf_16", "mac_roman"]).best()
        if best is None:
            raise ManifestFileError(
                _("The file's characters could not be read: save it as CSV UTF-8.")
            ) from None
        text = str(best)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise ManifestFileError(_("The file is empty: the first row must name the columns."))
        columns = [h.strip() for h in header]
        data = []
        for row in reader:
            values = [v.strip() for v in row[: len(columns)]]
            if any(values):
                data.append(values + [""] * (len(columns) - len(values)))
    except csv.Error:
        # A stray quote or line break the CSV reader cannot place (a damaged file).
        raise ManifestFileError(
            _("Line %(line)s of the file cannot be read: is the file damaged or cut short?")
            % {"line": reader.line_num}
        ) from None
    return Table(columns, data)


def count_rows(name: str, content: bytes) -> int:
    """A quick estimate, to decide whether to work in the background."""
    if content[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
            return max((sheet.max_row or 1) - 1, 0)
        except Exception:
            return INLINE_MAX_ROWS + 1
    return max(content.count(b"\n") - 1, 0)


# -- columns -----------------------------------------------------------------------------------
def _column_key(column: str) -> str:
    return fold(column.rsplit("/", 1)[-1]).replace("_", " ").replace("-", " ").strip()


def resolve_columns(columns: list[str], mapping: dict | None = None) -> dict[str, int]:
    """{intake field: column index}. A saved mapping wins; otherwise names and aliases."""
    index = {}
    if mapping:
        for name, column in mapping.items():
            if column in columns:
                index[name] = columns.index(column)
    keys = [_column_key(c) for c in columns]
    for name, (_label, aliases) in FIELDS.items():
        if name in index:
            continue
        for alias in aliases:
            alias_key = _column_key(alias)
            if alias_key in keys:
                index[name] = keys.index(alias_key)
                break
    for position, key in enumerate(keys):
        if key in ID_COLUMNS and "document_number" not in index:
            index["document_number"] = position
            index["_document_type_from_column"] = ID_COLUMNS[key]
    return index


def missing_columns(index: dict[str, int]) -> list[str]:
    missing = []
    if "given_names" not in index:
        missing.append(str(FIELDS["given_names"][0]))
    if "first_surname" not in index and "second_surname" not in index:
        missing.append(str(FIELDS["first_surname"][0]))
    return missing


# -- rows --------------------------------------------------------------------------------------
SEX_VALUES = {
    "f": "F",
    "femenino": "F",
    "mujer": "F",
    "female": "F",
    "m": "M",
    "h": "M",
    "masculino": "M",
    "hombre": "M",
    "male": "M",
}
YES = {"si", "s", "yes", "y", "1", "true", "verdadero", "x"}
NEEDS_VALUES = {
    "medical": "medical",
    "medica": "medical",
    "medico": "medical",
    "salud": "medical",
    "unaccompanied_minor": "unaccompanied_minor",
    "nna": "unaccompanied_minor",
    "menor no acompanado": "unaccompanied_minor",
    "protection": "protection",
    "proteccion": "protection",
    "family_unit": "family_unit",
    "familia": "family_unit",
    "disability": "disability",
    "discapacidad": "disability",
    "indigenous": "indigenous",
    "indigena": "indigenous",
    "lgbtiq": "lgbtiq",
    "pregnant": "pregnant",
    "embarazada": "pregnant",
}


class RowReader:
    """Turns a manifest row into the data an IntakeForm validates."""

    def __init__(self, manifest: ManifestImport, index: dict[str, int]):
        self.manifest = manifest
        self.index = index
        country = manifest.organization.country_id
        self.document_types = {
            t.code: t for t in IdDocumentType.objects.filter(country_id=country).select_related("country")
        }
        self.national_type = next((c for c, t in self.document_types.items() if t.is_national_id), "")
        divisions = list(Division.objects.filter(country_id=country).values_list("code", "name", "level"))
        self.division_codes = frozenset(code for code, _n, _l in divisions)
        deepest = max((level for _c, _n, level in divisions), default=0)
        self.residence_by_name = {fold(n): c for c, n, level in divisions if level == deepest}
        self.residence_codes = set(self.residence_by_name.values())
        self.residence_ids = dict(
            Division.objects.filter(country_id=country, code__in=self.residence_codes).values_list(
                "code", "id"
            )
        )
        # One form, bound to each row in turn (see IntakeForm.rebound).
        self.template = IntakeForm(
            organization=manifest.organization,
            division_codes=self.division_codes,
            residence_ids=self.residence_ids,
            document_types=self.document_types,
        )

    def value(self, row: list[str], name: str) -> str:
        position = self.index.get(name)
        return row[position] if position is not None and position < len(row) else ""

    def form_data(self, row: list[str]) -> dict:
        v = lambda name: self.value(row, name)  # noqa: E731
        doc_type = self.index.get("_document_type_from_column") or v("document_type").upper()
        number = v("document_number")
        if not number:
            doc_type = ""  # many arrive without documents: an empty cell is no document
        elif not doc_type:
            doc_type = self.national_type
        residence = v("residence")
        if residence and residence not in self.residence_codes:
            residence = self.residence_by_name.get(fold(residence), residence)
        needs = [
            NEEDS_VALUES.get(fold(n).replace("_", " ").strip(), NEEDS_VALUES.get(n, n))
            for n in re.split(r"[\s,;]+", v("needs"))
            if n
        ]
        sex = SEX_VALUES.get(fold(v("sex")), "X")
        return {
            "given_names": v("given_names"),
            "first_surname": v("first_surname"),
            "second_surname": v("second_surname"),
            "sex": sex,
            "birth_date": v("birth_date"),
            "birth_date_precision": "day",
            "document_type": doc_type,
            "document_number": number,
            "phone": v("phone"),
            "residence": residence,
            "education": "unknown",
            "household_size": v("household_size"),
            "arrived_on": self.manifest.arrived_on.isoformat(),
            "mode": self.manifest.mode,
            "returned_from": self.manifest.returned_from,
            "transport_reference": v("transport_reference"),
            "months_abroad": v("months_abroad"),
            "needs": needs,
            "consent_case_management": "on" if fold(v("consent_case_management")) in YES else "",
            "consent_method": "signed_form",
        }

    def form(self, row: list[str]) -> IntakeForm:
        # A plain dict is enough: widgets read a list for multiple choices from it.
        return self.template.rebound({k: v for k, v in self.form_data(row).items() if v != ""})


def _column_name(table: Table, index: dict, field_name: str) -> str:
    position = index.get(field_name)
    if position is None:
        if field_name == "first_surname":
            return _column_name(table, index, "second_surname") if "second_surname" in index else ""
        return ""
    return table.columns[position]


def validate_rows(manifest: ManifestImport, table: Table, index: dict, progress=None) -> Validation:
    reader = RowReader(manifest, index)
    result = Validation()
    seen_documents: dict[tuple, int] = {}
    seen_rows: dict[tuple, int] = {}
    for offset, row in enumerate(table.rows):
        number = table.first_row_number + offset
        key = tuple(row)
        if key in seen_rows:
            result.errors.append(
                {"row": number, "column": "", "message": _("Repeats row %(row)d.") % {"row": seen_rows[key]}}
            )
            continue
        seen_rows[key] = number
        form = reader.form(row)
        if not form.is_valid():
            for field_name, messages in form.errors.items():
                column = _column_name(table, index, field_name) if field_name != "__all__" else ""
                for message in messages:
                    result.errors.append({"row": number, "column": column, "message": str(message)})
        else:
            for document_type, document_number in form.documents():
                doc_key = (document_type.code, document_number)
                if doc_key in seen_documents:
                    result.errors.append(
                        {
                            "row": number,
                            "column": _column_name(table, index, "document_number"),
                            "message": _("The same identity number is on row %(row)d.")
                            % {"row": seen_documents[doc_key]},
                        }
                    )
                seen_documents[doc_key] = number
            result.valid.append((number, form))
        if progress and (offset + 1) % PROGRESS_EVERY == 0:
            progress(offset + 1)
    return result


# -- the two phases ----------------------------------------------------------------------------
def _load(manifest: ManifestImport) -> tuple[Table, dict]:
    manifest.file.open("rb")
    try:
        content = manifest.file.read()
    finally:
        manifest.file.close()
    table = read_table(manifest.file_name, content)
    index = resolve_columns(table.columns, manifest.mapping.columns if manifest.mapping else None)
    missing = missing_columns(index)
    if missing:
        raise ManifestFileError(
            _("Columns missing: %(columns)s. Rename them in the file or map the columns.")
            % {"columns": ", ".join(missing)}
        )
    return table, index


def _set(manifest: ManifestImport, **fields) -> None:
    for name, value in fields.items():
        setattr(manifest, name, value)
    ManifestImport.objects.filter(pk=manifest.pk).update(**fields)


def manifest_validate(*, manifest: ManifestImport) -> ManifestImport:
    """Check every row; store the errors (row by row) and a preview. Writes no person."""
    _set(manifest, status=ManifestStatus.VALIDATING, processed_rows=0, errors=[])
    try:
        table, index = _load(manifest)
    except ManifestFileError as error:
        _set(
            manifest, status=ManifestStatus.INVALID, errors=[{"row": 0, "column": "", "message": str(error)}]
        )
        return manifest
    _set(manifest, total_rows=len(table.rows))
    if not table.rows:
        _set(
            manifest,
            status=ManifestStatus.INVALID,
            errors=[{"row": 0, "column": "", "message": _("The file has no rows.")}],
        )
        return manifest
    result = validate_rows(manifest, table, index, progress=lambda n: _set(manifest, processed_rows=n))
    preview = [
        {
            "row": number,
            "name": " ".join(
                filter(
                    None,
                    [
                        f.cleaned_data["given_names"],
                        f.cleaned_data["first_surname"],
                        f.cleaned_data["second_surname"],
                    ],
                )
            ),
            "birth_date": f.cleaned_data["birth_date"].isoformat() if f.cleaned_data["birth_date"] else "",
            "document": f.cleaned_data.get("document_number") or "",
            "needs": f.cleaned_data["needs"],
        }
        for number, f in result.valid[:20]
    ]
    if not result.errors:
        _store_checked_rows(manifest, [checked_row(number, form) for number, form in result.valid])
    _set(
        manifest,
        status=ManifestStatus.INVALID if result.errors else ManifestStatus.READY,
        processed_rows=len(table.rows),
        errors=sorted(result.errors, key=lambda e: e["row"]),
        preview=preview,
    )
    return manifest


def checked_row(number: int, form: IntakeForm) -> dict:
    """What the import needs of a checked row, in JSON: the import then writes without checking
    every row a second time."""
    return {
        "row": number,
        "person": form.person_fields(),
        "documents": [[t.code, n] for t, n in form.documents()],
        "return": form.return_event_fields(),
        "consents": [c for c in form.consents() if c["given"]],
    }


def _store_checked_rows(manifest: ManifestImport, rows: list[dict]) -> None:
    from django.core.files.base import ContentFile
    from django.core.serializers.json import DjangoJSONEncoder

    if manifest.checked_rows:
        manifest.checked_rows.delete(save=False)
    manifest.checked_rows.save(
        f"{manifest.pk}.json", ContentFile(json.dumps(rows, cls=DjangoJSONEncoder).encode()), save=False
    )
    _set(manifest, checked_rows=manifest.checked_rows.name)


def _load_checked_rows(manifest: ManifestImport) -> list[dict]:
    manifest.checked_rows.open("rb")
    try:
        return json.loads(manifest.checked_rows.read())
    finally:
        manifest.checked_rows.close()


def manifest_import(*, manifest: ManifestImport, actor=None) -> ManifestImport:
    """Write every row in one transaction, or nothing. Rows already imported are skipped."""
    if manifest.status not in (ManifestStatus.READY, ManifestStatus.IMPORTING):
        raise ValueError("Only a validated manifest without errors can be imported")
    _set(manifest, status=ManifestStatus.IMPORTING)
    try:
        rows = _load_checked_rows(manifest)
        with transaction.atomic():
            counts = _write(manifest, rows, actor)
            log_action(
                actor=actor,
                organization=manifest.organization,
                action="incluye.manifest.imported",
                obj=manifest,
                data=counts,
            )
    except Exception:
        _set(manifest, status=ManifestStatus.FAILED)
        raise
    _set(
        manifest,
        status=ManifestStatus.IMPORTED,
        created_count=counts["created"],
        skipped_count=counts["skipped"],
        processed_rows=manifest.total_rows,
        finished_at=timezone.now(),
    )
    return manifest


def _write(manifest: ManifestImport, rows: list[dict], actor) -> dict:
    organization = manifest.organization
    types = {t.code: t for t in IdDocumentType.objects.filter(country_id=organization.country_id)}
    done = set(
        ReturnEvent.objects.filter(
            organization=organization, manifest_reference=manifest.reference
        ).values_list("manifest_row", flat=True)
    )
    pending = [r for r in rows if r["row"] not in done]
    # People already in the organization's registry (same identity number) get a new return.
    numbers = {n for r in pending for _t, n in r["documents"]}
    known = {}
    for chunk in _chunks(sorted(numbers), 5000):
        for doc in IdentityDocument.objects.filter(
            number_hash__in=[blind_index(n) for n in chunk],
            person__organization=organization,
            person__merged_into__isnull=True,
        ).values_list("document_type__code", "number", "person_id"):
            known[(doc[0], doc[1])] = doc[2]
    people, documents, returns, consents = [], [], [], []
    attached = 0
    for row in pending:
        person_id = next((known[(t, n)] for t, n in row["documents"] if (t, n) in known), None)
        if person_id is None:
            person = Person(organization=organization, created_by=actor, **row["person"])
            person.refresh_name_key()
            people.append(person)
            documents += [
                IdentityDocument(person=person, document_type=types[t], number=n) for t, n in row["documents"]
            ]
            for t, n in row["documents"]:
                known[(t, n)] = person.pk  # the same person twice in one file is one person
            person_id = person.pk
        else:
            attached += 1
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
    insert_many(Person, people)
    insert_many(IdentityDocument, documents)
    insert_many(ReturnEvent, returns)
    insert_many(Consent, consents)
    if attached:
        Person.objects.filter(pk__in={r.person_id for r in returns}).update(updated_at=timezone.now())
    if manifest.checked_rows:
        manifest.checked_rows.delete(save=False)  # personal data: kept no longer than needed
        _set(manifest, checked_rows="")
    return {"created": len(people), "attached": attached, "skipped": len(rows) - len(pending)}


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def error_report(manifest: ManifestImport) -> str:
    """The file as uploaded with an "errores" column: fix the cells and upload it again."""
    try:
        manifest.file.open("rb")
        content = manifest.file.read()
        manifest.file.close()
        table = read_table(manifest.file_name, content)
    except ManifestFileError:
        table = Table(columns=[], rows=[])
    by_row: dict[int, list[str]] = {}
    for error in manifest.errors:
        text = f"{error['column']}: {error['message']}" if error.get("column") else error["message"]
        by_row.setdefault(error["row"], []).append(text)
    out = io.StringIO()
    writer = csv.writer(out)
    columns = [c for c in table.columns if _column_key(c) != ERRORS_COLUMN]
    keep = [i for i, c in enumerate(table.columns) if _column_key(c) != ERRORS_COLUMN]
    writer.writerow(safe_row([*columns, ERRORS_COLUMN]))
    if 0 in by_row:
        writer.writerow([""] * len(columns) + [" | ".join(by_row[0])])
    for offset, row in enumerate(table.rows):
        number = table.first_row_number + offset
        writer.writerow(safe_row([row[i] for i in keep] + [" | ".join(by_row.get(number, []))]))
    return out.getvalue()


def manifest_upload(
    *, membership, reference, arrived_on, mode, returned_from, file, mapping=None
) -> ManifestImport:
    """Store the file privately and check it: at once for a flight, in the background for more."""
    import hashlib

    content = file.read()
    file.seek(0)
    manifest = ManifestImport.objects.create(
        organization=membership.organization,
        uploaded_by=membership.user,
        reference=reference.strip(),
        arrived_on=arrived_on,
        mode=mode,
        returned_from=returned_from,
        file=file,
        file_name=file.name[:255],
        file_sha256=hashlib.sha256(content).hexdigest(),
        mapping=mapping,
        total_rows=count_rows(file.name, content),
    )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.manifest.uploaded",
        obj=manifest,
        data={"rows": manifest.total_rows, "sha256": manifest.file_sha256},
    )
    return manifest_check(manifest=manifest)


def manifest_check(*, manifest: ManifestImport) -> ManifestImport:
    """Validate at once for a flight; in the background (with a progress bar) for more rows."""
    from django.utils.translation import get_language

    from incluye.people.tasks import validate_manifest

    if manifest.total_rows <= INLINE_MAX_ROWS:
        return manifest_validate(manifest=manifest)
    _set(manifest, status=ManifestStatus.VALIDATING, processed_rows=0)
    transaction.on_commit(
        lambda: validate_manifest.enqueue(manifest_id=str(manifest.pk), language=get_language())
    )
    return manifest


def manifest_start_import(*, membership, manifest: ManifestImport) -> ManifestImport:
    from django.utils.translation import get_language

    from incluye.people.tasks import import_manifest

    if manifest.total_rows <= INLINE_MAX_ROWS:
        return manifest_import(manifest=manifest, actor=membership.user)
    _set(manifest, status=ManifestStatus.IMPORTING)
    transaction.on_commit(
        lambda: import_manifest.enqueue(
            manifest_id=str(manifest.pk), actor_id=membership.user_id, language=get_language()
        )
    )
    return manifest


def mapping_save(*, membership, manifest: ManifestImport, name: str, columns: dict):
    from incluye.people.models import ColumnMapping

    mapping, _created = ColumnMapping.objects.update_or_create(
        organization=membership.organization, name=name.strip(), defaults={"columns": columns}
    )
    _set(manifest, mapping=mapping)
    return mapping
