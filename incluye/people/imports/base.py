"""What every stage of an import shares: the tables read from a file, the limits a file must stay
within (counted while reading, never taken from the file's own header), and the error that refuses
a whole file."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _


class ManifestFileError(Exception):
    """The file as a whole cannot be used (unreadable, empty, too big, required columns missing)."""


@dataclass
class Table:
    """One sheet: its header, its rows as text, and where they sit in the file."""

    name: str
    columns: list[str]
    rows: list[list[str]]
    first_row_number: int = 2  # spreadsheet row number of rows[0] (the header is row 1)
    tags: list[str] = field(default_factory=list)  # an HXL hashtag row under the header, if any

    def row_number(self, offset: int) -> int:
        return self.first_row_number + offset


@dataclass
class Source:
    """Everything read from one file: the main table, its repeat tables (KoboToolbox repeat groups,
    linked by `_index` / `_parent_index`), and the KoboToolbox form when the file carries it."""

    main: Table
    repeats: list[Table] = field(default_factory=list)
    form: dict | None = None
    kind: str = "csv"


class Budget:
    """Rows, cells and bytes a file may expand to. Counted while reading: a spreadsheet's declared
    size (`<dimension>`, a ZIP entry's size) is never trusted."""

    def __init__(self, *, rows=None, cells=None, size=None):
        self.max_rows = rows or settings.INCLUYE_IMPORT_MAX_ROWS
        self.max_cells = cells or settings.INCLUYE_IMPORT_MAX_CELLS
        self.max_bytes = size or settings.INCLUYE_IMPORT_MAX_BYTES
        self.rows = self.raw_rows = self.cells = self.bytes = 0

    def add_row(self, cells: int, *, empty: bool = False) -> None:
        self.raw_rows += 1
        if self.raw_rows > 2 * self.max_rows + 1000:
            raise ManifestFileError(
                _("The file has more than %(limit)s rows. Split it into files of at most %(limit)s rows.")
                % {"limit": f"{self.max_rows:,}".replace(",", " ")}
            )
        if empty:
            return
        self.rows += 1
        self.cells += cells
        if self.rows > self.max_rows:
            raise ManifestFileError(
                _("The file has more than %(limit)s rows. Split it into files of at most %(limit)s rows.")
                % {"limit": f"{self.max_rows:,}".replace(",", " ")}
            )
        if self.cells > self.max_cells:
            raise ManifestFileError(
                _("The file has more than %(limit)s cells. Split it into smaller files.")
                % {"limit": f"{self.max_cells:,}".replace(",", " ")}
            )

    def add_bytes(self, count: int) -> None:
        self.bytes += count
        if self.bytes > self.max_bytes:
            raise ManifestFileError(
                _("Once uncompressed, the file is larger than %(limit)d MB. Split it into smaller files.")
                % {"limit": self.max_bytes // (1024 * 1024)}
            )
