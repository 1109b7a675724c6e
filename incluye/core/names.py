"""The names reference data (`core/data/names.json`, checked by `data/check_names.py`), read once.

The demo-data generator draws names from it; the people search and the duplicate search read
the other forms of a given name from it: nicknames ("Chepe" for José), the English a returnee
may have gone by in the United States ("Joseph"), abbreviations of records ("Ma." for María).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

NAMES_FILE = Path(__file__).resolve().parent / "data" / "names.json"
NAMES = json.loads(NAMES_FILE.read_text(encoding="utf-8"))

# The sections of other forms of a given name, and the kind each is named by in a reason.
NAME_FORM_SECTIONS = {"nicknames": "nickname", "english_forms": "english", "abbreviations": "abbreviation"}


def name_forms() -> Iterator[tuple[str, str, str]]:
    """(kind, name, form) for every other form of a given name, section by section."""
    for section, kind in NAME_FORM_SECTIONS.items():
        for name, forms in NAMES[section].items():
            for form in forms:
                yield kind, name, form


def given_names() -> Iterator[str]:
    """Every given name of the lists, women's and men's."""
    for names in NAMES["given_names"].values():
        for name, _weight in names:
            yield name
