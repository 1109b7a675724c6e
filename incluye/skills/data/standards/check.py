"""Validate the demo competency-standard catalogues and the CSV import template.

    python incluye/skills/data/standards/check.py

Standard library only. Checks GT.json, SV.json, HN.json, CR.json and template.csv in this folder:
shape, canonical formatting (UTF-8, 1-space indent, ensure_ascii=False), unique codes, levels 1-5,
sectors and evidence from the allowed lists, ISCO-08 and SOC 2018 codes against the reference files
(skipped with a message when the shared data folder is absent), at least one required unit per
standard, 2-4 units and 2-4 criteria per unit, and the number of standards with a returnee
recognition route per country. Exits 1 on any error.

The reference data folder defaults to ../shared/data next to the repository; set
INCLUYE_REFERENCE_DATA to point elsewhere.
"""

import csv
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = Path(os.environ.get("INCLUYE_REFERENCE_DATA") or HERE.parents[4] / "shared" / "data")
ISCO_FILE = REFERENCE / "isco" / "derived" / "isco08_ciuo08_es_en.csv"
SOC_FILE = REFERENCE / "isco" / "codingsystems_danielruss" / "soc2018_6digit.csv"

COUNTRIES = {
    # country: (institute short name, code pattern, min and max standards with migrant_route).
    # The seed's "Impact in Numbers": 5 institutionalized programs in Guatemala, 2 in El Salvador,
    # 2 in Costa Rica, none yet in Honduras; the demo catalogues reproduce exactly that.
    "GT": ("INTECAP", r"NTC-[A-Z]{3}-\d{3}", 5, 5),
    "SV": ("INCAF", r"INCAF-[A-Z]{2}-\d{3}", 2, 2),
    "HN": ("INFOP", r"INFOP-[A-Z]{3}-\d{3}", 0, 0),
    "CR": ("INA", r"INA-CS-[A-Z]{2}-\d{3}", 2, 2),
}
GT_ROUTE_SHARE = (0.2, 0.45)  # a quarter to a third of INTECAP's catalogue
STANDARDS_PER_FILE = (14, 20)
UNITS_PER_STANDARD = (2, 4)
CRITERIA_PER_UNIT = (2, 4)
KEYWORDS_PER_UNIT = (4, 10)
LEVELS = range(1, 6)

SECTORS = {
    "construction",
    "food_service",
    "cleaning",
    "landscaping",
    "warehouse_logistics",
    "transport",
    "manufacturing",
    "agriculture",
    "automotive",
    "care",
    "retail_services",
    "hospitality",
    "beauty",
    "metalwork",
}
EVIDENCE = ["photos", "references", "pay_stubs", "certificates", "licences", "tools_demo", "portfolio"]
CRITERION_KINDS = {"performance", "product", "knowledge"}

DOC_KEYS = {"country", "body", "notice", "standards"}
STANDARD_KEYS = {
    "code",
    "title_es",
    "title_en",
    "level",
    "sector",
    "isco",
    "soc",
    "migrant_route",
    "assessment_method_es",
    "assessment_method_en",
    "evidence",
    "units",
}
UNIT_KEYS = {"code", "title_es", "title_en", "required", "keywords", "criteria"}
CRITERION_KEYS = {"code", "kind", "es", "en"}

