"""manage.py find_duplicates: search the registry for people registered more than once."""

from django.core.management.base import BaseCommand, CommandError

from incluye.accounts.models import Organization
from incluye.core.models import Country
from incluye.people.deduplication import Scope, duplicate_search_run, scopes_to_search
from incluye.people.duplicates.model import MIN_RECORDS_TO_TRAIN, THRESHOLD
from incluye.people.models import DuplicateSearch


class Command(BaseCommand):
    help = (
        "Search the registry for records of the same person and queue them for review as groups: "
        "each country in turn (the nightly job), one country, or one organization's people."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", type=int, help="only this organization's people (its id)")
        parser.add_argument("--country", help="only this country's people (its code, e.g. GT)")
        parser.add_argument(
            "--threshold",
            type=float,
            default=THRESHOLD,
            help=f"minimum match probability of a link (default {THRESHOLD})",
        )
        parser.add_argument("--limit-pairs", type=int, help="keep only the N most probable pairs")

    def handle(
        self, *args, organization=None, country=None, threshold=THRESHOLD, limit_pairs=None, **options
    ):
        if not 0 < threshold < 1:
            raise CommandError("--threshold must be between 0 and 1")
        if organization is not None:
            try:
                org = Organization.objects.get(pk=organization)
            except Organization.DoesNotExist:
                raise CommandError(f"No organization with id {organization}") from None
            scopes = [Scope.of(org)]
        elif country is not None:
            if not Country.objects.filter(code=country.upper()).exists():
                raise CommandError(f"No country with code {country}")
            scopes = [Scope(country.upper())]
        else:
            scopes = scopes_to_search()
        for scope in scopes:
            search = DuplicateSearch.objects.create(
                country_id=scope.country, organization_id=scope.organization_id
            )
            run = duplicate_search_run(search, threshold=threshold, limit_pairs=limit_pairs)
            model = (
                "trained on this registry"
                if run.trained
                else f"prior parameters (< {MIN_RECORDS_TO_TRAIN} records)"
            )
            self.stdout.write(
                f"{scope}: {run.records} records, {run.pairs_found} pairs (above {threshold}, or weaker within a group): "
                f"{run.created} new, {run.updated} updated, {run.skipped_reviewed} already reviewed; "
                f"groups: {run.groups_created} new, {run.groups_updated} updated, {run.groups_removed} removed "
                f"(model: {model})"
            )
            timings = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in run.timings.items())
            self.stdout.write(f"timings: {timings}; total {sum(run.timings.values()):.1f} s")
