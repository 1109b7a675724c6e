#!/usr/bin/env python3
"""Validate the country reference data files in this directory.

Pure standard library (no Django). Run:
    python3 incluye/core/data/countries/check_countries.py
Exits with status 1 and lists every problem found if any invariant fails.
"""

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

TOP_KEYS = {
    "code",
    "name",
    "time_zone",
    "phone_region",
    "calling_code",
    "currency",
    "division_levels",
    "divisions_source",
    "divisions",
    "id_document_types",
    "foreigner_documents",
    "migration",
    "languages",
}
ID_KEYS = {"code", "name", "rule", "example", "is_national_id"}
FOREIGNER_KEYS = {
    "code",
    "name",
    "rule",
    "example",
    "issued_by",
    "statuses",
    "has_expiry",
    "remind_days",
    "grants_work",
    "requires",
    "source",
    "illustrative",
}
STATUSES = {"asylum_seeker", "refugee", "resident", "irregular", "stateless"}
WORK_RULES = {"status", "document", "category", "none"}
# Rules a foreigner's document may name (implemented in incluye/core/identity.py).
FOREIGNER_RULES = {"cr_dimex", "reference", "passport"}

EXPECTED = {
    "GT": {
        "time_zone": "America/Guatemala",
        "calling_code": "502",
        "currency": "GTQ",
        "levels": 2,
        "counts": [22, 340],
        "national_id": ("DPI", "gt_dpi"),
    },
    "SV": {
        "time_zone": "America/El_Salvador",
        "calling_code": "503",
        "currency": "USD",
        "levels": 3,
        "counts": [14, 44],
        "national_id": ("DUI", "sv_dui"),
    },
    "HN": {
        "time_zone": "America/Tegucigalpa",
        "calling_code": "504",
        "currency": "HNL",
        "levels": 2,
        "counts": [18, 298],
        "national_id": ("DNI", "hn_dni"),
    },
    "CR": {
        "time_zone": "America/Costa_Rica",
        "calling_code": "506",
        "currency": "CRC",
        "levels": 2,
        "counts": [7, 84],
        "national_id": ("CEDULA", "cr_cedula"),
    },
}

# Municipalities per GT department, in INE order 01..22.
GT_MUNIS_PER_DEPT = [17, 8, 16, 16, 14, 14, 19, 8, 24, 21, 9, 30, 33, 21, 8, 17, 14, 5, 11, 11, 7, 17]

errors = []


def err(msg):
    errors.append(msg)


def check_name(value, where):
    if not isinstance(value, str) or not value.strip():
        err(f"{where}: empty or non-string name {value!r}")
    elif value != value.strip():
        err(f"{where}: name has leading/trailing spaces {value!r}")
    elif "  " in value:
        err(f"{where}: name has double spaces {value!r}")


def check_i18n(value, where):
    if not isinstance(value, dict) or set(value) != {"es", "en"}:
        err(f"{where}: expected {{'es','en'}} dict, got {value!r}")
        return
    for lang, text in value.items():
        check_name(text, f"{where}.{lang}")


def walk(nodes, depth, parent_code, seen, per_level, path):
    """Check every division node; count nodes per level (depth 0 = level 1)."""
    if not isinstance(nodes, list):
        err(f"{path}: children must be a list")
        return
    for node in nodes:
        code = node.get("code")
        where = f"{path}/{code}"
        extra = set(node) - {"code", "name", "children"}
        if extra or "code" not in node or "name" not in node:
            err(f"{where}: bad keys {sorted(node)}")
        if not isinstance(code, str) or not code.isdigit():
            err(f"{where}: code must be a digit string")
            continue
        if code in seen:
            err(f"{where}: duplicate code {code}")
        seen.add(code)
        if parent_code is not None and not (code.startswith(parent_code) and len(code) > len(parent_code)):
            err(f"{where}: code does not extend parent code {parent_code}")
        check_name(node.get("name"), where)
        while len(per_level) <= depth:
            per_level.append(0)
        per_level[depth] += 1
        if "children" in node:
            if not node["children"]:
                err(f"{where}: empty children list")
            walk(node["children"], depth + 1, code, seen, per_level, where)


