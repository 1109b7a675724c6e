"""What an indicator is computed for: a country, a period and optional slices."""

import datetime
from dataclasses import dataclass, replace

AGE_GROUPS = ["0-17", "18-24", "25-34", "35-44", "45-59", "60+", "unknown"]
# Lower bound (years) of each age group, in order.
AGE_BOUNDS = [("0-17", 0), ("18-24", 18), ("25-34", 25), ("35-44", 35), ("45-59", 45), ("60+", 60)]
SEXES = ["F", "M", "X"]
DIMENSIONS = ("month", "organization", "department", "sex", "age_group", "category")


@dataclass(frozen=True)
class IndicatorFilter:
    country: str
    start: datetime.date | None = None  # inclusive
    end: datetime.date | None = None  # inclusive
    organization: int | None = None
    department: int | None = None
    sex: str | None = None
    age_group: str | None = None

    def but(self, **changes) -> "IndicatorFilter":
        return replace(self, **changes)

    @property
    def label(self) -> str:
        start = self.start.isoformat() if self.start else "…"
        end = self.end.isoformat() if self.end else "…"
        return f"{self.country} {start}–{end}"


def period_bounds(period: str) -> tuple[datetime.date | None, datetime.date | None]:
    """ "2026" → the year; "2026-03" → the month; "2026-01/2026-06" → months inclusive; "" → all time."""
    import calendar

    period = (period or "").strip()
    if not period or period == "all":
        return None, None
    if "/" in period:
        first, last = period.split("/", 1)
        return period_bounds(first)[0], period_bounds(last)[1]
    parts = period.split("-")
    year = int(parts[0])
    if not 1900 <= year <= 2200:
        raise ValueError(period)
    if len(parts) == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    month = int(parts[1])
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
