"""ESCO occupations and skills from the CSV download (a folder or its .zip): occupations_<lang>.csv
and skills_<lang>.csv for Spanish and English, the occupation–skill relations and the ISCO-08 groups
when present.

Languages: "es" and "en". A file in "en-us" (ESCO's American English) is read as English only when
the folder has no "en" file of that kind (ESCO v1.0's skills come only in en-us); files in other
languages are left out."""

import re
import time
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from incluye.skills.importers.base import (
    Distribution,
    TaxonomyFileError,
    bulk_insert,
    clip,
    delete_for_occupations,
    finish,
    read_table,
    record_import,
    upsert_occupations,
    version_from_name,
)
from incluye.skills.importers.isco import IscoGroups, read_isco, write_isco
from incluye.skills.models import (
    OccupationSkill,
    OccupationTitle,
    Skill,
    Source,
    System,
    TaxonomyImport,
    TitleKind,
)

FILE_PATTERN = re.compile(r"(occupations|skills|ISCOGroups)_(es|en|en-us)\.csv")
RELATIONS = "occupationSkillRelations.csv"
URI_PATTERN = re.compile(r"https?://\S+")
ISCO_GROUP = re.compile(r"\d{4}")


def check_uri(name: str, row, column: str = "conceptUri") -> str:
    uri = row[column]
    if not URI_PATTERN.fullmatch(uri):
        raise TaxonomyFileError(name, _("“%(value)s” is not an ESCO URI.") % {"value": uri}, row.line)
    return uri


def pick_files(distribution: Distribution) -> dict[tuple[str, str], str]:
    """{(kind, language): file name}, "en-us" standing in for a missing "en"."""
    found = {}
    for name in distribution.names():
        if match := FILE_PATTERN.fullmatch(name):
            found[(match.group(1), match.group(2))] = name
    for kind in ("occupations", "skills", "ISCOGroups"):
        american = found.pop((kind, "en-us"), None)
        if american and (kind, "en") not in found:
            found[(kind, "en")] = american
    return found


def read_occupations(name: str, data: bytes, language: str, occupations: dict, titles: dict) -> int:
    """Adds one language's occupations to {uri: fields} and {(uri, text, language, kind)}; returns
    how many rows repeated a URI already read (the first one wins)."""
    repeated, seen = 0, set()
    rows = read_table(
        name,
        data,
        required=["conceptUri", "preferredLabel"],
        optional=["iscoGroup", "altLabels", "description"],
    )
    for row in rows:
        uri = check_uri(name, row)
        if uri in seen:
            repeated += 1
            continue
        seen.add(uri)
        entry = occupations.setdefault(uri, {"source": Source.ESCO})
        entry[f"title_{language}"] = clip(row["preferredLabel"])
        if row.get("description"):
            entry[f"description_{language}"] = row["description"]
        if group := row.get("iscoGroup"):
            if not ISCO_GROUP.fullmatch(group):
                raise TaxonomyFileError(
                    name,
                    _("“%(value)s” is not an ISCO-08 unit group (4 digits).") % {"value": group},
                    row.line,
                )
            entry["isco"] = group
        preferred = clip(row["preferredLabel"])
        titles[(uri, preferred, language, TitleKind.PREFERRED)] = None
        for alternate in row.get("altLabels", "").splitlines():
            alternate = clip(alternate.strip())
            if alternate and alternate != preferred:
                titles[(uri, alternate, language, TitleKind.ALTERNATE)] = None
    return repeated


def read_skills(name: str, data: bytes, language: str, skills: dict) -> None:
    rows = read_table(name, data, required=["conceptUri", "preferredLabel"], optional=["skillType"])
    for row in rows:
        uri = check_uri(name, row)
        entry = skills.setdefault(uri, {})
        entry.setdefault(f"label_{language}", clip(row["preferredLabel"]))
        if kind := row.get("skillType", "").split(" ")[0]:
            entry["kind"] = kind[:24]


def read_relations(name: str, data: bytes) -> dict[tuple[str, str], bool]:
    """{(occupation URI, skill URI): essential}."""
    rows = read_table(name, data, required=["occupationUri", "relationType", "skillUri"])
    links = {}
    for row in rows:
        key = (check_uri(name, row, "occupationUri"), check_uri(name, row, "skillUri"))
        links[key] = links.get(key, False) or row["relationType"] == "essential"
    return links


