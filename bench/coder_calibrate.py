"""Fit the occupation coder's calibration (incluye/skills/coder/calibrate.py) on the tuning sets
and save it as data: incluye/skills/data/taxonomy/calibration.json.

    DEBUG=1 .venv/bin/python bench/coder_calibrate.py        # both profiles; needs ../shared/data/onet

For each index profile (the bundled taxonomy alone; with the full O*NET imported), every tuning
text (bench/data/coder_dev.tsv and coder_tune.tsv: returnee descriptions, English, other
languages, mixed talk, several jobs, texts that are no job, nonsense) is scored; each candidate
gets its features and a label (is its SOC code one of those accepted). Two logistic regressions are
fitted (the first answer; the others), and the threshold below which the first answer becomes "no
confident match" is chosen per kind of evidence the first answer rests on (a title, task words, an
employer only) to get most tuning texts right (a right first answer shown, or no answer where there
is no job), with at least 97 % of the nonsense and 97 % of the other no-job texts unanswered, each
kind on its own.
The held-out sets are not read.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import coder_data

OUT = coder_data.ROOT / "incluye" / "skills" / "data" / "taxonomy" / "calibration.json"
L2 = 2.0


def collect(coder, rows):
    """Per text: its candidates' features and labels."""
    from incluye.skills.coder.calibrate import candidate_features, evidence_of
    from incluye.skills.coder.score import analyse

    texts = []
    for row in rows:
        analysis = analyse(coder, row["text"])
        features = [candidate_features(coder, analysis, r) for r in range(min(len(analysis.candidates), 5))]
        labels = [
            coder.occupations[c.occupation]["code"][:7] in row["accepted_soc"]
            for c in analysis.candidates[:5]
        ]
        evidence = evidence_of(coder, analysis) if analysis.candidates else ""
        texts.append({"row": row, "features": features, "labels": labels, "evidence": evidence})
    return texts


GRID = np.round(np.arange(0.05, 0.80, 0.01), 2)


def choose_thresholds(probability, correct, has_job, evidence, nonsense=None):
    """One threshold per kind of evidence (a title, task words, an employer only), chosen together:
    the most tuning texts right (a right first answer shown, or no answer where there is no job),
    with at least 97 % of the made-up texts and at least 97 % of the other no-job texts unanswered,
    each on its own (the target is read per kind: plenty of silent greetings must not buy answers
    to made-up words); among equals, those nearest the single threshold. Also the single threshold
    chosen the same way, for an answer of no known kind."""
    from incluye.skills.coder.calibrate import EVIDENCE

    nonsense = np.zeros(len(probability), bool) if nonsense is None else nonsense
    groups = [g for g in (~has_job & nonsense, ~has_job & ~nonsense) if g.any()]

    def counts(inside):
        """Per threshold of the grid: texts right among `inside`, and no-job texts unanswered
        among `inside` in each group."""
        shown = probability[inside][None, :] >= GRID[:, None]
        right = (shown & correct[inside]).sum(1) + (~shown & ~has_job[inside]).sum(1)
        silent = [(~shown & group[inside]).sum(1) for group in groups]
        return right, silent

    needed = [0.97 * group.sum() for group in groups]
    right, silent = counts(np.ones(len(probability), bool))
    ok = np.nonzero(np.all([s >= n for s, n in zip(silent, needed, strict=True)], axis=0))[0]
    single = float(GRID[ok[np.argmax(right[ok])]]) if len(ok) else 0.5
    # Texts with no candidate at all are never answered: right when they are no job.
    empty = evidence == ""
    base = int((~has_job & empty).sum())
    (r1, s1), (r2, s2), (r3, s3) = [counts(evidence == kind) for kind in EVIDENCE]
    total_right = r1[:, None, None] + r2[None, :, None] + r3[None, None, :] + base
    feasible = np.ones(total_right.shape, bool)
    for g, group in enumerate(groups):
        total_silent = s1[g][:, None, None] + s2[g][None, :, None] + s3[g][None, None, :]
        feasible &= total_silent + int((group & empty).sum()) >= needed[g]
    total_right = np.where(feasible, total_right, -1)
    if total_right.max() < 0:
        return single, dict.fromkeys(EVIDENCE, single)
    # Among the best, the thresholds nearest the single one: a kind's threshold moves away from it
    # only as far as tuning texts ask (a flat stretch says nothing about texts not seen).
    distance = np.abs(GRID - single)
    spread = distance[:, None, None] + distance[None, :, None] + distance[None, None, :]
    best = np.unravel_index(
        np.argmin(np.where(total_right == total_right.max(), spread, np.inf)), spread.shape
    )
    return single, {kind: float(GRID[i]) for kind, i in zip(EVIDENCE, best, strict=True)}


