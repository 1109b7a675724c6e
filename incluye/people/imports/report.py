"""What goes back to the officer as files: the error report (the file as uploaded, with an
"errores" column to fix and upload again, every cell neutralized against formulas) and the
template with the accepted values of every field."""

import csv
import io

from django.utils.translation import gettext as _

from incluye.core.spreadsheets import safe_row
from incluye.people.imports.base import ManifestFileError, Table
from incluye.people.imports.columns import column_key
from incluye.people.imports.fields import DEPARTMENT, DOCUMENT_TYPE, MUNICIPALITY, ImportKind
from incluye.people.imports.read import read_source

ERRORS_COLUMN = "errores"


def error_report(manifest) -> str:
    unreadable = manifest.total_rows == 0 and any(e["row"] == 0 for e in manifest.errors)
    try:
        if unreadable or not manifest.file:
            raise ManifestFileError  # the file could not be read (too big, damaged): only the problem
        manifest.file.open("rb")
        try:
            content = manifest.file.read()
        finally:
            manifest.file.close()
        table = read_source(manifest.file_name, content).main
    except (ManifestFileError, ValueError, OSError):
        table = Table(name="", columns=[], rows=[])
    by_row: dict[int, list[str]] = {}
    elsewhere: list[str] = []
    for error in manifest.errors:
        text = f"{error['column']}: {error['message']}" if error.get("column") else error["message"]
        if error.get("sheet"):
            elsewhere.append(
                _("Sheet %(sheet)s, row %(row)d: %(error)s")
                % {"sheet": error["sheet"], "row": error["row"], "error": text}
            )
        else:
            by_row.setdefault(error["row"], []).append(text)
    out = io.StringIO()
    writer = csv.writer(out)
    keep = [i for i, c in enumerate(table.columns) if column_key(c) != ERRORS_COLUMN]
    columns = [table.columns[i] for i in keep]
    writer.writerow(safe_row([*columns, ERRORS_COLUMN]))
    blank = [""] * len(columns)
    for message in [*by_row.get(0, []), *elsewhere, *_untold(manifest)]:
        writer.writerow(safe_row([*blank, message]))
    for offset, row in enumerate(table.rows):
        number = table.row_number(offset)
        writer.writerow(safe_row([row[i] for i in keep] + [" | ".join(by_row.get(number, []))]))
    return out.getvalue()


def _untold(manifest) -> list[str]:
    """The problems beyond the ones kept, counted: "and 999 950 more rows with the same problem"."""
    lines = []
    for problem in manifest.error_summary:
        rest = problem["count"] - problem.get("kept", problem["count"])
        if rest > 0:
            lines.append(
                _("… and %(count)s more rows with the same problem: %(message)s")
                % {"count": f"{rest:,}".replace(",", " "), "message": problem["message"]}
            )
    return lines


def accepted_values(kind: ImportKind, country) -> list[dict]:
    """For each field: its label, the column names it is recognised by and the values it accepts."""
    from incluye.core.models import IdDocumentType

    rows = []
    for field in (*kind.fields, *kind.member_fields):
        if field.kind == DOCUMENT_TYPE:
            values = [
                (t.code, t.name) for t in IdDocumentType.objects.filter(country=country).order_by("code")
            ]
        elif field.kind == DEPARTMENT:
            values = [
                (
                    None,
                    _("name or code of the department (see the sheet “%(sheet)s”)") % {"sheet": _("Places")},
                )
            ]
        elif field.kind == MUNICIPALITY:
            values = [
                (
                    None,
                    _("name or code of the municipality (see the sheet “%(sheet)s”)")
                    % {"sheet": _("Places")},
                )
            ]
        else:
            values = [(o.code or "—", str(o.label)) for o in field.options]
        rows.append(
            {
                "name": field.name,
                "label": str(field.label),
                "member": field in kind.member_fields,
                "columns": [field.name, *field.aliases[:4]],
                "values": values,
            }
        )
    return rows


def template_workbook(kind: ImportKind, country) -> bytes:
    """An XLSX to fill in: the columns, then one sheet with the accepted values, one with places."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Arrivals")[:31]
    sheet.append([f.name for f in kind.fields])
    family = book.create_sheet(_("Family")[:31])
    family.append([f.name for f in kind.member_fields] + ["_parent_index"])
    values = book.create_sheet(_("Accepted values")[:31])
    values.append([_("Column"), _("Field"), _("Also recognised as"), _("Value"), _("Meaning")])
    for row in accepted_values(kind, country):
        first = True
        for code, meaning in row["values"] or [(None, "")]:
            values.append(
                safe_row(
                    [
                        row["name"] if first else "",
                        row["label"] if first else "",
                        ", ".join(row["columns"][1:]) if first else "",
                        code or "",
                        meaning,
                    ]
                )
            )
            first = False
    places = book.create_sheet(_("Places")[:31])
    places.append([_("Code"), _("Name"), _("Department")])
    divisions = list(country.divisions.select_related("parent__parent").order_by("code"))
    deepest = max((d.level for d in divisions), default=0)
    for division in divisions:
        if division.level in (1, deepest):
            top = division
            while top.parent_id:
                top = top.parent
            places.append([division.code, division.name, top.name if top != division else ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
