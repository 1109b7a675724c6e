"""Figure (Skills issue): `import_taxonomy onet` on the full O*NET 29.3 text files in under 60 s,
idempotent; then ESCO, ISCO-08 and the crosswalks, timed too.

    DEBUG=1 .venv/bin/python bench/import_taxonomy.py
    DEBUG=1 scripts/with-postgres.sh .venv/bin/python bench/import_taxonomy.py

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder. The reference data is read
from ../shared/data (or --data DIR). Each step runs the command itself (`call_command`), as an
administrator would.
"""

import argparse
import io
import os
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from incluye.skills.models import (  # noqa: E402
    Crosswalk,
    Occupation,
    OccupationSkill,
    OccupationTask,
    OccupationTitle,
    OccupationTool,
    Skill,
    TaxonomyImport,
)


def steps(data: Path) -> list[tuple[str, list[str]]]:
    esco, isco = data / "esco", data / "isco"
    return [
        ("onet (first)", ["onet", str(data / "onet")]),
        ("onet (again)", ["onet", str(data / "onet")]),
        ("isco", ["isco", str(isco / "derived" / "isco08_ciuo08_es_en.csv")]),
        ("esco v1.0 es+en", ["esco", str(esco / "v1.0_es_en")]),
        (
            "esco v1.1.1 en + relations",
            ["esco", str(esco / "v1.1.1_en"), "--relations", str(esco / "v1.1.1_relations")],
        ),
        (
            "crosswalk O*NET-SOC→ISCO",
            ["crosswalk", str(isco / "derived" / "onetsoc2019_isco08_via_soc2018.csv")],
        ),
        (
            "crosswalk SOC 2010→ISCO",
            ["crosswalk", str(isco / "codingsystems_danielruss" / "soc2010_isco2008.csv")],
        ),
        (
            "crosswalk ESCO→O*NET",
            ["crosswalk", str(esco / "crosswalk_onet_nesta" / "esco_onet_crosswalk_Nov2020.csv")],
        ),
    ]


def table_rows() -> dict[str, int]:
    return {
        "occupations": Occupation.objects.count(),
        "titles": OccupationTitle.objects.count(),
        "tasks": OccupationTask.objects.count(),
        "tools": OccupationTool.objects.count(),
        "skills": Skill.objects.count(),
        "occupation skills": OccupationSkill.objects.count(),
        "crosswalks": Crosswalk.objects.count(),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; migrate {time.perf_counter() - started:.1f} s")
    print(f"{'step':<28} {'wall s':>7} {'import s':>8}  counts")
    for label, argv in steps(args.data):
        started = time.perf_counter()
        call_command("import_taxonomy", *argv, stdout=io.StringIO())
        wall = time.perf_counter() - started
        run = TaxonomyImport.objects.order_by("-pk").first()
        counts = ", ".join(f"{key} {value}" for key, value in run.counts.items())
        print(f"{label:<28} {wall:>7.1f} {run.seconds:>8.1f}  {counts}")
    print("rows per table: " + ", ".join(f"{table} {n}" for table, n in table_rows().items()))


if __name__ == "__main__":
    main()
