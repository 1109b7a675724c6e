from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from incluye.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into the configured database, which must be empty, and "
        "MEDIA_ROOT; then check that every table's row count and every file's checksum match."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, **options):
        try:
            report = restore(
                Path(options["archive"]),
                database=settings.DATABASES["default"],
                media_root=Path(settings.MEDIA_ROOT),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(f"The restore does not match the backup ({len(report.problems)} problems).")
        rows = sum(expected for expected, _found in report.tables.values())
        self.stdout.write(
            f"Restored {len(report.tables)} tables, {rows} rows and {report.files} files; all match."
        )
