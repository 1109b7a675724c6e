"""Month arithmetic on the days where calendars bite."""

import datetime

import pytest

from incluye.core.dates import add_months

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2027, 1, 31), 1, D(2027, 2, 28)),  # a short month takes its last day
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # ... and a leap February its 29th
        (D(2028, 2, 29), 12, D(2029, 2, 28)),  # a leap day a year on
        (D(2028, 2, 29), 48, D(2032, 2, 29)),  # ... and four years on
        (D(2026, 12, 31), 1, D(2027, 1, 31)),  # across the new year
        (D(2026, 12, 31), 3, D(2027, 3, 31)),
        (D(2026, 12, 31), 6, D(2027, 6, 30)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2027, 1, 1), 12, D(2028, 1, 1)),
        (D(2027, 3, 31), -1, D(2027, 2, 28)),  # backwards, for retention cut-offs
        (D(2038, 2, 28), -120, D(2028, 2, 28)),
        (D(2027, 1, 15), -13, D(2025, 12, 15)),
    ],
)
def test_it_adds_months_keeping_the_day_or_taking_the_last_of_the_month(day, months, expected):
    assert add_months(day, months) == expected
