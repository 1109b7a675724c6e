"""What the importers share: reading the files of a distribution (a folder or a .zip), checking
them, and writing in bulk. Every problem becomes a `TaxonomyFileError` that names the file, the line
and what is wrong."""

import csv
import io
import re
import time
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.db.models import Model
from django.utils.translation import gettext as _

from incluye.skills.models import Occupation, TaxonomyImport

BATCH_SIZE = 2000
CHUNK = 900  # ids per `__in` filter: well below SQLite's and PostgreSQL's parameter limits
DELIMITERS = ("\t", ",", ";")

csv.field_size_limit(16 * 1024 * 1024)


class TaxonomyFileError(Exception):
    """A file that cannot be imported. The message names the file, the line when there is one, and
    what is wrong, in the active language."""

    def __init__(self, file: str, problem: str, line: int | None = None):
        self.file, self.problem, self.line = file, problem, line
        if line is None:
            message = _("%(file)s: %(problem)s") % {"file": file, "problem": problem}
        else:
            message = _("%(file)s, line %(line)d: %(problem)s") % {
                "file": file,
                "line": line,
                "problem": problem,
            }
        super().__init__(message)


class Row(dict):
    """The values of one row by column name, and the line where the row starts."""

    __slots__ = ("line",)

    def __init__(self, line: int, values: Iterable[tuple[str, str]]):
        super().__init__(values)
        self.line = line


def delimiter_label(delimiter: str) -> str:
    return {"\t": _("tabs"), ",": _("commas"), ";": _("semicolons")}.get(delimiter, repr(delimiter))


def decode(name: str, data: bytes) -> str:
    """The text of a UTF-8 file (a byte-order mark is dropped)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise TaxonomyFileError(
            name,
            _("the byte 0x%(byte)02X is not UTF-8 text (save the file as UTF-8).")
            % {"byte": data[error.start]},
            line,
        ) from None
    if not text.strip():
        raise TaxonomyFileError(name, _("the file is empty."))
    return text


def sniff_delimiter(text: str) -> str:
    """The separator of a CSV whose header uses commas, semicolons or tabs."""
    header = text.split("\n", 1)[0]
    return max(DELIMITERS, key=header.count)


def read_header(name: str, data: bytes) -> list[str]:
    """The column names of a CSV (commas, semicolons or tabs), to tell which shape it has."""
    text = decode(name, data)
    try:
        first = next(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)))
    except (csv.Error, StopIteration):
        raise TaxonomyFileError(name, _("the first line is not a header of columns."), 1) from None
    return [column.strip() for column in first]


def read_table(
    name: str,
    data: bytes,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    delimiter: str | None = None,
) -> list[Row]:
    """The rows of a delimited file, checked: the required columns are present, every row has as
    many fields as the header, and there is at least one row. `delimiter=None` detects commas,
    semicolons or tabs from the header."""
    text = decode(name, data)
    if delimiter is None:
        delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    previous = 0  # the line where the last row read ends
    try:
        header = [column.strip() for column in next(reader)]
        missing = [column for column in required if column not in header]
        if missing:
            others = [d for d in DELIMITERS if d != delimiter and d in text.split("\n", 1)[0]]
            if len(header) == 1 and others:
                raise TaxonomyFileError(
                    name,
                    _("the columns are separated by %(found)s, not by %(expected)s (is it the right file?).")
                    % {"found": delimiter_label(others[0]), "expected": delimiter_label(delimiter)},
                    1,
                )
            raise TaxonomyFileError(
                name, _("the column “%(column)s” is missing.") % {"column": missing[0]}, 1
            )
        wanted = [(header.index(c), c) for c in (*required, *optional) if c in header]
        width = len(header)
        previous = reader.line_num
        for fields in reader:
            line, previous = previous + 1, reader.line_num
            if not fields:
                continue
            if len(fields) != width:
                if len(fields) < width:
                    problem = _(
                        "the row has %(found)d fields; %(expected)d were expected (is the file truncated?)"
                    )
                else:
                    problem = _("the row has %(found)d fields; %(expected)d were expected.")
                raise TaxonomyFileError(name, problem % {"found": len(fields), "expected": width}, line)
            rows.append(Row(line, ((column, fields[i].strip()) for i, column in wanted)))
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            problem = _("a quoted value is not closed (is the file truncated?).")
        else:
            problem = _("the row cannot be read (%(error)s).") % {"error": error}
        raise TaxonomyFileError(name, problem, previous + 1) from None
    if not rows:
        raise TaxonomyFileError(name, _("the file has a header but no rows (is it truncated?)."))
    return rows


class Distribution:
    """The files of a folder, or of a .zip file (found by name at any depth, as in O*NET's
    db_29_3_text.zip where they sit in a subfolder)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.label = self.path.name or str(self.path)
        self.files: dict[str, object] = {}
        if self.path.is_dir():
            for depth in ("*", "*/*"):
                for file in sorted(self.path.glob(depth)):
                    if file.is_file():
                        self.files.setdefault(file.name, file)
            self.archive = None
        elif self.path.is_file():
            try:
                self.archive = zipfile.ZipFile(self.path)
            except (zipfile.BadZipFile, OSError):
                raise TaxonomyFileError(
                    self.label, _("it is neither a folder nor a .zip file (or the .zip is damaged).")
                ) from None
            for info in sorted(self.archive.infolist(), key=lambda i: i.filename.count("/")):
                base = info.filename.rsplit("/", 1)[-1]
                if info.is_dir() or base.startswith("._") or info.filename.startswith("__MACOSX"):
                    continue
                self.files.setdefault(base, info)
        else:
            raise TaxonomyFileError(str(self.path), _("there is no such file or folder."))

    def names(self) -> list[str]:
        return list(self.files)

    def read(self, name: str) -> bytes | None:
        """The bytes of the file called `name`, or None when the distribution lacks it."""
        entry = self.files.get(name)
        if entry is None:
            return None
        try:
            if self.archive is not None:
                return self.archive.read(entry)
            return entry.read_bytes()
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as error:
            raise TaxonomyFileError(
                name,
                _("the file cannot be read (%(error)s).") % {"error": str(error) or type(error).__name__},
            ) from None

    def require(self, name: str) -> bytes:
        data = self.read(name)
        if data is None:
            raise TaxonomyFileError(self.label, _("the file “%(name)s” is missing.") % {"name": name})
        return data

    def close(self):
        if self.archive is not None:
            self.archive.close()


