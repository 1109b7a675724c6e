from django.core.management.base import BaseCommand, CommandError

from incluye.core.services import country_data_path, country_load


class Command(BaseCommand):
    help = "Load or refresh countries (divisions, identity document types) from their data files."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="+", help="ISO codes, e.g. GT SV HN CR")

    def handle(self, *args, codes, **options):
        for code in codes:
            if not country_data_path(code).exists():
                raise CommandError(f"No data file for country {code!r} ({country_data_path(code)})")
            country = country_load(code=code)
            self.stdout.write(f"{country.code}: {country.divisions.count()} divisions")
