"""The indicator engine: compute an indicator live from the records, or read it from the
summary (IndicatorCell), and lay it out as a table with small-cell suppression."""

import time
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from incluye.impact import registry
from incluye.impact.computations import _not_available
from incluye.impact.filters import AGE_GROUPS, DIMENSIONS, SEXES, IndicatorFilter
from incluye.impact.registry import NOT_AVAILABLE
from incluye.impact.suppression import Cell, suppress_table, threshold_setting

CELL_FIELDS = {
    "month": "month",
    "organization": "organization_id",
    "department": "department_id",
    "sex": "sex",
    "age_group": "age_group",
    "category": "category",
}


def compute(code: str, flt: IndicatorFilter, group_by: tuple = ()) -> dict:
    """{key: (value, n)} computed live from the records, or NOT_AVAILABLE."""
    definition = registry.definition(code)
    if definition["kind"] == "stock":
        flt = flt.but(start=None, end=None)
    return registry.compute_function(code)(flt, tuple(group_by))


def has_summary(country: str) -> bool:
    from incluye.impact.models import CellRefresh

    return CellRefresh.objects.filter(country_id=country).exists()


def from_summary(code: str, flt: IndicatorFilter, group_by: tuple = ()) -> dict:
    """The same answer as `compute`, read from the summary table (one aggregate query)."""
    from django.db.models import Sum

    from incluye.impact.models import IndicatorCell

    definition = registry.definition(code)
    qs = IndicatorCell.objects.filter(country_id=flt.country, indicator=code)
    if definition["kind"] == "flow":
        if flt.start:
            qs = qs.filter(month__gte=flt.start.replace(day=1))
        if flt.end:
            qs = qs.filter(month__lte=flt.end)
    for dim in ("organization", "department", "sex", "age_group"):
        wanted = getattr(flt, dim)
        if wanted:
            qs = qs.filter(**{CELL_FIELDS[dim]: wanted})
    if registry.compute_function(code) is _not_available:
        return NOT_AVAILABLE
    columns = [CELL_FIELDS[d] for d in group_by]
    if not columns:
        row = qs.aggregate(v=Sum("value"), c=Sum("n"))
        return {(): (row["v"], row["c"])} if row["c"] else {}
    rows = qs.order_by().values(*columns).annotate(v=Sum("value"), c=Sum("n"))
    return {tuple(row[c] for c in columns): (row["v"], row["c"]) for row in rows}


def pick_source(country: str) -> str:
    return "summary" if has_summary(country) else "live"


def values(code: str, flt: IndicatorFilter, group_by: tuple = (), *, source: str = "auto") -> dict:
    """`source`: "live", "summary", or "auto" (the summary when it has been built for the country)."""
    if source == "auto":
        source = pick_source(flt.country)
    if source == "summary":
        return from_summary(code, flt, group_by)
    return compute(code, flt, group_by)


def total(code: str, flt: IndicatorFilter, *, source: str = "auto"):
    """(value, n) of the whole filter, or NOT_AVAILABLE."""
    result = values(code, flt, (), source=source)
    if result is NOT_AVAILABLE:
        return NOT_AVAILABLE
    return result.get((), (0, 0))


@transaction.atomic
def refresh_summary(country: str) -> int:
    """Rebuild the summary of a country from the records (one aggregate query per indicator)."""
    from incluye.impact.models import CellRefresh, IndicatorCell

    started = time.monotonic()
    flt = IndicatorFilter(country=country)
    cells = []
    for definition in registry.definitions():
        result = registry.compute_function(definition["code"])(flt, DIMENSIONS)
        if result is NOT_AVAILABLE:
            continue
        for key, (value, n) in result.items():
            month, organization, department, sex, age_group, category = key
            cells.append(
                IndicatorCell(
                    indicator=definition["code"],
                    country_id=country,
                    month=month,
                    organization_id=organization,
                    department_id=department,
                    sex=sex or "",
                    age_group=age_group or "",
                    category=str(category or "")[:40],
                    value=value,
                    n=n,
                )
            )
    IndicatorCell.objects.filter(country_id=country).delete()
    IndicatorCell.objects.bulk_create(cells, batch_size=5000)
    CellRefresh.objects.update_or_create(
        country_id=country,
        defaults={"refreshed_at": timezone.now(), "seconds": time.monotonic() - started, "cells": len(cells)},
    )
    return len(cells)


