"""Stage 1, read: a CSV (any common encoding and delimiter), an XLSX workbook (every sheet: a
KoboToolbox repeat group is a sheet of its own) or KoboToolbox's JSON (the API v2 data endpoint, or
a pull stored with its form) becomes a `Source` of text tables. Nothing is interpreted yet.

Reading is bounded by what the file expands to (see `Budget`): a 300 KB spreadsheet that unpacks to
a million rows is refused after reading the first rows over the limit, with bounded memory."""

import csv
import datetime
import io
import json
import zipfile

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

from incluye.core.spreadsheets import unneutralize
from incluye.people.imports.base import Budget, ManifestFileError, Source, Table

JSON_MAX_DEPTH = 64


def is_xlsx(name: str, content: bytes) -> bool:
    return content[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx")


def is_json(name: str, content: bytes) -> bool:
    return name.lower().endswith(".json") or content.lstrip()[:1] in (b"{", b"[")


def read_source(name: str, content: bytes, *, budget: Budget | None = None) -> Source:
    budget = budget or Budget()
    if is_xlsx(name, content):
        return _read_xlsx(content, budget)
    if is_json(name, content):
        return _read_json(content, budget)
    return Source(main=_read_csv(content, budget), kind="csv")


def read_table(name: str, content: bytes) -> Table:
    """The main table of a file (the first sheet of a workbook)."""
    return read_source(name, content).main


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _with_tags(name: str, columns: list[str], rows: list[list[str]]) -> Table:
    """A table; an HXL hashtag row right under the header (every filled cell a #tag) is kept apart."""
    table = Table(name=name, columns=columns, rows=rows)
    if rows:
        first = [c for c in rows[0] if c]
        if first and all(c.startswith("#") for c in first):
            table.tags = rows[0]
            table.rows = rows[1:]
            table.first_row_number = 3
    return table


# -- XLSX ------------------------------------------------------------------------------------------
def _read_xlsx(content: bytes, budget: Budget) -> Source:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        # Unpack every part once, counting the bytes it really expands to (a ZIP entry's declared
        # size is the file's word, not a fact).
        for info in archive.infolist():
            with archive.open(info) as part:
                while chunk := part.read(1 << 20):
                    budget.add_bytes(len(chunk))
    except ManifestFileError:
        raise
    except Exception as exc:  # a damaged or disguised archive
        raise ManifestFileError(_("The Excel file could not be opened: is it a valid .xlsx file?")) from exc
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ManifestFileError(_("The Excel file could not be opened: is it a valid .xlsx file?")) from exc
    try:
        tables = [_read_sheet(sheet, budget) for sheet in workbook.worksheets]
    except ManifestFileError:
        raise
    except Exception as exc:
        raise ManifestFileError(_("The Excel file could not be read: is it damaged?")) from exc
    finally:
        workbook.close()
    if not tables or not tables[0].columns:
        raise ManifestFileError(_("The first sheet is empty: the first row must name the columns."))
    return Source(main=tables[0], repeats=[t for t in tables[1:] if t.columns], kind="xlsx")


def _read_sheet(sheet, budget: Budget) -> Table:
    # Read-only mode trusts the sheet's <dimension>, which a file may understate: read it all.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    while header is not None and not any(v not in (None, "") for v in header):
        budget.add_row(0, empty=True)
        header = next(rows, None)
    if header is None:
        return Table(name=sheet.title, columns=[], rows=[])
    columns = [cell_text(c) for c in header]
    while columns and not columns[-1]:
        columns.pop()
    width = len(columns)
    data = []
    for row in rows:
        values = [cell_text(v) for v in row[:width]]
        filled = any(values)
        budget.add_row(width, empty=not filled)
        if filled:
            data.append(values + [""] * (width - len(values)))
    return _with_tags(sheet.title, columns, data)


# -- CSV -------------------------------------------------------------------------------------------
def _read_csv(content: bytes, budget: Budget) -> Table:
    if b"\x00" in content[:4096]:
        raise ManifestFileError(_("This is not a text (CSV) file. Upload a CSV or an Excel (.xlsx) file."))
    budget.add_bytes(len(content))
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
        width = len(columns)
        data = []
        for row in reader:
            # A report neutralized against formulas and uploaded again: the apostrophe goes.
            values = [unneutralize(v.strip()) for v in row[:width]]
            filled = any(values)
            budget.add_row(width, empty=not filled)
            if filled:
                data.append(values + [""] * (width - len(values)))
    except csv.Error:
        # A stray quote or line break the CSV reader cannot place (a damaged file).
        raise ManifestFileError(
            _("Line %(line)s of the file cannot be read: is the file damaged or cut short?")
            % {"line": reader.line_num}
        ) from None
    return _with_tags("", columns, data)


# -- KoboToolbox JSON ------------------------------------------------------------------------------
def _read_json(content: bytes, budget: Budget) -> Source:
    budget.add_bytes(len(content))
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ManifestFileError(
            _("The file is not valid JSON. Upload KoboToolbox's JSON as it was downloaded.")
        ) from None
    form = None
    if isinstance(data, dict):
        form = data.get("form") if isinstance(data.get("form"), dict) else None
        submissions = data.get("results")
    else:
        submissions = data
    if not isinstance(submissions, list) or not all(isinstance(s, dict) for s in submissions):
        raise ManifestFileError(
            _("This JSON is not a list of KoboToolbox submissions (the data endpoint's “results”).")
        )
    main_columns: dict[str, None] = {}
    main_rows: list[dict] = []
    repeats: dict[str, tuple[dict, list]] = {}
    for index, submission in enumerate(submissions, start=1):
        row = _flatten(submission, index, "", repeats, budget, depth=0)
        row["_index"] = str(index)
        main_columns.update(dict.fromkeys(row))
        main_rows.append(row)
        budget.add_row(len(row))
    main = _table_of("", list(main_columns), main_rows)
    tables = [_table_of(name, list(columns), rows) for name, (columns, rows) in repeats.items()]
    if not main.columns:
        raise ManifestFileError(_("The file has no rows."))
    return Source(main=main, repeats=tables, form=form, kind="json")


def _flatten(entry: dict, index: int, table: str, repeats: dict, budget: Budget, depth: int) -> dict:
    if depth > JSON_MAX_DEPTH:
        raise ManifestFileError(_("The JSON file nests repeat groups too deeply."))
    row: dict[str, str] = {}
    for key, value in entry.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            if key == "_attachments":
                continue
            name = str(key).rsplit("/", 1)[-1]
            columns, rows = repeats.setdefault(name, ({}, []))
            for item in value:
                child_index = len(rows) + 1
                child = _flatten(item, child_index, name, repeats, budget, depth + 1)
                child.update(
                    {
                        "_index": str(child_index),
                        "_parent_table_name": table,
                        "_parent_index": str(index),
                        "_submission__uuid": str(entry.get("_uuid", "")) if not table else "",
                    }
                )
                columns.update(dict.fromkeys(child))
                rows.append(child)
                budget.add_row(len(child))
        elif isinstance(value, dict):
            row[str(key)] = ""  # e.g. an empty _validation_status
        elif isinstance(value, list):
            row[str(key)] = " ".join("" if v is None else str(v) for v in value if v is not None)
        else:
            row[str(key)] = cell_text(value)
    return row


def _table_of(name: str, columns: list[str], rows: list[dict]) -> Table:
    return Table(name=name, columns=columns, rows=[[row.get(c, "") for c in columns] for row in rows])
