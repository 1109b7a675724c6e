"""O*NET-SOC from the O*NET database text files (tab-separated, as in db_29_3_text.zip): occupations,
alternate and reported titles, tasks, technology skills, tools, skills and job zones."""

import re
import time
from pathlib import Path

from django.db import transaction
from django.db.models import Count
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
)
from incluye.skills.models import (
    OccupationSkill,
    OccupationTask,
    OccupationTitle,
    OccupationTool,
    Skill,
    Source,
    System,
    TaxonomyImport,
    TitleKind,
    ToolKind,
)

CODE = "O*NET-SOC Code"
CODE_PATTERN = re.compile(r"\d{2}-\d{4}\.\d{2}")
OCCUPATIONS = "Occupation Data.txt"
ALTERNATE = "Alternate Titles.txt"
REPORTED = "Sample of Reported Titles.txt"
TASKS = "Task Statements.txt"
TECHNOLOGY = "Technology Skills.txt"
TOOLS = "Tools Used.txt"
SKILLS = "Skills.txt"
JOB_ZONES = "Job Zones.txt"
README = "Read Me.txt"
ESSENTIAL_IMPORTANCE = 3.0


def check_code(name: str, row) -> str:
    code = row[CODE]
    if not CODE_PATTERN.fullmatch(code):
        raise TaxonomyFileError(name, _("“%(code)s” is not an O*NET-SOC code.") % {"code": code}, row.line)
    return code


def number(name: str, row, column: str) -> float:
    try:
        return float(row[column])
    except ValueError:
        raise TaxonomyFileError(
            name,
            _("“%(value)s” in “%(column)s” is not a number.") % {"value": row[column], "column": column},
            row.line,
        ) from None


def read_version(distribution: Distribution) -> str:
    data = distribution.read(README)
    if not data:
        return ""
    first = data.decode("utf-8", "replace").strip().splitlines()[0]
    match = re.search(r"O\*NET\s+(\d+(?:\.\d+)*)", first)
    return match.group(1) if match else first[:40]


def table(distribution: Distribution, name: str, *columns: str, required: bool = False, optional=()):
    """The checked rows of one tab-separated file; None when an optional file is absent."""
    data = distribution.require(name) if required else distribution.read(name)
    if data is None:
        return None
    return read_table(name, data, required=[CODE, *columns], optional=optional, delimiter="\t")


