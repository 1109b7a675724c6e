"""Stage 1 of the search: names and queries as words.

Names are folded (no case, accents or ñ; apostrophes vanish: K'iche' -> kiche), particles ("de la",
"y") are dropped, and each word gets a rough Spanish pronunciation key. A query is parsed into
words that remember how they were typed: the last one is still being typed unless a space follows;
words after a married "de" may be missing from a woman's record; a single letter is an initial
("Erick Y. Guzmán": "Y." is not the particle "y"); a word written with a capital inside
("DaniaDelmy", "ÓscarmSantos") may be two words that lost their space.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from incluye.core.names import name_forms
from incluye.core.text import fold

PARTICLES = frozenset(
    {"de", "del", "la", "las", "los", "y", "e", "da", "das", "do", "dos", "van", "von", "der"}
)
MARRIED_PARTICLES = frozenset({"de", "del"})
# A lone "y" or "e" without a period is the conjunction of compound names ("Pérez y Pérez") more
# often than an initial: it is an initial that may be missing.
AMBIGUOUS_INITIALS = frozenset({"y", "e"})
_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHES = str.maketrans("", "", "'’`´")
# A typed word, the period after it (an initial's), and where a capital follows a small letter.
_TYPED = re.compile(r"([^\W_]+)(\.?)")
_CAMEL = re.compile(r"(?<=[^\W\d_])(?=[A-ZÁÉÍÓÚÜÑ])")


def words(text: str) -> list[str]:
    """Folded words: 'Núñez de León' -> ['nunez', 'de', 'leon']; apostrophes (K'iche') vanish."""
    return _WORD.findall(fold((text or "").translate(_APOSTROPHES)))


def name_tokens(text: str) -> list[str]:
    return [w for w in words(text) if w not in PARTICLES and not w.isdigit()]


_PHONETIC_RULES = [
    (re.compile(pattern), replacement)
    for pattern, replacement in [
        (r"ph", "f"),
        (r"ch", "C"),
        (r"ll", "y"),
        (r"qu", "k"),
        (r"q", "k"),
        (r"gu(?=[ei])", "G"),
        (r"g(?=[ei])", "j"),
        (r"c(?=[ei])", "s"),
        (r"c", "k"),
        (r"z", "s"),
        (r"v", "b"),
        (r"w", "u"),
        (r"y", "i"),
        (r"h", ""),
        (r"G", "g"),
        (r"C", "ch"),
        (r"(.)\1+", r"\1"),
    ]
]


def phonetic(token: str) -> str:
    """A rough Spanish pronunciation key: 'Gonsales' and 'González', 'Ybarra' and 'Ibarra' agree."""
    for pattern, replacement in _PHONETIC_RULES:
        token = pattern.sub(replacement, token)
    return token


def _load_nicknames() -> tuple[dict[str, frozenset[str]], dict[str, str], dict[tuple[str, str], str]]:
    """Folded form <-> folded names, both ways; the display spelling of each; and what kind of
    form each (form, name) pair is (the first section that names it)."""
    related: dict[str, set[str]] = defaultdict(set)
    display: dict[str, str] = {}
    kinds: dict[tuple[str, str], str] = {}
    for kind, name, form in name_forms():
        folded_name = fold(name)
        display[folded_name] = name
        folded_form = fold(form).translate(_APOSTROPHES)
        display.setdefault(folded_form, form)
        related[folded_form].add(folded_name)
        related[folded_name].add(folded_form)
        kinds.setdefault((folded_form, folded_name), kind)
        kinds.setdefault((folded_name, folded_form), kind)
    return {k: frozenset(v) for k, v in related.items()}, display, kinds


NICKNAMES, NAME_DISPLAY, NAME_FORM_KIND = _load_nicknames()
NICKNAMES_SORTED = sorted(NICKNAMES)

# Similarity (0–100) of a record's word to a query word, by how it was found.
SIM_EXACT, SIM_NICKNAME, SIM_PHONETIC, SIM_PREFIX, SIM_ONE_EDIT, SIM_TWO_EDITS = 100, 92, 90, 88, 80, 62
# Two steps at once, each as uncertain as alone: the start of a nickname being typed ("Che…" for
# Chepe: José) weighs less than the start of the word itself (Chen), and the start of a word typed
# with a typo ("Osh…" for Och-oa) less than either.
SIM_NICKNAME_PREFIX = SIM_NICKNAME * SIM_PREFIX // 100
SIM_PREFIX_TYPO = SIM_PREFIX * SIM_ONE_EDIT // 100
# A word that lost its space (or had one too many) and was put back together: nearly exact.
SIM_REPAIRED = 95
# An initial matching the first letter of a given name, or of a surname.
SIM_INITIAL_GIVEN, SIM_INITIAL_SURNAME = 75, 55


@dataclass
class QueryWord:
    text: str  # folded
    typed: str  # as typed, for the reasons
    optional: bool = False  # after a married "de": may be missing from a woman's record
    partial: bool = False  # the word being typed
    initial: bool = False  # a single letter: any word starting with it
    maybe: bool = False  # a lone "y" or "e": an initial, or the conjunction; may be missing
    camel: tuple[int, ...] = field(default=(), compare=False)  # where a capital followed a small letter
    repaired: str = ""  # "split" or "joined" when its spaces were put right
    particle: bool = False  # "de", "la", "y"…: dropped once the spaces are repaired


def parse_name_query(query: str) -> list[QueryWord]:
    """Words of a name query; those after "de"/"del" once a given name and a surname are typed
    are a married name (optional), a single letter is an initial, and the last word is being
    typed unless a space (or an initial's period) follows. Particles are kept, marked, until the
    spaces are repaired ("Do lores" is Dolores); `drop_particles` removes them."""
    text = (query or "").translate(_APOSTROPHES)
    found: list[tuple[str, str, bool]] = []  # (folded word, typed, followed by a period)
    for match in _TYPED.finditer(text):
        typed, period = match.group(1), bool(match.group(2))
        for word in words(typed):
            if not word.isdigit():
                found.append((word, typed, period))
    typing = bool(text) and not text[-1].isspace() and not text.endswith(".")
    result: list[QueryWord] = []
    optional = False
    for position, (word, typed, period) in enumerate(found):
        last = position == len(found) - 1
        # Two words typed before "de" (a word with a capital inside, "DinaÁvila", counts as two;
        # one typed in capitals, "TIUL", is one).
        typed_before = sum(1 + bool(w.camel and not w.typed.isupper()) for w in result if not w.particle)
        if word in MARRIED_PARTICLES and typed_before >= 2:
            optional = True
        if len(word) == 1 and word.isalpha() and (word not in AMBIGUOUS_INITIALS or period):
            result.append(QueryWord(word, typed, optional, partial=typing and last, initial=True))
            continue
        if word in AMBIGUOUS_INITIALS:  # a lone "y": the conjunction, or an initial
            result.append(QueryWord(word, typed, optional, initial=True, maybe=True))
            continue
        camel = tuple(m.start() for m in _CAMEL.finditer(typed)) if fold(typed) == word else ()
        result.append(
            QueryWord(word, typed, optional, typing and last, camel=camel, particle=word in PARTICLES)
        )
    return result[:12]


def drop_particles(query_words: list[QueryWord]) -> list[QueryWord]:
    return [w for w in query_words if not w.particle][:8]


# Particles that open a compound surname ("Del Cid", "De la Cruz", "De León"), longest first: a
# registry or an officer often writes them glued ("DelCid", "Delacruz").
GLUED_PARTICLES = ("delos", "delas", "dela", "del", "de", "los", "las", "la")


def glued_particle(word: str, vocabulary) -> str | None:
    """The surname after a particle glued to it ("delcid" -> "cid", "delacruz" -> "cruz"), or
    before one ("bautistadel" -> "bautista", in "Bautistadel Cid"), when the word itself is unknown
    and the rest is a known word of three letters or more."""
    for particle in GLUED_PARTICLES:
        for rest in (
            word[len(particle) :] if word.startswith(particle) else "",
            word[: -len(particle)] if word.endswith(particle) else "",
        ):
            if len(rest) >= 3 and vocabulary.knows(rest):
                return rest
    return None


def _commonness(token: str, vocabulary) -> int:
    """How many records carry the word, one pronounced the same, or a name it is a nickname of."""
    return max(
        vocabulary.frequency(token), *(vocabulary.frequency(name) for name in NICKNAMES.get(token, ())), 0
    )


def known_split(word: str, camel: tuple[int, ...], vocabulary) -> tuple[str, str] | None:
    """Two known words that `word` is made of, when a space was lost ("daniadelmy" -> dania +
    delmy) or typed as a letter ("oscarmsantos" -> oscar + santos). `vocabulary.knows(token)`
    says whether a word like it is known (spelling, sound, nickname); `vocabulary.near(token)`
    whether one is a typo away. A capital inside the typed word is the first guess; a plain cut
    comes before a stray letter, and a typo in one part is accepted last, where the other part is
    known or a capital marked the cut. Of several plain (or stray-letter) cuts into known words, the
    one whose rarer word is the commonest wins."""
    if len(word) < 6:
        return None
    cuts = list(dict.fromkeys([*camel, *range(3, len(word) - 2)]))
    plain = [(cut, word[:cut], word[cut:]) for cut in cuts]
    # The space typed as a letter: that letter ends the left part or starts the right one.
    stray = [
        (cut, a, b) for cut in cuts for a, b in ((word[: cut - 1], word[cut:]), (word[:cut], word[cut + 1 :]))
    ]
    maybe_typo = []
    for cuts_of_a_kind in (plain, stray):
        best, best_weight = None, 0
        for cut, a, b in cuts_of_a_kind:
            if len(a) < 3 or len(b) < 3:
                continue
            known_a, known_b = vocabulary.knows(a), vocabulary.knows(b)
            if known_a and known_b:
                # Of the cuts into two known words, the one whose rarer word is the commonest: a
                # registry's misspellings make odd words known ("jezu" + "sjuan"; "jezus" + "juan").
                weight = min(_commonness(a, vocabulary), _commonness(b, vocabulary)) + 1
                if weight > best_weight:
                    best, best_weight = (a, b), weight
            elif cut in camel or known_a or known_b:
                maybe_typo.append((a, b, known_a, known_b))
        if best:
            return best
    for a, b, known_a, known_b in maybe_typo[:8]:
        if (known_a or (len(a) >= 4 and vocabulary.near(a))) and (
            known_b or (len(b) >= 4 and vocabulary.near(b))
        ):
            return a, b
    return None


def _join_weight(word: QueryWord, following: QueryWord, vocabulary) -> int:
    """How strongly two neighbours ask to be one word with a space too many (0: they do not):
    together they are a known word (or one a typo away, when neither part is known or one is a
    fragment no known word is near), and apart at least one of them is unknown or far rarer than
    the whole ("Moral es" is Morales; "Rosa Linda" stays two names). The weight is how many
    records carry the whole word."""
    if (word.initial and not word.maybe) or following.initial or word.optional != following.optional:
        return 0
    whole = word.text + following.text
    if len(whole) < 4:
        return 0
    known_a = vocabulary.knows(word.text) and not word.particle and not word.initial
    known_b = vocabulary.knows(following.text) and not following.particle
    frequency = vocabulary.frequency
    if not vocabulary.knows(whole):
        if (known_a and known_b) or len(whole) < 6 or not vocabulary.near(whole):
            return 0
        if not known_a and not known_b:
            return 1
        # One part is a known word, perhaps only a registry's misspelling ("Carr"); the other a
        # fragment no word is near ("ilslo"): together, a typo of a known word ("Carrillo").
        fragment = following if known_a else word
        return 0 if fragment.particle or fragment.initial or vocabulary.near(fragment.text) else 1
    if known_a and known_b and min(frequency(word.text), frequency(following.text)) * 20 >= frequency(whole):
        return 0
    return max(frequency(whole), 1)


def repair_spaces(query_words: list[QueryWord], vocabulary) -> list[QueryWord]:
    """Put lost and extra spaces right, using what the vocabulary knows: neighbours that are one
    known word together are joined ("Guz mán", "Do lores"; where a fragment could go either way,
    the commoner whole word wins), then a word the vocabulary does not know (not even a typo away)
    that is two known words is split ("ÓscarmSantos"), or a particle glued to a known surname
    loses it ("DelCid"). Particles are dropped afterwards."""
    weights = [_join_weight(a, b, vocabulary) for a, b in pairwise(query_words)]
    joined_at: set[int] = set()
    for position in sorted(range(len(weights)), key=lambda p: -weights[p]):
        if weights[position] and not {position - 1, position + 1} & joined_at:
            joined_at.add(position)
    out: list[QueryWord] = []
    i = 0
    while i < len(query_words):
        word = query_words[i]
        if i in joined_at:
            following = query_words[i + 1]
            out.append(
                QueryWord(
                    word.text + following.text,
                    f"{word.typed} {following.typed}",
                    word.optional,
                    following.partial,
                    repaired="joined",
                )
            )
            i += 2
            continue
        if (
            not word.initial
            and not word.particle
            and not vocabulary.knows(word.text)
            and not vocabulary.near(word.text)
        ):
            rest = glued_particle(word.text, vocabulary)
            if rest:
                out.append(QueryWord(rest, word.typed, word.optional, word.partial, repaired="split"))
                i += 1
                continue
            parts = known_split(word.text, word.camel, vocabulary)
            if parts:
                left, right = parts
                out += [
                    QueryWord(left, word.typed, word.optional, repaired="split"),
                    QueryWord(right, word.typed, word.optional, word.partial, repaired="split"),
                ]
                i += 1
                continue
        out.append(word)
        i += 1
    return drop_particles(out)
