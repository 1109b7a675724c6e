"""manage.py merge_aggregates GT.json SV.json HN.json CR.json --out regional.json

Merges countries' suppressed aggregates into a regional view; refuses a file that was changed
(checksum), that has unsuppressed small cells, or whose indicator version differs."""

import json

from django.core.management.base import BaseCommand, CommandError

from incluye.impact.rollup import RollupError, merge


class Command(BaseCommand):
    help = "Merge several countries' aggregate files into a regional view."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--out", required=True)

    def handle(self, *args, files, out, **options):
        payloads = []
        for name in files:
            try:
                with open(name, encoding="utf-8") as handle:
                    payloads.append(json.load(handle))
            except (OSError, json.JSONDecodeError) as exc:
                raise CommandError(f"{name}: {exc}") from exc
        try:
            regional = merge(payloads, names=files)
        except RollupError as exc:
            raise CommandError(str(exc)) from exc
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(regional, handle, ensure_ascii=False, indent=1)
        self.stdout.write(f"{len(payloads)} countries merged into {out}")
