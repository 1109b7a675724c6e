"""From confirmed occupations to what a vocational institute can assess: the skills behind them, the
national standards that recognise them, which units the person's own account already covers and
which are gaps, and a suggested certification pathway (standard, institute, evidence to gather).

`profile_document` gives everything the profile page and the printed profile show, as plain data;
a signed profile keeps that data as its snapshot, so what was signed is what is printed."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.utils import timezone

from incluye.skills.bundled import spelling, spelling_tokens
from incluye.skills.coder import Normalizer
from incluye.skills.models import (
    AssessmentEvidence,
    CompetencyStandard,
    Licence,
    Occupation,
    OccupationSkill,
    ProfileStatus,
    SkillsProfile,
    Source,
    WorkExperience,
)

MAX_SKILLS_PER_OCCUPATION = 8


@cache
def _normalizer() -> Normalizer:
    """The coder's words: its spelling table and its glossary of work words as returnees say them
    ("draiwalero", "le modeaba"), applied alike to what the person said and to the units' keywords.
    Built once per process from the bundled tables (themselves read once), not twice per profile."""
    return Normalizer(spelling_tokens(), set(spelling()["stopwords"]))


def experience_words(experiences) -> set[str]:
    """The (normalized) words of what the person said they did: titles, tasks and tools."""
    normalizer = _normalizer()
    words: set[str] = set()
    for experience in experiences:
        for text in (experience.job_title, experience.tasks, experience.tools, experience.industry):
            words.update(normalizer.words(text or ""))
    return words


@dataclass
class StandardMatch:
    standard: CompetencyStandard
    by: str  # "soc" (the US occupation itself) or "isco" (the same ISCO-08 group)
    occupation: Occupation
    covered: list
    gaps: list

    @property
    def coverage(self) -> float:
        required = [u for u in self.covered + self.gaps if u.required]
        if not required:
            return 0.0
        return sum(1 for u in self.covered if u.required) / len(required)


def matching_standards(*, occupations, country_id, words: set[str]) -> list[StandardMatch]:
    """The active standards of the country's certifying bodies that recognise the occupations:
    those listing the occupation's SOC code first, then those of the same ISCO-08 group."""
    if not occupations:
        return []
    normalizer = _normalizer()
    standards = (
        CompetencyStandard.objects.filter(active=True, body__country_id=country_id, body__is_active=True)
        .select_related("body")
        .prefetch_related("units")
    )
    found: dict = {}
    for standard in standards:
        for occupation in occupations:
            by = "soc" if occupation.soc and occupation.soc in standard.soc else None
            if by is None and occupation.isco and standard.isco == occupation.isco:
                by = "isco"
            if by is None:
                continue
            if standard.pk in found and (found[standard.pk].by == "soc" or by == "isco"):
                continue
            covered, gaps = [], []
            for unit in standard.units.all():
                keywords = {w for k in unit.keywords for w in normalizer.words(k)}
                (covered if keywords & words else gaps).append(unit)
            found[standard.pk] = StandardMatch(standard, by, occupation, covered, gaps)
    return sorted(
        found.values(),
        key=lambda m: (m.by != "soc", not m.standard.migrant_route, -m.coverage, m.standard.level or 9),
    )


def occupation_skills(occupations) -> dict[int, list]:
    """Skills of each occupation: the bundled ones (with Spanish labels) first, then the most
    important imported ones."""
    links = (
        OccupationSkill.objects.filter(occupation__in=occupations)
        .select_related("skill")
        .order_by("occupation_id", "-essential", "-importance", "skill__code")
    )
    by_occupation = defaultdict(list)
    for link in sorted(links, key=lambda link: (link.occupation_id, link.source != Source.BUNDLED)):
        if len(by_occupation[link.occupation_id]) < MAX_SKILLS_PER_OCCUPATION:
            by_occupation[link.occupation_id].append(link.skill)
    return by_occupation


def evidence_advice(match: StandardMatch, experiences) -> list[str]:
    """What to gather before the assessment, from the standard's method and the person's story."""
    labels = dict(AssessmentEvidence.choices)
    advice = [str(labels[e]) for e in match.standard.evidence if e in labels]
    licences = {code for e in experiences for code in e.licences}
    if licences and str(labels[AssessmentEvidence.LICENCES]) not in advice:
        advice.append(str(labels[AssessmentEvidence.LICENCES]))
    return advice


def _localized(es: str, en: str) -> dict:
    return {"es": es, "en": en or es}


