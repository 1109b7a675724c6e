from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from incluye.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and every stored file into one archive (.tar.gz)."

    def add_arguments(self, parser):
        parser.add_argument("--out", help="archive path (default var/backups/incluye-<timestamp>.tar.gz)")

    def handle(self, *args, **options):
        out = Path(options["out"] or f"var/backups/incluye-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        try:
            manifest = backup(out)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"{out}: {len(manifest['tables'])} tables, {rows} rows, {len(manifest['files'])} files "
            f"({manifest['engine']})"
        )
