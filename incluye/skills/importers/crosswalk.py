"""Crosswalks between classifications, from a CSV of pairs whose shape is told by its header:

- SOC or O*NET-SOC → ISCO-08 (BLS "soc2010,…,isco2008,…"; "onetsoc_code,…,isco08,…"): a 6-digit SOC
  code links every O*NET occupation whose code starts with it;
- ESCO → O*NET-SOC (Nesta's "concept_uri,…,onet_code"): codes absent from the O*NET imported (older
  O*NET-SOC 2010 codes) are counted as unmatched;
- ESCO → ISCO-08 (an ESCO occupations file: "conceptUri,iscoGroup").

Pairs are added to those already there (a second run adds none). An ISCO group missing from the
database is created with the title the file gives; an occupation without an ISCO group gets its
first candidate."""

import re
import time
from collections import defaultdict
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from incluye.skills.importers.base import (
    TaxonomyFileError,
    bulk_insert,
    chunks,
    clip,
    finish,
    read_header,
    read_table,
    record_import,
    version_from_name,
)
from incluye.skills.models import Crosswalk, Occupation, Source, System, TaxonomyImport

SOC_PATTERN = re.compile(r"\d{2}-\d{4}(?:\.\d{2})?")
ISCO_PATTERN = re.compile(r"\d{1,4}")
URI_PATTERN = re.compile(r"https?://\S+")
NOT_A_CODE = ("title", "label", "name", "occupation", "level", "description")


def normalized(column: str) -> str:
    return re.sub(r"[^a-z0-9]", "", column.lower())


def find_columns(header: list[str]) -> dict[str, str]:
    """The column of each role (esco, onet, soc, isco, isco_title) found in the header."""
    found = {}
    for column in header:
        name = normalized(column)
        is_code = not any(word in name for word in NOT_A_CODE)
        if name in {"concepturi", "escouri", "occupationuri", "escooccupationuri"}:
            role = "esco"
        elif name.startswith("onet") and is_code:
            role = "onet"
        elif name.startswith("soc") and is_code:
            role = "soc"
        elif name.startswith("isco") and is_code:
            role = "isco"
        elif name.startswith("isco") and "title" in name:
            role = "isco_title"
        else:
            continue
        found.setdefault(role, column)
    return found


def shape_of(name: str, columns: dict[str, str]) -> str:
    if "esco" in columns and "onet" in columns:
        return "esco_onet"
    if "esco" in columns and "isco" in columns:
        return "esco_isco"
    if ("onet" in columns or "soc" in columns) and "isco" in columns:
        return "soc_isco"
    raise TaxonomyFileError(
        name,
        _(
            "the columns do not look like a crosswalk: expected a SOC or O*NET-SOC code and an ISCO-08 "
            "code, or an ESCO URI and an O*NET-SOC code or ISCO-08 group."
        ),
        1,
    )


def check(name: str, row, column: str, pattern: re.Pattern, problem: str) -> str:
    value = row[column]
    if not pattern.fullmatch(value):
        raise TaxonomyFileError(name, problem % {"value": value}, row.line)
    return value


def import_crosswalk(path: Path) -> TaxonomyImport:
    """Imports a CSV of pairs, all or nothing."""
    started = time.perf_counter()
    path = Path(path)
    if not path.is_file():
        raise TaxonomyFileError(str(path), _("there is no such file."))
    name, data = path.name, path.read_bytes()
    columns = find_columns(read_header(name, data))
    shape = shape_of(name, columns)
    source_role = "esco" if shape.startswith("esco") else ("onet" if "onet" in columns else "soc")
    target_role = "onet" if shape == "esco_onet" else "isco"
    rows = read_table(
        name,
        data,
        required=[columns[source_role], columns[target_role]],
        optional=[columns["isco_title"]] if "isco_title" in columns else (),
    )
    problems = {
        "esco": (URI_PATTERN, _("“%(value)s” is not an ESCO URI.")),
        "onet": (SOC_PATTERN, _("“%(value)s” is not a SOC or O*NET-SOC code.")),
        "soc": (SOC_PATTERN, _("“%(value)s” is not a SOC or O*NET-SOC code.")),
        "isco": (ISCO_PATTERN, _("“%(value)s” is not an ISCO-08 code (1 to 4 digits).")),
    }
    pairs = []  # (source code, target code, line's ISCO title)
    for row in rows:
        source = check(name, row, columns[source_role], *problems[source_role])
        target = row[columns[target_role]]
        if target:
            target = check(name, row, columns[target_role], *problems[target_role])
        pairs.append((source, target, row.get(columns.get("isco_title"), "")))

    with transaction.atomic():
        counts = write_pairs(shape, pairs)
        counts = {"crosswalk": shape, "rows": len(rows), **counts}
        run = record_import(
            kind=Source.ISCO if shape == "soc_isco" else Source.ESCO,
            path=path,
            version=version_from_name(path),
            counts=counts,
            started=started,
        )
    return finish(run, started)


