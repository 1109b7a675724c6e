"""Figures of the occupation coder (incluye/skills/coder/): accuracy, calibration, "no confident
match", several jobs, speed — for the bundled taxonomy alone and with the full O*NET imported.

    DEBUG=1 .venv/bin/python bench/coder.py                 # both profiles (O*NET from ../shared/data)
    DEBUG=1 .venv/bin/python bench/coder.py --profiles bundled --errors
    DEBUG=1 .venv/bin/python bench/coder.py --tuning-only --errors   # while changing the coder

Sets (bench/data, see its README): tuning — coder_dev.tsv, coder_tune.tsv (the calibration is
fitted on them by bench/coder_calibrate.py); held out — coder_test.tsv (returnee descriptions,
written without looking at the coder), coder_heldout.tsv (descriptions, English, other languages,
mixed talk, several jobs, texts that are no job, nonsense; written apart from the tuning set, its
nonsense generated differently), coder_fresh.tsv (answers to "¿En qué trabajó en Estados Unidos?"
at a reception desk, written in issue 18's third round before the coder was changed and never read
for tuning).

- top-1 / top-5: a row with a job is right at k when an accepted code is among the first k
  answers; "no confident match" on such a row is wrong. Several-jobs rows accept any of their jobs.
- no confident match: the share of nonsense and of no-job texts that get no answer.
- ECE (expected calibration error, 10 equal-width bins): the first answer's probability, shown or
  not (0 when nothing matched at all), against whether it is right, over every row of a set.
- several jobs: the share of the jobs named by the "several" rows that `code_jobs` returns, each
  with an accepted code among its first three answers.
- baseline: the nearest title of the same index by rapidfuzz (WRatio), its cutoff tuned on dev.
"""

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import coder_data

SETS = ("coder_dev.tsv", "coder_tune.tsv", "coder_test.tsv", "coder_heldout.tsv", "coder_fresh.tsv")


