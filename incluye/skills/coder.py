"""The occupation coder: free text as a returnee says it ("trabajé 6 años de framer en Houston",
"line cook", "hacía tablaroca", "montacarguista en bodega") → ranked O*NET-SOC occupations, each with
a confidence and the reasons (the title, task or tool that matched).

How it works, in short:

* Text is folded (case, accents, ñ), split into words, filler words are dropped, Spanglish and
  regional words are mapped to a canonical word (``data/taxonomy/spelling.json``), and each word is
  cut to a light stem (plurals, gender) so "cocineras" meets "cocinero".
* A word the index does not know is corrected to the closest known word (Levenshtein distance 1,
  or 2 for long words), so "carpitero" meets "carpintero".
* Every title, colloquial name, task and tool of every occupation is a small document of words
  and word pairs weighted by TF-IDF. A document's score for a text is how much of the document the
  text covers, times how much of the text the document explains; an occupation's score is that of
  its best document, with a little extra when a task or tool agrees with the title.
* Titles written for returnees (the bundled taxonomy) weigh a little more than the long tail of
  official alternate titles, so "cook" means a restaurant cook before a ship's cook.

The index is built from the database (the bundled taxonomy plus whatever official distribution
was imported); nothing is downloaded. Build time for the full O*NET set is about a second.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from incluye.core.text import fold, pick_language

# Below this, the coder answers "no confident match" instead of a code.
CONFIDENT = 0.40
# How much a document that covers only part of the text is worth (the rest scales with the part).
EXPLAINED_BASE = 0.7
# A word pair ("line cook") counts this much relative to a single word.
PAIR_WEIGHT = 0.6
# How much each kind of document counts, and how much a source's titles count.
KIND_WEIGHT = {"title": 1.0, "task": 0.55, "tool": 0.5}
SOURCE_WEIGHT = {"bundled": 1.0, "onet": 0.88, "esco": 0.85, "isco": 0.8}

_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Reason:
    kind: str  # title, task or tool
    text: str


@dataclass
class Match:
    occupation_id: int
    code: str
    soc: str
    isco: str
    title_es: str
    title_en: str
    confidence: float
    reasons: list[Reason] = field(default_factory=list)

    @property
    def title(self) -> str:
        return pick_language({"es": self.title_es, "en": self.title_en})


@dataclass(frozen=True)
class Document:
    occupation: int  # index into Coder.occupations
    kind: str
    text: str
    source: str


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


class Normalizer:
    def __init__(self, spelling: dict[str, str], stopwords: set[str], non_occupations=()):
        self.spelling = {fold(k): fold(v) for k, v in spelling.items()}
        self.stopwords = {fold(w) for w in stopwords}
        self._stems: dict[str, str | None] = {}
        phrases = sorted({fold(p) for p in non_occupations}, key=len, reverse=True)
        self._non_occupation = (
            re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b") if phrases else None
        )

    def without_non_occupations(self, text: str) -> str:
        """What people say that means "no occupation" ("ama de casa", "de todo un poco") is removed."""
        folded = fast_fold(text)
        return self._non_occupation.sub(" ", folded) if self._non_occupation else folded

    def _word(self, word: str) -> list[str]:
        out = []
        for part in self.spelling.get(word, word).split():
            if len(part) >= 2 and part not in self.stopwords:
                out.append(stem(part))
        return out

    def words(self, text: str) -> list[str]:
        out = []
        for word in _WORD.findall(fast_fold(text)):
            cached = self._stems.get(word)
            if cached is None:
                cached = self._stems[word] = self._word(word)
            out.extend(cached)
        return out


def features(words: list[str]) -> list[str]:
    return [*words, *(f"{a}_{b}" for a, b in pairwise(words))]


def feature_weight(feature: str) -> float:
    return PAIR_WEIGHT if "_" in feature else 1.0


class Coder:
    def __init__(self, occupations: list[dict], documents: list[Document], normalizer: Normalizer):
        self.occupations = occupations
        self.normalizer = normalizer
        self.documents = documents
        n = len(documents)
        # (document, feature) pairs, then counts, document frequencies and weights in NumPy.
        self.vocabulary: dict[str, int] = {}
        vocabulary_id = self.vocabulary.setdefault
        doc_ids, feature_ids = [], []
        seen_texts: dict[str, list[int]] = {}
        for number, document in enumerate(documents):
            ids = seen_texts.get(document.text)
            if ids is None:
                ids = seen_texts[document.text] = [
                    vocabulary_id(f, len(self.vocabulary)) for f in features(normalizer.words(document.text))
                ]
            doc_ids.extend([number] * len(ids))
            feature_ids.extend(ids)
        size = len(self.vocabulary)
        pairs = np.array(doc_ids, dtype=np.int64) * size + np.array(feature_ids, dtype=np.int64)
        pairs, counts = np.unique(pairs, return_counts=True)
        docs, feats = (pairs // size).astype(np.int32), (pairs % size).astype(np.int32)
        df = np.bincount(feats, minlength=size)
        self.idf = np.log((n + 1) / (df + 1)) + 1.0
        self.pair_weight = np.array([feature_weight(f) for f in self.vocabulary])
        weights = counts * self.pair_weight[feats] * self.idf[feats]
        norms = np.sqrt(np.bincount(docs, weights=weights**2, minlength=n))
        # Each document's squared, normalized TF-IDF weights, column by column (a CSC matrix).
        order = np.argsort(feats, kind="stable")
        self.rows = docs[order]
        self.weights = ((weights / norms[docs]) ** 2)[order]
        self.indptr = np.concatenate([[0], np.cumsum(df)])
        self.doc_occupation = np.fromiter((d.occupation for d in documents), dtype=np.int32, count=n)
        self.doc_weight = np.fromiter(
            (KIND_WEIGHT[d.kind] * SOURCE_WEIGHT.get(d.source, 0.85) for d in documents),
            dtype=np.float64,
            count=n,
        )
        # Known words by length, for the typo fix (a word is compared with words of close length).
        self._known: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word in self.vocabulary:
            if "_" not in word and len(word) >= 4:
                self._known[word[0], len(word)].append(word)
        self._correct = lru_cache(maxsize=50_000)(self._closest)

    # -- query -----------------------------------------------------------------------------------

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

    def query_words(self, text: str) -> list[str]:
        out = []
        for word in self.normalizer.words(self.normalizer.without_non_occupations(text)):
            if word not in self.vocabulary:
                word = self._correct(word)
            if word:
                out.append(word)
        return out

    def code(self, text: str, *, limit: int = 5) -> list[Match]:
        """The best occupations for the text, best first; empty when nothing is confident."""
        words = self.query_words(text)
        columns = [self.vocabulary[f] for f in dict.fromkeys(features(words)) if f in self.vocabulary]
        if not columns:
            return []
        query = (self.idf[columns] * self.pair_weight[columns]) ** 2
        query /= query.sum()
        spans = [slice(self.indptr[c], self.indptr[c + 1]) for c in columns]
        rows = np.concatenate([self.rows[span] for span in spans])
        doc_cover = np.concatenate([self.weights[span] for span in spans])
        query_cover = np.repeat(query, [span.stop - span.start for span in spans])
        docs, inverse = np.unique(rows, return_inverse=True)
        covered = np.bincount(inverse, weights=doc_cover)
        explained = np.bincount(inverse, weights=query_cover)
        # The share of each document's (and of the text's) weight that matched, as a vector norm.
        covered = np.sqrt(np.minimum(covered, 1.0))
        explained = np.sqrt(np.minimum(explained, 1.0))
        scores = covered * (EXPLAINED_BASE + (1 - EXPLAINED_BASE) * explained) * self.doc_weight[docs]
        order = np.argsort(-scores, kind="stable")
        docs, scores = docs[order], scores[order]
        occupations = self.doc_occupation[docs]
        # The best document per occupation; a task or tool that agrees with it adds a little.
        best: dict[int, list] = {}
        for doc, score, occupation in zip(docs[:400], scores[:400], occupations[:400], strict=False):
            entry = best.get(int(occupation))
            if entry is None:
                if len(best) >= limit * 4:
                    continue
                best[int(occupation)] = [float(score), [int(doc)]]
            elif len(entry[1]) < 3 and self.documents[doc].kind not in {
                self.documents[d].kind for d in entry[1]
            }:
                entry[0] += 0.15 * float(score)
                entry[1].append(int(doc))
        ranked = sorted(best.items(), key=lambda item: -item[1][0])[:limit]
        if not ranked or min(ranked[0][1][0], 1.0) < CONFIDENT:
            return []
        matches = []
        for occupation, (score, doc_numbers) in ranked:
            info = self.occupations[occupation]
            matches.append(
                Match(
                    occupation_id=info["id"],
                    code=info["code"],
                    soc=info["code"][:7],
                    isco=info["isco"],
                    title_es=info["title_es"],
                    title_en=info["title_en"],
                    confidence=round(min(score, 1.0), 3),
                    reasons=[Reason(self.documents[d].kind, self.documents[d].text) for d in doc_numbers],
                )
            )
        return matches

    def code_many(self, texts, *, limit: int = 5) -> list[list[Match]]:
        return [self.code(text, limit=limit) for text in texts]


# -- building from the database ------------------------------------------------------------------


def build_from_database() -> Coder:
    from incluye.skills.bundled import non_occupations, spelling
    from incluye.skills.models import Occupation, OccupationTask, OccupationTitle, OccupationTool, System

    occupations = list(
        Occupation.objects.filter(system=System.ONET)
        .order_by("code")
        .values("id", "code", "isco", "title_es", "title_en", "source")
    )
    index = {o["id"]: i for i, o in enumerate(occupations)}
    # Bundled occupations carry their preferred titles as title rows already.
    documents = [
        Document(index[o["id"]], "title", o["title_en"], o["source"])
        for o in occupations
        if o["source"] != "bundled" and o["title_en"]
    ]
    titles = OccupationTitle.objects.filter(occupation__system=System.ONET).values_list(
        "occupation_id", "title", "source"
    )
    documents += [Document(index[o], "title", t, s) for o, t, s in titles.iterator(chunk_size=20_000)]
    tasks = OccupationTask.objects.filter(occupation__system=System.ONET, core=True).values_list(
        "occupation_id", "text", "source"
    )
    documents += [Document(index[o], "task", t, s) for o, t, s in tasks.iterator(chunk_size=20_000)]
    tools = OccupationTool.objects.filter(occupation__system=System.ONET, source="bundled").values_list(
        "occupation_id", "name_es", "name_en", "source"
    )
    for o, name_es, name_en, s in tools:
        documents += [Document(index[o], "tool", name, s) for name in (name_es, name_en) if name]
    table = spelling()
    return Coder(
        occupations,
        documents,
        Normalizer(table["tokens"], set(table["stopwords"]), non_occupations()),
    )


_cached: dict[str, object] = {}


def get_coder() -> Coder:
    """The process's coder, rebuilt when the taxonomy changed (a new import or bundled load)."""
    from incluye.skills.models import TaxonomyImport

    stamp = TaxonomyImport.objects.order_by("-pk").values_list("pk", flat=True).first()
    if _cached.get("stamp") != stamp or "coder" not in _cached:
        _cached["coder"] = build_from_database()
        _cached["stamp"] = stamp
    return _cached["coder"]


def reset() -> None:
    _cached.clear()