def codes_of(system: str) -> dict[str, int]:
    return dict(Occupation.objects.filter(system=system).values_list("code", "id"))


def write_pairs(shape: str, pairs: list[tuple[str, str, str]]) -> dict:
    """Adds the pairs between the occupations in the database; returns the counts."""
    onet = codes_of(System.ONET)
    by_soc = defaultdict(list)
    for code, pk in onet.items():
        by_soc[code[:7]].append(pk)

    def onet_ids(code: str) -> list[int]:
        if code in onet:
            return [onet[code]]
        return [] if "." in code else by_soc.get(code, [])

    esco = codes_of(System.ESCO) if shape.startswith("esco") else {}
    isco = {}
    counts = {"isco_groups_created": 0}
    if shape != "esco_onet":
        isco = codes_of(System.ISCO)
        missing = {}
        for _source, target, title in pairs:
            if target and target not in isco:
                missing.setdefault(target, title)
        bulk_insert(
            Occupation,
            (
                Occupation(
                    system=System.ISCO,
                    code=code,
                    title_en=clip(title),
                    level=len(code),
                    isco=code if len(code) == 4 else "",
                    source=Source.ISCO,
                )
                for code, title in missing.items()
            ),
        )
        counts["isco_groups_created"] = len(missing)
        if missing:
            isco = codes_of(System.ISCO)

    links: dict[tuple[int, int], None] = {}
    first_group: dict[int, str] = {}
    unmatched_rows, unmatched_codes = 0, set()
    for source, target, _title in pairs:
        if shape.startswith("esco"):
            source_ids = [esco[source]] if source in esco else []
        else:
            source_ids = onet_ids(source)
        if shape == "esco_onet":
            target_ids = onet_ids(target) if target else []
        else:
            target_ids = [isco[target]] if target in isco else []
        if not source_ids or not target_ids:
            unmatched_rows += 1
            unmatched_codes.add(source if not source_ids else target)
            continue
        for source_id in source_ids:
            for target_id in target_ids:
                links[(source_id, target_id)] = None
            if shape != "esco_onet" and len(target) == 4:
                first_group.setdefault(source_id, target)

    existing = set()
    for chunk in chunks(sorted({source_id for source_id, _target in links})):
        existing.update(
            Crosswalk.objects.filter(source_occupation_id__in=chunk).values_list(
                "source_occupation_id", "target_occupation_id"
            )
        )
    source = Source.ISCO if shape == "soc_isco" else Source.ESCO
    new = [
        Crosswalk(source_occupation_id=s, target_occupation_id=t, source=source)
        for s, t in links
        if (s, t) not in existing
    ]
    bulk_insert(Crosswalk, new)

    without = []
    for chunk in chunks(sorted(first_group)):
        without += Occupation.objects.filter(pk__in=chunk, isco="").only("id", "isco")
    for occupation in without:
        occupation.isco = first_group[occupation.pk]
    Occupation.objects.bulk_update(without, ["isco"], batch_size=500)

    counts.update(
        pairs=len(links),
        created=len(new),
        already_present=len(links) - len(new),
        unmatched_rows=unmatched_rows,
        unmatched_codes=len(unmatched_codes),
        isco_set=len(without),
    )
    return counts
