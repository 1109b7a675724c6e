"""Stage 2 of the coder: the index of what each occupation is called and does.

Every title, colloquial name, task and tool of every occupation is a small document of words and
word pairs weighted by TF-IDF, kept column by column (a CSC matrix in NumPy arrays) so a text's
words pick out the documents that share them. A word is as rare as the occupations that use it, not
its documents: with O*NET imported, one occupation's twenty task statements that all say "drywall"
must not make "drywall" a common word. Titles written for returnees (the bundled taxonomy)
weigh a little more than the long tail of official alternate titles, so "cook" means a restaurant
cook before a ship's cook. A word the index does not know is corrected to the closest known word
(one edit, or two for long words, same first letter), so "carpitero" meets "carpintero".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from incluye.skills.coder.context import Context
from incluye.skills.coder.normalize import SHORT, Normalizer, feature_weight, features

# How much each kind of document counts, and how much a source's titles count. An employer named
# instead of a job ("en la Tyson") is a clue to the jobs people hold there, weaker than a title.
KIND_WEIGHT = {"title": 1.0, "task": 0.55, "tool": 0.5, "employer": 0.8}
SOURCE_WEIGHT = {"bundled": 1.0, "onet": 0.88, "esco": 0.85, "isco": 0.8}
# The imported sources whose one-word titles ("Wrapper", "Planter", "Farmer") are told apart: a
# text covers such a title whole as soon as it shares the word's stem.
ONE_WORD_SOURCES = frozenset({"onet"})


@dataclass(frozen=True)
class Document:
    occupation: int  # index into the coder's occupations
    kind: str  # title, task, tool or employer
    text: str
    source: str
    language: str = ""  # "es", "en", or "" when unknown
    weight: float = 1.0  # within its kind and source (an employer's likeliest job first)


_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_AT = {
    key: (row, column + row / 2) for row, keys in enumerate(_KEYBOARD) for column, key in enumerate(keys)
}
_SAME_SOUND = ("scz", "bv", "yi", "jg", "kcq")


def _near(a: str, b: str) -> bool:
    """Two letters a slip of the finger or of spelling confuses: neighbouring keys, or letters
    that sound alike in Spanish or English ("s", "c", "z"; "b", "v")."""
    if any(a in group and b in group for group in _SAME_SOUND):
        return True
    (row_a, x_a), (row_b, x_b) = _KEY_AT.get(a, (9, 0.0)), _KEY_AT.get(b, (9, 9.0))
    return abs(row_a - row_b) <= 1 and abs(x_a - x_b) <= 1


def slip(typed: str, word: str) -> bool:
    """Whether `typed` is a common slip for `word`: letters dropped, a letter doubled, two
    neighbours swapped, a letter near on the keyboard or of the same sound, or a leftover ending."""
    if typed == word:
        return True
    if len(typed) == len(word):
        diff = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        if (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and typed[diff[0]] == word[diff[1]]
            and typed[diff[1]] == word[diff[0]]
        ):
            return True
    ops = Levenshtein.editops(typed, word)
    trailing = len(typed)
    for op in reversed(ops):  # a leftover ending the stemmer did not cut ("soldadro": "soldad")
        if op.tag != "delete" or op.src_pos != trailing - 1:
            break
        trailing -= 1
    for op in ops:
        if op.tag == "insert":  # a letter dropped
            continue
        if op.tag == "delete":
            at = op.src_pos
            doubled = (at > 0 and typed[at - 1] == typed[at]) or (
                at + 1 < len(typed) and typed[at + 1] == typed[at]
            )
            if doubled or at >= trailing:
                continue
            return False
        if not _near(typed[op.src_pos], word[op.dest_pos]):
            return False
    return True


class Index:
    """The documents of every occupation, ready to be scored against a text."""

    def __init__(
        self,
        occupations: list[dict],
        documents: list[Document],
        normalizer: Normalizer,
        context: Context | None = None,
    ):
        self.occupations = occupations
        # The roles and places that reorder a trade's occupations (none for a hand-made index).
        self.context = context
        self.by_soc: dict[str, int] = {}
        for number, occupation in enumerate(occupations):
            self.by_soc.setdefault(occupation["code"][:7], number)
        self.normalizer = normalizer
        self.documents = documents
        n = len(documents)
        # (document, feature) pairs, then counts, document frequencies and weights in NumPy.
        self.vocabulary: dict[str, int] = {}
        vocabulary_id = self.vocabulary.setdefault
        doc_ids, feature_ids = [], []
        seen_texts: dict[str, list[int]] = {}
        # The imported titles of one word (one feature), see ONE_WORD_SOURCES.
        self.one_word_title = np.zeros(len(documents), dtype=bool)
        for number, document in enumerate(documents):
            ids = seen_texts.get(document.text)
            if ids is None:
                ids = seen_texts[document.text] = [
                    vocabulary_id(f, len(self.vocabulary)) for f in features(normalizer.words(document.text))
                ]
            doc_ids.extend([number] * len(ids))
            feature_ids.extend(ids)
            if len(ids) == 1 and document.kind == "title" and document.source in ONE_WORD_SOURCES:
                self.one_word_title[number] = True
        size = max(len(self.vocabulary), 1)
        pairs = np.array(doc_ids, dtype=np.int64) * size + np.array(feature_ids, dtype=np.int64)
        pairs, counts = np.unique(pairs, return_counts=True)
        docs, feats = (pairs // size).astype(np.int32), (pairs % size).astype(np.int32)
        df = np.bincount(feats, minlength=len(self.vocabulary))
        self.doc_occupation = np.fromiter((d.occupation for d in documents), dtype=np.int32, count=n)
        # The IDF counts the occupations that use a feature, not its documents (see above).
        by_occupation = np.unique(self.doc_occupation[docs].astype(np.int64) * size + feats)
        occupations_using = np.bincount(by_occupation % size, minlength=len(self.vocabulary))
        self.idf = np.log((len(occupations) + 1) / (occupations_using + 1)) + 1.0
        self.pair_weight = np.array([feature_weight(f) for f in self.vocabulary])
        weights = counts * self.pair_weight[feats] * self.idf[feats]
        norms = np.sqrt(np.bincount(docs, weights=weights**2, minlength=n))
        # Each document's squared, normalized TF-IDF weights, column by column (a CSC matrix).
        order = np.argsort(feats, kind="stable")
        self.rows = docs[order]
        self.weights = ((weights / np.where(norms[docs] > 0, norms[docs], 1)) ** 2)[order]
        self.indptr = np.concatenate([[0], np.cumsum(df)])
        self.doc_kind = [d.kind for d in documents]
        self.doc_language = [d.language for d in documents]
        self.doc_weight = np.fromiter(
            (KIND_WEIGHT[d.kind] * SOURCE_WEIGHT.get(d.source, 0.85) * d.weight for d in documents),
            dtype=np.float64,
            count=n,
        )
        # Known words by first letter and length, for the typo fix; short words seen in pairs.
        self._known: dict[tuple[str, int], list[str]] = defaultdict(list)
        self.short_words: set[str] = set()
        for word in self.vocabulary:
            if "_" not in word and len(word) >= 4:
                self._known[word[0], len(word)].append(word)
            elif "_" in word:
                self.short_words.update(part for part in word.split("_") if len(part) <= SHORT)
        self._correct = lru_cache(maxsize=50_000)(self._closest)
        self._split = lru_cache(maxsize=50_000)(self._split_word)
        self._document_features: dict[int, frozenset[str]] = {}
        self._document_words: dict[int, tuple[str, ...]] = {}
        # How much of the index comes from the official O*NET tables rather than the bundle: the
        # calibration depends on it (a larger index answers more, and more loosely).
        self.official_share = float(np.mean([d.source != "bundled" for d in documents])) if documents else 0.0

    def soc_of(self, occupation: int) -> str:
        return self.occupations[occupation]["code"][:7]

    def document_features(self, document: int) -> frozenset[str]:
        """The features of one document (cached)."""
        found = self._document_features.get(document)
        if found is None:
            found = frozenset(features(self.normalizer.words(self.documents[document].text)))
            if len(self._document_features) > 100_000:
                self._document_features.clear()
            self._document_features[document] = found
        return found

    def document_words(self, document: int) -> tuple[str, ...]:
        """The meaningful words of one document as written (folded), cached."""
        found = self._document_words.get(document)
        if found is None:
            found = tuple(typed for _stem, typed in self.normalizer.tokens(self.documents[document].text))
            if len(self._document_words) > 100_000:
                self._document_words.clear()
            self._document_words[document] = found
        return found

    def _closest(self, word: str) -> str | None:
        """The known word one edit away (two, for long words), with the same first letter."""
        if len(word) < 5:
            return None
        limit = 1 if len(word) < 9 else 2
        best = None
        for length in range(len(word) - limit, len(word) + limit + 1):
            found = process.extractOne(
                word, self._known.get((word[0], length), ()), scorer=Levenshtein.distance, score_cutoff=limit
            )
            if found and (best is None or found[1] < best[1]):
                best = found
        return best[0] if best else None

    def query_tokens(self, text: str) -> tuple[list[tuple[str, str, float]], int, int, int, int]:
        """The text's words as the index knows them: (stem, word as typed, weight), and how many
        were known as they are, corrected from a typo, or unknown (and dropped), and how many are
        words about life rather than work (never corrected: "siento" is no typo of "sentaba")."""
        out, known, corrected, unknown, life = [], 0, 0, 0, 0
        guesses: list[int] = []  # fixes that are no common slip ("shain": "stain")
        life_words = self.normalizer.life_words
        said = self.normalizer.weighted_tokens(self.normalizer.without_non_occupations(text))
        position = 0
        while position < len(said):
            stemmed, typed, weight = said[position]
            position += 1
            # Two words that the index knows as one ("bus boy": "busboy").
            if position < len(said) and said[position][1] != typed:
                joined = self._joined(typed, said[position][1])
                if joined:
                    known += 1
                    out.append((joined, f"{typed} {said[position][1]}", min(weight, said[position][2])))
                    position += 1
                    continue
            if typed in life_words:
                life += 1
                if stemmed in self.vocabulary:
                    known += 1
                    out.append((stemmed, typed, weight))
                else:
                    unknown += 1
                continue
            if len(stemmed) <= SHORT:
                if stemmed in self.short_words:  # only ever part of a pair ("tv technician")
                    out.append((stemmed, typed, weight))
                continue
            if stemmed in self.vocabulary:
                known += 1
                out.append((stemmed, typed, weight))
                continue
            fixed = self._correct(stemmed)
            if fixed:
                corrected += 1
                out.append((fixed, typed, weight))
                if not slip(stemmed, fixed):
                    guesses.append(len(out) - 1)
                continue
            # One word that the index knows as two ("linecook": "line cook").
            parts = self._split(typed)
            if parts:
                corrected += 1
                out.extend((part, typed, weight) for part in parts)
            else:
                unknown += 1
        # A made-up word a letter from a real one, in a text where nothing else is known (not a
        # word as typed, not a slip of the fingers), is no evidence of anything: it is unknown.
        if guesses and not known and len(guesses) == corrected:
            out = [token for i, token in enumerate(out) if i not in set(guesses)]
            unknown, corrected = unknown + len(guesses), 0
        return out, known, corrected, unknown, life

    def _joined(self, first: str, second: str) -> str | None:
        """The known word two typed words make together, if they make one."""
        if len(first) + len(second) < 6:
            return None
        stems = self.normalizer._word(first + second)
        return (
            stems[0]
            if len(stems) == 1 and len(stems[0]) > SHORT + 2 and stems[0] in self.vocabulary
            else None
        )

    def _split_word(self, word: str) -> tuple[str, str] | None:
        """Two known words (of three letters or more) that a run-together word is made of."""
        if len(word) < 7:
            return None
        for cut in sorted(range(3, len(word) - 2), key=lambda c: abs(len(word) / 2 - c)):
            first, second = self.normalizer._word(word[:cut]), self.normalizer._word(word[cut:])
            if (
                len(first) == len(second) == 1
                and first[0] in self.vocabulary
                and second[0] in self.vocabulary
                and f"{first[0]}_{second[0]}" in self.vocabulary  # and the index knows them together
            ):
                return first[0], second[0]
        return None
