"""manage.py refresh_indicators [--country GT] [--enqueue]: rebuild the dashboards' indicator
summary (nightly from cron, or after a bulk import). --enqueue hands it to the task worker."""

from django.conf import settings
from django.core.management.base import BaseCommand

from incluye.impact.indicators import refresh_summary
from incluye.impact.tasks import refresh_indicator_summary


class Command(BaseCommand):
    help = "Rebuild the indicator summary read by the dashboards and the public page."

    def add_arguments(self, parser):
        parser.add_argument("--country", action="append", help="default: every country of the deployment")
        parser.add_argument("--enqueue", action="store_true")

    def handle(self, *args, country, enqueue, **options):
        for code in country or settings.INCLUYE_COUNTRIES:
            if enqueue:
                refresh_indicator_summary.enqueue(code)
                self.stdout.write(f"{code}: queued")
            else:
                self.stdout.write(f"{code}: {refresh_summary(code)} cells")
