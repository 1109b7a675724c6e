"""Stage 1 of the coder: what people say, as words.

Text is folded (case, accents, ñ), split into words, filler words are dropped, Spanglish and
regional words are mapped to a canonical word (``data/taxonomy/spelling.json`` and the glossary,
``glossary.json``; a plural as its word), and each word is
cut to a light stem (plurals, gender, verb endings) so "cocineras" meets "cocinero". Each word
keeps the word as it was typed, so the reasons can quote the person's own words.

Words about a person's life rather than their work ("mis hijos", "me siento triste", "vivo en…")
are marked, so they are never taken for a typo of a job word and the calibration can count them.

Words of one or two letters ("pa", "ma", "ok") never count on their own: they match a title only
as part of a pair ("tv technician"), so "trabajé pa una compañía" is not a physician assistant.
A description naming several jobs is cut where it joins them ("hojalatero y pintor de carros").
"""

from __future__ import annotations

import re
from itertools import pairwise

from incluye.core.text import fold

_WORD = re.compile(r"[a-z]+")
_WORD_OR_BREAK = re.compile(r"[a-z]+|[,;:.()/]")
# Words that open the place of a job ("en un hotel", "at a warehouse"), and those that close it.
_PLACE_MARKERS = frozenset({"en", "at", "in"})
_JOIN_WORDS = frozenset({"y", "e", "and", "pero", "but", "luego", "then", "despues"})
# How much a word of the place counts beside a word of what the person did.
CONTEXT_WEIGHT = 0.7
# A word this short (or shorter) is no feature on its own, only in a pair.
SHORT = 2
# A word pair ("line cook") counts this much relative to a single word.
PAIR_WEIGHT = 0.6

# Verb and agent-noun endings (text is folded first, so no accents): "lavaba", "lavando", "lavar",
# "lavado" and "lavador" all become "lav"; "hacia"/"hacer", "hac"; "washing"/"washed", "wash";
# "roofer"/"roof". Applied the same way to the taxonomy and to what people say.
_VERB_ENDINGS = sorted(
    ["abamos", "aban", "aron", "ando", "iendo", "ieron", "ador", "edor", "idor", "ing", "aba", "ian",
     "ado", "ido", "ed", "ar", "er", "ir", "ia", "io"],
    key=len,
    reverse=True,
)  # fmt: skip


