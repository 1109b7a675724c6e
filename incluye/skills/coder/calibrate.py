"""Stage 4 of the coder: confidences that mean what they say.

The raw score ranks occupations but is no probability: 5 000 characters of made-up words, each
corrected to some known word, used to give "Roofers 0.71". A fitted model turns what the coder
saw into the probability that an answer is right: logistic regressions (Platt scaling on several
features) fitted on labelled tuning texts — returnee descriptions, nonsense, texts that are no job
at all, other languages — by `bench/coder_calibrate.py`, and saved as data
(`data/taxonomy/calibration.json`), one model for the first answer and one for the others, per
index profile (the bundled taxonomy alone, or with the official O*NET tables imported: a larger
index answers more, and more loosely). Nothing here is set by hand but the features.

Features of a candidate: its raw score, its share of the best score and the margin to the next,
how much of its best document the text covers and how much of the text it explains, whether that
document is a title and from the bundled taxonomy, how many kinds of document agree, the longest
word and whether a word pair it shares with the text; and of the text: the share of its words the
index knows as they are, corrected from a typo, or does not know at all, how many words it has, and
the share of its words that are about life rather than work (family, feelings, home, travel); and
whether the best document is an employer named instead of a job ("en la Tyson"), whether a role
word moved the candidate first ("ayudante de rufero": the roofers' helper, `context.py`), and the
share of the shared words that the text has only through a fix that is no common slip of the
fingers ("shain" for "stain", where "plommero" is a slip for "plomero").

The threshold below which the first answer is "no confident match" is chosen per kind of evidence
(a title, task words, an employer only): a text that names only an employer is no job more often
("pedía Uber para ir al doctor") than one that names a title, and one threshold for both either
answers those or silences real but vague descriptions.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from incluye.skills.coder.index import Index
from incluye.skills.coder.score import Analysis, Candidate, shared_features, typed_words

FEATURES = (
    "raw",
    "ratio",
    "margin",
    "covered",
    "explained",
    "title",
    "bundled",
    "kinds",
    "longest",
    "pair",
    "known",
    "corrected",
    "unknown",
    "words",
    "life",
    "employer",
    "role",
    "verbatim",
    "imported",
    "guessed",
)
# The kinds of evidence the first answer can rest on, each with its own threshold: a title said,
# task or tool words, or only an employer named ("en la Tyson", which people also say of errands).
EVIDENCE = ("title", "task", "employer")
# Sources imported from the official tables (`manage.py import_taxonomy`), as opposed to the bundled
# taxonomy and the bundled ESCO titles written for returnees.
IMPORTED = frozenset({"onet"})
DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "taxonomy" / "calibration.json"


def profile_of(index: Index) -> str:
    """Which calibration fits this index: "official" when most documents come from imported
    official tables (O*NET), else "bundled"."""
    return "official" if index.official_share > 0.5 else "bundled"


def candidate_features(index: Index, analysis: Analysis, rank: int) -> list[float]:
    candidates = analysis.candidates
    candidate: Candidate = candidates[rank]
    top = candidates[0].score
    # The margin to the next candidate; a trade whose helper, supervisor or same work in the place
    # said was moved first is the same evidence, not a rival.
    following = next((c.score for c in candidates[rank + 1 :] if c.occupation != candidate.moved_from), 0.0)
    best = index.documents[candidate.documents[0]]
    shared = shared_features(index, analysis, candidate)
    words = max(analysis.words, 1)
    return [
        min(candidate.score, 1.2),
        candidate.score / top if top else 0.0,
        (candidate.score - following) / candidate.score if candidate.score else 0.0,
        candidate.covered,
        candidate.explained,
        float(best.kind == "title"),
        float(best.source == "bundled"),
        float(len({index.documents[d].kind for d in candidate.documents})),
        min(max((len(f) for f in shared if "_" not in f), default=0), 12) / 12,
        float(any("_" in f for f in shared)),
        analysis.known / words,
        analysis.corrected / words,
        analysis.unknown / words,
        math.log1p(analysis.words),
        analysis.life / words,
        float(best.kind == "employer"),
        float(bool(candidate.role)),
        verbatim(index, analysis, candidate, shared),
        float(best.source in IMPORTED),
        guessed(analysis, shared),
    ]


def guessed(analysis: Analysis, shared: set[str]) -> float:
    """The share of the features the text and the candidate share that the text has only through a
    fix that is no common slip (`score.guessed_stems`): a text of made-up words a letter from real
    ones ("shain bylm": "stain") shares only such words; a real title with a typo ("plommero",
    "weldr") is a slip and counts as said."""
    if not shared or not analysis.guessed:
        return 0.0
    fixed = analysis.guessed
    return sum(1 for f in shared if any(part in fixed for part in f.split("_"))) / len(shared)


def verbatim(index: Index, analysis: Analysis, candidate: Candidate, shared: set[str]) -> float:
    """The share of the words the text and the candidate's best document share that the document
    says as the person typed them, not only their stem ("Marcos" is no "marca")."""
    singles = {f for f in shared if "_" not in f}
    if not singles:
        return 0.0
    said = set(index.document_words(candidate.documents[0]))
    typed = typed_words(analysis)
    return sum(1 for f in singles if said.intersection(typed.get(f, ()))) / len(singles)


def evidence_of(index: Index, analysis: Analysis) -> str:
    """What the first candidate rests on: "title", "task" (a task or a tool) or "employer"."""
    kind = index.documents[analysis.candidates[0].documents[0]].kind
    return kind if kind in EVIDENCE else "task"


@dataclass
class Model:
    """A logistic regression on standardized features."""

    mean: list[float]
    scale: list[float]
    weights: list[float]
    bias: float

    def predict(self, rows: np.ndarray) -> np.ndarray:
        z = ((rows - np.array(self.mean)) / np.array(self.scale)) @ np.array(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def as_dict(self) -> dict:
        return {"mean": self.mean, "scale": self.scale, "weights": self.weights, "bias": self.bias}


def fit(rows: np.ndarray, labels: np.ndarray, *, l2: float = 1.0) -> Model:
    """Maximum likelihood with an L2 penalty (SciPy's L-BFGS-B)."""
    from scipy.optimize import minimize

    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale == 0] = 1.0
    x = (rows - mean) / scale
    y = labels.astype(float)
    n = len(y)

    def loss(theta):
        z = x @ theta[:-1] + theta[-1]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        eps = 1e-12
        value = (
            -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
            + l2 / (2 * n) * theta[:-1] @ theta[:-1]
        )
        gradient = np.concatenate([x.T @ (p - y) / n + l2 / n * theta[:-1], [np.mean(p - y)]])
        return value, gradient

    result = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B")
    return Model(mean.tolist(), scale.tolist(), result.x[:-1].tolist(), float(result.x[-1]))


