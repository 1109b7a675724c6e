"""The occupation coder's database side: the process's coder, built from the taxonomy in the
database and rebuilt when it changes, and its answers with the reasons in the active language.
The coder itself is `incluye.skills.coder` (plain Python)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext

from incluye.skills.coder import Coder, Context, Document, Job, Match, Normalizer

# Each further job of an employer's list ("Tyson": slaughterers, then meat cutters) weighs this much less.
EMPLOYER_STEP = 0.03


def build_from_database() -> Coder:
    from incluye.skills.bundled import (
        employers,
        life_words,
        non_occupations,
        roles,
        spelling,
        spelling_tokens,
    )
    from incluye.skills.models import Occupation, OccupationTask, OccupationTitle, OccupationTool, System

    occupations = list(
        Occupation.objects.filter(system=System.ONET)
        .order_by("code")
        .values("id", "code", "isco", "title_es", "title_en", "source")
    )
    index = {o["id"]: i for i, o in enumerate(occupations)}
    # Bundled occupations carry their preferred titles as title rows already.
    documents = [
        Document(index[o["id"]], "title", o["title_en"], o["source"], "en")
        for o in occupations
        if o["source"] != "bundled" and o["title_en"]
    ]
    titles = OccupationTitle.objects.filter(occupation__system=System.ONET).values_list(
        "occupation_id", "title", "source", "language"
    )
    documents += [
        Document(index[o], "title", t, s, language[:2])
        for o, t, s, language in titles.iterator(chunk_size=20_000)
    ]
    tasks = OccupationTask.objects.filter(occupation__system=System.ONET, core=True).values_list(
        "occupation_id", "text", "source", "language"
    )
    documents += [
        Document(index[o], "task", t, s, language[:2])
        for o, t, s, language in tasks.iterator(chunk_size=20_000)
    ]
    tools = OccupationTool.objects.filter(occupation__system=System.ONET, source="bundled").values_list(
        "occupation_id", "name_es", "name_en", "source"
    )
    for o, name_es, name_en, s in tools:
        documents += [
            Document(index[o], "tool", name, s, language)
            for name, language in ((name_es, "es"), (name_en, "en"))
            if name
        ]
    # An employer named instead of a job ("en la Tyson") points to the jobs people hold there.
    by_code = {o["code"]: i for i, o in enumerate(occupations)}
    documents += [
        Document(by_code[code], "employer", name, "bundled", weight=1.0 - EMPLOYER_STEP * rank)
        for employer in employers()
        for rank, code in enumerate(employer["onet"])
        if code in by_code
        for name in employer["names"]
    ]
    return Coder(
        occupations,
        documents,
        Normalizer(spelling_tokens(), set(spelling()["stopwords"]), non_occupations(), life_words()),
        context=Context.from_data(roles()),
    )


_cached: dict[str, object] = {}


def get_coder() -> Coder:
    """The process's coder, rebuilt when the taxonomy changed (a new import or bundled load)."""
    from incluye.skills.models import TaxonomyImport

    stamp = TaxonomyImport.objects.order_by("-pk").values_list("pk", flat=True).first()
    if _cached.get("stamp") != stamp or "coder" not in _cached:
        _cached["coder"] = build_from_database()
        _cached["stamp"] = stamp
    return _cached["coder"]


def reset() -> None:
    _cached.clear()


def explained(matches: list[Match]) -> list[Match]:
    """The matches with their reasons described in the active language."""
    language = (get_language() or "es")[:2]
    for match in matches:
        match.explanations = [reason.describe(language, gettext) for reason in match.reasons]
    return matches


@dataclass
class Suggestions:
    """What the coder proposes for a description: its occupations and, when it names several
    jobs, each job with its own."""

    matches: list[Match]
    jobs: list[Job] = field(default_factory=list)


def suggest(text: str, *, details: str = "", limit: int = 5) -> Suggestions:
    """The occupations for a job called `text` (with what the person did there, `details`), and
    the several jobs the name gives, if it names several."""
    coder = get_coder()
    matches = explained(coder.code_job(text, details, limit=limit))
    jobs = coder.code_jobs(text)
    for job in jobs:
        explained(job.matches)
    return Suggestions(matches, jobs)
