"""Manifest import: a flight or bus manifest (CSV, XLSX), a KoboToolbox export (any style) or a pull
from a KoboToolbox server → people, returns and households. By stage:

- `read`: the file's tables (every sheet, HXL row, KoboToolbox JSON), bounded by what it expands to;
- `columns`: which field each column fills (recognised, or as the officer mapped it);
- `values`: choices and places as the file writes them → our codes;
- `check`: every row through the desk's `IntakeForm`, family members, new / known / edited / deleted
  submissions; nothing is written;
- `write`: all or nothing, one transaction; already-imported submissions are skipped.

`services` drives them (upload, check, import, discard); `fields` is the data that says what can be
imported; `xlsform` builds our own form from it; `kobo` pulls from a KoboToolbox server."""

from incluye.people.imports.base import Budget, ManifestFileError, Source, Table
from incluye.people.imports.fields import ARRIVALS, KINDS
from incluye.people.imports.read import read_source, read_table
from incluye.people.imports.report import error_report
from incluye.people.imports.services import (
    INLINE_MAX_ROWS,
    manifest_check,
    manifest_discard,
    manifest_import,
    manifest_start_import,
    manifest_upload,
    manifest_validate,
    mapping_save,
)

__all__ = [
    "ARRIVALS",
    "INLINE_MAX_ROWS",
    "KINDS",
    "Budget",
    "ManifestFileError",
    "Source",
    "Table",
    "error_report",
    "manifest_check",
    "manifest_discard",
    "manifest_import",
    "manifest_start_import",
    "manifest_upload",
    "manifest_validate",
    "mapping_save",
    "read_source",
    "read_table",
]
