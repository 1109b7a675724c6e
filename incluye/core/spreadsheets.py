"""Cells that leave Incluye in a spreadsheet (CSV, XLSX) are neutralized against formulas.

A value typed by someone (a name in a manifest, a vacancy title) that starts with `=`, `+`, `-`,
`@`, a tab or a carriage return is run as a formula by spreadsheet programs: `=HYPERLINK(…)`
leaks data, `=cmd|…` runs a command (OWASP "CSV injection"). Such a text gets a leading apostrophe,
which spreadsheet programs show as text. Numbers stay numbers, and texts that are only digits and
punctuation (a phone "+502 5555-1234", a negative "-3") cannot be formulas and stay as they are.
"""

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Texts made only of digits, spaces and number punctuation cannot run anything.
_HARMLESS = re.compile(r"[+-]?[\d\s().,/-]+")


def safe_cell(value):
    """The value as it may be written into a spreadsheet cell."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if _HARMLESS.fullmatch(value):
        return value
    return "'" + value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]


def unneutralize(value: str) -> str:
    """The value before `safe_cell`: a report neutralized against formulas, fixed and uploaded
    again, must not bring the protecting apostrophe into the data. Only an apostrophe that
    `safe_cell` would have added goes; any other stays."""
    if value.startswith("'") and safe_cell(value[1:]) == value:
        return value[1:]
    return value
