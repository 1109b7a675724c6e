"""ISCO-08 groups (CIUO-08 in Spanish) from a CSV: the merged shape (code, level, title_es, title_en,
description_en), ESCO's ISCOGroups_<language>.csv (language from the file name) or the ILO
structure (isco_code, title)."""

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from incluye.skills.importers.base import (
    TaxonomyFileError,
    bulk_insert,
    clip,
    delete_for_occupations,
    finish,
    read_header,
    read_table,
    record_import,
    upsert_occupations,
    version_from_name,
)
from incluye.skills.models import OccupationTitle, Source, System, TaxonomyImport, TitleKind

CODE_PATTERN = re.compile(r"\d{1,4}")
LANGUAGES = ("es", "en")


@dataclass
class IscoGroups:
    """ISCO-08 groups read from one or more files: {code: fields} and their titles."""

    groups: dict[str, dict] = field(default_factory=dict)
    titles: dict[tuple[str, str, str, str], None] = field(default_factory=dict)  # code, text, language, kind
    languages: set[str] = field(default_factory=set)


def check_code(name: str, row, column: str) -> str:
    code = row[column]
    if not CODE_PATTERN.fullmatch(code):
        raise TaxonomyFileError(
            name, _("“%(code)s” is not an ISCO-08 code (1 to 4 digits).") % {"code": code}, row.line
        )
    return code


def language_of(name: str) -> str | None:
    match = re.search(r"_(es|en)(?:[-_.]|$)", Path(name).stem + ".", re.IGNORECASE)
    return match.group(1).lower() if match else None


def read_isco(name: str, data: bytes, into: IscoGroups | None = None) -> IscoGroups:
    """Reads one file of ISCO-08 groups, of any of the three shapes."""
    parsed = into or IscoGroups()
    header = read_header(name, data)
    if "conceptUri" in header or ("preferredLabel" in header and "code" in header):
        language = language_of(name)
        if language is None:
            raise TaxonomyFileError(
                name,
                _(
                    "the language of the titles cannot be told from the file name (name it like ISCOGroups_es.csv)."
                ),
            )
        rows = read_table(
            name, data, required=["code", "preferredLabel"], optional=["altLabels", "description"]
        )
        columns = [("preferredLabel", language, "title"), ("description", language, "description")]
        code_column = "code"
    elif "isco_code" in header:
        rows = read_table(name, data, required=["isco_code", "title"])
        columns, code_column, language = [("title", "en", "title")], "isco_code", None
    else:
        present = [f"title_{lang}" for lang in LANGUAGES if f"title_{lang}" in header]
        rows = read_table(
            name,
            data,
            required=["code", *(present or ["title_es"])],
            optional=[f"description_{lang}" for lang in LANGUAGES],
        )
        columns = [(f"{kind}_{lang}", lang, kind) for lang in LANGUAGES for kind in ("title", "description")]
        code_column, language = "code", None
    for row in rows:
        code = check_code(name, row, code_column)
        entry = parsed.groups.setdefault(
            code, {"level": len(code), "isco": code if len(code) == 4 else "", "source": Source.ISCO}
        )
        for column, lang, kind in columns:
            value = row.get(column, "")
            if not value:
                continue
            entry[f"{kind}_{lang}"] = clip(value) if kind == "title" else value
            if kind == "title":
                parsed.languages.add(lang)
                parsed.titles[(code, clip(value), lang, TitleKind.PREFERRED)] = None
        if language is not None:
            for alternate in row.get("altLabels", "").splitlines():
                if alternate.strip():
                    parsed.titles[(code, clip(alternate.strip()), language, TitleKind.ALTERNATE)] = None
    return parsed


def write_isco(parsed: IscoGroups) -> dict[str, int]:
    """Creates or updates the groups and replaces their ISCO titles in the languages read."""
    ids, created, updated = upsert_occupations(System.ISCO, parsed.groups)
    imported = [ids[code] for code in parsed.groups]
    delete_for_occupations(
        OccupationTitle, imported, source=Source.ISCO, language__in=sorted(parsed.languages)
    )
    bulk_insert(
        OccupationTitle,
        (
            OccupationTitle(occupation_id=ids[code], title=text, language=lang, kind=kind, source=Source.ISCO)
            for code, text, lang, kind in parsed.titles
        ),
        ignore_conflicts=True,
    )
    return {
        "isco_groups": len(parsed.groups),
        "isco_groups_created": created,
        "isco_groups_updated": updated,
        "isco_titles": len(parsed.titles),
    }


def import_isco(path: Path) -> TaxonomyImport:
    """Imports a CSV of ISCO-08 groups, all or nothing."""
    started = time.perf_counter()
    path = Path(path)
    if not path.is_file():
        raise TaxonomyFileError(str(path), _("there is no such file."))
    parsed = read_isco(path.name, path.read_bytes())
    with transaction.atomic():
        counts = write_isco(parsed)
        run = record_import(
            kind=Source.ISCO, path=path, version=version_from_name(path), counts=counts, started=started
        )
    return finish(run, started)
