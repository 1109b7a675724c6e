from django.conf import settings
from django.core.management.base import BaseCommand

from incluye.people.rights import due_for_retention, person_erase


class Command(BaseCommand):
    help = (
        "Erase (anonymize) the people with no activity for INCLUYE_RETENTION_YEARS and no open case; "
        "anonymous indicators stay. Run it daily or monthly from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=None, help="override INCLUYE_RETENTION_YEARS")
        parser.add_argument("--dry-run", action="store_true", help="only count who would be erased")

    def handle(self, *args, **options):
        years = options["years"] or settings.INCLUYE_RETENTION_YEARS
        due = due_for_retention(years=years)
        if options["dry_run"]:
            self.stdout.write(f"{due.count()} people would be erased (no activity for {years} years).")
            return
        erased = 0
        for person in due.iterator(chunk_size=500):
            person_erase(person=person, reason=f"retention: no activity for {years} years")
            erased += 1
        self.stdout.write(f"{erased} people erased (no activity for {years} years).")