def all_codes(nodes, depth=0, out=None):
    out = {} if out is None else out
    for node in nodes:
        out.setdefault(depth, set()).add(node["code"])
        all_codes(node.get("children", []), depth + 1, out)
    return out


# ---- national id rules (mirror of the Python validators implemented elsewhere) ----


def gt_dpi_ok(value, muni_codes):
    digits = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"\d{13}", digits):
        return False
    number, check, place = digits[:8], int(digits[8]), digits[9:]
    total = sum(int(d) * (i + 2) for i, d in enumerate(number))
    return total % 11 == check and place in muni_codes


def sv_dui_ok(value):
    m = re.fullmatch(r"(\d{8})-?(\d)", value)
    if not m:
        return False
    s = sum(int(d) * (9 - i) for i, d in enumerate(m.group(1)))
    return (10 - s % 10) % 10 == int(m.group(2))


def hn_dni_ok(value, muni_codes):
    m = re.fullmatch(r"(\d{4})-?(\d{4})-?(\d{5})", value)
    return bool(m) and m.group(1) in muni_codes and 1900 <= int(m.group(2)) <= 2100


def cr_cedula_ok(value, province_codes):
    m = re.fullmatch(r"(\d)-?(\d{4})-?(\d{4})", value)
    return bool(m) and m.group(1) in province_codes


def passport_ok(value):
    return bool(re.fullmatch(r"[A-Z0-9]{6,12}", value))


