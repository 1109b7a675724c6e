"""manage.py find_duplicates: search the registry for people registered more than once."""

from django.core.management.base import BaseCommand, CommandError

from incluye.accounts.models import Organization
from incluye.people.duplicates import find_duplicates


class Command(BaseCommand):
    help = (
        "Search the registry (all of it, or one organization's people) for pairs of records of the "
        "same person and queue them for review as duplicate candidates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", type=int, help="only this organization's people (its id)")
        parser.add_argument(
            "--threshold", type=float, default=0.9, help="minimum match probability (default 0.9)"
        )
        parser.add_argument("--limit-pairs", type=int, help="keep only the N most probable pairs")

    def handle(self, *args, organization=None, threshold=0.9, limit_pairs=None, **options):
        if not 0 < threshold < 1:
            raise CommandError("--threshold must be between 0 and 1")
        org = None
        if organization is not None:
            try:
                org = Organization.objects.get(pk=organization)
            except Organization.DoesNotExist:
                raise CommandError(f"No organization with id {organization}") from None
        run = find_duplicates(organization=org, threshold=threshold, limit_pairs=limit_pairs)
        model = "trained on this registry" if run.trained else "prior parameters (small registry)"
        self.stdout.write(
            f"{run.records} records, {run.pairs_found} pairs above {threshold}: "
            f"{run.created} new, {run.updated} updated, {run.skipped_reviewed} already reviewed "
            f"(model: {model})"
        )
        timings = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in run.timings.items())
        self.stdout.write(f"timings: {timings}; total {sum(run.timings.values()):.1f} s")
