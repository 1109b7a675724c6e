"""Catalogues of national competency standards: the demo catalogue shipped per country
(data/standards/<country>.json, illustrative) and the import of a real catalogue from CSV or XLSX
(one row per performance criterion; see data/standards/template.csv).

The import is all or nothing: every row is checked first and every problem is reported with its
row and column; only a clean file is written, in one transaction."""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incluye.core.actionlog import log_action
from incluye.core.text import fold
from incluye.people.imports import ManifestFileError, read_table
from incluye.skills.models import (
    AssessmentEvidence,
    CompetencyStandard,
    CompetencyUnit,
    CriterionKind,
    PerformanceCriterion,
)

DATA = Path(__file__).parent / "data" / "standards"
TEMPLATE = DATA / "template.csv"

SECTORS = {
    "construction": gettext_lazy("Construction"),
    "food_service": gettext_lazy("Food service"),
    "cleaning": gettext_lazy("Cleaning"),
    "landscaping": gettext_lazy("Landscaping"),
    "warehouse_logistics": gettext_lazy("Warehouses and logistics"),
    "transport": gettext_lazy("Transport"),
    "manufacturing": gettext_lazy("Manufacturing"),
    "agriculture": gettext_lazy("Agriculture"),
    "automotive": gettext_lazy("Automotive"),
    "care": gettext_lazy("Care work"),
    "retail_services": gettext_lazy("Retail and services"),
    "hospitality": gettext_lazy("Hospitality"),
    "beauty": gettext_lazy("Beauty"),
    "metalwork": gettext_lazy("Metalwork"),
}

COLUMNS = [
    "standard_code",
    "standard_title_es",
    "standard_title_en",
    "level",
    "sector",
    "isco",
    "soc",
    "migrant_route",
    "assessment_method_es",
    "assessment_method_en",
    "evidence",
    "unit_code",
    "unit_title_es",
    "unit_title_en",
    "unit_required",
    "unit_keywords",
    "criterion_code",
    "criterion_kind",
    "criterion_es",
    "criterion_en",
]
REQUIRED = ["standard_code", "standard_title_es", "isco", "unit_code", "unit_title_es", "criterion_es"]
YES = {"si", "yes", "true", "1", "x"}
NO = {"no", "false", "0", ""}
SOC = re.compile(r"^\d{2}-\d{4}$")


def demo_catalogue(country: str) -> dict | None:
    if not re.fullmatch(r"[A-Za-z]{2}", country or ""):
        return None
    path = DATA / f"{country.upper()}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


@transaction.atomic
def catalogue_load(*, body, standards: list[dict]) -> dict:
    """Creates or updates the body's standards from catalogue entries (the JSON shape); a unit or
    criterion no longer listed is removed. Returns counts."""
    counts = {"standards": 0, "units": 0, "criteria": 0}
    for entry in standards:
        standard, _created = CompetencyStandard.objects.update_or_create(
            body=body,
            code=entry["code"],
            defaults={
                "title_es": entry["title_es"],
                "title_en": entry.get("title_en", ""),
                "level": entry.get("level"),
                "sector": entry.get("sector", ""),
                "isco": entry["isco"],
                "soc": entry.get("soc", []),
                "migrant_route": bool(entry.get("migrant_route")),
                "assessment_method_es": entry.get("assessment_method_es", ""),
                "assessment_method_en": entry.get("assessment_method_en", ""),
                "evidence": entry.get("evidence", []),
                "active": True,
            },
        )
        counts["standards"] += 1
        standard.units.exclude(code__in=[u["code"] for u in entry["units"]]).delete()
        for position, unit_entry in enumerate(entry["units"]):
            unit, _created = CompetencyUnit.objects.update_or_create(
                standard=standard,
                code=unit_entry["code"],
                defaults={
                    "title_es": unit_entry["title_es"],
                    "title_en": unit_entry.get("title_en", ""),
                    "required": unit_entry.get("required", True),
                    "keywords": unit_entry.get("keywords", []),
                    "position": position,
                },
            )
            counts["units"] += 1
            unit.criteria.all().delete()
            PerformanceCriterion.objects.bulk_create(
                PerformanceCriterion(
                    unit=unit,
                    code=c["code"],
                    kind=c.get("kind", CriterionKind.PERFORMANCE),
                    text_es=c["es"],
                    text_en=c.get("en", ""),
                    position=i,
                )
                for i, c in enumerate(unit_entry.get("criteria", []))
            )
            counts["criteria"] += len(unit_entry.get("criteria", []))
    return counts


