"""manage.py seed_impact [--scale 0.001]: the seed's "Impact in Numbers" as records, then the
indicator engine recomputes them and prints expected vs computed (exit 1 on a difference)."""

import sys

from django.core.management.base import BaseCommand

from incluye.impact import indicators
from incluye.impact.filters import IndicatorFilter
from incluye.impact.seed import seed_impact


class Command(BaseCommand):
    help = "Create the source text's Impact in Numbers as records and recompute them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="share of the 1 647 000 people (1 = all)"
        )
        parser.add_argument("--summary", action="store_true", help="also rebuild the dashboards' summary")

    def handle(self, *args, scale, summary, **options):
        expected = seed_impact(
            scale=scale, progress=lambda n: n % 100_000 == 0 and self.stdout.write(f"  {n} people")
        )
        if summary:
            for code in expected["people_by_country"]:
                indicators.refresh_summary(code)
        computed = check_seed(expected)
        ok = True
        for label, want, got in computed:
            mark = "ok" if want == got else "DIFFERENT"
            ok &= want == got
            self.stdout.write(f"{label:<45} expected {want!s:>12}  computed {got!s:>12}  {mark}")
        if not ok:
            sys.exit(1)


def check_seed(expected: dict) -> list[tuple[str, object, object]]:
    """[(label, expected, computed)] with the indicator engine, live from the records."""
    rows = []
    direct = indirect = 0
    for code in expected["people_by_country"]:
        flt = IndicatorFilter(country=code)
        direct += indicators.total("people_reached_direct", flt, source="live")[0]
        indirect += indicators.total("people_reached_indirect", flt, source="live")[0]
        rows.append(
            (
                f"programs institutionalized, {code}",
                expected["programs_institutionalized"][code],
                indicators.total("programs_institutionalized", flt, source="live")[0],
            )
        )
        rows.append(
            (
                f"alliance members, {code}",
                expected["alliance_members"][code],
                indicators.total("alliance_members", flt, source="live")[0],
            )
        )
    rows.insert(0, ("people directly reached (all countries)", expected["people_reached_direct"], direct))
    rows.insert(
        1, ("people indirectly reached (all countries)", expected["people_reached_indirect"], indirect)
    )
    return rows
