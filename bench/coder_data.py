"""Shared by bench/coder.py and bench/coder_calibrate.py: the labelled sets and the two index
profiles (the bundled taxonomy alone, or with the full O*NET 29.3 and its ISCO-08 crosswalk).

Sets (bench/data, see its README): coder_dev.tsv and coder_tune.tsv are the tuning sets (the
coder's author reads them; the calibration is fitted on them); coder_test.tsv and
coder_heldout.tsv and coder_fresh.tsv are held out (never used to fit or tune anything).
"""

import csv
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
# The reference data beside the repository (../shared/data), or beside a folder holding it.
SHARED = Path(
    os.environ.get("INCLUYE_REFERENCE_DATA")
    or next(
        (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()),
        ROOT.parent / "shared" / "data",
    )
)
TUNING = ("coder_dev.tsv", "coder_tune.tsv")
HELD_OUT = ("coder_test.tsv", "coder_heldout.tsv", "coder_fresh.tsv")
ONET = SHARED / "onet"
CROSSWALK = SHARED / "isco" / "derived" / "onetsoc2019_isco08_via_soc2018.csv"
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def read_set(name: str) -> list[dict]:
    """Rows with `soc` and `isco` as lists of jobs (each a set of accepted codes; empty: none),
    and a `kind` (the four-column sets: "work", or "nonwork" for their NONE rows)."""
    with (DATA / name).open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for row in rows:
        row["set"] = name
        for system in ("soc", "isco"):
            cell = row[system]
            row[system] = [] if cell == "NONE" else [set(job.split("|")) for job in cell.split(";")]
        row["kind"] = row.get("kind") or ("work" if row["soc"] else "nonwork")
        row["accepted_soc"] = set().union(*row["soc"]) if row["soc"] else set()
        row["accepted_isco"] = set().union(*row["isco"]) if row["isco"] else set()
    return rows


def load_profile(profile: str) -> float:
    """Fill the database for a profile ("bundled" needs nothing more; "official" imports O*NET and
    the crosswalk); returns the seconds the import took."""
    from django.core.management import call_command

    if profile != "official":
        return 0.0
    started = time.perf_counter()
    call_command("import_taxonomy", "onet", str(ONET), verbosity=0)
    call_command("import_taxonomy", "crosswalk", str(CROSSWALK), verbosity=0)
    return time.perf_counter() - started
