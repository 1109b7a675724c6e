"""Figures (Skills issue): occupation coder accuracy and speed.

Accuracy: top-1 and top-5 at 6-digit SOC and at 4-digit ISCO-08 on a labelled set of job
descriptions as returnees say them (bench/data/coder_test.tsv, held out; coder_dev.tsv is the
development set), for the coder and for a plain baseline: the nearest title of the same index by
rapidfuzz (WRatio), with the same "no match" threshold tuned on the dev set. Rows labelled NONE
(nonsense or empty) count as right when the coder answers "no confident match".

Speed: descriptions per second, single process, after start-up; start-up = building the index
from the database.

    DEBUG=1 .venv/bin/python bench/coder.py                      # bundled taxonomy only
    DEBUG=1 .venv/bin/python bench/coder.py --onet ../shared/data/onet \
        --crosswalk ../shared/data/isco/derived/onetsoc2019_isco08_via_soc2018.csv   # plus O*NET

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder.
"""

import argparse
import csv
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
from rapidfuzz import fuzz, process  # noqa: E402

from incluye.core.text import fold  # noqa: E402
from incluye.skills import coder as coder_module  # noqa: E402


def read_gold(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for row in rows:
        row["soc"] = set() if row["soc"] == "NONE" else set(row["soc"].split("|"))
        row["isco"] = set() if row["isco"] == "NONE" else set(row["isco"].split("|"))
    return rows


class Baseline:
    """Nearest title of the index by rapidfuzz, one occupation per title."""

    def __init__(self, coder, cutoff: float):
        self.titles = [fold(d.text) for d in coder.documents if d.kind == "title"]
        self.occupations = [coder.occupations[d.occupation] for d in coder.documents if d.kind == "title"]
        self.cutoff = cutoff

    def code(self, text: str, limit: int = 5) -> list[tuple[str, str]]:
        found = process.extract(
            fold(text), self.titles, scorer=fuzz.WRatio, limit=limit * 8, score_cutoff=self.cutoff
        )
        out, seen = [], set()
        for _title, _score, index in found:
            occupation = self.occupations[index]
            if occupation["code"] in seen:
                continue
            seen.add(occupation["code"])
            out.append((occupation["code"][:7], occupation["isco"]))
            if len(out) == limit:
                break
        return out


def score(rows, answers) -> dict:
    """answers: per row, a ranked list of (soc, isco)."""
    totals = {"soc@1": 0, "soc@5": 0, "isco@1": 0, "isco@5": 0}
    labelled = [r for r in rows if r["soc"]]
    for row, answer in zip(rows, answers, strict=True):
        if not row["soc"]:
            continue
        socs = [a[0] for a in answer]
        iscos = [a[1] for a in answer]
        totals["soc@1"] += bool(socs[:1] and socs[0] in row["soc"])
        totals["soc@5"] += bool(set(socs[:5]) & row["soc"])
        totals["isco@1"] += bool(iscos[:1] and iscos[0] in row["isco"])
        totals["isco@5"] += bool(set(iscos[:5]) & row["isco"])
    result = {k: v / len(labelled) for k, v in totals.items()}
    nonsense = [a for r, a in zip(rows, answers, strict=True) if not r["soc"]]
    result["none_right"] = sum(1 for a in nonsense if not a) / len(nonsense) if nonsense else float("nan")
    result["labelled"] = len(labelled)
    result["nonsense"] = len(nonsense)
    return result


def tune_baseline_cutoff(coder, dev) -> float:
    best, best_cutoff = -1.0, 80.0
    for cutoff in (60, 65, 70, 75, 80, 85, 90):
        result = score(dev, [Baseline(coder, cutoff).code(r["text"]) for r in dev])
        overall = result["soc@1"] + 0.2 * result["none_right"]
        if overall > best:
            best, best_cutoff = overall, cutoff
    return best_cutoff


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--onet", help="folder of the O*NET text files to import first")
    parser.add_argument("--crosswalk", help="O*NET-SOC → ISCO-08 crosswalk CSV to import after O*NET")
    parser.add_argument("--gold", default=str(ROOT / "bench" / "data" / "coder_test.tsv"))
    parser.add_argument("--dev", default=str(ROOT / "bench" / "data" / "coder_dev.tsv"))
    parser.add_argument("--speed-rounds", type=int, default=10)
    parser.add_argument("--errors", action="store_true", help="print the rows the coder gets wrong")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if args.onet:
        started = time.perf_counter()
        call_command("import_taxonomy", "onet", args.onet, verbosity=0)
        print(f"O*NET import: {time.perf_counter() - started:.1f} s")
    if args.crosswalk:
        call_command("import_taxonomy", "crosswalk", args.crosswalk, verbosity=0)
    coder_module.reset()
    started = time.perf_counter()
    coder = coder_module.get_coder()
    startup = time.perf_counter() - started
    print(
        f"index: {len(coder.occupations)} occupations, {len(coder.documents)} documents, "
        f"{len(coder.vocabulary)} features; start-up {startup:.2f} s"
    )

    dev, gold = read_gold(Path(args.dev)), read_gold(Path(args.gold))
    cutoff = tune_baseline_cutoff(coder, dev)
    baseline = Baseline(coder, cutoff)
    for name, rows in (("dev", dev), ("test", gold)):
        ours = [[(m.soc, m.isco) for m in coder.code(r["text"])] for r in rows]
        theirs = [baseline.code(r["text"]) for r in rows]
        a, b = score(rows, ours), score(rows, theirs)
        print(
            f"\n{name}: {a['labelled']} labelled rows + {a['nonsense']} nonsense rows "
            f"(baseline rapidfuzz WRatio, cutoff {cutoff} tuned on dev)"
        )
        print(f"| {'figure':<28} | {'coder':>7} | {'baseline':>8} |")
        print(f"|{'-' * 30}|{'-' * 9}|{'-' * 10}|")
        for key, label in (
            ("soc@1", "top-1, 6-digit SOC"),
            ("soc@5", "top-5, 6-digit SOC"),
            ("isco@1", "top-1, 4-digit ISCO-08"),
            ("isco@5", "top-5, 4-digit ISCO-08"),
            ("none_right", "nonsense → no match"),
        ):
            print(f"| {label:<28} | {a[key]:>7.3f} | {b[key]:>8.3f} |")
        if args.errors and name == "dev":
            for row, answer in zip(rows, ours, strict=True):
                socs = [x[0] for x in answer]
                if (row["soc"] and (not socs or socs[0] not in row["soc"])) or (not row["soc"] and socs):
                    print("  ✗", row["text"], "→", socs[:3], "want", sorted(row["soc"]) or "NONE")

    texts = [r["text"] for r in gold]
    coder_module.reset()
    fresh = coder_module.get_coder()  # cold typo cache
    started = time.perf_counter()
    fresh.code_many(texts)
    cold = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(args.speed_rounds):
        fresh.code_many(texts)
    warm = len(texts) * args.speed_rounds / (time.perf_counter() - started)
    print(f"\nspeed: {cold:,.0f} descriptions/s on the first pass (cold caches), {warm:,.0f}/s after")


if __name__ == "__main__":
    main()
