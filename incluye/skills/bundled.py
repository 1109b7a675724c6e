"""The taxonomy bundled with the package (data/taxonomy/occupations.json): the occupations returnees
most often held, with Spanish, English and colloquial titles, tasks, tools and skills. Loaded after
every migrate; idempotent and cheap when the bundled version is already loaded."""

import json
from functools import cache
from pathlib import Path

from django.db import transaction

from incluye.skills.models import (
    Occupation,
    OccupationSkill,
    OccupationTask,
    OccupationTitle,
    OccupationTool,
    Skill,
    Source,
    System,
    TaxonomyImport,
    TitleKind,
)

DATA = Path(__file__).parent / "data" / "taxonomy"


@cache
def bundled_data() -> dict:
    return json.loads((DATA / "occupations.json").read_text(encoding="utf-8"))


@cache
def esco_titles() -> dict[str, dict[str, list[str]]]:
    """ESCO's Spanish and English labels for the bundled occupations, by O*NET-SOC code."""
    path = DATA / "esco_titles.json"
    return json.loads(path.read_text(encoding="utf-8"))["titles"] if path.exists() else {}


@cache
def spelling() -> dict:
    return json.loads((DATA / "spelling.json").read_text(encoding="utf-8"))


@cache
def glossary() -> dict:
    """Work vocabulary as returnees say it (glossary.json): `words` (a Spanglish or regional word → the
    word the taxonomy knows) and `titles` (more colloquial titles per O*NET-SOC code)."""
    path = DATA / "glossary.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"words": {}, "titles": {}}


def spelling_tokens() -> dict[str, str]:
    """The spelling table with the glossary's words; spelling.json wins where both have a word."""
    return {**glossary()["words"], **spelling()["tokens"]}


@cache
def employers() -> list[dict]:
    """US employers where returnees often worked, each with the occupations people most often hold
    there (employers.json): `names`, `onet` (O*NET-SOC codes, the likeliest first), `sector`."""
    path = DATA / "employers.json"
    return json.loads(path.read_text(encoding="utf-8"))["employers"] if path.exists() else []


@cache
def roles() -> dict:
    """The words that move a trade to its helper or supervisor, and the places that decide between
    two trades (roles.json; read by `incluye.skills.coder.context`)."""
    path = DATA / "roles.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@cache
def non_occupations() -> list[str]:
    return json.loads((DATA / "non_occupations.json").read_text(encoding="utf-8"))["phrases"]


@cache
def life_words() -> list[str]:
    """Words about a person's life rather than their work (family, feelings, home, travel)."""
    return json.loads((DATA / "non_occupations.json").read_text(encoding="utf-8"))["life_words"]


def sector_labels() -> dict[str, dict[str, str]]:
    return bundled_data()["sectors"]