def import_esco(path: Path, relations: Path | None = None) -> TaxonomyImport:
    """Imports an ESCO CSV download, all or nothing. Occupations and skills are created or updated
    in the languages present (the other language is kept); their ESCO titles in those languages and
    the ESCO skill links of the occupations related are replaced."""
    started = time.perf_counter()
    distribution = Distribution(path)
    occupations, titles, skills, links, isco = {}, {}, {}, None, IscoGroups()
    counts = {}
    try:
        files = pick_files(distribution)
        has_relations = RELATIONS in distribution.names()
        if not files and not has_relations and relations is None:
            raise TaxonomyFileError(
                distribution.label,
                _("the folder has no ESCO files (occupations_es.csv, skills_es.csv, occupations_en.csv…)."),
            )
        repeated = 0
        for (kind, language), name in sorted(files.items()):
            data = distribution.read(name)
            if kind == "occupations":
                repeated += read_occupations(name, data, language, occupations, titles)
            elif kind == "skills":
                read_skills(name, data, language, skills)
            else:
                read_isco(name, data, into=isco)
        if repeated:
            counts["repeated_rows"] = repeated
        if relations is not None:
            extra = Distribution(relations) if Path(relations).is_dir() else None
            if extra is not None:
                links = read_relations(RELATIONS, extra.require(RELATIONS))
            elif Path(relations).is_file():
                links = read_relations(Path(relations).name, Path(relations).read_bytes())
            else:
                raise TaxonomyFileError(str(relations), _("there is no such file or folder."))
        elif has_relations:
            links = read_relations(RELATIONS, distribution.read(RELATIONS))
    finally:
        distribution.close()
    languages = sorted({language for _uri, _text, language, _kind in titles})

    with transaction.atomic():
        if isco.groups:
            counts.update(write_isco(isco))
        ids, created, updated = upsert_occupations(System.ESCO, occupations)
        counts.update(occupations=len(occupations), occupations_created=created, occupations_updated=updated)
        imported = [ids[uri] for uri in occupations]
        delete_for_occupations(OccupationTitle, imported, source=Source.ESCO, language__in=languages)
        bulk_insert(
            OccupationTitle,
            (
                OccupationTitle(
                    occupation_id=ids[uri], title=text, language=lang, kind=kind, source=Source.ESCO
                )
                for uri, text, lang, kind in titles
            ),
            ignore_conflicts=True,
        )
        for language in languages:
            counts[f"titles_{language}"] = sum(1 for key in titles if key[2] == language)
        skill_ids, skills_created = upsert_skills(skills)
        if skills:
            counts.update(skills=len(skills), skills_created=skills_created)
        if links is not None:
            counts.update(write_links(links, ids, skill_ids, imported))
        run = record_import(
            kind=Source.ESCO, path=path, version=version_from_name(path), counts=counts, started=started
        )
    return finish(run, started)


def upsert_skills(skills: dict[str, dict]) -> tuple[dict[str, int], int]:
    """Creates or updates ESCO skills ({uri: fields}); returns ({uri: id} of every skill, created)."""
    fields = sorted({field for entry in skills.values() for field in entry} | {"esco_uri", "source"})
    uris = Skill.objects.filter(code__startswith="http")
    existing = {s.code: s for s in uris.only("id", "code", *fields)} if skills else {}
    new, changed = [], []
    for uri, entry in skills.items():
        entry = {**entry, "esco_uri": uri, "source": Source.ESCO}
        skill = existing.get(uri)
        if skill is None:
            new.append(Skill(code=uri, **entry))
        elif any(getattr(skill, field) != value for field, value in entry.items()):
            for field, value in entry.items():
                setattr(skill, field, value)
            changed.append(skill)
    bulk_insert(Skill, new)
    if changed:
        Skill.objects.bulk_update(changed, fields, batch_size=500)
    return dict(uris.values_list("code", "id")), len(new)


def write_links(
    links: dict[tuple[str, str], bool], ids: dict[str, int], skill_ids: dict[str, int], imported: list[int]
) -> dict[str, int]:
    """Replaces the ESCO skill links of the occupations imported or named in the relations."""
    matched, unmatched = [], 0
    for (occupation, skill), essential in links.items():
        if occupation in ids and skill in skill_ids:
            matched.append(
                OccupationSkill(
                    occupation_id=ids[occupation],
                    skill_id=skill_ids[skill],
                    essential=essential,
                    source=Source.ESCO,
                )
            )
        else:
            unmatched += 1
    touched = sorted(set(imported) | {link.occupation_id for link in matched})
    delete_for_occupations(OccupationSkill, touched, source=Source.ESCO)
    bulk_insert(OccupationSkill, matched, ignore_conflicts=True)
    return {"skill_links": len(matched), "skill_links_unmatched": unmatched}
