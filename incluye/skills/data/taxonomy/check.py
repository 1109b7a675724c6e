"""Checks the bundled occupation taxonomy (occupations.json), its spelling table (spelling.json), the
glossary of work words and colloquial titles (glossary.json) and the employers (employers.json).

Standard library only:  python incluye/skills/data/taxonomy/check.py

When the reference data is present (/work/shared/data, or the folder named by INCLUYE_REFERENCE_DATA)
it also checks every O*NET-SOC code and title against O*NET 29.3 "Occupation Data.txt", every ISCO-08
code against isco/derived/isco08_ciuo08_es_en.csv and every ESCO skill URI against the ESCO skills
files; each of these checks is skipped, with a message, when its file is absent.
Prints the problems and exits 1 when there are any.
"""

import csv
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = Path(os.environ.get("INCLUYE_REFERENCE_DATA", "/work/shared/data"))

LICENCES = {
    "osha10",
    "osha30",
    "forklift",
    "servsafe_food_handler",
    "servsafe_manager",
    "cdl_a",
    "cdl_b",
    "twic",
    "nccer",
    "epa608",
    "flagger",
    "scaffold",
    "first_aid_cpr",
    "hazwoper",
    "welding_aws",
    "drivers_licence",
}
# field: (minimum, maximum) number of entries
COUNTS = {
    "titles_es": (6, 20),
    "titles_en": (4, 15),
    "tasks_es": (3, 5),
    "tasks_en": (3, 5),
    "tools": (3, 8),
    "skills": (3, 8),
}
OCCUPATION_FIELDS = [
    "onet",
    "soc",
    "isco",
    "sector",
    "title_es",
    "title_en",
    "titles_es",
    "titles_en",
    "tasks_es",
    "tasks_en",
    "tools",
    "skills",
    "licences",
]
# Optional fields: how people describe doing the job ("lavaba trastes", "mowed lawns"), loaded as
# colloquial titles. field: (minimum, maximum) number of phrases; each phrase has 2-6 words.
PHRASE_COUNTS = {
    "phrases_es": (6, 15),
    "phrases_en": (3, 8),
}
PHRASE_WORDS = (2, 6)
ONET_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
ISCO_CODE = re.compile(r"^\d{4}$")
SKILL_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ESCO_SKILL = re.compile(
    r"^http://data\.europa\.eu/esco/skill/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
WORD = re.compile(r"^[a-z0-9]+$")


def fold(text: str) -> str:
    """Lowercase without accents (the way the occupation coder compares text)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def is_text(value) -> bool:
    return isinstance(value, str) and value.strip() == value and value != ""


def is_text_list(value) -> bool:
    return isinstance(value, list) and all(is_text(v) for v in value)


def bilingual(value) -> bool:
    return isinstance(value, dict) and set(value) == {"es", "en"} and all(is_text(v) for v in value.values())


def load_reference() -> tuple[dict[str, str] | None, set[str] | None, set[str] | None]:
    onet_file = REFERENCE / "onet" / "Occupation Data.txt"
    isco_file = REFERENCE / "isco" / "derived" / "isco08_ciuo08_es_en.csv"
    esco_files = [
        REFERENCE / "esco" / "v1.0_es_en" / "skills_es.csv",
        REFERENCE / "esco" / "v1.1.1_en" / "skills_en.csv",
    ]
    onet = isco = esco = None
    if onet_file.is_file():
        with onet_file.open(encoding="utf-8") as f:
            onet = {row["O*NET-SOC Code"]: row["Title"] for row in csv.DictReader(f, delimiter="\t")}
    else:
        print(f"skipped: O*NET codes not checked ({onet_file} not found)")
    if isco_file.is_file():
        with isco_file.open(encoding="utf-8") as f:
            isco = {row["code"] for row in csv.DictReader(f) if row["level"] == "4"}
    else:
        print(f"skipped: ISCO-08 codes not checked ({isco_file} not found)")
    if any(path.is_file() for path in esco_files):
        esco = set()
        for path in esco_files:
            if path.is_file():
                with path.open(encoding="utf-8") as f:
                    esco.update(row["conceptUri"] for row in csv.DictReader(f))
    else:
        print("skipped: ESCO skill URIs not checked (ESCO skills files not found)")
    return onet, isco, esco


def check_occupations(doc, problems: list[str]) -> tuple[set[str], set[str]]:
    """Returns the folded title and phrase tokens and the skill keys."""
    if not isinstance(doc, dict):
        problems.append("occupations.json: the top level is not an object")
        return set(), set()
    for key in ["version", "attribution", "sectors", "skills", "occupations"]:
        if key not in doc:
            problems.append(f"occupations.json: missing {key!r}")
    extra = set(doc) - {"version", "attribution", "sectors", "skills", "occupations"}
    if extra:
        problems.append(f"occupations.json: unexpected keys {sorted(extra)}")
    if not is_text(doc.get("version")):
        problems.append("version: not a string")
    if not bilingual(doc.get("attribution")):
        problems.append("attribution: needs 'es' and 'en' texts")

    sectors = doc.get("sectors") or {}
    if not isinstance(sectors, dict) or not sectors:
        problems.append("sectors: not a non-empty object")
        sectors = {}
    for key, label in sectors.items():
        if not SKILL_KEY.match(key.replace("_", "-")):
            problems.append(f"sectors: bad key {key!r}")
        if not bilingual(label):
            problems.append(f"sectors.{key}: needs 'es' and 'en' labels")

    skill_keys: set[str] = set()
    skills = doc.get("skills") or []
    if not isinstance(skills, list) or not skills:
        problems.append("skills: not a non-empty list")
        skills = []
    for i, skill in enumerate(skills):
        where = f"skills[{i}]"
        if not isinstance(skill, dict) or set(skill) != {"key", "esco", "es", "en"}:
            problems.append(f"{where}: needs exactly key, esco, es, en")
            continue
        key = skill["key"]
        if not isinstance(key, str) or not SKILL_KEY.match(key):
            problems.append(f"{where}: key {key!r} is not lowercase ascii kebab-case")
        elif key in skill_keys:
            problems.append(f"{where}: duplicate skill key {key!r}")
        skill_keys.add(key)
        if skill["esco"] is not None and not (
            isinstance(skill["esco"], str) and ESCO_SKILL.match(skill["esco"])
        ):
            problems.append(f"{where} ({key}): esco is neither null nor an ESCO skill URI")
        if not is_text(skill["es"]) or not is_text(skill["en"]):
            problems.append(f"{where} ({key}): empty es/en label")
    onet_ref, isco_ref, esco_ref = load_reference()
    uris = Counter(s["esco"] for s in skills if isinstance(s, dict) and s.get("esco"))
    for uri, n in uris.items():
        if n > 1:
            problems.append(f"skills: ESCO URI used by {n} keys: {uri}")
        if esco_ref is not None and uri not in esco_ref:
            problems.append(f"skills: ESCO URI not in the ESCO skills files: {uri}")

    title_tokens: set[str] = set()
    seen_codes: set[str] = set()
    used_skills: set[str] = set()
    phrase_owners: dict[str, set[str]] = {}
    phrase_total = 0
    occupations = doc.get("occupations") or []
    if not isinstance(occupations, list) or not occupations:
        problems.append("occupations: not a non-empty list")
        occupations = []
    for i, occ in enumerate(occupations):
        if not isinstance(occ, dict):
            problems.append(f"occupations[{i}]: not an object")
            continue
        code = occ.get("onet")
        where = f"occupations[{i}] ({code})"
        missing = [k for k in OCCUPATION_FIELDS if k not in occ]
        if missing:
            problems.append(f"{where}: missing {missing}")
            continue
        extra = set(occ) - set(OCCUPATION_FIELDS) - set(PHRASE_COUNTS)
        if extra:
            problems.append(f"{where}: unexpected keys {sorted(extra)}")
        if not isinstance(code, str) or not ONET_CODE.match(code):
            problems.append(f"{where}: onet is not an O*NET-SOC code like 47-2031.00")
            continue
        if code in seen_codes:
            problems.append(f"{where}: duplicate onet code")
        seen_codes.add(code)
        if occ["soc"] != code[:7]:
            problems.append(f"{where}: soc {occ['soc']!r} is not onet[:7] {code[:7]!r}")
        if not isinstance(occ["isco"], str) or not ISCO_CODE.match(occ["isco"]):
            problems.append(f"{where}: isco {occ['isco']!r} is not a 4-digit code")
        elif isco_ref is not None and occ["isco"] not in isco_ref:
            problems.append(f"{where}: isco {occ['isco']} is not an ISCO-08 unit group")
        if onet_ref is not None:
            if code not in onet_ref:
                problems.append(f"{where}: not in O*NET 29.3 Occupation Data")
            elif occ["title_en"] != onet_ref[code]:
                problems.append(
                    f"{where}: title_en {occ['title_en']!r} is not the O*NET title {onet_ref[code]!r}"
                )
        if occ["sector"] not in sectors:
            problems.append(f"{where}: sector {occ['sector']!r} is not defined")
        for key in ["title_es", "title_en"]:
            if not is_text(occ[key]):
                problems.append(f"{where}: {key} is empty")
        for key in ["titles_es", "titles_en", "tasks_es", "tasks_en", "skills", "licences"]:
            if not is_text_list(occ[key]):
                problems.append(f"{where}: {key} is not a list of strings")
        if not isinstance(occ["tools"], list) or not all(bilingual(t) for t in occ["tools"]):
            problems.append(f"{where}: tools must be a list of {{'es', 'en'}} objects")
        for key, (low, high) in COUNTS.items():
            if isinstance(occ[key], list) and not low <= len(occ[key]) <= high:
                problems.append(f"{where}: {key} has {len(occ[key])} entries (expected {low}-{high})")
        if isinstance(occ["tasks_es"], list) and len(occ["tasks_es"]) != len(occ["tasks_en"]):
            problems.append(f"{where}: tasks_es and tasks_en differ in length")
        for key in ["titles_es", "titles_en"]:
            folded = [fold(t) for t in occ[key] if isinstance(t, str)]
            dupes = sorted(t for t, n in Counter(folded).items() if n > 1)
            if dupes:
                problems.append(f"{where}: {key} repeats {dupes}")
        for key in occ["skills"]:
            used_skills.add(key)
            if key not in skill_keys:
                problems.append(f"{where}: skill {key!r} is not defined in the skills list")
        if len(set(occ["skills"])) != len(occ["skills"]):
            problems.append(f"{where}: repeated skill keys")
        for licence in occ["licences"]:
            if licence not in LICENCES:
                problems.append(f"{where}: licence {licence!r} is not allowed")
        if len(set(occ["licences"])) != len(occ["licences"]):
            problems.append(f"{where}: repeated licences")
        for text in [occ["title_es"], occ["title_en"], *occ["titles_es"], *occ["titles_en"]]:
            if isinstance(text, str):
                title_tokens.update(tokens(text))
        for key, (low, high) in PHRASE_COUNTS.items():
            if key not in occ:
                continue
            phrases = occ[key]
            if not is_text_list(phrases):
                problems.append(f"{where}: {key} is not a list of strings")
                continue
            if not low <= len(phrases) <= high:
                problems.append(f"{where}: {key} has {len(phrases)} entries (expected {low}-{high})")
            folded = [" ".join(tokens(p)) for p in phrases]
            dupes = sorted(t for t, n in Counter(folded).items() if n > 1)
            if dupes:
                problems.append(f"{where}: {key} repeats {dupes}")
            for phrase, words in zip(phrases, folded, strict=True):
                if not PHRASE_WORDS[0] <= len(words.split()) <= PHRASE_WORDS[1]:
                    problems.append(
                        f"{where}: {key} {phrase!r} has {len(words.split())} words "
                        f"(expected {PHRASE_WORDS[0]}-{PHRASE_WORDS[1]})"
                    )
                phrase_owners.setdefault(words, set()).add(code)
                title_tokens.update(words.split())
            phrase_total += len(phrases)
    for phrase, codes in sorted(phrase_owners.items()):
        if len(codes) > 1:
            problems.append(
                f"phrase {phrase!r} is given to {len(codes)} occupations: {', '.join(sorted(codes))}"
            )
    unused = sorted(skill_keys - used_skills)
    if unused:
        print(f"note: {len(unused)} skills used by no occupation: {', '.join(unused)}")
    print(
        f"occupations: {len(occupations)}  sectors: {len(sectors)}  skills: {len(skill_keys)}"
        f"  phrases: {phrase_total}"
    )
    for sector, n in sorted(Counter(o.get("sector") for o in occupations if isinstance(o, dict)).items()):
        print(f"  {sector}: {n}")
    return title_tokens, skill_keys


def check_spelling(doc, title_tokens: set[str], problems: list[str]) -> None:
    if not isinstance(doc, dict) or set(doc) != {"tokens", "stopwords"}:
        problems.append("spelling.json: needs exactly 'tokens' and 'stopwords'")
        return
    table, stopwords = doc["tokens"], doc["stopwords"]
    if not isinstance(table, dict) or not table:
        problems.append("spelling.tokens: not a non-empty object")
        table = {}
    if not isinstance(stopwords, list) or not all(isinstance(w, str) for w in stopwords):
        problems.append("spelling.stopwords: not a list of strings")
        stopwords = []
    for key, value in table.items():
        for word in (key, value):
            if not isinstance(word, str) or not WORD.match(word) or fold(word) != word:
                problems.append(
                    f"spelling.tokens: {word!r} is not a single folded word (lowercase, no accents)"
                )
        if isinstance(value, str) and value not in title_tokens:
            problems.append(f"spelling.tokens: {key!r} -> {value!r}, which is in no title or phrase")
    stopset = set(stopwords)
    for word in stopwords:
        if not WORD.match(word) or fold(word) != word:
            problems.append(f"spelling.stopwords: {word!r} is not a single folded word")
    for word, n in Counter(stopwords).items():
        if n > 1:
            problems.append(f"spelling.stopwords: {word!r} repeated")
    for key, value in table.items():
        if key in stopset or value in stopset:
            problems.append(f"spelling: {key!r} -> {value!r} involves a stopword")
    print(f"spelling tokens: {len(table)}  stopwords: {len(stopwords)}")


def check_glossary(doc, codes: set[str], problems: list[str]) -> None:
    words, titles = doc.get("words"), doc.get("titles")
    if not isinstance(words, dict) or not isinstance(titles, dict):
        problems.append("glossary.json: needs 'words' (an object) and 'titles' (an object)")
        return
    for key, value in words.items():
        if not WORD.match(key) or fold(key) != key:
            problems.append(f"glossary.words: {key!r} is not a single folded word")
        if (
            not isinstance(value, str)
            or fold(value) != value
            or not all(WORD.match(w) for w in value.split())
        ):
            problems.append(f"glossary.words: {key!r} -> {value!r} is not folded words")
    total = 0
    for code, by_language in titles.items():
        if code not in codes:
            problems.append(f"glossary.titles: {code} is not a bundled occupation")
        for language, said in by_language.items():
            if language not in ("es", "en") or not is_text_list(said):
                problems.append(f"glossary.titles[{code}]: {language!r} needs a list of titles (es or en)")
                continue
            if len(set(said)) != len(said):
                problems.append(f"glossary.titles[{code}][{language}]: repeats a title")
            total += len(said)
    print(f"glossary words: {len(words)}  titles: {total}")


def check_employers(doc, codes: set[str], problems: list[str]) -> None:
    seen: dict[str, str] = {}
    for number, employer in enumerate(doc.get("employers", [])):
        where = f"employers[{number}]"
        if not is_text(employer.get("sector")) or not is_text_list(employer.get("names")):
            problems.append(f"{where}: needs a sector and a list of names")
            continue
        if not employer.get("onet") or any(code not in codes for code in employer["onet"]):
            problems.append(f"{where}: every O*NET-SOC code must be a bundled occupation")
        for name in employer["names"]:
            key = fold(name)
            if key in seen:
                problems.append(f"{where}: {name!r} is also in {seen[key]}")
            seen[key] = where
    print(f"employers: {len(seen)} names")


def main() -> int:
    problems: list[str] = []
    try:
        with (HERE / "occupations.json").open(encoding="utf-8") as f:
            occupations = json.load(f)
        with (HERE / "spelling.json").open(encoding="utf-8") as f:
            spelling = json.load(f)
        with (HERE / "glossary.json").open(encoding="utf-8") as f:
            glossary = json.load(f)
        with (HERE / "employers.json").open(encoding="utf-8") as f:
            employers = json.load(f)
    except (OSError, json.JSONDecodeError) as error:
        print(f"cannot read the taxonomy: {error}")
        return 1
    title_tokens, _ = check_occupations(occupations, problems)
    check_spelling(spelling, title_tokens, problems)
    codes = {o.get("onet") for o in occupations.get("occupations", []) if isinstance(o, dict)}
    check_glossary(glossary, codes, problems)
    check_employers(employers, codes, problems)
    for problem in problems:
        print(f"problem: {problem}")
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
