#!/usr/bin/env python3
"""Validate names.json (reference data for the demo-data generator, and the other forms of a
given name the people search accepts).

Standard library only. Run:  python3 incluye/core/data/check_names.py [path]
Exits 0 and prints per-list counts when valid; prints every problem and exits 1 otherwise.
"""

import json
import sys
import unicodedata
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().with_name("names.json")

MIN_COUNTS = {
    ("given_names", "female"): 120,
    ("given_names", "male"): 120,
    ("surnames", "spanish"): 150,
    ("surnames", "maya"): 60,
    ("surnames", "lenca_garifuna"): 15,
}
MIN_NICKNAMES = 40
TOP_KEYS = {
    "source",
    "given_names",
    "surnames",
    "nicknames",
    "english_forms",
    "abbreviations",
    "married_particle",
}
# Other forms of a given name, checked as the nicknames are: the English a returnee may have
# gone by in the United States ("Joseph" for José), the abbreviations of records ("Ma." María).
NAME_FORMS = ("nicknames", "english_forms", "abbreviations")
# Typographic apostrophes/quotes that must not be used instead of U+0027.
BAD_APOSTROPHES = {"\u2018", "\u2019", "\u02bc", "\u00b4", "`"}


def check_string(value, where, errors):
    """Common checks for a name or nickname string."""
    if not isinstance(value, str):
        errors.append(f"{where}: not a string: {value!r}")
        return False
    if not value:
        errors.append(f"{where}: empty string")
        return False
    if value != value.strip():
        errors.append(f"{where}: leading/trailing whitespace: {value!r}")
    if "  " in value:
        errors.append(f"{where}: double space: {value!r}")
    if unicodedata.normalize("NFC", value) != value:
        errors.append(f"{where}: not NFC-normalised: {value!r}")
    bad = BAD_APOSTROPHES.intersection(value)
    if bad:
        errors.append(f"{where}: use U+0027 apostrophe, found {sorted(bad)!r} in {value!r}")
    return True


def check_weighted_list(items, where, minimum, errors):
    if not isinstance(items, list):
        errors.append(f"{where}: must be a list")
        return set()
    if len(items) < minimum:
        errors.append(f"{where}: {len(items)} entries, need at least {minimum}")
    seen = {}
    names = set()
    for i, entry in enumerate(items):
        loc = f"{where}[{i}]"
        if not (isinstance(entry, list) and len(entry) == 2):
            errors.append(f"{loc}: must be a [name, weight] pair: {entry!r}")
            continue
        name, weight = entry
        # bool is a subclass of int; reject it explicitly.
        if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 100:
            errors.append(f"{loc}: weight must be an int 1..100, got {weight!r}")
        if not check_string(name, loc, errors):
            continue
        key = name.strip().casefold()
        if key in seen:
            errors.append(f"{where}: duplicate {name!r} (entries {seen[key]} and {i})")
        else:
            seen[key] = i
        names.add(name)
    return names


def check_name_forms(data, section, given, errors):
    """A section of other forms of given names: {given name: [forms]}; returns its size."""
    forms = data.get(section)
    if not isinstance(forms, dict):
        errors.append(f"{section}: must be an object")
        return 0
    if section == "nicknames" and len(forms) < MIN_NICKNAMES:
        errors.append(f"nicknames: {len(forms)} entries, need at least {MIN_NICKNAMES}")
    for key, values in forms.items():
        where = f"{section}[{key!r}]"
        check_string(key, where + " key", errors)
        if key not in given:
            errors.append(f"{where}: key is not among given_names (female or male)")
        if not (isinstance(values, list) and values):
            errors.append(f"{where}: must be a non-empty list")
            continue
        seen = set()
        for j, v in enumerate(values):
            if not check_string(v, f"{where}[{j}]", errors):
                continue
            if v.casefold() in seen:
                errors.append(f"{where}: duplicate form {v!r}")
            seen.add(v.casefold())
    return len(forms)


def main(argv):
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_PATH
    errors = []
    try:
        raw = path.read_bytes()
        data = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"FAIL: cannot load {path}: {exc}")
        return 1

    if not isinstance(data, dict):
        print("FAIL: top level must be an object")
        return 1
    missing = TOP_KEYS - data.keys()
    extra = data.keys() - TOP_KEYS
    if missing:
        errors.append(f"missing top-level keys: {sorted(missing)}")
    if extra:
        errors.append(f"unexpected top-level keys: {sorted(extra)}")

    source = data.get("source")
    if not (isinstance(source, str) and source.strip() and source == source.strip()):
        errors.append("source: must be a non-empty trimmed string")

    if data.get("married_particle") != "de":
        errors.append(f"married_particle: expected 'de', got {data.get('married_particle')!r}")

    counts = {}
    given = set()
    for (section, sub), minimum in MIN_COUNTS.items():
        block = data.get(section)
        if not isinstance(block, dict):
            errors.append(f"{section}: must be an object")
            continue
        items = block.get(sub)
        where = f"{section}.{sub}"
        names = check_weighted_list(items, where, minimum, errors)
        counts[where] = len(items) if isinstance(items, list) else 0
        if section == "given_names":
            given |= names
    for section, subs in (
        ("given_names", {"female", "male"}),
        ("surnames", {"spanish", "maya", "lenca_garifuna"}),
    ):
        block = data.get(section)
        if isinstance(block, dict) and block.keys() != subs:
            errors.append(f"{section}: keys must be exactly {sorted(subs)}, got {sorted(block)}")

    for section in NAME_FORMS:
        counts[section] = check_name_forms(data, section, given, errors)

    if errors:
        for e in errors:
            print("FAIL:", e)
        print(f"{len(errors)} problem(s) in {path}")
        return 1
    for where, n in counts.items():
        print(f"{where}: {n}")
    print(f"OK: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