# -- labels ----------------------------------------------------------------------------------------


def dimension_labels(dim: str, keys, *, language: str | None = None) -> dict:
    """Readable labels of the values of one dimension (one query at most)."""
    from django.utils.translation import gettext as _

    keys = list(keys)
    if dim == "month":
        return {k: k.strftime("%Y-%m") if k else "—" for k in keys}
    if dim == "organization":
        from incluye.accounts.models import Organization

        names = dict(Organization.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
        return {k: names.get(k, "—") for k in keys}
    if dim == "department":
        from incluye.core.models import Division

        names = dict(Division.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
        return {k: names.get(k, _("Not recorded")) for k in keys}
    if dim == "sex":
        from incluye.people.models import Sex

        labels = dict(Sex.choices)
        return {k: str(labels.get(k, _("Not recorded"))) for k in keys}
    if dim == "age_group":
        return {k: (_("Age not recorded") if k in ("", "unknown", None) else k) for k in keys}
    if dim == "category":
        from incluye.accounts.models import Sector
        from incluye.cases.models import CaseStatus
        from incluye.core.models import Country
        from incluye.core.text import pick_language
        from incluye.people.models import Population
        from incluye.referrals.models import RequestKind, ServiceKind

        labels = {
            **dict(CaseStatus.choices),
            **dict(ServiceKind.choices),
            **dict(Sector.choices),
            **dict(RequestKind.choices),
            **dict(Population.choices),
        }
        codes = [k for k in keys if isinstance(k, str) and len(k) == 2 and k.isupper() and k not in labels]
        if codes:  # a nationality
            labels.update(
                {
                    code: pick_language(names, language)
                    for code, names in Country.objects.filter(code__in=codes).values_list("code", "names")
                }
            )
        return {k: str(labels.get(k, k)) for k in keys}
    return {k: str(k) for k in keys}


def dimension_order(dim: str, keys) -> list:
    from incluye.accounts.models import Sector
    from incluye.cases.models import CaseStatus

    keys = list(keys)
    if dim == "age_group":
        return sorted(keys, key=lambda k: AGE_GROUPS.index(k) if k in AGE_GROUPS else len(AGE_GROUPS))
    if dim == "sex":
        return sorted(keys, key=lambda k: SEXES.index(k) if k in SEXES else 9)
    if dim == "category":
        from incluye.people.models import Population

        order = [*CaseStatus.values, *Sector.values, *Population.values]
        return sorted(keys, key=lambda k: (order.index(k) if k in order else len(order), str(k)))
    return sorted(keys, key=lambda k: (k is None, k))


# -- tables --------------------------------------------------------------------------------------


@dataclass
class IndicatorTable:
    """An indicator by one or two dimensions, with margins, suppressed or not."""

    code: str
    definition: dict
    rows_dim: str | None
    cols_dim: str | None
    row_keys: list
    col_keys: list
    row_labels: list
    col_labels: list
    cells: list  # [[Cell]]
    row_totals: list
    column_totals: list
    total: Cell | None
    suppressed: bool
    threshold: int
    available: bool = True
    means: dict = field(default_factory=dict)  # for means: {(i, j) / ("row", i) / …: sum}

    @property
    def is_mean(self) -> bool:
        return self.definition["unit"] == "mean"

    def shown(self, cell: Cell, mean_sum=None):
        """What a reader sees in a cell: a number, "<5", "*"."""
        if cell.hidden:
            return cell.shown(self.threshold)
        if self.is_mean:
            return round(mean_sum / cell.value, 3) if cell.value else "—"
        return int(cell.value) if float(cell.value).is_integer() else round(cell.value, 3)

    def grid(self):
        """Rows of (label, [shown cells], shown row total)."""
        for i, label in enumerate(self.row_labels):
            yield (
                label,
                [self.shown(c, self.means.get((i, j))) for j, c in enumerate(self.cells[i])],
                self.shown(self.row_totals[i], self.means.get(("row", i))),
            )

    def totals_row(self):
        return (
            [self.shown(c, self.means.get(("col", j))) for j, c in enumerate(self.column_totals)],
            self.shown(self.total, self.means.get("total")) if self.total else None,
        )

    def _margin_series(self, labels, totals, key):
        result = []
        for i, label in enumerate(labels):
            shown = self.shown(totals[i], self.means.get((key, i)))
            value = None if totals[i].hidden or not isinstance(shown, int | float) else shown
            result.append((label, value, shown))
        return result

    def series(self):
        """(label, number or None when hidden, what the table shows) for the charts: one per row
        (the row total). A chart shows exactly what the table shows: a number, "<5" or "*"."""
        return self._margin_series(self.row_labels, self.row_totals, "row")

    def column_series(self):
        """The same for the columns (their totals), from the same suppressed table: a chart of
        the columns agrees with the rows' chart and with the table published beside them."""
        return self._margin_series(self.col_labels, self.column_totals, "col")


def table(
    code: str,
    flt: IndicatorFilter,
    rows_dim: str | None = None,
    cols_dim: str | None = None,
    *,
    suppress: bool = True,
    threshold: int | None = None,
    source: str = "auto",
) -> IndicatorTable:
    threshold = threshold_setting() if threshold is None else threshold
    definition = registry.definition(code)
    if definition.get("protected"):  # population, nationality: counted only through suppression
        suppress = True
        threshold = max(threshold, threshold_setting())
    group_by = tuple(d for d in (rows_dim, cols_dim) if d)
    result = values(code, flt, group_by, source=source)
    if result is NOT_AVAILABLE:
        return IndicatorTable(
            code,
            definition,
            rows_dim,
            cols_dim,
            [],
            [],
            [],
            [],
            [],
            [],
            [],
            None,
            suppress,
            threshold,
            available=False,
        )
    row_keys = dimension_order(rows_dim, {k[0] for k in result}) if rows_dim else [None]
    col_keys = dimension_order(cols_dim, {k[-1] for k in result}) if cols_dim else [None]

    def lookup(r, c):
        key = tuple(k for k, d in ((r, rows_dim), (c, cols_dim)) if d)
        return result.get(key, (0, 0))

    is_mean = definition["unit"] == "mean"
    counts = [[(lookup(r, c)[1] if is_mean else lookup(r, c)[0]) for c in col_keys] for r in row_keys]
    suppressed = suppress_table(counts, threshold) if suppress else suppress_table(counts, threshold=0)
    means = {}
    if is_mean:
        sums = [[lookup(r, c)[0] for c in col_keys] for r in row_keys]
        for i, row in enumerate(sums):
            for j, s in enumerate(row):
                means[(i, j)] = s
            means[("row", i)] = sum(row)
        for j in range(len(col_keys)):
            means[("col", j)] = sum(row[j] for row in sums)
        means["total"] = sum(sum(row) for row in sums)
    row_labels = dimension_labels(rows_dim, row_keys) if rows_dim else {None: definition["name"]}
    col_labels = dimension_labels(cols_dim, col_keys) if cols_dim else {None: ""}
    return IndicatorTable(
        code=code,
        definition=definition,
        rows_dim=rows_dim,
        cols_dim=cols_dim,
        row_keys=row_keys,
        col_keys=col_keys,
        row_labels=[row_labels[k] for k in row_keys],
        col_labels=[col_labels[k] for k in col_keys],
        cells=suppressed.cells,
        row_totals=suppressed.row_totals,
        column_totals=suppressed.column_totals,
        total=suppressed.total,
        suppressed=suppress,
        threshold=threshold,
        means=means,
    )


def name(definition: dict, language: str) -> str:
    return definition["name"].get(language) or definition["name"]["es"]