class Baseline:
    """Nearest title of the index by rapidfuzz, one occupation per title."""

    def __init__(self, coder, cutoff: float):
        from incluye.core.text import fold

        self.fold = fold
        self.titles = [fold(d.text) for d in coder.documents if d.kind == "title"]
        self.occupations = [coder.occupations[d.occupation] for d in coder.documents if d.kind == "title"]
        self.cutoff = cutoff

    def code(self, text: str, limit: int = 5) -> list[tuple[str, str]]:
        """(Texts are cut at 300 characters: WRatio on a 5 000-character text takes seconds.)"""
        from rapidfuzz import fuzz, process

        found = process.extract(
            self.fold(text)[:300], self.titles, scorer=fuzz.WRatio, limit=limit * 8, score_cutoff=self.cutoff
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


def accuracy(rows, answers) -> dict:
    """answers: per row, a ranked list of (soc, isco)."""
    totals = defaultdict(int)
    labelled = [(r, a) for r, a in zip(rows, answers, strict=True) if r["accepted_soc"]]
    for row, answer in labelled:
        socs, iscos = [a[0] for a in answer], [a[1] for a in answer]
        totals["soc@1"] += bool(socs[:1] and socs[0] in row["accepted_soc"])
        totals["soc@5"] += bool(set(socs[:5]) & row["accepted_soc"])
        totals["isco@1"] += bool(iscos[:1] and iscos[0] in row["accepted_isco"])
        totals["isco@5"] += bool(set(iscos[:5]) & row["accepted_isco"])
    result = {k: v / len(labelled) for k, v in totals.items()} if labelled else {}
    result["labelled"] = len(labelled)
    for kind in ("nonsense", "nonwork"):
        group = [a for r, a in zip(rows, answers, strict=True) if r["kind"] == kind]
        result[f"silent_{kind}"] = sum(1 for a in group if not a) / len(group) if group else None
        result[f"n_{kind}"] = len(group)
    return result


def evaluate_profile(profile: str, errors: bool, names=SETS) -> dict:
    from incluye.skills import coding
    from incluye.skills.coder.calibrate import expected_calibration_error

    import_seconds = coder_data.load_profile(profile)
    coding.reset()
    started = time.perf_counter()
    coder = coding.get_coder()
    startup = time.perf_counter() - started
    sets = {name: coder_data.read_set(name) for name in names}
    cutoff = tune_baseline_cutoff(coder, sets["coder_dev.tsv"])
    baseline = Baseline(coder, cutoff)
    result = {
        "profile": profile,
        "import_seconds": import_seconds,
        "startup_seconds": startup,
        "occupations": len(coder.occupations),
        "documents": len(coder.documents),
        "features": len(coder.vocabulary),
        "threshold": coder.calibration.thresholds or coder.calibration.threshold,
        "baseline_cutoff": cutoff,
        "sets": {},
    }
    for name, rows in sets.items():
        ours = [[(m.soc, m.isco) for m in coder.code(r["text"])] for r in rows]
        theirs = [baseline.code(r["text"]) for r in rows]
        first_p, first_right = [], []
        for row in rows:
            analysis, ranked = coder.ranked(row["text"])
            if ranked:
                probability, position = ranked[0]
                code = coder.occupations[analysis.candidates[position].occupation]["code"][:7]
                first_p.append(probability)
                first_right.append(code in row["accepted_soc"])
            else:
                first_p.append(0.0)
                first_right.append(False)
        by_kind = {}
        for kind in sorted({r["kind"] for r in rows}):
            picked = [i for i, r in enumerate(rows) if r["kind"] == kind]
            by_kind[kind] = accuracy([rows[i] for i in picked], [ours[i] for i in picked])
            by_kind[kind]["n"] = len(picked)
            by_kind[kind]["ece"] = expected_calibration_error(
                [first_p[i] for i in picked], [first_right[i] for i in picked]
            )
        jobs_named = jobs_found = 0
        for row in rows:
            if row["kind"] != "several":
                continue
            found = coder.code_jobs(row["text"])
            for accepted in row["soc"]:
                jobs_named += 1
                jobs_found += any({m.soc for m in job.matches[:3]} & accepted for job in found)
        result["sets"][name] = {
            "rows": len(rows),
            "coder": accuracy(rows, ours),
            "baseline": accuracy(rows, theirs),
            "ece": expected_calibration_error(first_p, first_right),
            "mean_confidence": sum(first_p) / len(first_p),
            "accuracy_first": sum(first_right) / len(first_right),
            "by_kind": by_kind,
            "several_jobs_found": jobs_found / jobs_named if jobs_named else None,
        }
        if errors:
            for row, answer, p in zip(rows, ours, first_p, strict=True):
                socs = [a[0] for a in answer]
                if (row["accepted_soc"] and (not socs or socs[0] not in row["accepted_soc"])) or (
                    not row["accepted_soc"] and socs
                ):
                    print(
                        f"  ✗ [{name} {row['kind']}] {row['text'][:70]} → {socs[:3]} ({p:.2f}) "
                        f"want {sorted(row['accepted_soc']) or 'NONE'}",
                        file=sys.stderr,
                    )
    if "coder_test.tsv" not in sets:  # tuning only: no speed figure
        result["speed_cold"] = result["speed_warm"] = 0.0
        return result
    texts = [r["text"] for r in sets["coder_test.tsv"]]
    coding.reset()
    fresh = coding.get_coder()  # cold typo cache
    started = time.perf_counter()
    fresh.code_many(texts)
    result["speed_cold"] = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(5):
        fresh.code_many(texts)
    result["speed_warm"] = len(texts) * 5 / (time.perf_counter() - started)
    return result


def tune_baseline_cutoff(coder, dev) -> float:
    best, best_cutoff = -1.0, 80.0
    for cutoff in (60, 65, 70, 75, 80, 85, 90):
        result = accuracy(dev, [Baseline(coder, cutoff).code(r["text"]) for r in dev])
        overall = result["soc@1"] + 0.2 * (result["silent_nonwork"] or 0)
        if overall > best:
            best, best_cutoff = overall, cutoff
    return best_cutoff


def print_profile(result: dict) -> None:
    print(
        f"\n## {result['profile']}: {result['occupations']} occupations, {result['documents']} documents, "
        f"{result['features']} features; start-up {result['startup_seconds']:.2f} s; threshold "
        f"{result['threshold']}; baseline cutoff {result['baseline_cutoff']}"
    )
    names = list(result["sets"])
    header = (
        "| figure | " + " | ".join(f"{n.removeprefix('coder_').removesuffix('.tsv')}" for n in names) + " |"
    )
    print(header)
    print("|" + "---|" * (len(names) + 1))

    def row(label, value):
        cells = []
        for name in names:
            v = value(result["sets"][name])
            cells.append("–" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v))
        print(f"| {label} | " + " | ".join(cells) + " |")

    row("rows", lambda s: s["rows"])
    row("top-1, 6-digit SOC", lambda s: s["coder"].get("soc@1"))
    row("top-5, 6-digit SOC", lambda s: s["coder"].get("soc@5"))
    row("top-1, 4-digit ISCO-08", lambda s: s["coder"].get("isco@1"))
    row("top-5, 4-digit ISCO-08", lambda s: s["coder"].get("isco@5"))
    row("  baseline top-1 SOC", lambda s: s["baseline"].get("soc@1"))
    row("no answer: nonsense", lambda s: s["coder"]["silent_nonsense"])
    row("no answer: no job", lambda s: s["coder"]["silent_nonwork"])
    row("  baseline no answer: no job", lambda s: s["baseline"]["silent_nonwork"])
    row("ECE, first answer", lambda s: s["ece"])
    row("mean confidence / accuracy", lambda s: f"{s['mean_confidence']:.3f} / {s['accuracy_first']:.3f}")
    row("several jobs: jobs found", lambda s: s["several_jobs_found"])
    for kind in ("work", "english", "other", "mixed", "several"):
        row(f"top-1 SOC, {kind}", lambda s, k=kind: s["by_kind"].get(k, {}).get("soc@1"))
    print(f"speed: {result['speed_cold']:,.0f} descriptions/s cold, {result['speed_warm']:,.0f}/s after")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", default="bundled,official")
    parser.add_argument("--errors", action="store_true", help="print the rows the coder gets wrong")
    parser.add_argument("--profile", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--tuning-only", action="store_true", help="only the tuning sets (while changing the coder)"
    )
    args = parser.parse_args()
    if args.profile:
        coder_data.setup_django()
        names = coder_data.TUNING if args.tuning_only else SETS
        print(json.dumps(evaluate_profile(args.profile, args.errors, names)))
        return
    results = []
    for profile in args.profiles.split(","):
        command = [sys.executable, __file__, "--profile", profile]
        command += (["--errors"] if args.errors else []) + (["--tuning-only"] if args.tuning_only else [])
        out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
        print_profile(results[-1])
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