def version_from_name(path: Path) -> str:
    """A version written in a folder or file name ("ESCO dataset - v1.1.1 - …", "v1.0_es_en")."""
    match = re.search(r"v(\d+(?:\.\d+)+)", Path(path).name)
    return match.group(1) if match else ""


def chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def delete_for_occupations(model: type[Model], ids: Sequence[int], **filters) -> None:
    """Deletes the rows of `model` that belong to these occupations and match `filters`."""
    for chunk in chunks(list(ids)):
        model.objects.filter(occupation_id__in=chunk, **filters).delete()


def bulk_insert(model: type[Model], objects: Iterable[Model], *, ignore_conflicts: bool = False) -> None:
    model.objects.bulk_create(list(objects), batch_size=BATCH_SIZE, ignore_conflicts=ignore_conflicts)


def upsert_occupations(system: str, values: dict[str, dict]) -> tuple[dict[str, int], int, int]:
    """Creates or updates the occupations of `system` given as {code: {field: value}}; fields not
    given are kept. Returns ({code: id} for the whole system, created, updated)."""
    fields = sorted({field for entry in values.values() for field in entry})
    existing = {o.code: o for o in Occupation.objects.filter(system=system).only("id", "code", *fields)}
    new, changed = [], []
    for code, entry in values.items():
        occupation = existing.get(code)
        if occupation is None:
            new.append(Occupation(system=system, code=code, **entry))
        elif any(getattr(occupation, field) != value for field, value in entry.items()):
            for field, value in entry.items():
                setattr(occupation, field, value)
            changed.append(occupation)
    bulk_insert(Occupation, new)
    if changed:
        Occupation.objects.bulk_update(changed, fields, batch_size=500)
    ids = dict(Occupation.objects.filter(system=system).values_list("code", "id"))
    return ids, len(new), len(changed)


def clip(text: str, length: int = 255) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def record_import(*, kind: str, path: Path, version: str, counts: dict, started: float) -> TaxonomyImport:
    """The record of an import, written in its transaction."""
    return TaxonomyImport.objects.create(
        kind=kind,
        path=str(path)[:500],
        version=version[:40],
        counts=counts,
        seconds=round(time.perf_counter() - started, 2),
    )


def finish(run: TaxonomyImport, started: float) -> TaxonomyImport:
    """Sets the duration of the import, now that it is committed (PostgreSQL checks the foreign keys
    at the commit)."""
    run.seconds = round(time.perf_counter() - started, 2)
    TaxonomyImport.objects.filter(pk=run.pk).update(seconds=run.seconds)
    return run
