"""Figure (Registry issue): manifest import, 135 rows < 2 s end to end; 100 000 rows < 60 s.

End to end = the officer's upload (file stored, rows counted, logged) + the check of every row +
the import in one transaction: the same functions the web page and the task worker call.

    DEBUG=1 .venv/bin/python bench/manifest_import.py --rows 135 100000
    DEBUG=1 scripts/with-postgres.sh .venv/bin/python bench/manifest_import.py --rows 135 100000

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder.
"""

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from incluye.accounts.models import Membership, Organization, User  # noqa: E402
from incluye.core.models import Country  # noqa: E402
from incluye.people import imports  # noqa: E402
from incluye.people.generate import PeopleGenerator  # noqa: E402

HEADER = [
    "nombres",
    "primer_apellido",
    "segundo_apellido",
    "sexo",
    "fecha_nacimiento",
    "dpi",
    "telefono",
    "municipio",
    "necesidades",
]


def manifest_csv(rows: int, seed: int) -> bytes:
    generator = PeopleGenerator(seed=seed)
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for _ in range(rows):
        person, document = generator.person(organization=None, country="GT")
        writer.writerow(
            [
                person.given_names,
                person.first_surname,
                person.second_surname,
                person.sex,
                person.birth_date.strftime("%d/%m/%Y"),
                document.number if document else "",
                person.phone,
                person.residence.name,
                rng.choice(["", "", "", "", "medical", "protection", "family_unit"]),
            ]
        )
    return out.getvalue().encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[135, 100_000])
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    org, _ = Organization.objects.get_or_create(
        country=Country.objects.get(code="GT"),
        name="Bench reception center",
        defaults={"sector": "public", "kind": "reception_center"},
    )
    user, _ = User.objects.get_or_create(email="bench@incluye.invalid")
    membership, _ = Membership.objects.get_or_create(user=user, organization=org, role="reception_officer")
    print(f"database: {connection.vendor}")
    print(f"{'rows':>8} {'upload s':>9} {'check s':>9} {'import s':>9} {'total s':>9} {'rows/s':>9}  result")
    for n, rows in enumerate(args.rows):
        content = manifest_csv(rows, seed=1000 + n)
        started = time.perf_counter()
        upload = SimpleUploadedFile(f"manifest-{rows}.csv", content, content_type="text/csv")
        # The upload as the web page does it, but validation is awaited here instead of queued.
        manifest = imports.manifest_upload(
            membership=membership,
            reference=f"BENCH-{rows}-{time.time_ns()}",
            arrived_on=django.utils.timezone.localdate(),
            mode="air",
            returned_from="US",
            file=upload,
        )
        uploaded = time.perf_counter()
        if manifest.status != "ready":
            imports.manifest_validate(manifest=manifest)
        checked = time.perf_counter()
        assert manifest.status == "ready", manifest.errors[:5]
        imports.manifest_import(manifest=manifest, actor=user)
        done = time.perf_counter()
        total = done - started
        print(
            f"{rows:>8} {uploaded - started:>9.2f} {checked - uploaded:>9.2f} {done - checked:>9.2f} {total:>9.2f} "
            f"{rows / total:>9.0f}  {manifest.status}, {manifest.created_count} created"
        )


if __name__ == "__main__":
    main()
