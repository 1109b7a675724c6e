"""People search: find anyone while typing, among a million records, with typos, nicknames,
initials and lost spaces. Plain Python (NumPy, rapidfuzz), in stages:

- `normalize`: names and queries as folded words; initials; lost and extra spaces;
- `index`: the NumPy index of a million rows (`PeopleIndex`);
- `score`: query expansion, vectorized scoring, the rerank (completeness, then recency);
- `explain`: the reasons, in the reader's language.

The database side (building the index from the registry, keeping it current, fetching the hits
with their organization re-checked) is `incluye.people.searching`, whose `search_people` is what
the application calls. At 1 000 000 people: build 16–20 s, about 110 MiB of arrays, a search in
a few milliseconds (bench/search.py).
"""

from incluye.people.search.explain import describe
from incluye.people.search.index import RECORD_FIELDS, PeopleIndex
from incluye.people.search.normalize import QueryWord, name_tokens, parse_name_query, phonetic, words
from incluye.people.search.score import Hit

__all__ = [
    "RECORD_FIELDS",
    "Hit",
    "PeopleIndex",
    "QueryWord",
    "describe",
    "name_tokens",
    "parse_name_query",
    "phonetic",
    "words",
]
