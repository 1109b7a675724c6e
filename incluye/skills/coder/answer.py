"""The coder's answer: calibrated, ranked occupations with their reasons; "no confident match"
when the first answer is unlikely to be right; and, for a description that names several jobs,
each of them."""

from __future__ import annotations

from dataclasses import dataclass, field

from incluye.skills.coder.calibrate import Calibration, evidence_of, profile_of
from incluye.skills.coder.context import Context
from incluye.skills.coder.explain import Reason
from incluye.skills.coder.index import Document, Index
from incluye.skills.coder.normalize import Normalizer, segments
from incluye.skills.coder.score import Analysis, analyse, matched_words


@dataclass
class Match:
    occupation_id: int
    code: str
    soc: str
    isco: str
    title_es: str
    title_en: str
    confidence: float  # the probability that this occupation is right for the text
    reasons: list[Reason] = field(default_factory=list)
    explanations: list[str] = field(default_factory=list)  # the reasons in the reader's language

    @property
    def title(self) -> str:
        from incluye.core.text import pick_language

        return pick_language({"es": self.title_es, "en": self.title_en})


@dataclass
class Job:
    """One of several jobs a description names: the words that name it and its occupations."""

    text: str
    matches: list[Match]


class Coder(Index):
    """Free text as a returnee says it → ranked occupations with a calibrated confidence."""

    def __init__(
        self,
        occupations: list[dict],
        documents: list[Document],
        normalizer: Normalizer,
        calibration: Calibration | None = None,
        context: Context | None = None,
    ):
        super().__init__(occupations, documents, normalizer, context)
        self.calibration = calibration or Calibration.load(profile_of(self))

    def ranked(self, text: str, *, limit: int = 5) -> tuple[Analysis, list[tuple[float, int]]]:
        """The analysis of the text and its first `limit` candidates as (probability, position),
        best first."""
        analysis = analyse(self, text)
        probabilities = self.calibration.probabilities(self, analysis, limit=limit)
        return analysis, [(p, i) for i, p in enumerate(probabilities)]

    def code(self, text: str, *, limit: int = 5) -> list[Match]:
        """The best occupations for the text, best first; empty when nothing is confident."""
        analysis, ranked = self.ranked(text, limit=limit)
        if not ranked or ranked[0][0] < self.calibration.threshold_for(evidence_of(self, analysis)):
            return []
        return [self._match(analysis, position, probability) for probability, position in ranked]

    def code_jobs(self, text: str, *, limit: int = 3) -> list[Job]:
        """Each job of a description that names several ("hojalatero y pintor de carros"), with
        its own occupations; empty when the description names one job (or none)."""
        parts = segments(text)
        if len(parts) < 2:
            return []
        jobs: list[Job] = []
        seen: set[str] = set()
        for part in parts:
            matches = self.code(part, limit=limit)
            if not matches or matches[0].reasons[0].kind != "title":
                continue
            # Two parts of one trade (hanging and taping drywall) are one job: a job per ISCO group.
            group = matches[0].isco or matches[0].soc
            if group in seen:
                continue
            seen.add(group)
            jobs.append(Job(part, matches))
        return jobs if len(jobs) >= 2 else []

    def code_job(self, title: str, details: str = "", *, limit: int = 5) -> list[Match]:
        """A job of the work history: what the person called it, and what they did and used there.
        The title alone and the whole description are coded; each occupation keeps its best
        confidence (a long list of tasks must not drown a clear title)."""
        best: dict[int, Match] = {}
        for text in (title, f"{title}, {details}" if details else ""):
            for match in self.code(text, limit=limit) if text else []:
                if match.occupation_id not in best or match.confidence > best[match.occupation_id].confidence:
                    best[match.occupation_id] = match
        return sorted(best.values(), key=lambda m: -m.confidence)[:limit]

    def code_many(self, texts, *, limit: int = 5) -> list[list[Match]]:
        return [self.code(text, limit=limit) for text in texts]

    def _match(self, analysis: Analysis, position: int, probability: float) -> Match:
        candidate = analysis.candidates[position]
        info = self.occupations[candidate.occupation]
        reasons = []
        for doc in candidate.documents:
            document = self.documents[doc]
            translations = {
                language: self.documents[other].text
                for language, other in candidate.in_language.items()
                if language and language != document.language and self.documents[other].kind == document.kind
            }
            reasons.append(
                Reason(
                    document.kind,
                    document.text,
                    document.language,
                    tuple(matched_words(self, analysis, doc)),
                    translations,
                )
            )
        return Match(
            occupation_id=info["id"],
            code=info["code"],
            soc=info["code"][:7],
            isco=info["isco"],
            title_es=info["title_es"],
            title_en=info["title_en"],
            confidence=round(probability, 3),
            reasons=reasons,
        )
