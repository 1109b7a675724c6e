"""Stage 1 of the duplicate search: names as features (plain Python).

Names are folded (no case, accents or ñ); a married part ("López de Pérez", "de Pérez") is split
out of the surnames; each surname gets a Spanish phonetic key (v/b, z/s/c, ll/y, silent h…); each
given name is mapped to its formal name when it is a nickname or abbreviation (Chepe → José,
Ma. → María), then to a phonetic key. These functions run once per *distinct* value.
"""

from __future__ import annotations

import re
import zlib
from functools import cache

from rapidfuzz.distance import OSA

from incluye.core.names import NAMES, given_names, name_forms
from incluye.core.text import fold


@cache
def _nickname_table() -> dict[str, tuple[str, ...]]:
    """Folded other form of a given name -> the folded names it stands for (a nickname may stand
    for several: Beto): nicknames, English forms, abbreviations (names.json). An English form that
    is a given name of its own in the lists (Henry, Alexander) stays that name."""
    table: dict[str, set[str]] = {}
    for kind, name, form in name_forms():
        if kind == "english" and fold(form) in _known_given_names():
            continue
        table.setdefault(fold(form), set()).add(fold(name))
    return {form: tuple(sorted(names)) for form, names in table.items()}


_PHONETIC_RULES = [
    (r"ch", "X"),
    (r"ll", "y"),
    (r"qu", "k"),
    (r"gu(?=[ei])", "G"),
    (r"c(?=[ei])", "s"),
    (r"g(?=[ei])", "j"),
    (r"G", "g"),
    (r"ph", "f"),
    (r"[ckq]", "k"),
    (r"z", "s"),
    (r"[vw]", "b"),
    (r"nb", "mb"),
    (r"h", ""),
    (r"y", "i"),
]

# Compiled once: the module-level re.sub looks each pattern up in a cache on every call.
_PHONETIC_PATTERNS = [(re.compile(pattern), replacement) for pattern, replacement in _PHONETIC_RULES]
_NOT_A_LETTER = re.compile(r"[^a-z]")
_DOUBLED = re.compile(r"(.)\1+")


@cache
def spanish_phonetic(text: str) -> str:
    """A phonetic key for Spanish (and Maya) names: 'Vásquez', 'Basques' and 'Vazquez' -> 'baskes'.

    Letters written differently but sounding alike in Central American Spanish map to one
    letter; h is silent; doubled letters collapse. Vowels are kept: they are stable in Spanish.
    """
    key = _NOT_A_LETTER.sub("", fold(text))
    for pattern, replacement in _PHONETIC_PATTERNS:
        key = pattern.sub(replacement, key)
    return _DOUBLED.sub(r"\1", key)


# A nickname at least this long, mistyped by one letter, is still that nickname ("Lencheo" for
# Lencho, "Chusho" for Chucho); a shorter one is too near other names (Beto, Tito, Tino).
MISTYPED_NICKNAME_LENGTH = 5


@cache
def _known_given_names() -> frozenset[str]:
    """Folded given names of the names list: a name that is one of them is no mistyped nickname."""
    return frozenset(fold(name) for name in given_names())


@cache
def _long_nicknames() -> tuple[str, ...]:
    return tuple(n for n in _nickname_table() if len(n) >= MISTYPED_NICKNAME_LENGTH)


def _mistyped_nickname(folded: str) -> tuple[str, ...] | None:
    """The formal names of the long nicknames `folded` is one typo from ("Chepd": Chepe or Chepa,
    José or Josefina), when it is no known name."""
    if len(folded) < MISTYPED_NICKNAME_LENGTH - 1 or folded in _known_given_names():
        return None
    near = [n for n in _long_nicknames() if OSA.distance(folded, n, score_cutoff=1) <= 1]
    return tuple(sorted({formal for n in near for formal in _nickname_table()[n]})) or None


@cache
def canonical_given(token: str) -> tuple[str, ...]:
    """Phonetic keys of the formal names a given-name token may stand for (Chepe -> José), a
    nickname mistyped by one letter too ("Chepd", not a name of its own)."""
    folded = fold(token).strip(".")
    formals = _nickname_table().get(folded) or _mistyped_nickname(folded) or (folded,)
    return tuple(sorted({spanish_phonetic(f) for f in formals}))


_MARRIED = re.compile(r"^(?:(?P<own>.*\S)\s+)?de\s+(?P<spouse>(?:la\s+|las\s+|los\s+|del\s+)?\S+)$")
_PARTICLES = {"de", "del", "la", "las", "los", "y"}
# Surnames that start with "de" and are no married name.
COMPOUND_SURNAMES = {fold(s) for s, _ in NAMES["surnames"]["spanish"] if fold(s).startswith("de")} | {
    "de la cruz",
    "de la rosa",
    "de jesus",
    "de los santos",
    "de la o",
    "de la paz",
}


def split_married(surname: str) -> tuple[str, str]:
    """'lopez de perez' -> ('lopez', 'perez'); 'de perez' -> ('', 'perez'); 'de leon' is a surname.

    A married woman may add "de" and her husband's surname after her own ("María López de
    Pérez"), in either surname field. What comes before "de" is her own surname.
    """
    if surname in COMPOUND_SURNAMES:
        return surname, ""
    match = _MARRIED.match(surname)
    if not match or (match["own"] or "") in _PARTICLES or surname.endswith(tuple(COMPOUND_SURNAMES)):
        return surname, ""
    return match["own"] or "", match["spouse"]


def key_mask(keys) -> int:
    """A 63-bit fingerprint of a set of keys: two sets can share a key only if their masks share a
    bit, a test far cheaper than comparing lists (the model runs it first, on every pair)."""
    mask = 0
    for key in keys:
        mask |= 1 << (zlib.crc32(key.encode()) % 63)
    return mask


def given_features(given_names: str) -> dict:
    tokens = [t.strip(".") for word in given_names.split() for t in _fold(word).split() if t.strip(".")]
    if not tokens:
        return dict.fromkeys(
            ("given", "given1", "given1_canon", "given_canon", "given_key", "given1_mask", "given_mask")
        )
    first = canonical_given(tokens[0])
    every = sorted({key for token in tokens for key in canonical_given(token)})
    return {
        "given": " ".join(tokens),
        "given1": tokens[0],
        "given1_canon": list(first),
        "given_canon": every,
        "given_key": first[0],
        "given1_mask": key_mask(first),
        "given_mask": key_mask(every),
    }


@cache
def _fold(text: str) -> str:
    """fold() once per distinct word or surname: a registry repeats them endlessly."""
    return fold(text)


@cache
def _own_and_married(surname: str) -> tuple[str, str]:
    return split_married(_fold(surname))


def surname_features(first_surname: str, second_surname: str) -> dict:
    first, married_first = _own_and_married(first_surname)
    second, married_second = _own_and_married(second_surname)
    if not first and second:
        first, second = second, ""
    if not second and not married_first:
        # Both surnames typed in the first field: "López García".
        words = first.split()
        if len(words) == 2 and not _PARTICLES & set(words):
            first, second = words
    first_key, second_key = spanish_phonetic(first), spanish_phonetic(second)
    pair = sorted(k for k in (first_key, second_key) if k)
    return {
        "fs": first or None,
        "ss": second or None,
        "married": married_first or married_second or None,
        "fs_ph": first_key or None,
        "ss_ph": second_key or None,
        "surname_pair": " ".join(pair) or None,
        "surnames": " ".join(s for s in (first, second) if s) or None,
    }