def profile_document(profile: SkillsProfile) -> dict:
    """Everything the profile shows, as data (both languages); the snapshot of a signed profile."""
    if profile.status == ProfileStatus.SIGNED and profile.snapshot:
        return profile.snapshot
    person = profile.person
    experiences = list(person.work_history.select_related("occupation"))
    chosen = list(profile.occupations.select_related("occupation"))
    occupations = [c.occupation for c in chosen]
    skills = occupation_skills(occupations)
    removed = set(profile.removed_skills or [])
    words = experience_words(experiences)
    matches = matching_standards(
        occupations=occupations, country_id=profile.organization.country_id, words=words
    )
    licence_labels = dict(Licence.choices)
    licences = list(dict.fromkeys(code for e in experiences for code in e.licences))
    english = max(
        (e for e in experiences),
        key=lambda e: ["none", "basic", "intermediate", "advanced"].index(e.english_level),
        default=None,
    )
    return {
        "person": {
            "name": person.full_name,
            "nationality": person.nationality_id,
        },
        "organization": str(profile.organization),
        "summary": profile.summary,
        "occupations": [
            {
                "code": c.occupation.code,
                "soc": c.occupation.soc,
                "isco": c.occupation.isco,
                "title": _localized(c.occupation.title_es, c.occupation.title_en),
                "years": str(c.years),
                "skills": [
                    _localized(s.label_es, s.label_en)
                    for s in skills.get(c.occupation_id, [])
                    if s.code not in removed
                ],
                "skill_codes": [s.code for s in skills.get(c.occupation_id, []) if s.code not in removed],
            }
            for c in chosen
        ],
        "jobs": [
            {
                "job_title": e.job_title,
                "employer": e.employer,
                "place": ", ".join(p for p in (e.city, e.region, e.country) if p),
                "started": e.started_on.isoformat() if e.started_on else "",
                "started_precision": e.started_precision,
                "ended": e.ended_on.isoformat() if e.ended_on else "",
                "ended_precision": e.ended_precision,
                "years": e.years,
            }
            for e in experiences
        ],
        "licences": [_localized_label(licence_labels, code) for code in licences if code in licence_labels],
        "english_level": english.english_level if english else "none",
        "standards": [
            {
                "code": m.standard.code,
                "title": _localized(m.standard.title_es, m.standard.title_en),
                "body": m.standard.body.short_name or m.standard.body.name,
                "level": m.standard.level,
                "migrant_route": m.standard.migrant_route,
                "by": m.by,
                "for": m.occupation.code,
                "coverage": round(m.coverage, 2),
                "covered": [_unit(u) for u in m.covered],
                "gaps": [_unit(u) for u in m.gaps],
                "evidence": [
                    _localized_label(dict(AssessmentEvidence.choices), e) for e in m.standard.evidence
                ],
                "method": _localized(m.standard.assessment_method_es, m.standard.assessment_method_en),
            }
            for m in matches
        ],
        "pathway": [m.standard.code for m in matches[:3] if m.standard.migrant_route]
        or [m.standard.code for m in matches[:1]],
        "signed_by": profile.signed_by.get_full_name() if profile.signed_by else "",
        "signed_at": profile.signed_at.isoformat() if profile.signed_at else "",
        "generated_at": timezone.now().isoformat(),
    }


def _unit(unit) -> dict:
    return {"code": unit.code, "title": _localized(unit.title_es, unit.title_en), "required": unit.required}


def _localized_label(labels: dict, code: str) -> dict:
    from django.utils import translation

    out = {}
    for language in ("es", "en"):
        with translation.override(language):
            out[language] = str(labels[code])
    return out


def suggested_occupations(person) -> list[tuple[Occupation, Decimal, list[WorkExperience]]]:
    """The occupations of the person's coded jobs, with years summed over the jobs: what a new
    profile starts from."""
    grouped: dict[int, list] = defaultdict(list)
    occupations = {}
    for experience in person.work_history.select_related("occupation").filter(occupation__isnull=False):
        grouped[experience.occupation_id].append(experience)
        occupations[experience.occupation_id] = experience.occupation
    return [
        (
            occupations[pk],
            Decimal(str(round(sum(e.years or 0 for e in jobs), 1))),
            jobs,
        )
        for pk, jobs in grouped.items()
    ]


def qualifications_document(person) -> list[dict]:
    """The person's qualifications from abroad and their recognition, as the profile shows them
    (read live: a recognition is decided long after a profile is signed)."""
    from incluye.skills.models import ForeignQualification

    return [
        {
            "title": q.title,
            "level": q.get_level_display(),
            "institution": q.institution,
            "country": q.country.name,
            "year": q.year,
            "body": q.body_name,
            "status": q.status,
            "status_label": q.get_status_display(),
            "requested_on": q.requested_on,
            "decided_on": q.decided_on,
            "outcome": q.outcome,
        }
        for q in ForeignQualification.objects.filter(person=person).select_related(
            "country", "organization__country"
        )
    ]