def expected_calibration_error(probabilities, correct, *, bins: int = 10) -> float:
    """The gap between confidence and accuracy, averaged over equal-width bins by their size."""
    p = np.asarray(probabilities, float)
    y = np.asarray(correct, float)
    if not len(p):
        return 0.0
    which = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            total += inside.sum() * abs(p[inside].mean() - y[inside].mean())
    return total / len(p)


@dataclass
class Calibration:
    first: Model | None  # the first answer
    others: Model | None  # the second answer and below
    threshold: float  # below this, the first answer is "no confident match"
    thresholds: dict[str, float] | None = None  # per kind of evidence, when fitted so

    def threshold_for(self, evidence: str) -> float:
        return (self.thresholds or {}).get(evidence, self.threshold)

    def probabilities(self, index: Index, analysis: Analysis, *, limit: int = 5) -> list[float]:
        """The probability that each of the first `limit` candidates (in the raw order) is right.
        A later answer is never shown as more likely than the first: the raw order ranks better
        than two models fitted apart, so its probability is capped by the first's."""
        count = min(len(analysis.candidates), limit)
        if not count:
            return []
        if self.first is None:  # not fitted: the raw score, capped
            return [min(c.score, 1.0) for c in analysis.candidates[:count]]
        rows = np.array([candidate_features(index, analysis, r) for r in range(count)])
        first = float(self.first.predict(rows[:1])[0])
        others = self.others.predict(rows[1:]) if count > 1 else np.zeros(0)
        return [first, *(min(float(v), first) for v in others)]

    @classmethod
    def load(cls, profile: str, path: Path = DEFAULT_FILE) -> Calibration:
        if not path.exists():
            return cls.uncalibrated()
        saved = json.loads(path.read_text(encoding="utf-8"))
        data = saved["profiles"].get(profile)
        if data is None or saved.get("features") != list(FEATURES):  # fitted on other features
            return cls.uncalibrated()
        return cls(Model(**data["first"]), Model(**data["others"]), data["threshold"], data.get("thresholds"))

    @classmethod
    def uncalibrated(cls) -> Calibration:
        """For a hand-made index (tests): the raw score, and the old fixed threshold."""
        return cls(None, None, 0.40)