def check_country(cc, exp):
    path = HERE / f"{cc.lower()}.json"
    raw = path.read_text(encoding="utf-8")
    data = json.loads(raw)
    if "\\u00" in raw:
        err(f"{cc}: file contains \\u escapes (expected literal UTF-8)")
    if set(data) != TOP_KEYS:
        err(f"{cc}: top-level keys {sorted(data)} != {sorted(TOP_KEYS)}")
    if data.get("code") != cc or data.get("phone_region") != cc:
        err(f"{cc}: code/phone_region mismatch")
    for key in ("time_zone", "calling_code", "currency"):
        if data.get(key) != exp[key]:
            err(f"{cc}: {key} = {data.get(key)!r}, expected {exp[key]!r}")
    check_i18n(data.get("name"), f"{cc}.name")
    check_name(data.get("divisions_source"), f"{cc}.divisions_source")
    languages = data.get("languages", [])
    if (
        len(set(languages)) != len(languages)
        or not all(re.fullmatch(r"[a-z]{2,3}|other", code or "") for code in languages)
        or "es" not in languages
        or languages[-1:] != ["other"]
    ):
        err(f"{cc}: languages {languages!r}: distinct codes, Spanish among them, 'other' last")

    levels = data.get("division_levels", [])
    if [lv.get("level") for lv in levels] != list(range(1, exp["levels"] + 1)):
        err(f"{cc}: division_levels must be levels 1..{exp['levels']}")
    for lv in levels:
        check_i18n(lv.get("name"), f"{cc}.division_levels[{lv.get('level')}]")

    seen, per_level = set(), []
    walk(data.get("divisions", []), 0, None, seen, per_level, cc)
    if len(per_level) > exp["levels"]:
        err(f"{cc}: divisions nest deeper ({len(per_level)}) than division_levels ({exp['levels']})")
    for i, want in enumerate(exp["counts"]):
        got = per_level[i] if i < len(per_level) else 0
        if got != want:
            err(f"{cc}: level {i + 1} has {got} entries, expected {want}")

    codes = all_codes(data.get("divisions", []))
    if cc == "GT":
        got = [len(d.get("children", [])) for d in data["divisions"]]
        if got != GT_MUNIS_PER_DEPT:
            err(f"GT: municipalities per department {got} != {GT_MUNIS_PER_DEPT}")
        if [d["code"] for d in data["divisions"]] != [f"{i:02d}" for i in range(1, 23)]:
            err("GT: department codes must be 01..22 in order")
        names = {c["code"]: c["name"] for d in data["divisions"] for c in d["children"]}
        for code, name in (("0514", "Sipacate"), ("1333", "Petatán"), ("0101", "Guatemala")):
            if names.get(code) != name:
                err(f"GT: {code} should be {name}, got {names.get(code)!r}")
    if cc == "HN":
        names = {c["code"]: c["name"] for d in data["divisions"] for c in d["children"]}
        for code, name in (("0801", "Distrito Central"), ("0501", "San Pedro Sula")):
            if names.get(code) != name:
                err(f"HN: {code} should be {name}, got {names.get(code)!r}")
    if cc == "CR":
        if [d["code"] for d in data["divisions"]] != [str(i) for i in range(1, 8)]:
            err("CR: province codes must be 1..7")
        if any(len(c) != 3 for c in codes.get(1, ())):
            err("CR: canton codes must have 3 digits")
    if cc == "SV":
        if [d["code"] for d in data["divisions"]] != [f"{i:02d}" for i in range(1, 15)]:
            err("SV: department codes must be 01..14 in order")
        if any(len(c) != 4 for c in codes.get(1, ())):
            err("SV: municipality codes must have 4 digits")
        if any(len(c) != 6 for c in codes.get(2, ())):
            err("SV: district codes must have 6 digits")
    elif cc in ("GT", "HN") and any(len(c) != 4 for c in codes.get(1, ())):
        err(f"{cc}: municipality codes must have 4 digits")

    # identity documents
    ids = data.get("id_document_types", [])
    by_code = {}
    for doc in ids:
        if set(doc) != ID_KEYS:
            err(f"{cc}: id type keys {sorted(doc)} != {sorted(ID_KEYS)}")
        by_code[doc.get("code")] = doc
        check_i18n(doc.get("name"), f"{cc}.id_document_types[{doc.get('code')}]")
        check_name(doc.get("example"), f"{cc}.id_document_types[{doc.get('code')}].example")
    if len(by_code) != len(ids):
        err(f"{cc}: duplicate id_document_types codes")
    if set(by_code) != {exp["national_id"][0], "PASSPORT"}:
        err(f"{cc}: id types {sorted(by_code)} != {{{exp['national_id'][0]}, PASSPORT}}")
    nat_code, nat_rule = exp["national_id"]
    nat = by_code.get(nat_code, {})
    if nat.get("rule") != nat_rule or nat.get("is_national_id") is not True:
        err(f"{cc}: {nat_code} must have rule {nat_rule} and is_national_id true")
    ex = nat.get("example", "")
    ok = {
        "gt_dpi": lambda: gt_dpi_ok(ex, codes.get(1, set())),
        "sv_dui": lambda: sv_dui_ok(ex),
        "hn_dni": lambda: hn_dni_ok(ex, codes.get(1, set())),
        "cr_cedula": lambda: cr_cedula_ok(ex, codes.get(0, set())),
    }[nat_rule]()
    if not ok:
        err(f"{cc}: example {ex!r} does not pass {nat_rule}")
    pp = by_code.get("PASSPORT", {})
    if (
        pp.get("rule") != "passport"
        or pp.get("is_national_id") is not False
        or pp.get("name") != {"es": "Pasaporte", "en": "Passport"}
        or not passport_ok(pp.get("example", ""))
    ):
        err(f"{cc}: PASSPORT entry is not as expected: {pp!r}")

    check_migration(cc, data)

    level_names = [lv["name"]["en"] for lv in levels]
    counts = ", ".join(f"{n}: {c}" for n, c in zip(level_names, per_level, strict=False))
    print(f"{cc}: {counts}; {nat_code} example {ex}")


def cr_dimex_ok(value):
    return bool(re.fullmatch(r"1\d{10,11}", value))