def stem(word: str) -> str:
    """A light stem shared by Spanish and English: plurals, gender and verb endings."""
    # "we" forms ("limpiábamos", "hacíamos") before plurals: their "s" is no plural.
    for ending in ("abamos", "iamos"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    if len(word) > 5 and word.endswith("ores"):
        word = word[:-2]
    elif len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 4 and not word.endswith("air"):
        for ending in _VERB_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                return word[: -len(ending)]
    if len(word) > 4 and word[-1] in "ao":
        word = word[:-1]
    return word


# Accented letters folded by a table (fast); anything else non-ASCII goes through `fold`.
_ACCENTS = str.maketrans("áéíóúüñàèìòùâêîôûäëïöç", "aeiouunaeiouaeiouaeioc")


def fast_fold(text: str) -> str:
    folded = (text or "").lower().translate(_ACCENTS)
    return folded if folded.isascii() else fold(folded)


# "Me llamo Sandra Zapata", "my name is Daniel Baker": the words after an introduction are a
# person's name, up to four of them (given names and two surnames) or the next break or join, and
# a surname is no trade ("Zapata" is no shoemaker, "Herrera" no blacksmith). The introduction goes
# too ("name" is no name-plate stamper). "Soy …" is not among them: "soy carpintero" names a trade.
_INTRODUCTION = re.compile(
    r"\b(?:me llamo|mi nombre es|my name is|me chamo|meu nome e)\b"
    r"(?:\s+(?!(?:y|e|and|pero|but)\b)[a-z]+){0,4}"
)
# A word with an apostrophe inside: the glottal stop of the Mayan languages ("nub'i'", "k'ab'a'",
# "ch'ool"), or an English contraction or possessive ("don't", "Mario's"), or a name such as
# "O'Reilly". Split at the apostrophe, a Mayan word leaves pieces that look like English or Spanish
# ("nub'i'": "nub", a nub card tender); the coder has no Mayan vocabulary, so such a word is
# dropped whole. Kept: one apostrophe after one letter ("o'reilly") or before an English ending.
_APOSTROPHE_WORD = re.compile(r"[a-z]+(?:['\u2019][a-z]+)+")
_ENGLISH_ENDINGS = frozenset({"s", "t", "m", "re", "ve", "ll", "d"})


# "Cuidaba a mis niños", "taking care of my mom": caring for one's own family is no paid job (as
# "ama de casa" is none); "cuidaba niños", "cuidaba a los niños de una señora" still name one.
_FAMILY = (
    r"(?:hij\w*|nin[oa]s?|bebes?|niet[oa]s?|patoj[oa]s?|cipot[ea]s?|chamac[oa]s?|mama|papa|madre|padre"
    r"|abuel\w*|espos[oa]|suegr[oa]|herman\w*|ti[oa]s?|prim[oa]s?|sobrin[oa]s?|cunad[oa]s?|familia|kids?"
    r"|children|child|sons?|daughters?|bab(?:y|ies)|mom|mother|dad|father|grand\w*|wife|husband|brothers?"
    r"|sisters?|uncles?|aunts?|cousins?|nephews?|nieces?|family)"
)
_OWN_FAMILY_CARE = re.compile(
    r"\b(?:cuid\w*|took care|taking care|take care|caring|cared|looked after|looking after)"
    r"\s+(?:a\s+|of\s+|for\s+)?(?:mis|mi|my|nuestr[oa]s?|our)\s+(?:[a-z]+\s+)?" + _FAMILY + r"\b"
)


# "No trabajé, estaba en la escuela", "never worked", "no era cocinero, era lavaplatos": a job said
# not to have been done is no answer. The negation, a word at most between (no "solo": "no solo
# cocinaba" adds a job), a verb of working or being, and what follows up to the next break or the
# word that turns it ("sino", "pero", "solo", "más que", "y"). "…, no en cocina" likewise.
_TURN = r"(?:sino|pero|but|solo|nomas|only|just|mas\s+que|excepto|except|y|e|and|luego|then|despues)"
_UP_TO_TURN = r"(?:(?!\s*(?:[,;.:()/]|\b" + _TURN + r"\b)).)*"  # up to the next break or turn
_NEGATED_WORK = re.compile(
    r"\b(?:no|nunca|jamas|never|didn't|didnt|did\s+not|don't|dont|do\s+not|wasn't|wasnt|was\s+not)\s+"
    r"(?:(?!(?:solo|nomas|nada\s+mas|only|just)\b)[a-z']+\s+)?"
    r"(?:trabaj\w*|labor\w*|era|fui|fue|hac\w*|hice|hizo|work\w*|was|did)\b"
    + _UP_TO_TURN
    + r"|\b(?:no|not)\s+(?:en|de|como|as|in|at|a|an)\s+"
    + _UP_TO_TURN
)
# Being at school is no job: "estaba en la escuela", "I was in school", "estudiaba high school".
# Working at a school still is ("trabajé de conserje en una escuela"): only attending is dropped.
_SCHOOL = r"(?:la\s+|el\s+|the\s+|una\s+|a\s+)?(?:escuela|colegio|high\s+school|school|prepa|secundaria|primaria|universidad|university|college|instituto)"
_STUDYING = re.compile(
    r"\b(?:estaba|estuve|iba|andaba|fui|asisti\w*|i\s+was|was|went|going)\s+(?:a\s+|en\s+|in\s+|to\s+|at\s+)"
    + _SCHOOL
    + r"\b|\b(?:estudiaba|estudiando|estudie|estudiar|estudiante|estudiantes|studying|studied|student|students)"
    r"(?:\s+(?:en\s+|in\s+|at\s+)?" + _SCHOOL + r")?\b"
)

# "Mi esposa limpiaba casas", "my brother was a welder": a relative's job is not the person's. A
# clause that starts with the relative and a verb of theirs is dropped up to the next break or
# turn. Kept: the person taking part ("mi tío me enseñó a soldar", "mi hermano y yo pintábamos"),
# what a relative had ("mi tío tenía una compañía de techos"), "…, y yo también".
_RELATIVE_AT_WORK = re.compile(
    r"(?:^|(?<=[,;.:])|\b(?:y|e|and|pero|but)\b)\s*(?:mi|mis|my|nuestr[oa]s?|our)\s+(?:[a-z]+\s+)?"
    + _FAMILY
    + r"\s+(?:(?:tambien|also|siempre|always|antes)\s+)?"
    r"(?!(?:tenia|tenian|tuvo|tiene|had|has|have|owned|owns)\b)"
    r"(?:era|eran|es|fue|trabaj\w*|[a-z]+aba|[a-z]+aban|[a-z]+ia|[a-z]+ian|was|were|is|works?|[a-z]+ed)\b"
    + "(?>"  # all the way to the break or turn, then look at what follows
    + _UP_TO_TURN
    + r")(?!\s*,?\s*(?:y|e|and)\s+(?:yo|i|me)\s+(?:tambien|igual|too|also)\b)"
)
_FIRST_PERSON = re.compile(r"\b(?:me|yo|nos|nosotros|i|we|us)\b")


def _unless_first_person(match: re.Match) -> str:
    """A relative's clause is dropped unless the person is in it."""
    return match.group(0) if _FIRST_PERSON.search(match.group(0)) else " . "


# A service used, not given: "pedía Uber", "took an uber to the doctor", "iba al doctor", "me
# cortaba el pelo con un barbero". Driving one ("manejaba Uber"), cutting others' hair ("les
# cortaba el pelo") and working at a hospital ("iba al hospital a limpiar") still name a job.
_PATIENT_AT = r"(?:doctor|medico|dentista|hospital|clinica|clinic|dentist)\b"
_CUSTOMER = re.compile(
    r"\b(?:pedi\w*|tom\w*|agarr\w*|llam\w*|took|take|takes|taking|called|call|calling|ordered|order"
    r"|rode|ride|rides|riding|caught|catch)\s+(?:(?:un|una|el|la|los|an|a|the|my|mi)\s+)?"
    r"(?:uber|lyft|taxi|taxis|cab|bus|buses|camion|camioneta|metro|tren|train|subway)\b"
    r"(?:\s+(?:para\s+ir\s+|to\s+go\s+)?(?:al|a\s+la|to\s+the|to)\s+" + _PATIENT_AT + r")?"
    r"|\b(?:iba|ibamos|fui|fuimos|voy|vamos|ir|went|go|goes|going)\s+(?:al|a\s+la|a|to\s+the|to\s+a|to)\s+"
    + _PATIENT_AT
    + r"|\b(?:me|nos)\s+cort\w*\s+(?:el\s+)?(?:pelo|cabello)\b"
    + _UP_TO_TURN
    + r"|\b(?:got|get|gets|getting)\s+(?:a\s+|my\s+)?haircuts?\b"
    + _UP_TO_TURN
)


def without_names(folded: str) -> str:
    """The text without a person's name after an introduction, the care of one's own family, a
    relative's job, a service used as a customer, a job said not to have been done, and school."""
    folded = _OWN_FAMILY_CARE.sub(" . ", _INTRODUCTION.sub(" . ", folded))
    folded = _CUSTOMER.sub(" . ", _RELATIVE_AT_WORK.sub(_unless_first_person, folded))
    return _STUDYING.sub(" . ", _NEGATED_WORK.sub(" . ", folded))


def _glottal(match: re.Match) -> str:
    parts = re.split(r"['\u2019]", match.group(0))
    if len(parts) == 2 and (len(parts[0]) == 1 or parts[1] in _ENGLISH_ENDINGS):
        return match.group(0)
    return " "


def without_glottal_words(folded: str) -> str:
    return _APOSTROPHE_WORD.sub(_glottal, folded) if "'" in folded or "\u2019" in folded else folded


class Normalizer:
    def __init__(self, spelling: dict[str, str], stopwords: set[str], non_occupations=(), life_words=()):
        self.spelling = {fold(k): fold(v) for k, v in spelling.items()}
        self.stopwords = {fold(w) for w in stopwords}
        # Words about life rather than work ("hijos", "triste", "vivo"), as folded.
        self.life_words = frozenset(fold(w) for w in life_words)
        self._stems: dict[str, list[str]] = {}
        phrases = sorted({fold(p) for p in non_occupations}, key=len, reverse=True)
        self._non_occupation = (
            re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b") if phrases else None
        )

    def without_non_occupations(self, text: str) -> str:
        """What people say that means "no occupation" ("ama de casa", "de todo un poco") is removed,
        and so are a person's name after an introduction, the care of one's own family and the
        words of a Mayan language."""
        folded = without_names(without_glottal_words(fast_fold(text)))
        return self._non_occupation.sub(" ", folded) if self._non_occupation else folded

    def _spelled(self, word: str) -> str:
        """The word the taxonomy knows for a word as said; a plural of a word in the table
        ("rufos", "trailers") is read as the word."""
        found = self.spelling.get(word)
        if found is None and len(word) > 4 and word.endswith("s"):
            found = self.spelling.get(word[:-1])
            if found is None and word.endswith("es"):
                found = self.spelling.get(word[:-2])
        return found or word

    def _word(self, word: str) -> list[str]:
        out = []
        for part in self._spelled(word).split():
            if len(part) >= 2 and part not in self.stopwords:
                out.append(stem(part))
        return out

    def tokens(self, text: str) -> list[tuple[str, str]]:
        """(stem, word as folded) for every meaningful word of the text."""
        out = []
        for word in _WORD.findall(fast_fold(text)):
            cached = self._stems.get(word)
            if cached is None:
                cached = self._stems[word] = self._word(word)
            out.extend((stemmed, word) for stemmed in cached)
        return out

    def weighted_tokens(self, text: str) -> list[tuple[str, str, float]]:
        """(stem, word as folded, weight): the words that say where the person worked ("en un
        hotel", "at a warehouse") weigh less than those that say what they did, up to the next
        comma or join ("supervisor de landscaping en un hotel": the hotel is the place)."""
        out = []
        weight = 1.0
        for match in _WORD_OR_BREAK.finditer(fast_fold(text)):
            word = match.group(0)
            if not word[0].isalpha():
                weight = 1.0
                continue
            if word in _JOIN_WORDS:
                weight = 1.0
            elif word in _PLACE_MARKERS:
                weight = CONTEXT_WEIGHT
            cached = self._stems.get(word)
            if cached is None:
                cached = self._stems[word] = self._word(word)
            out.extend((stemmed, word, weight) for stemmed in cached)
        return out

    def words(self, text: str) -> list[str]:
        return [stemmed for stemmed, _word in self.tokens(text)]


def features(words: list[str]) -> list[str]:
    """Single words (not the short ones) and neighbouring pairs."""
    return [*(w for w in words if len(w) > SHORT), *(f"{a}_{b}" for a, b in pairwise(words))]


def feature_weight(feature: str) -> float:
    return PAIR_WEIGHT if "_" in feature else 1.0


# Where a description joins two jobs: "y", "and", commas, slashes, "también", "luego", "después".
_JOINS = re.compile(
    r"\s*(?:[,;/+&]|\s(?:y|e|and|tambi[eé]n|luego|despu[eé]s|adem[aá]s|then|also)\s)\s*", re.IGNORECASE
)


def segments(text: str) -> list[str]:
    """The parts of a description that may each name a job, as typed."""
    return [part.strip() for part in _JOINS.split(f" {text or ''} ") if part and part.strip()]