@transaction.atomic
def load_bundled(*, force: bool = False) -> int:
    """Loads (or refreshes) the bundled taxonomy; returns the number of occupations loaded."""
    data = bundled_data()
    version = data["version"]
    if not force and TaxonomyImport.objects.filter(kind=Source.BUNDLED, version=version).exists():
        return 0
    # Skills and occupations in a few bulk queries (a fresh database, and every test database after a
    # flush, loads them all): the existing ones are read once, the new ones inserted together.
    known = {skill.code: skill for skill in Skill.objects.filter(code__in=[e["key"] for e in data["skills"]])}
    skills, new_skills, changed_skills = {}, [], []
    for entry in data["skills"]:
        values = {
            "label_es": entry["es"],
            "label_en": entry["en"],
            "esco_uri": entry.get("esco") or "",
            "kind": "skill",
            "source": Source.BUNDLED,
        }
        skill = known.get(entry["key"])
        if skill is None:
            new_skills.append(skill := Skill(code=entry["key"], **values))
        elif any(getattr(skill, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(skill, name, value)
            changed_skills.append(skill)
        skills[entry["key"]] = skill
    Skill.objects.bulk_create(new_skills)
    Skill.objects.bulk_update(changed_skills, ["label_es", "label_en", "esco_uri", "kind", "source"])
    known = {
        o.code: o
        for o in Occupation.objects.filter(
            system=System.ONET, code__in=[e["onet"] for e in data["occupations"]]
        )
    }
    occupations, new_occupations, changed_occupations = [], [], []
    for entry in data["occupations"]:
        occupation = known.get(entry["onet"])
        if occupation is None:
            occupation = Occupation(
                system=System.ONET,
                code=entry["onet"],
                title_es=entry["title_es"],
                title_en=entry["title_en"],
                isco=entry["isco"],
                sector=entry["sector"],
                source=Source.BUNDLED,
            )
            new_occupations.append(occupation)
        else:
            # An imported O*NET occupation keeps its official English title and description; the
            # bundle adds what O*NET lacks: Spanish, the sector and the ISCO link.
            occupation.title_es = entry["title_es"]
            occupation.title_en = occupation.title_en or entry["title_en"]
            occupation.isco = entry["isco"]
            occupation.sector = entry["sector"]
            changed_occupations.append(occupation)
        occupations.append((occupation, entry))
    Occupation.objects.bulk_create(new_occupations)
    Occupation.objects.bulk_update(
        changed_occupations, ["title_es", "title_en", "isco", "sector"], batch_size=500
    )
    ids = [occupation.pk for occupation, _ in occupations]
    for model in (OccupationTitle, OccupationTask, OccupationTool, OccupationSkill):
        model.objects.filter(occupation_id__in=ids, source=Source.BUNDLED).delete()
    # ESCO labels ship with the bundle (an ESCO import makes ESCO occupations, not these titles).
    OccupationTitle.objects.filter(occupation_id__in=ids, source=Source.ESCO).delete()
    esco = esco_titles()
    titles, tasks, tools, links = {}, [], [], []
    for occupation, entry in occupations:
        named = [
            (entry["title_es"], "es", TitleKind.PREFERRED),
            (entry["title_en"], "en", TitleKind.PREFERRED),
            *((t, "es", TitleKind.COLLOQUIAL) for t in entry.get("titles_es", [])),
            *((t, "en", TitleKind.COLLOQUIAL) for t in entry.get("titles_en", [])),
            *((t, "es", TitleKind.COLLOQUIAL) for t in entry.get("phrases_es", [])),
            *((t, "en", TitleKind.COLLOQUIAL) for t in entry.get("phrases_en", [])),
            *(
                (t, language, TitleKind.COLLOQUIAL)
                for language, said in glossary()["titles"].get(entry["onet"], {}).items()
                for t in said
            ),
        ]
        for title, language, kind in named:
            key = (occupation.pk, title.strip(), language, kind)
            titles.setdefault(
                key,
                OccupationTitle(
                    occupation=occupation, title=key[1], language=language, kind=kind, source=Source.BUNDLED
                ),
            )
        for language, labels in esco.get(entry["onet"], {}).items():
            for label in labels:
                key = (occupation.pk, label.strip(), language, TitleKind.ALTERNATE)
                titles.setdefault(
                    key,
                    OccupationTitle(
                        occupation=occupation,
                        title=key[1],
                        language=language,
                        kind=key[3],
                        source=Source.ESCO,
                    ),
                )
        for language in ("es", "en"):
            tasks += [
                OccupationTask(occupation=occupation, text=text, language=language, source=Source.BUNDLED)
                for text in entry.get(f"tasks_{language}", [])
            ]
        tools += [
            OccupationTool(occupation=occupation, name_es=t["es"], name_en=t["en"], source=Source.BUNDLED)
            for t in entry.get("tools", [])
        ]
        links += [
            OccupationSkill(occupation=occupation, skill=skills[key], source=Source.BUNDLED)
            for key in dict.fromkeys(entry.get("skills", []))
        ]
    OccupationTitle.objects.bulk_create(titles.values(), ignore_conflicts=True)
    OccupationTask.objects.bulk_create(tasks)
    OccupationTool.objects.bulk_create(tools)
    OccupationSkill.objects.bulk_create(links, ignore_conflicts=True)
    TaxonomyImport.objects.create(
        kind=Source.BUNDLED,
        path="incluye/skills/data/taxonomy/occupations.json",
        version=version,
        counts={"occupations": len(occupations), "titles": len(titles), "skills": len(skills)},
    )
    return len(occupations)