def check_migration(cc, data):
    """Documents for foreigners and what each migration status lets a person do."""
    docs = data.get("foreigner_documents", [])
    codes = [doc.get("code") for doc in docs]
    if len(set(codes)) != len(codes):
        err(f"{cc}: duplicate foreigner_documents codes")
    national = {doc.get("code") for doc in data.get("id_document_types", [])}
    if national & set(codes):
        err(f"{cc}: foreigner_documents codes clash with id_document_types")
    for doc in docs:
        where = f"{cc}.foreigner_documents[{doc.get('code')}]"
        if set(doc) != FOREIGNER_KEYS:
            err(f"{where}: keys {sorted(doc)} != {sorted(FOREIGNER_KEYS)}")
            continue
        check_i18n(doc["name"], where)
        check_name(doc["issued_by"], f"{where}.issued_by")
        check_name(doc["source"], f"{where}.source")
        if doc["rule"] not in FOREIGNER_RULES:
            err(f"{where}: rule {doc['rule']!r} not in {sorted(FOREIGNER_RULES)}")
        if doc["rule"] == "cr_dimex" and not cr_dimex_ok(doc["example"]):
            err(f"{where}: example {doc['example']!r} does not pass cr_dimex")
        if not doc["statuses"] or set(doc["statuses"]) - STATUSES:
            err(f"{where}: statuses {doc['statuses']!r} must be a non-empty subset of {sorted(STATUSES)}")
        if set(doc["requires"]) - set(codes):
            err(f"{where}: requires unknown documents {doc['requires']!r}")
        if doc["has_expiry"] != (doc["remind_days"] > 0):
            err(f"{where}: a document that expires has remind_days > 0, and only then")
        if not isinstance(doc["illustrative"], bool) or not isinstance(doc["grants_work"], bool):
            err(f"{where}: illustrative and grants_work are booleans")
    migration = data.get("migration", {})
    check_name(migration.get("source"), f"{cc}.migration.source")
    statuses = migration.get("statuses", {})
    if set(statuses) != STATUSES:
        err(f"{cc}: migration.statuses {sorted(statuses)} != {sorted(STATUSES)}")
    for kind, spec in statuses.items():
        if spec.get("work") not in WORK_RULES - {"category"} | (
            {"category"} if kind == "resident" else set()
        ):
            err(f"{cc}: migration.statuses.{kind}.work {spec.get('work')!r} is not allowed")
        if (
            spec.get("work") == "document"
            and not any(doc.get("grants_work") and kind in doc.get("statuses", ()) for doc in docs)
            and not spec.get("illustrative")
        ):
            err(f"{cc}: {kind} works with a document, but no document of that status authorizes work")
    categories = migration.get("resident_categories", [])
    if not categories:
        err(f"{cc}: migration.resident_categories is empty")
    for category in categories:
        check_i18n(category.get("name"), f"{cc}.resident_categories[{category.get('code')}]")
        if category.get("work") not in WORK_RULES - {"category"}:
            err(f"{cc}: resident category {category.get('code')} has work {category.get('work')!r}")
    bodies = migration.get("qualification_bodies", [])
    if not bodies:
        err(f"{cc}: migration.qualification_bodies is empty")
    for body in bodies:
        check_name(body.get("name"), f"{cc}.qualification_bodies[{body.get('code')}]")


def check_origins():
    """Identity documents of the countries people arrive from (origins.json)."""
    data = json.loads((HERE / "origins.json").read_text(encoding="utf-8"))
    for cc, spec in data.get("countries", {}).items():
        if not re.fullmatch(r"[A-Z]{2}", cc) or cc in EXPECTED:
            err(f"origins: {cc!r} must be an ISO code of a country without a file of its own")
        for doc in spec.get("id_document_types", []):
            where = f"origins.{cc}[{doc.get('code')}]"
            if set(doc) != ID_KEYS | {"issued_by", "source"}:
                err(f"{where}: keys {sorted(doc)}")
            check_i18n(doc.get("name"), where)
            check_name(doc.get("source"), f"{where}.source")
            if doc.get("code") == "PASSPORT":
                err(f"{where}: every country gets a passport: do not list it")


def main():
    try:
        check_origins()
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        err(f"origins: could not check file: {exc!r}")
    for cc, exp in EXPECTED.items():
        try:
            check_country(cc, exp)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            err(f"{cc}: could not check file: {exc!r}")
    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for e in errors:
            print(f"  - {e}", file=sys.stderr)
        return 1
    print("All country files OK.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
