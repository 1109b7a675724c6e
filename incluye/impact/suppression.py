"""Small-cell suppression for every aggregate that leaves an organization (exports, the public
page, the regional roll-up). Pure functions over plain numbers: no database, no Django.

Rules (what we chose, and why):

- **Primary**: a count of at least 1 and under the threshold (default 5, the setting
  `INCLUYE_SUPPRESSION_THRESHOLD`) is hidden and shown as "<5". A count of **0 is not sensitive**
  and is kept: it says nobody was reached, which identifies nobody, and hiding every zero would
  blank most of a small country's tables.
- **Secondary**: a published table has additive relations — each row with its total, each column
  with its total, the row totals with the grand total, the column totals with the grand total. A
  relation with exactly one hidden item gives that item away by subtraction, so the smallest other
  item of the relation (a non-zero one first; a zero only if nothing else is left) is hidden too,
  and the whole is re-checked until no relation has a lone hidden item. Secondary cells are shown
  as "*" (they are not small: "<5" would be false).
- Totals are counts like any other: a total under the threshold is itself primary-suppressed.

This is the classic "no lone suppression" heuristic, not an optimal (linear programming) cell
suppression: it guarantees that no published total reveals a hidden cell exactly, but an
adversary may still bound a hidden cell within an interval, as with any suppression.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PRIMARY = "primary"
SECONDARY = "secondary"
DEFAULT_THRESHOLD = 5
SECONDARY_MARK = "*"


def threshold_setting() -> int:
    """The configured threshold (settings.INCLUYE_SUPPRESSION_THRESHOLD, default 5)."""
    try:
        from django.conf import settings

        return int(getattr(settings, "INCLUYE_SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD))
    except Exception:  # used outside Django (the merge of regional files)
        return DEFAULT_THRESHOLD


def is_small(value: int | float, threshold: int) -> bool:
    return 0 < value < threshold


def mark(value, status: str | None, threshold: int) -> str:
    """How a cell is shown: the number, "<5" (primary) or "*" (secondary)."""
    if status == PRIMARY:
        return f"<{threshold}"
    if status == SECONDARY:
        return SECONDARY_MARK
    return str(value)


@dataclass
class Cell:
    value: int
    status: str | None = None  # None, PRIMARY or SECONDARY

    @property
    def hidden(self) -> bool:
        return self.status is not None

    def shown(self, threshold: int):
        """The number, or the marker string when hidden."""
        return mark(self.value, self.status, threshold) if self.hidden else self.value


@dataclass
class SuppressedTable:
    """A 2-D table with its margins, each cell carrying its suppression status."""

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell
    threshold: int
    relations: list[list[Cell]] = field(default_factory=list, repr=False)

    def hidden_count(self) -> int:
        every = [c for row in self.cells for c in row] + self.row_totals + self.column_totals + [self.total]
        return sum(1 for c in every if c.hidden)


def _pick_complement(relation: list[Cell]) -> Cell | None:
    candidates = [c for c in relation if not c.hidden]
    if not candidates:
        return None
    nonzero = [c for c in candidates if c.value != 0]
    pool = nonzero or candidates
    return min(pool, key=lambda c: c.value)


def protect(relations: list[list[Cell]]) -> None:
    """Secondary suppression: until stable, no relation may have exactly one hidden item."""
    changed = True
    while changed:
        changed = False
        for relation in relations:
            if sum(1 for c in relation if c.hidden) == 1:
                complement = _pick_complement(relation)
                if complement is not None:
                    complement.status = SECONDARY
                    changed = True


def suppress_table(values: list[list[int]], threshold: int | None = None) -> SuppressedTable:
    """Suppress a rows × columns table of counts and its margins (row, column and grand totals)."""
    threshold = threshold_setting() if threshold is None else threshold
    cells = [[Cell(int(v)) for v in row] for row in values]
    columns = len(cells[0]) if cells else 0
    row_totals = [Cell(sum(c.value for c in row)) for row in cells]
    column_totals = [Cell(sum(row[j].value for row in cells)) for j in range(columns)]
    total = Cell(sum(c.value for c in row_totals))
    for cell in [*(c for row in cells for c in row), *row_totals, *column_totals, total]:
        if is_small(cell.value, threshold):
            cell.status = PRIMARY
    relations = [
        *([*row, row_totals[i]] for i, row in enumerate(cells)),
        *([*(row[j] for row in cells), column_totals[j]] for j in range(columns)),
        [*row_totals, total],
        [*column_totals, total],
    ]
    protect(relations)
    return SuppressedTable(cells, row_totals, column_totals, total, threshold, relations)


def suppress_series(values: list[int], threshold: int | None = None) -> tuple[list[Cell], Cell]:
    """A one-dimensional table (a list of counts and their total)."""
    table = suppress_table([[v] for v in values], threshold)
    return [row[0] for row in table.cells], table.total


def suppress_value(value: int, threshold: int | None = None) -> Cell:
    """One number published alone (a headline figure)."""
    threshold = threshold_setting() if threshold is None else threshold
    return Cell(int(value), PRIMARY if is_small(value, threshold) else None)


def unsuppressed_small_values(values, threshold: int) -> list:
    """Numbers of a file claiming to be suppressed that are small yet published (for the merge)."""
    return [
        v for v in values if isinstance(v, int | float) and not isinstance(v, bool) and is_small(v, threshold)
    ]
