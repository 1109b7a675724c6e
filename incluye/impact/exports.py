"""Indicator tables and record lists as CSV, XLSX and HXL-tagged CSV.

An indicator table is written long, one line per cell, so that a spreadsheet can pivot it, and so
that HXL tools (libhxl's default schema) accept it:

- the Value column holds numbers only; a cell hidden by small-cell suppression (see
  suppression.py), or a figure not available, leaves Value empty and says why in a column of its
  own ("Value withheld": "<5", "*", "not available"), tagged #meta+suppressed;
- the margins ("Total") are marked rows: the Total row column (#meta+total) says "Total", and the
  dimension that is totalled is left empty, so aggregation tools can leave them out;
- HXL adds a second row of hashtags under the headers: core hashtags where HXL has them (#country,
  #date, #indicator, #org, #adm1, #reached, #output), `#x_` ones where it does not (sex, age group,
  category), and `+num` on the value column. The HXL file has no byte-order mark; the plain CSV
  keeps one so that Excel reads the accents (or use the XLSX)."""

import csv
import io
import re

from django.utils.translation import gettext as _

from incluye.core.spreadsheets import safe_row
from incluye.impact.indicators import IndicatorTable, name

HXL_DIMENSIONS = {
    "month": "#date+month",
    "organization": "#org+name",
    "department": "#adm1+name",
    "sex": "#x_sex",
    "age_group": "#x_age_group",
    "category": "#x_category",
}
HXL_WITHHELD = "#meta+suppressed"
HXL_TOTAL = "#meta+total"


def value_tag(definition: dict) -> str:
    """The hashtag of the value column: the indicator's (indicators.json), marked numeric."""
    tag = definition["hxl"]
    return tag if "+num" in tag.split("+") else f"{tag}+num"


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _dimension_cell(dim: str, label) -> str:
    label = "" if label is None else str(label)
    if dim == "month" and not re.fullmatch(r"\d{4}-\d{2}", label):
        return ""  # a month that is not a date stays out of the #date column
    return label


def table_rows(table: IndicatorTable, flt, *, language: str) -> tuple[list, list, list]:
    """(headers, hxl tags, rows) of an indicator table: the cells, then its margins as marked rows."""
    dims = [d for d in (table.rows_dim, table.cols_dim) if d]
    headers = [
        _("Country"),
        _("From"),
        _("To"),
        _("Indicator code"),
        _("Indicator"),
        *[_dim_label(d) for d in dims],
        _("Value"),
        _("Value withheld"),
        _("Total row"),
    ]
    tags = [
        "#country+code",
        "#date+start",
        "#date+end",
        "#indicator+code",
        "#indicator+name",
        *[HXL_DIMENSIONS[d] for d in dims],
        value_tag(table.definition),
        HXL_WITHHELD,
        HXL_TOTAL,
    ]
    head = [
        flt.country,
        flt.start.isoformat() if flt.start else "",
        flt.end.isoformat() if flt.end else "",
        table.code,
        name(table.definition, language),
    ]
    total = _("Total")

    def line(labels, shown, *, is_total=False):
        cells = [_dimension_cell(d, label) for d, label in zip(dims, labels, strict=True)]
        value, withheld = (shown, "") if _is_number(shown) else ("", "" if shown is None else str(shown))
        return [*head, *cells, value, withheld, total if is_total else ""]

    if not table.available:
        return headers, tags, [line([None] * len(dims), _("not available"))]
    rows = []
    if len(dims) == 0:
        rows.append(line([], table.shown(table.total, table.means.get("total"))))
    elif len(dims) == 1:
        for label, _cells, row_total in table.grid():
            rows.append(line([label], row_total))
        rows.append(line([None], table.totals_row()[1], is_total=True))
    else:
        margins = []
        for label, cells, row_total in table.grid():
            for col_label, shown in zip(table.col_labels, cells, strict=True):
                rows.append(line([label, col_label], shown))
            margins.append(line([label, None], row_total, is_total=True))
        col_totals, grand = table.totals_row()
        for col_label, shown in zip(table.col_labels, col_totals, strict=True):
            margins.append(line([None, col_label], shown, is_total=True))
        margins.append(line([None, None], grand, is_total=True))
        rows.extend(margins)
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
    """CSV in UTF-8. With HXL tags: the tag row under the headers and no byte-order mark (HXL tools
    read the first header as is); without: a byte-order mark, which Excel needs for the accents."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(headers))
    if tags:
        writer.writerow(tags)
    writer.writerows(safe_row(row) for row in rows)
    return (out.getvalue() if tags else "\ufeff" + out.getvalue()).encode("utf-8")


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