def import_onet(path: Path) -> TaxonomyImport:
    """Imports the O*NET text files of a folder or .zip, all or nothing. Occupations are created or
    updated (their Spanish title, ISCO group and sector are kept); the O*NET titles, tasks, tools
    and skill links of the imported occupations are replaced, file by file, when the file is there."""
    started = time.perf_counter()
    distribution = Distribution(path)
    try:
        occupations = {}
        for row in table(distribution, OCCUPATIONS, "Title", "Description", required=True):
            occupations[check_code(OCCUPATIONS, row)] = {
                "title_en": clip(row["Title"]),
                "description_en": row["Description"],
                "source": Source.ONET,
            }
        skipped = 0

        def known(name, rows):
            nonlocal skipped
            for row in rows or ():
                code = check_code(name, row)
                if code in occupations:
                    yield code, row
                else:
                    skipped += 1

        titles = {TitleKind.PREFERRED: [(code, v["title_en"]) for code, v in occupations.items()]}
        if (rows := table(distribution, ALTERNATE, "Alternate Title", optional=["Short Title"])) is not None:
            titles[TitleKind.ALTERNATE] = [
                (code, text)
                for code, row in known(ALTERNATE, rows)
                for text in (row["Alternate Title"], row.get("Short Title", ""))
                if text
            ]
        if (rows := table(distribution, REPORTED, "Reported Job Title")) is not None:
            titles[TitleKind.REPORTED] = [
                (code, row["Reported Job Title"]) for code, row in known(REPORTED, rows)
            ]
        tasks = None
        if (rows := table(distribution, TASKS, "Task", "Task Type")) is not None:
            tasks = [(code, row["Task"], row["Task Type"] == "Core") for code, row in known(TASKS, rows)]
        tools = {}
        for kind, name in ((ToolKind.TECHNOLOGY, TECHNOLOGY), (ToolKind.TOOL, TOOLS)):
            if (rows := table(distribution, name, "Example")) is not None:
                tools[kind] = [(code, row["Example"]) for code, row in known(name, rows) if row["Example"]]
        skills, links = None, None
        rows = table(distribution, SKILLS, "Element ID", "Element Name", "Scale ID", "Data Value")
        if rows is not None:
            skills, links = {}, {}
            for code, row in known(SKILLS, [row for row in rows if row["Scale ID"] == "IM"]):
                key = f"onet:{row['Element ID']}"
                skills[key] = clip(row["Element Name"])
                links[(code, key)] = number(SKILLS, row, "Data Value")
        if (rows := table(distribution, JOB_ZONES, "Job Zone")) is not None:
            zones = {}
            for code, row in known(JOB_ZONES, rows):
                zone = row["Job Zone"]
                if zone not in {"1", "2", "3", "4", "5"}:
                    raise TaxonomyFileError(
                        JOB_ZONES, _("“%(value)s” is not a job zone (1 to 5).") % {"value": zone}, row.line
                    )
                zones[code] = int(zone)
            for code, entry in occupations.items():
                entry["job_zone"] = zones.get(code)
        version = read_version(distribution)
    finally:
        distribution.close()

    with transaction.atomic():
        ids, created, updated = upsert_occupations(System.ONET, occupations)
        imported = [ids[code] for code in occupations]
        for kind, pairs in titles.items():
            delete_for_occupations(OccupationTitle, imported, source=Source.ONET, kind=kind)
            unique = {(ids[code], text): None for code, text in pairs}
            bulk_insert(
                OccupationTitle,
                (
                    OccupationTitle(
                        occupation_id=pk, title=clip(text), language="en", kind=kind, source=Source.ONET
                    )
                    for pk, text in unique
                ),
                ignore_conflicts=True,
            )
        if tasks is not None:
            delete_for_occupations(OccupationTask, imported, source=Source.ONET)
            bulk_insert(
                OccupationTask,
                (
                    OccupationTask(
                        occupation_id=ids[code], text=text, language="en", core=core, source=Source.ONET
                    )
                    for code, text, core in tasks
                ),
            )
        for kind, pairs in tools.items():
            delete_for_occupations(OccupationTool, imported, source=Source.ONET, kind=kind)
            unique = dict.fromkeys((ids[code], name) for code, name in pairs)
            bulk_insert(
                OccupationTool,
                (
                    OccupationTool(occupation_id=pk, name_en=clip(name), kind=kind, source=Source.ONET)
                    for pk, name in unique
                ),
            )
        if skills is not None:
            skill_ids = upsert_skills(skills)
            delete_for_occupations(OccupationSkill, imported, source=Source.ONET)
            bulk_insert(
                OccupationSkill,
                (
                    OccupationSkill(
                        occupation_id=ids[code],
                        skill_id=skill_ids[key],
                        importance=importance,
                        essential=importance >= ESSENTIAL_IMPORTANCE,
                        source=Source.ONET,
                    )
                    for (code, key), importance in links.items()
                ),
                ignore_conflicts=True,
            )
        counts = {
            "occupations": len(occupations),
            "occupations_created": created,
            "occupations_updated": updated,
        }
        counts.update(onet_counts())
        if skipped:
            counts["rows_of_unknown_occupations"] = skipped
        run = record_import(kind=Source.ONET, path=path, version=version, counts=counts, started=started)
    return finish(run, started)


def upsert_skills(labels: dict[str, str]) -> dict[str, int]:
    """Creates or relabels the O*NET skills ({code: English label}); returns {code: id}."""
    existing = {s.code: s for s in Skill.objects.filter(code__startswith="onet:")}
    new = [
        Skill(code=code, label_en=label, kind="skill", source=Source.ONET)
        for code, label in labels.items()
        if code not in existing
    ]
    changed = []
    for code, label in labels.items():
        skill = existing.get(code)
        if skill is not None and skill.label_en != label:
            skill.label_en = label
            changed.append(skill)
    bulk_insert(Skill, new)
    if changed:
        Skill.objects.bulk_update(changed, ["label_en"], batch_size=500)
    return dict(Skill.objects.filter(code__startswith="onet:").values_list("code", "id"))


def onet_counts() -> dict[str, int]:
    """Rows from O*NET in the database, per table (and per kind of title and tool)."""
    counts = {}
    onet = {"source": Source.ONET}
    for row in OccupationTitle.objects.filter(**onet).values("kind").annotate(n=Count("id")).order_by("kind"):
        counts[f"titles_{row['kind']}"] = row["n"]
    counts["tasks"] = OccupationTask.objects.filter(**onet).count()
    for row in OccupationTool.objects.filter(**onet).values("kind").annotate(n=Count("id")).order_by("kind"):
        counts["technology" if row["kind"] == ToolKind.TECHNOLOGY else "tools"] = row["n"]
    counts["skills"] = Skill.objects.filter(code__startswith="onet:").count()
    counts["skill_links"] = OccupationSkill.objects.filter(**onet).count()
    return counts
