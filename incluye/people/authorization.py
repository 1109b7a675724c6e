"""Work authorization as a derived, dated fact: "may work from … until …".

Plain Python (no Django): the facts come in as tuples, the country's rules as the "migration"
mapping of its data file (incluye/core/data/countries/*.json). The rules:

- a national of the country served may work, always (by nationality);
- a foreigner may work during a migration status whose rule is
  - "status": for the whole status (a recognized refugee in Costa Rica);
  - "document": while a document that authorizes work is valid, within the status, and only while
    every document it requires is held and valid too (Costa Rica's work permit for asylum seekers
    requires the registration with social security since 2022);
  - "category": as the resident category says ("status", "document" or "none");
  - "none": never (an irregular stay);
- the periods found are merged: one period per stretch of days the person may work.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

NATIONALITY = "nationality"
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Status:
    kind: str
    category: str
    since: datetime.date
    until: datetime.date | None


@dataclass(frozen=True)
class Document:
    code: str
    grants_work: bool
    statuses: tuple
    requires: tuple
    valid_from: datetime.date | None
    expires_on: datetime.date | None


@dataclass(frozen=True)
class Period:
    """Days on which the person may work: from `start` to `end`, both included; None is open."""

    start: datetime.date | None
    end: datetime.date | None
    basis: str  # "nationality", "status:<kind>" or "document:<code>"

    def covers(self, day: datetime.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def status_rule(rules: dict, kind: str, category: str = "") -> str:
    """What the status lets the person do: "status", "document" or "none" (unknown: "none")."""
    rule = rules.get("statuses", {}).get(kind, {}).get("work", "none")
    if rule == "category":
        for entry in rules.get("resident_categories", []):
            if entry.get("code") == category:
                return entry.get("work", "none")
        return "none"
    return rule


def _intersect(a, b):
    """Two (start, end) windows (None: open) → their common window, or None."""
    if a is None or b is None:
        return None
    start = max((d for d in (a[0], b[0]) if d is not None), default=None)
    end = min((d for d in (a[1], b[1]) if d is not None), default=None)
    if start is not None and end is not None and start > end:
        return None
    return (start, end)


def merge(periods: list[Period]) -> list[Period]:
    """Overlapping or touching periods as one (the basis of the earliest is kept)."""
    lowest = datetime.date.min
    ordered = sorted(periods, key=lambda p: p.start or lowest)
    merged: list[Period] = []
    for period in ordered:
        if merged:
            last = merged[-1]
            if last.end is None or (period.start or lowest) <= last.end + ONE_DAY:
                end = None if last.end is None or period.end is None else max(last.end, period.end)
                merged[-1] = Period(last.start, end, last.basis)
                continue
        merged.append(period)
    return merged


def work_periods(
    *, national: bool, statuses: list[Status], documents: list[Document], rules: dict
) -> list[Period]:
    """The periods in which the person may work, merged and in order."""
    if national:
        return [Period(None, None, NATIONALITY)]
    held = {document.code: document for document in documents}
    found: list[Period] = []
    for status in statuses:
        window = (status.since, status.until)
        rule = status_rule(rules, status.kind, status.category)
        if rule == "status":
            found.append(Period(status.since, status.until, f"status:{status.kind}"))
            continue
        if rule != "document":
            continue
        for document in documents:
            if not document.grants_work or (document.statuses and status.kind not in document.statuses):
                continue
            common = _intersect(window, (document.valid_from, document.expires_on))
            for code in document.requires:
                required = held.get(code)
                common = _intersect(common, (required.valid_from, required.expires_on)) if required else None
            if common is not None:
                found.append(Period(common[0], common[1], f"document:{document.code}"))
    return merge(found)


def authorized_on(periods: list[Period], day: datetime.date) -> bool:
    return any(period.covers(day) for period in periods)


def period_for(periods: list[Period], day: datetime.date) -> Period | None:
    """The period that covers `day`, else the next one to start, else None: what the matching
    engine keeps of a person (it re-reads the person when that period is over)."""
    for period in periods:
        if period.covers(day):
            return period
    upcoming = [p for p in periods if p.start is not None and p.start > day]
    return min(upcoming, key=lambda p: p.start) if upcoming else None