@dataclass
class CatalogueReport:
    rows: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)
    counts: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _split(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[|;]", value) if v.strip()]


def parse_catalogue(name: str, content: bytes) -> tuple[list[dict], CatalogueReport]:
    """Reads a catalogue file into the JSON shape, checking every row."""
    report = CatalogueReport()
    try:
        table = read_table(name, content)
    except ManifestFileError as error:
        report.errors.append((0, "", str(error)))
        return [], report
    index = {fold(c).replace(" ", "_"): i for i, c in enumerate(table.columns)}
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        report.errors.append(
            (
                1,
                ", ".join(missing),
                _("These required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
            )
        )
        return [], report
    evidence_values = set(AssessmentEvidence.values)
    kinds = set(CriterionKind.values)
    standards: dict[str, dict] = {}
    for number, values in enumerate(table.rows, start=2):
        report.rows += 1

        def cell(column, values=values):
            i = index.get(column)
            return values[i].strip() if i is not None and i < len(values) else ""

        def fail(column, message, number=number):
            report.errors.append((number, column, message))

        for column in REQUIRED:
            if not cell(column):
                fail(column, _("This cell is required."))
        level = cell("level")
        if level and (not level.isdigit() or not 1 <= int(level) <= 5):
            fail("level", _("The level must be a whole number from 1 to 5."))
        isco = cell("isco")
        if isco and not re.fullmatch(r"\d{4}", isco):
            fail("isco", _("“%(value)s” is not an ISCO-08 unit group (4 digits).") % {"value": isco})
        soc = _split(cell("soc"))
        for code in soc:
            if not SOC.match(code):
                fail("soc", _("“%(value)s” is not a 6-digit SOC code (such as 47-2031).") % {"value": code})
        sector = cell("sector")
        if sector and sector not in SECTORS:
            fail("sector", _("“%(value)s” is not a known sector.") % {"value": sector})
        evidence = _split(cell("evidence"))
        for item in evidence:
            if item not in evidence_values:
                fail("evidence", _("“%(value)s” is not a known kind of evidence.") % {"value": item})
        flags = {}
        for column in ("migrant_route", "unit_required"):
            value = fold(cell(column))
            if value not in YES | NO:
                fail(column, _("Write “sí” or “no”."))
            # A unit is required unless the cell says otherwise; a route for migrants only if it says so.
            flags[column] = value in YES or (column == "unit_required" and not value)
        kind = cell("criterion_kind") or CriterionKind.PERFORMANCE
        if kind not in kinds:
            fail("criterion_kind", _("The kind must be performance, product or knowledge."))
        code = cell("standard_code")
        if not code:
            continue
        standard = standards.setdefault(
            code,
            {
                "code": code,
                "title_es": cell("standard_title_es"),
                "title_en": cell("standard_title_en"),
                "level": int(level) if level.isdigit() else None,
                "sector": sector,
                "isco": isco,
                "soc": soc,
                "migrant_route": flags["migrant_route"],
                "assessment_method_es": cell("assessment_method_es"),
                "assessment_method_en": cell("assessment_method_en"),
                "evidence": evidence,
                "units": [],
                "_units": {},
            },
        )
        if standard["title_es"] != cell("standard_title_es"):
            fail("standard_title_es", _("The same standard code has another title on an earlier row."))
        unit_code = cell("unit_code")
        unit = standard["_units"].get(unit_code)
        if unit is None:
            unit = {
                "code": unit_code,
                "title_es": cell("unit_title_es"),
                "title_en": cell("unit_title_en"),
                "required": flags["unit_required"],
                "keywords": [fold(k) for k in _split(cell("unit_keywords"))],
                "criteria": [],
            }
            standard["_units"][unit_code] = unit
            standard["units"].append(unit)
        unit["criteria"].append(
            {
                "code": cell("criterion_code") or f"C{len(unit['criteria']) + 1}",
                "kind": kind,
                "es": cell("criterion_es"),
                "en": cell("criterion_en"),
            }
        )
    if not report.rows:
        report.errors.append((0, "", _("The file has no rows under its header.")))
    for standard in standards.values():
        standard.pop("_units")
        if not any(u["required"] for u in standard["units"]):
            report.errors.append(
                (
                    0,
                    "unit_required",
                    _("The standard %(code)s has no required unit.") % {"code": standard["code"]},
                )
            )
    return list(standards.values()), report


def catalogue_import(*, membership, name: str, content: bytes) -> CatalogueReport:
    """Imports a catalogue file for the membership's organization (a certifying body): all rows or
    none."""
    standards, report = parse_catalogue(name, content)
    if report.ok:
        with transaction.atomic():
            report.counts = catalogue_load(body=membership.organization, standards=standards)
            log_action(
                actor=membership.user,
                organization=membership.organization,
                action="incluye.standards.imported",
                obj=membership.organization,
                data={"file": name, **report.counts},
            )
    return report
