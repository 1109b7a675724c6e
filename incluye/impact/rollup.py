"""The regional roll-up: each country exports its suppressed aggregates as a file; the files of
several countries merge into a regional view. No personal record (and no unsuppressed small
count) ever leaves a country.

File format ("incluye-aggregates", JSON):
    {"format": "incluye-aggregates", "indicators_version": "2026.1", "country": "GT",
     "period": "2026", "threshold": 5, "generated_at": "...",
     "tables": [{"indicator": "...", "rows": "sex" | null, "cols": "age_group" | null,
                 "cells": [{"row": "F" | "_total", "col": "18-24" | "_total", "value": 12 | "<5" | "*"}]}],
     "checksum": "sha256 of the canonical JSON of everything else"}
"""

import datetime
import hashlib
import json

from incluye.impact import indicators, registry
from incluye.impact.filters import IndicatorFilter, period_bounds
from incluye.impact.suppression import SECONDARY_MARK, unsuppressed_small_values

FORMAT = "incluye-aggregates"
TOTAL = "_total"
# The breakdowns a country exports: each dimension alone, and sex by age group. Not "organization":
# a region compares countries, and a small organization's counts say too much.
BREAKDOWNS = [
    (None, None),
    ("month", None),
    ("department", None),
    ("sex", None),
    ("age_group", None),
    ("category", None),
    ("sex", "age_group"),
]


class RollupError(Exception):
    pass


def checksum(payload: dict) -> str:
    body = {k: v for k, v in payload.items() if k != "checksum"}
    return hashlib.sha256(
        json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def _portable(dim, key, label):
    """Keys that mean the same in every country's file: codes where there are codes, names for
    departments (division ids are local to a database)."""
    if dim is None:
        return TOTAL
    if dim == "month":
        return key.strftime("%Y-%m") if key else ""
    if dim in ("department", "organization"):
        return label
    return "" if key is None else str(key)


def _plain(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def export_aggregates(*, country: str, period: str, threshold: int | None = None) -> dict:
    start, end = period_bounds(period)
    flt = IndicatorFilter(country=country, start=start, end=end)
    tables = []
    for definition in registry.definitions():
        allowed = set(definition["disaggregations"])
        for rows_dim, cols_dim in BREAKDOWNS:
            if any(d and d not in allowed for d in (rows_dim, cols_dim)):
                continue
            table = indicators.table(
                definition["code"], flt, rows_dim, cols_dim, suppress=True, threshold=threshold
            )
            if not table.available:
                break
            cells = []
            for i, (row_key, row_label) in enumerate(zip(table.row_keys, table.row_labels, strict=True)):
                row = _portable(rows_dim, row_key, row_label)
                for j, (col_key, col_label) in enumerate(zip(table.col_keys, table.col_labels, strict=True)):
                    if cols_dim:
                        shown = table.shown(table.cells[i][j], table.means.get((i, j)))
                        cells.append(
                            {
                                "row": row,
                                "col": _portable(cols_dim, col_key, col_label),
                                "value": _plain(shown),
                            }
                        )
                if rows_dim:
                    cells.append(
                        {
                            "row": row,
                            "col": TOTAL,
                            "value": _plain(table.shown(table.row_totals[i], table.means.get(("row", i)))),
                        }
                    )
            if cols_dim:
                for j, (col_key, col_label) in enumerate(zip(table.col_keys, table.col_labels, strict=True)):
                    shown = table.shown(table.column_totals[j], table.means.get(("col", j)))
                    cells.append(
                        {"row": TOTAL, "col": _portable(cols_dim, col_key, col_label), "value": _plain(shown)}
                    )
            cells.append(
                {
                    "row": TOTAL,
                    "col": TOTAL,
                    "value": _plain(table.shown(table.total, table.means.get("total"))),
                }
            )
            tables.append(
                {
                    "indicator": definition["code"],
                    "unit": definition["unit"],
                    "rows": rows_dim,
                    "cols": cols_dim,
                    "cells": cells,
                }
            )
    payload = {
        "format": FORMAT,
        "indicators_version": registry.version(),
        "country": country,
        "period": period,
        "threshold": table.threshold if tables else indicators.threshold_setting(),
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "tables": tables,
    }
    payload["checksum"] = checksum(payload)
    return payload


def check_file(payload: dict, *, name: str = "") -> None:
    """Refuse a file that is not an intact, suppressed export."""
    if payload.get("format") != FORMAT:
        raise RollupError(f"{name}: not an Incluye aggregates file")
    if payload.get("checksum") != checksum(payload):
        raise RollupError(f"{name}: the checksum does not match (the file was changed)")
    threshold = payload.get("threshold")
    if not isinstance(threshold, int) or threshold < 1:
        raise RollupError(f"{name}: no suppression threshold")
    for table in payload["tables"]:
        if table.get("unit") == "mean":
            continue  # means are not counts; they are hidden by the count behind them
        small = unsuppressed_small_values([c["value"] for c in table["cells"]], threshold)
        if small:
            raise RollupError(f"{name}: {table['indicator']} has unsuppressed small cells ({small[:3]})")


def merge(payloads: list[dict], *, names=None) -> dict:
    names = names or [p.get("country", "?") for p in payloads]
    for payload, name in zip(payloads, names, strict=True):
        check_file(payload, name=name)
    versions = {p["indicators_version"] for p in payloads}
    if len(versions) != 1:
        raise RollupError(f"the files use different indicator versions: {sorted(versions)}")
    countries = [p["country"] for p in payloads]
    if len(set(countries)) != len(countries):
        raise RollupError("a country appears twice")
    merged: dict = {}
    for payload in payloads:
        for table in payload["tables"]:
            if table.get("unit") == "mean":
                continue
            key = (table["indicator"], table["rows"], table["cols"])
            cells = merged.setdefault(key, {})
            for cell in table["cells"]:
                slot = cells.setdefault((cell["row"], cell["col"]), {"value": 0, "hidden_in": []})
                if isinstance(cell["value"], int | float):
                    slot["value"] += cell["value"]
                elif cell["value"] not in ("not available",):
                    slot["hidden_in"].append(payload["country"])
    return {
        "format": "incluye-regional",
        "indicators_version": versions.pop(),
        "countries": countries,
        "periods": sorted({p["period"] for p in payloads}),
        "threshold": max(p["threshold"] for p in payloads),
        "note": "value: the sum of the countries' published counts; hidden_in: countries whose count "
        f'was suppressed ("<n" or "{SECONDARY_MARK}") and is not included.',
        "tables": [
            {
                "indicator": indicator,
                "rows": rows,
                "cols": cols,
                "cells": [{"row": r, "col": c, **slot} for (r, c), slot in cells.items()],
            }
            for (indicator, rows, cols), cells in merged.items()
        ],
    }
