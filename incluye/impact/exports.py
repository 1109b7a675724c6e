"""Indicator tables and record lists as CSV, XLSX and HXL-tagged CSV.

An indicator table is written long: one line per cell and per margin ("Total"), so that a
spreadsheet can pivot it; hidden cells carry "<5" or "*" (see suppression.py) in the value column.
HXL (Humanitarian Exchange Language) adds a second row of hashtags under the headers."""

import csv
import io

from django.utils.translation import gettext as _

from incluye.core.spreadsheets import safe_row
from incluye.impact.indicators import IndicatorTable, name

HXL_DIMENSIONS = {
    "month": "#date+month",
    "organization": "#org+name",
    "department": "#adm1+name",
    "sex": "#sex",
    "age_group": "#age+group",
    "category": "#category",
}


def table_rows(table: IndicatorTable, flt, *, language: str) -> tuple[list, list, list]:
    """(headers, hxl tags, rows) of an indicator table, margins included."""
    dims = [d for d in (table.rows_dim, table.cols_dim) if d]
    headers = [
        _("Country"),
        _("From"),
        _("To"),
        _("Indicator code"),
        _("Indicator"),
        *[_dim_label(d) for d in dims],
        _("Value"),
    ]
    tags = [
        "#country+code",
        "#date+start",
        "#date+end",
        "#indicator+code",
        "#indicator+name",
        *[HXL_DIMENSIONS[d] for d in dims],
        table.definition["hxl"] + "+value",
    ]
    head = [
        flt.country,
        flt.start.isoformat() if flt.start else "",
        flt.end.isoformat() if flt.end else "",
        table.code,
        name(table.definition, language),
    ]
    rows = []
    if not table.available:
        return headers, tags, [[*head, *([""] * len(dims)), _("not available")]]
    total_label = _("Total")
    if len(dims) == 0:
        rows.append([*head, table.shown(table.total, table.means.get("total"))])
    elif len(dims) == 1:
        for label, _cells, row_total in table.grid():
            rows.append([*head, label, row_total])
        rows.append([*head, total_label, table.totals_row()[1]])
    else:
        for label, cells, row_total in table.grid():
            for col_label, shown in zip(table.col_labels, cells, strict=True):
                rows.append([*head, label, col_label, shown])
            rows.append([*head, label, total_label, row_total])
        col_totals, grand = table.totals_row()
        for col_label, shown in zip(table.col_labels, col_totals, strict=True):
            rows.append([*head, total_label, col_label, shown])
        rows.append([*head, total_label, total_label, grand])
    return headers, tags, rows


def _dim_label(dim: str) -> str:
    return {
        "month": _("Month"),
        "organization": _("Organization"),
        "department": _("Department"),
        "sex": _("Sex"),
        "age_group": _("Age group"),
        "category": _("Category"),
    }[dim]


def to_csv(headers, rows, tags=None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(headers))
    if tags:
        writer.writerow(tags)
    writer.writerows(safe_row(row) for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM lets Excel read the accents


def to_xlsx(headers, rows, *, title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "data")
    sheet.append(safe_row(headers))
    for row in rows:
        sheet.append(
            safe_row(str(v) if v is not None and not isinstance(v, int | float | str) else v for v in row)
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
