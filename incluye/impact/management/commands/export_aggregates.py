"""manage.py export_aggregates --country GT --period 2026 --out GT-2026.json

The country's indicators as suppressed aggregates (no personal record, no count under the
threshold), with the indicator version, the threshold and a checksum, for the regional roll-up."""

import json

from django.core.management.base import BaseCommand, CommandError

from incluye.core.actionlog import log_action
from incluye.impact.rollup import export_aggregates


class Command(BaseCommand):
    help = "Export a country's suppressed indicator aggregates for the regional roll-up."

    def add_arguments(self, parser):
        parser.add_argument("--country", required=True)
        parser.add_argument("--period", default="", help="2026, 2026-03, 2026-01/2026-06; empty: all time")
        parser.add_argument("--out", required=True)

    def handle(self, *args, country, period, out, **options):
        from incluye.core.models import Country

        if not Country.objects.filter(code=country).exists():
            raise CommandError(f"Unknown country {country!r}")
        try:
            payload = export_aggregates(country=country, period=period)
        except ValueError as exc:
            raise CommandError(f"Invalid period {period!r}") from exc
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False, indent=1, default=str)
        log_action(
            actor=None,
            organization=None,
            action="incluye.impact.aggregates_exported",
            data={"country": country, "period": period, "tables": len(payload["tables"])},
        )
        self.stdout.write(
            f"{len(payload['tables'])} tables written to {out} (checksum {payload['checksum'][:12]}…)"
        )