TEMPLATE_HEADER = [
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
STANDARD_COLUMNS = TEMPLATE_HEADER[:11]
UNIT_COLUMNS = TEMPLATE_HEADER[11:16]
BOOLEANS = {"sí": True, "no": False}

SOC_PATTERN = re.compile(r"\d{2}-\d{4}")
UNIT_CODE = re.compile(r"U\d+")
CRITERION_CODE = re.compile(r"C\d+")


class Report:
    def __init__(self):
        self.errors = []

    def error(self, where, message):
        self.errors.append(f"{where}: {message}")


def text(value):
    return isinstance(value, str) and value.strip() != "" and value == value.strip()


def count_in(value, bounds):
    low, high = bounds
    return low <= value <= high


def load_reference():
    """ISCO-08 unit groups and SOC 2018 codes, or (None, None) when the data is not here."""
    if not (ISCO_FILE.is_file() and SOC_FILE.is_file()):
        return None, None
    with ISCO_FILE.open(encoding="utf-8", newline="") as fh:
        isco = {row["code"] for row in csv.DictReader(fh) if row["level"] == "4"}
    with SOC_FILE.open(encoding="utf-8", newline="") as fh:
        soc = {row["soc2018_code"] for row in csv.DictReader(fh)}
    return isco, soc


def check_standard(report, where, std, isco_codes, soc_codes):
    if not isinstance(std, dict):
        report.error(where, "a standard must be an object")
        return
    keys = set(std)
    if keys != STANDARD_KEYS:
        report.error(
            where,
            f"keys differ: missing {sorted(STANDARD_KEYS - keys)}, unexpected {sorted(keys - STANDARD_KEYS)}",
        )
        return
    for field in ("code", "title_es", "title_en", "assessment_method_es", "assessment_method_en"):
        if not text(std[field]):
            report.error(where, f"{field} must be a non-empty trimmed string")
    level = std["level"]
    if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
        report.error(where, f"level {level!r} is not an integer 1-5")
    if std["sector"] not in SECTORS:
        report.error(where, f"sector {std['sector']!r} is not one of the allowed sectors")
    isco = std["isco"]
    if not (isinstance(isco, str) and re.fullmatch(r"\d{4}", isco)):
        report.error(where, f"isco {isco!r} is not a 4-digit string")
    elif isco_codes is not None and isco not in isco_codes:
        report.error(where, f"isco {isco} is not an ISCO-08 unit group")
    soc = std["soc"]
    if not (isinstance(soc, list) and soc):
        report.error(where, "soc must be a non-empty list")
    else:
        if len(set(soc)) != len(soc):
            report.error(where, "soc has duplicates")
        for code in soc:
            if not (isinstance(code, str) and SOC_PATTERN.fullmatch(code)):
                report.error(where, f"soc {code!r} is not a 6-digit SOC code (NN-NNNN)")
            elif soc_codes is not None and code not in soc_codes:
                report.error(where, f"soc {code} is not in SOC 2018")
    if not isinstance(std["migrant_route"], bool):
        report.error(where, "migrant_route must be true or false")
    evidence = std["evidence"]
    if not (isinstance(evidence, list) and evidence):
        report.error(where, "evidence must be a non-empty list")
    else:
        unknown = [e for e in evidence if e not in EVIDENCE]
        if unknown:
            report.error(where, f"unknown evidence {unknown}")
        if len(set(evidence)) != len(evidence):
            report.error(where, "evidence has duplicates")
        if std["migrant_route"] is True and not {"references", "pay_stubs"} & set(evidence):
            report.error(where, "a migrant route must accept references or pay stubs from work abroad")
    units = std["units"]
    if not isinstance(units, list) or not count_in(len(units), UNITS_PER_STANDARD):
        report.error(where, f"needs {UNITS_PER_STANDARD[0]}-{UNITS_PER_STANDARD[1]} units")
        return
    unit_codes = Counter(u.get("code") for u in units if isinstance(u, dict))
    for code, n in unit_codes.items():
        if n > 1:
            report.error(where, f"unit code {code} is repeated")
    if not any(isinstance(u, dict) and u.get("required") is True for u in units):
        report.error(where, "no required unit")
    for i, unit in enumerate(units):
        check_unit(report, f"{where} unit {i + 1}", unit)


def check_unit(report, where, unit):
    if not isinstance(unit, dict):
        report.error(where, "a unit must be an object")
        return
    keys = set(unit)
    if keys != UNIT_KEYS:
        report.error(
            where, f"keys differ: missing {sorted(UNIT_KEYS - keys)}, unexpected {sorted(keys - UNIT_KEYS)}"
        )
        return
    if not (isinstance(unit["code"], str) and UNIT_CODE.fullmatch(unit["code"])):
        report.error(where, f"unit code {unit['code']!r} should look like U1")
    for field in ("title_es", "title_en"):
        if not text(unit[field]):
            report.error(where, f"{field} must be a non-empty trimmed string")
    if not isinstance(unit["required"], bool):
        report.error(where, "required must be true or false")
    keywords = unit["keywords"]
    if not isinstance(keywords, list) or not count_in(len(keywords), KEYWORDS_PER_UNIT):
        report.error(where, f"needs {KEYWORDS_PER_UNIT[0]}-{KEYWORDS_PER_UNIT[1]} keywords")
    else:
        for kw in keywords:
            if not (isinstance(kw, str) and kw and kw == kw.lower() and not re.search(r"\s", kw)):
                report.error(where, f"keyword {kw!r} must be one lowercase word")
        if len(set(keywords)) != len(keywords):
            report.error(where, "keywords have duplicates")
    criteria = unit["criteria"]
    if not isinstance(criteria, list) or not count_in(len(criteria), CRITERIA_PER_UNIT):
        report.error(where, f"needs {CRITERIA_PER_UNIT[0]}-{CRITERIA_PER_UNIT[1]} criteria")
        return
    codes = Counter(c.get("code") for c in criteria if isinstance(c, dict))
    for code, n in codes.items():
        if n > 1:
            report.error(where, f"criterion code {code} is repeated")
    for j, crit in enumerate(criteria):
        cwhere = f"{where} criterion {j + 1}"
        if not isinstance(crit, dict) or set(crit) != CRITERION_KEYS:
            report.error(cwhere, f"must be an object with keys {sorted(CRITERION_KEYS)}")
            continue
        if not (isinstance(crit["code"], str) and CRITERION_CODE.fullmatch(crit["code"])):
            report.error(cwhere, f"criterion code {crit['code']!r} should look like C1")
        if crit["kind"] not in CRITERION_KINDS:
            report.error(cwhere, f"kind {crit['kind']!r} is not one of {sorted(CRITERION_KINDS)}")
        for field in ("es", "en"):
            if not text(crit[field]):
                report.error(cwhere, f"{field} must be a non-empty trimmed string")


def check_catalogue(report, country, isco_codes, soc_codes):
    path = HERE / f"{country}.json"
    where = path.name
    short_name, code_pattern, route_min, route_max = COUNTRIES[country]
    try:
        raw = path.read_bytes()
        content = raw.decode("utf-8")
        doc = json.loads(content)
    except FileNotFoundError:
        report.error(where, "missing")
        return None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.error(where, f"not valid UTF-8 JSON: {exc}")
        return None
    if content != json.dumps(doc, ensure_ascii=False, indent=1) + "\n":
        report.error(
            where,
            "not in canonical form (json.dumps(..., ensure_ascii=False, indent=1) plus a final newline)",
        )
    if not isinstance(doc, dict) or set(doc) != DOC_KEYS:
        report.error(where, f"top level must be an object with keys {sorted(DOC_KEYS)}")
        return None
    if doc["country"] != country:
        report.error(where, f"country is {doc['country']!r}, expected {country!r}")
    body = doc["body"]
    if not (isinstance(body, dict) and set(body) == {"name", "short_name"} and text(body["name"])):
        report.error(where, "body must have name and short_name")
    elif body["short_name"] != short_name:
        report.error(where, f"body short_name is {body['short_name']!r}, expected {short_name!r}")
    notice = doc["notice"]
    if not (
        isinstance(notice, dict) and set(notice) == {"es", "en"} and text(notice["es"]) and text(notice["en"])
    ):
        report.error(where, "notice must have es and en texts")
    elif short_name not in notice["es"] or short_name not in notice["en"]:
        report.error(where, "notice must name the institute whose official catalogue this is not")
    standards = doc["standards"]
    if not isinstance(standards, list) or not count_in(len(standards), STANDARDS_PER_FILE):
        report.error(where, f"needs {STANDARDS_PER_FILE[0]}-{STANDARDS_PER_FILE[1]} standards")
        if not isinstance(standards, list):
            return None
    seen_codes, seen_titles = Counter(), Counter()
    for i, std in enumerate(standards):
        swhere = f"{where} standard {i + 1} ({std.get('code') if isinstance(std, dict) else '?'})"
        check_standard(report, swhere, std, isco_codes, soc_codes)
        if isinstance(std, dict):
            seen_codes[std.get("code")] += 1
            seen_titles[std.get("title_es")] += 1
            if isinstance(std.get("code"), str) and not re.fullmatch(code_pattern, std["code"]):
                report.error(swhere, f"code does not follow the {short_name} scheme {code_pattern}")
    for code, n in seen_codes.items():
        if n > 1:
            report.error(where, f"standard code {code} appears {n} times")
    for title, n in seen_titles.items():
        if n > 1:
            report.error(where, f"title {title!r} appears {n} times")
    routes = sum(1 for s in standards if isinstance(s, dict) and s.get("migrant_route") is True)
    if routes < route_min or (route_max is not None and routes > route_max):
        limit = f"{route_min}-{route_max}" if route_max is not None else f"at least {route_min}"
        report.error(where, f"{routes} standards with migrant_route, expected {limit}")
    if country == "GT" and standards:
        share = routes / len(standards)
        if not GT_ROUTE_SHARE[0] <= share <= GT_ROUTE_SHARE[1]:
            report.error(where, f"migrant_route share {share:.0%} is not a quarter to a third")
    return doc


def template_to_standards(report, where, rows):
    """Rebuild standards from template rows (one row per criterion), checking repeated cells agree."""
    standards = {}
    for n, row in enumerate(rows, start=2):
        rwhere = f"{where} line {n}"
        if None in row or any(v is None for v in row.values()):
            report.error(rwhere, "wrong number of cells")
            continue
        try:
            level = int(row["level"])
        except ValueError:
            report.error(rwhere, f"level {row['level']!r} is not a number")
            continue
        booleans = {}
        for column in ("migrant_route", "unit_required"):
            value = row[column].strip().lower()
            if value not in BOOLEANS:
                report.error(rwhere, f"{column} must be 'sí' or 'no', not {row[column]!r}")
            booleans[column] = BOOLEANS.get(value)
        std_fields = {
            "code": row["standard_code"],
            "title_es": row["standard_title_es"],
            "title_en": row["standard_title_en"],
            "level": level,
            "sector": row["sector"],
            "isco": row["isco"],
            "soc": row["soc"].split("|"),
            "migrant_route": booleans["migrant_route"],
            "assessment_method_es": row["assessment_method_es"],
            "assessment_method_en": row["assessment_method_en"],
            "evidence": row["evidence"].split("|"),
        }
        std = standards.get(row["standard_code"])
        if std is None:
            std = standards[row["standard_code"]] = {**std_fields, "units": []}
        elif any(std[k] != v for k, v in std_fields.items()):
            report.error(rwhere, f"standard columns differ from earlier rows of {row['standard_code']}")
        unit_fields = {
            "code": row["unit_code"],
            "title_es": row["unit_title_es"],
            "title_en": row["unit_title_en"],
            "required": booleans["unit_required"],
            "keywords": row["unit_keywords"].split("|"),
        }
        unit = next((u for u in std["units"] if u["code"] == row["unit_code"]), None)
        if unit is None:
            unit = {**unit_fields, "criteria": []}
            std["units"].append(unit)
        elif any(unit[k] != v for k, v in unit_fields.items()):
            report.error(
                rwhere, f"unit columns differ from earlier rows of {row['standard_code']} {row['unit_code']}"
            )
        unit["criteria"].append(
            {
                "code": row["criterion_code"],
                "kind": row["criterion_kind"],
                "es": row["criterion_es"],
                "en": row["criterion_en"],
            }
        )
    return list(standards.values())


def check_template(report, catalogues, isco_codes, soc_codes):
    path = HERE / "template.csv"
    where = path.name
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames
            rows = list(reader)
    except FileNotFoundError:
        report.error(where, "missing")
        return 0
    except UnicodeDecodeError as exc:
        report.error(where, f"not UTF-8: {exc}")
        return 0
    if header != TEMPLATE_HEADER:
        report.error(where, f"header must be: {','.join(TEMPLATE_HEADER)}")
        return 0
    if not rows:
        report.error(where, "has no example rows")
        return 0
    standards = template_to_standards(report, where, rows)
    gt = {s["code"]: s for s in (catalogues.get("GT") or {}).get("standards", []) if isinstance(s, dict)}
    for std in standards:
        swhere = f"{where} {std['code']}"
        check_standard(report, swhere, std, isco_codes, soc_codes)
        if std["code"] not in gt:
            report.error(swhere, "is not a standard of GT.json")
        elif std != gt[std["code"]]:
            report.error(swhere, "differs from the same standard in GT.json")
    return len(standards)


def main():
    report = Report()
    isco_codes, soc_codes = load_reference()
    if isco_codes is None:
        print(f"Reference data not found under {REFERENCE}: skipping the ISCO-08 and SOC 2018 code checks.")
    catalogues = {}
    for country in COUNTRIES:
        doc = check_catalogue(report, country, isco_codes, soc_codes)
        if doc is not None:
            catalogues[country] = doc
    examples = check_template(report, catalogues, isco_codes, soc_codes)

    print(f"{'country':8}{'body':10}{'standards':>10}{'units':>7}{'criteria':>10}{'route':>7}  levels")
    for country, doc in catalogues.items():
        standards = [s for s in doc["standards"] if isinstance(s, dict)]
        units = [u for s in standards for u in s.get("units", []) if isinstance(u, dict)]
        criteria = sum(len(u.get("criteria", [])) for u in units)
        routes = sum(1 for s in standards if s.get("migrant_route") is True)
        levels = Counter(s.get("level") for s in standards)
        spread = " ".join(f"{lvl}:{levels[lvl]}" for lvl in sorted(levels, key=str))
        print(
            f"{country:8}{doc['body']['short_name']:10}{len(standards):>10}{len(units):>7}{criteria:>10}{routes:>7}  {spread}"
        )
    print(f"template.csv: {examples} example standard(s)")

    if report.errors:
        print(f"\n{len(report.errors)} problem(s):", file=sys.stderr)
        for line in report.errors:
            print(f"  {line}", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
