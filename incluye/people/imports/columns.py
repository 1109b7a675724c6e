"""Stage 2, recognise the columns: which field each column of the file fills, whatever way
KoboToolbox (or a person) wrote its header: XML names or labels, in Spanish or English, with or
without group prefixes and any group separator, a multiple choice in one column or split into one
column per choice, an HXL hashtag row. A saved mapping wins over recognition; a column nobody
recognises is reported, never dropped in silence."""

from collections import Counter
from dataclasses import asdict, dataclass

from django.utils import translation

from incluye.core.text import fold, word_key, words
from incluye.people.imports.base import Table
from incluye.people.imports.fields import MULTIPLE, ImportField

IGNORE = "ignore"
META = "meta"
# KoboToolbox's own columns: the submission's identity, times, device, status.
META_NAMES = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "simserial",
    "subscriberid",
    "phonenumber",
    "audit",
    "instanceid",
    "instancename",
    "deprecatedid",
    "__version__",
}
META_PREFIXES = ("_", "meta/", "formhub/", "meta.", "formhub.", "meta:", "formhub:")
SEPARATORS = ("/", ".", ":", "|", ">", "\\", "__", " - ", "-")
SPLIT_VALUES = {"", "0", "1", "true", "false", "verdadero", "falso", "1.0", "0.0", "si", "no", "x"}
SELECTED = {"1", "true", "verdadero", "1.0", "si", "x"}
# A column named after the document says which document it holds.
DOCUMENT_WORDS = {"dpi": "DPI", "cui": "DPI", "dui": "DUI", "dni": "DNI", "cedula": "CEDULA"}
DOCUMENT_WORDS["pasaporte"] = "PASSPORT"
DOCUMENT_WORDS["passport"] = "PASSPORT"


def column_key(header: str) -> str:
    """How a saved mapping names a column: the header folded (case, accents, spaces)."""
    return fold(header)


def is_meta(header: str) -> bool:
    lowered = header.strip().lower()
    return lowered.startswith(META_PREFIXES) or lowered in META_NAMES


def _hxl_key(tag: str) -> str:
    parts = [p for p in tag.strip().lower().replace(" ", "").split("+") if p]
    return "+".join(parts[:1] + sorted(parts[1:])) if parts else ""


class Recognizer:
    """Knows the fields of one table (the arrivals, or the family members) by every name they go by."""

    def __init__(self, fields: tuple[ImportField, ...]):
        self.fields = {f.name: f for f in fields}
        self.exact: dict[str, str] = {}
        for f in fields:
            names = [f.name, *f.aliases]
            for language in ("es", "en"):
                with translation.override(language):
                    names.append(str(f.label))
            for name in names:
                self.exact.setdefault(word_key(name), f.name)
        self.rules = [(frozenset(kw), f.name) for f in fields for kw in f.keywords]
        self.tags = {_hxl_key(f.hxl): f.name for f in fields if f.hxl}
        self.multiple = {f.name for f in fields if f.kind == MULTIPLE}

    def by_words(self, text: str) -> str:
        """The field whose rule matches the most words of the text; none when two fields tie."""
        present = set(words(text))
        best, best_size, tie = "", 0, False
        for rule, name in self.rules:
            if rule <= present:
                if len(rule) > best_size:
                    best, best_size, tie = name, len(rule), False
                elif len(rule) == best_size and name != best:
                    tie = True
        return "" if tie else best

    def named(self, text: str) -> str:
        return self.exact.get(word_key(text), "")

    def recognise(self, header: str, separator: str, tag: str = "") -> tuple[str, str]:
        """(target, how): target a field, "field:choice" or META; how: name, split, words, hxl."""
        if is_meta(header):
            return META, META
        if found := self.named(header):
            return found, "name"
        parts = header.split(separator) if separator and separator in header else [header]
        if len(parts) > 1:
            choice = parts[-1].strip()
            for start in range(len(parts) - 1):
                question = separator.join(parts[start:-1])
                found = self.named(question) or self.by_words(question)
                if found in self.multiple and choice:
                    return f"{found}:{choice}", "split"
            for start in range(1, len(parts)):
                if found := self.named(separator.join(parts[start:])):
                    return found, "name"
            if found := self.by_words(parts[-1]):
                return found, "words"
            if not self.by_words(separator.join(parts[:-1])) and (found := self.by_words(header)):
                return found, "words"
        elif found := self.by_words(header):
            return found, "words"
        if tag and (found := self.tags.get(_hxl_key(tag))):
            return found, "hxl"
        return "", ""