def fit_profile(profile: str) -> dict:
    """Runs in a fresh process per profile (a fresh database)."""
    from incluye.skills import coding
    from incluye.skills.coder.calibrate import Calibration, expected_calibration_error, fit

    coder_data.load_profile(profile)
    coding.reset()
    coder = coding.get_coder()
    coder.calibration = Calibration.uncalibrated()
    rows = [row for name in coder_data.TUNING for row in coder_data.read_set(name)]
    texts = collect(coder, rows)
    first_x = np.array([t["features"][0] for t in texts if t["features"]])
    first_y = np.array([t["labels"][0] for t in texts if t["features"]])
    other_x = np.array([f for t in texts for f in t["features"][1:]])
    other_y = np.array([y for t in texts for y in t["labels"][1:]])
    first, others = fit(first_x, first_y, l2=L2), fit(other_x, other_y, l2=L2)
    p_first = first.predict(first_x)
    # Every text's first probability (0 when nothing matched at all), for the threshold.
    probability, correct, has_job = [], [], []
    i = 0
    for t in texts:
        if t["features"]:
            probability.append(float(p_first[i]))
            correct.append(bool(t["labels"][0]))
            i += 1
        else:
            probability.append(0.0)
            correct.append(False)
        has_job.append(bool(t["row"]["accepted_soc"]))
    probability, correct, has_job = np.array(probability), np.array(correct), np.array(has_job)
    evidence = np.array([t["evidence"] for t in texts])
    nonsense = np.array([t["row"]["kind"] == "nonsense" for t in texts])
    threshold, thresholds = choose_thresholds(probability, correct, has_job, evidence, nonsense)
    return {
        "first": first.as_dict(),
        "others": others.as_dict(),
        "threshold": threshold,
        "thresholds": thresholds,
        "fitted_on": {
            "texts": len(texts),
            "first_answers": len(first_y),
            "other_answers": len(other_y),
            "ece_first_tuning": round(expected_calibration_error(probability, correct), 4),
        },
    }


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--profile":
        coder_data.setup_django()
        print(json.dumps(fit_profile(sys.argv[2])))
        return
    from incluye.skills.coder.calibrate import FEATURES

    profiles = {}
    for profile in ("bundled", "official"):
        out = subprocess.run(
            [sys.executable, __file__, "--profile", profile], check=True, stdout=subprocess.PIPE, text=True
        ).stdout
        profiles[profile] = json.loads(out.strip().splitlines()[-1])
        fitted = profiles[profile]["fitted_on"]
        print(
            f"{profile}: threshold {profiles[profile]['threshold']}, "
            f"by evidence {profiles[profile]['thresholds']}, {fitted}"
        )
    OUT.write_text(
        json.dumps(
            {
                "about": (
                    "Calibration of the occupation coder, fitted by bench/coder_calibrate.py on "
                    "bench/data/coder_dev.tsv and coder_tune.tsv (logistic regressions on standardized "
                    "features; 'first' for the first answer, 'others' for the rest). Do not edit by hand."
                ),
                "features": list(FEATURES),
                "profiles": profiles,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written {OUT.relative_to(coder_data.ROOT)}")


if __name__ == "__main__":
    main()
