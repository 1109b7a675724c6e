"""Figures (Registry issue; issue 20): manifest import end to end.

- A plain list (CSV): 135 rows < 2 s; 100 000 rows < 60 s.
- A KoboToolbox export of our own XLSForm (XLSX, Spanish labels, group prefixes, family members on a
  repeat sheet): 10 000 submissions checked and imported < 60 s on SQLite.

End to end = the officer's upload (file stored, logged) + the check of every row (and every family
member) + the import in one transaction: the same functions the web page and the task worker call.

    DEBUG=1 .venv/bin/python bench/manifest_import.py --rows 135 100000
    DEBUG=1 .venv/bin/python bench/manifest_import.py --rows --kobo 10000
    DEBUG=1 scripts/with-postgres.sh .venv/bin/python bench/manifest_import.py --rows 135 100000 --kobo 10000

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
from incluye.people.imports.xlsform import build_xlsform  # noqa: E402
from incluye.people.models import HouseholdMember  # noqa: E402
from incluye.people.tests.kobo_exports import export  # noqa: E402

HEADER = [
    "nombres",
    "primer_apellido",
    "segundo_apellido",
    "sexo",
    "fecha_nacimiento",
    "dpi",
    "telefono",
    "departamento",
    "municipio",
    "necesidades",
]
NEEDS = ["", "", "", "", "medical", "protection", "family_unit", "indigenous pregnant", "none"]
RELATIONSHIPS = ["spouse", "child", "child", "parent", "sibling", "other"]


def _department(division):
    top = division
    while top.parent_id:
        top = top.parent
    return top


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
                _department(person.residence).name,  # a name is resolved within its department
                person.residence.name,
                rng.choice(["", "", "", "", "medical", "protection", "family_unit"]),
            ]
        )
    return out.getvalue().encode()


def kobo_xlsx(submissions: int, seed: int) -> tuple[bytes, int]:
    """A KoboToolbox XLSX export (Spanish labels, groups, needs in one column) of our own form."""
    country = Country.objects.get(code="GT")
    form = build_xlsform(imports.ARRIVALS, country)
    version = form["settings"][0]["version"]
    generator = PeopleGenerator(seed=seed)
    rng = random.Random(seed)
    rows, members = [], 0
    for n in range(submissions):
        person, document = generator.person(organization=None, country="GT")
        family = []
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3])):
            relative, _doc = generator.person(organization=None, country="GT")
            family.append(
                {
                    "household/member_name": relative.full_name,
                    "household/member_relationship": rng.choice(RELATIONSHIPS),
                    "household/member_birth_date": relative.birth_date.isoformat(),
                }
            )
        members += len(family)
        uuid = f"{seed:08x}-0000-4000-8000-{n:012d}"
        rows.append(
            {
                "_id": n + 1,
                "_uuid": uuid,
                "_submission_time": "2026-11-18T10:00:00",
                "__version__": version,
                "start": "2026-11-18T09:00:00.000-06:00",
                "end": "2026-11-18T09:05:00.000-06:00",
                "today": "2026-11-18",
                "deviceid": "collect:bench",
                "_status": "submitted_via_web",
                "_submitted_by": "frontera",
                "person/given_names": person.given_names,
                "person/first_surname": person.first_surname,
                "person/second_surname": person.second_surname,
                "person/sex": person.sex,
                "person/birth_date": person.birth_date.isoformat(),
                "person/document_type": "DPI" if document else None,
                "person/document_number": document.number if document else None,
                "person/phone": person.phone,
                "arrival/arrived_on": "2026-11-18",
                "arrival/department": _department(person.residence).code,
                "arrival/residence": person.residence.code,
                "arrival/household_size": str(person.household_size),
                "arrival/transport_reference": "GUA-ICE-2311",
                "arrival/months_abroad": str(rng.randint(1, 240)),
                "arrival/needs": rng.choice(NEEDS) or None,
                "consent/consent_case_management": rng.choice(["1", "1", "0"]),
                "household": family,
            }
        )
    _name, content = export(
        form, rows, lang="Español (es)", groups=True, sep="/", multiple="summary", fmt="xlsx"
    )
    return content, members


def profiled(step: str, label: str, call, *args, **kwargs):
    """`call(*args, **kwargs)`, under cProfile when --profile is given: the 25 heaviest functions
    (cumulative time) are printed, and the whole profile saved for snakeviz or pstats."""
    if not PROFILE:
        return call(*args, **kwargs)
    import cProfile
    import pstats

    profile = cProfile.Profile()
    result = profile.runcall(call, *args, **kwargs)
    path = Path(PROFILE) / f"{label}-{step}.prof"
    profile.dump_stats(path)
    print(f"--- {step} of {label} ({path})")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    pstats.Stats(profile).sort_stats("tottime").print_stats(15)
    return result


PROFILE = None


def run(membership, user, name: str, content: bytes, label: str) -> None:
    started = time.perf_counter()
    upload = SimpleUploadedFile(name, content)
    # The upload as the web page does it, but validation is awaited here instead of queued.
    manifest = imports.manifest_upload(
        membership=membership,
        reference=f"BENCH-{label}-{time.time_ns()}"[:80],
        arrived_on=django.utils.timezone.localdate(),
        mode="air",
        returned_from="US",
        file=upload,
    )
    uploaded = time.perf_counter()
    if manifest.status not in ("ready", "invalid"):
        profiled("check", label, imports.manifest_validate, manifest=manifest)
    checked = time.perf_counter()
    assert manifest.status == "ready", (manifest.error_count, manifest.errors[:5])
    profiled("import", label, imports.manifest_import, manifest=manifest, actor=user)
    done = time.perf_counter()
    total = done - started
    rows = manifest.total_rows
    print(
        f"{label:>12} {rows:>8} {uploaded - started:>9.2f} {checked - uploaded:>9.2f} {done - checked:>9.2f} "
        f"{total:>9.2f} {rows / total:>9.0f}  {manifest.status}, {manifest.created_count} created, "
        f"{manifest.household_count} households"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="*", default=[135, 100_000], help="plain CSV lists")
    parser.add_argument(
        "--kobo", type=int, nargs="*", default=[], help="KoboToolbox XLSX exports with repeats"
    )
    parser.add_argument(
        "--profile", metavar="FOLDER", help="profile the check and the import (cProfile), saved in FOLDER"
    )
    args = parser.parse_args()
    global PROFILE
    PROFILE = args.profile
    call_command("migrate", verbosity=0)
    org, _ = Organization.objects.get_or_create(
        country=Country.objects.get(code="GT"),
        name="Bench reception center",
        defaults={"sector": "public", "kind": "reception_center"},
    )
    user, _ = User.objects.get_or_create(email="bench@incluye.invalid")
    membership, _ = Membership.objects.get_or_create(user=user, organization=org, role="reception_officer")
    print(f"database: {connection.vendor}")
    print(
        f"{'file':>12} {'rows':>8} {'upload s':>9} {'check s':>9} {'import s':>9} {'total s':>9} {'rows/s':>9}  result"
    )
    for n, rows in enumerate(args.rows):
        run(membership, user, f"manifest-{rows}.csv", manifest_csv(rows, seed=1000 + n), "csv")
    for n, submissions in enumerate(args.kobo):
        made = time.perf_counter()
        content, members = kobo_xlsx(submissions, seed=2000 + n)
        print(
            f"{'':>12} (export of {submissions} submissions and {members} family members written in "
            f"{time.perf_counter() - made:.1f} s: {len(content) / 1e6:.1f} MB)"
        )
        before = HouseholdMember.objects.count()
        run(membership, user, f"kobo-{submissions}.xlsx", content, "kobo xlsx")
        print(f"{'':>12} ({HouseholdMember.objects.count() - before} household members written)")


if __name__ == "__main__":
    main()