def detect_separator(headers: list[str]) -> str:
    """The group separator of an export: the candidate that the most (non-metadata) headers hold."""
    counts = Counter()
    for header in headers:
        if is_meta(header):
            continue
        for separator in SEPARATORS:
            if separator in header:
                counts[separator] += 1
                break
    if not counts:
        return ""
    separator, count = counts.most_common(1)[0]
    return separator if count >= 2 or len(headers) <= 3 else ""


@dataclass
class Column:
    position: int
    header: str
    target: str = ""  # a field, "field:choice", IGNORE or META; "" = not recognised
    how: str = ""  # mapping, name, words, hxl, split, meta, duplicate
    filled: int = 0  # rows with a value
    document_type: str = ""  # from the header ("DPI", "DUI"…)

    @property
    def field(self) -> str:
        return self.target.split(":", 1)[0] if self.target not in (IGNORE, META) else ""

    @property
    def choice(self) -> str:
        return self.target.split(":", 1)[1] if ":" in self.target else ""


@dataclass
class TablePlan:
    table: Table
    columns: list[Column]
    separator: str

    def by_field(self) -> dict[str, list[Column]]:
        found: dict[str, list[Column]] = {}
        for column in self.columns:
            if column.field:
                found.setdefault(column.field, []).append(column)
        return found

    def unknown_with_data(self) -> list[Column]:
        return [c for c in self.columns if not c.target and c.filled]

    def report(self, kind_fields: dict[str, ImportField]) -> dict:
        return {
            "name": self.table.name,
            "rows": len(self.table.rows),
            "separator": self.separator,
            "columns": [
                {**asdict(c), "label": _label(c, kind_fields)} for c in self.columns if c.header or c.filled
            ],
        }


def _label(column: Column, fields: dict[str, ImportField]) -> str:
    field = fields.get(column.field)
    if not field:
        return ""
    return f"{field.label}: {column.choice}" if column.choice else str(field.label)


def plan_table(table: Table, recognizer: Recognizer, mapping: dict | None = None) -> TablePlan:
    """Each column with its target. `mapping`: {column key: target} saved by an officer."""
    mapping = mapping or {}
    separator = detect_separator(table.columns)
    filled = [0] * len(table.columns)
    for row in table.rows:
        for i, value in enumerate(row):
            if value:
                filled[i] += 1
    columns = []
    for position, header in enumerate(table.columns):
        tag = table.tags[position] if position < len(table.tags) else ""
        column = Column(position, header, filled=filled[position])
        saved = mapping.get(column_key(header))
        if saved and (saved in (IGNORE, META) or saved.split(":", 1)[0] in recognizer.fields):
            column.target, column.how = saved, "mapping"
        else:
            column.target, column.how = recognizer.recognise(header, separator, tag)
            if column.how == "split" and not _looks_split(table, position):
                column.target, column.how = "", ""
        if column.field == "document_number":
            found = [DOCUMENT_WORDS[w] for w in words(header) if w in DOCUMENT_WORDS]
            column.document_type = found[0] if found else ""
        columns.append(column)
    _settle_duplicates(columns, recognizer)
    return TablePlan(table, columns, separator)


def _looks_split(table: Table, position: int) -> bool:
    return all(fold(row[position]) in SPLIT_VALUES for row in table.rows[:500])


def _settle_duplicates(columns: list[Column], recognizer: Recognizer) -> None:
    """One column per single field (the first wins, the others are reported); a multiple choice
    given both as one column and split into columns is read from the one column."""
    seen: set[str] = set()
    summary = {c.field for c in columns if c.field in recognizer.multiple and not c.choice}
    for column in columns:
        if not column.field or (column.how == "mapping" and column.choice):
            continue
        if column.choice:
            if column.field in summary:
                column.how = "covered"
            continue
        if column.field in seen:
            column.target, column.how = "", "duplicate"
        seen.add(column.field)


def selected(value: str) -> bool:
    return fold(value) in SELECTED
