"""Stage 3 of the coder: score the occupations for a text.

A document's score for a text is how much of the document the text covers, times how much of the
text the document explains; an occupation's score is that of its best document, with a little
extra when a task or tool agrees with it. These raw scores rank the occupations; what they mean
(how often the first is right) is the calibration's business (`calibrate.py`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from incluye.skills.coder.index import Index, slip
from incluye.skills.coder.normalize import SHORT, features

# How much a document that covers only part of the text is worth (the rest scales with the part).
EXPLAINED_BASE = 0.5
# How much what the occupation's other documents explain of the text adds to its score.
OCCUPATION_BONUS = 0.3
# What a document that says exactly what the person typed gains over one that only shares stems.
EXACT_BONUS = 0.02
# Documents looked at per text, best first: one in 80 of the index, and at least 200. The agreeing
# tasks and tools that give an occupation its bonus must stay within reach when O*NET's 80 000
# documents are imported beside the bundle's 16 000 (200 of them then left out the tasks of
# the order picker for "pickeando órdenes con el radio", and a tie with the farmworkers' "picker"
# went the other way).
TOP_DOCUMENTS = 200
DOCUMENTS_PER_LOOK = 80
# What an imported one-word title (`Index.one_word_title`) weighs when the text shares only its
# stem, not the word.
STEM_ONLY_TITLE = 0.9
# Occupations kept per text for the calibration and the answer.
CANDIDATES = 20


@dataclass
class Candidate:
    occupation: int  # index into the coder's occupations
    score: float  # raw, 0–1.15
    covered: float  # how much of the best document the text covers
    explained: float  # how much of the text the best document explains
    documents: list[int]  # the best document first, then those that agree with it
    in_language: dict[str, int] = field(default_factory=dict)  # the best document in each language
    role: str = ""  # "helper" or "supervisor" when a role word of the text moved it first
    moved_from: int = -1  # the trade (occupation) a role or a place moved it first from


@dataclass
class Analysis:
    """A text as the coder understood it, and the occupations it points to."""

    text: str
    words: int  # meaningful words (after filler and non-occupations are removed)
    known: int  # words the index knows as they are
    corrected: int  # words corrected from a typo
    unknown: int  # words the index does not know at all
    candidates: list[Candidate]
    life: int = 0  # words about life rather than work ("hijos", "triste")
    tokens: list[tuple[str, str]] = field(default_factory=list)  # (stem, word as typed)
    features: set[str] = field(default_factory=set)  # the text's features the index knows
    typed: dict[str, list[str]] | None = None  # feature -> the words as typed (when needed)
    guessed: frozenset[str] = frozenset()  # stems the text has only through a typo fix ("sourt": "sort")


def analyse(index: Index, text: str, *, limit: int = CANDIDATES) -> Analysis:
    weighted, known, corrected, unknown, life = index.query_tokens(text)
    tokens = [(stemmed, typed) for stemmed, typed, _weight in weighted]
    words = [stemmed for stemmed, _typed in tokens]
    analysis = Analysis(text, len(words) + unknown, known, corrected, unknown, [], life=life)
    # Each feature's weight in the text: a word of the place of work counts less (a pair, as its
    # weaker word); a feature said twice, as its strongest.
    feature_weights: dict[str, float] = {}
    for position, (stem_a, _typed, weight_a) in enumerate(weighted):
        if len(stem_a) > SHORT:
            feature_weights[stem_a] = max(feature_weights.get(stem_a, 0.0), weight_a)
        if position + 1 < len(weighted):
            stem_b, _typed, weight_b = weighted[position + 1]
            pair = f"{stem_a}_{stem_b}"
            feature_weights[pair] = max(feature_weights.get(pair, 0.0), min(weight_a, weight_b))
    query_features = [f for f in feature_weights if f in index.vocabulary]
    columns = [index.vocabulary[f] for f in query_features]
    analysis.tokens = tokens
    analysis.features = set(query_features)
    analysis.guessed = guessed_stems(index, weighted)
    if not columns:
        return analysis
    emphasis = np.array([feature_weights[f] for f in query_features])
    query = (index.idf[columns] * index.pair_weight[columns] * emphasis) ** 2
    query /= query.sum()
    spans = [slice(index.indptr[c], index.indptr[c + 1]) for c in columns]
    lengths = [span.stop - span.start for span in spans]
    rows = np.concatenate([index.rows[span] for span in spans])
    doc_cover = np.concatenate([index.weights[span] for span in spans])
    query_cover = np.repeat(query, lengths)
    # Which of the text's features each matching document shares, as bits (the first 50 features).
    column_bits = np.exp2(np.arange(len(columns), dtype=np.float64))
    column_bits[50:] = 0.0
    bits = np.repeat(column_bits, lengths)
    docs, inverse = np.unique(rows, return_inverse=True)
    shared_bits = np.bincount(inverse, weights=bits).astype(np.int64)
    covered = np.bincount(inverse, weights=doc_cover)
    explained = np.bincount(inverse, weights=query_cover)
    # The share of each document's (and of the text's) weight that matched, as a vector norm.
    covered = np.sqrt(np.minimum(covered, 1.0))
    explained = np.sqrt(np.minimum(explained, 1.0))
    scores = covered * (EXPLAINED_BASE + (1 - EXPLAINED_BASE) * explained) * index.doc_weight[docs]
    top = np.argsort(-scores, kind="stable")[: max(TOP_DOCUMENTS, len(index.documents) // DOCUMENTS_PER_LOOK)]
    scores = scores[top]
    said = tuple(typed for _stem, typed in tokens)
    # An imported one-word title the text reaches only through the stem it shares with another
    # word ("Farmer" for "Sanderson Farms", "Planter" for "una planta", "Taper" for "tapaba"):
    # the text covers it whole, but does not say it.
    words_said = set(said)
    stem_only = [
        i
        for i in np.nonzero(index.one_word_title[docs[top]])[0].tolist()
        if not words_said.intersection(index.document_words(int(docs[top[i]])))
    ]
    if stem_only:
        scores[stem_only] *= STEM_ONLY_TITLE
        order = np.argsort(-scores, kind="stable")
        top, scores = top[order], scores[order]
    # A document that says exactly what the person typed ("peluquera", not "peluquero": the stems
    # are one) wins a tie; only a document the text covers whole can.
    whole = np.nonzero(covered[top] > 0.999)[0]
    if len(whole):
        exact = [i for i in whole.tolist() if index.document_words(int(docs[top[i]])) == said]
        if exact:
            scores[exact] += EXACT_BONUS
            order = np.argsort(-scores, kind="stable")
            top, scores = top[order], scores[order]
    # The first `limit` occupations, best document first; only their documents are looked at.
    occupations = index.doc_occupation[docs[top]]
    _found, first, which = np.unique(occupations, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    picked = np.nonzero(rank[which] < limit)[0]
    top, scores, occupations = top[picked], scores[picked], occupations[picked]
    # What the text's features the documents of each occupation share, together (as bits).
    together: dict[int, int] = {}
    if OCCUPATION_BONUS:
        for occupation, shared in zip(occupations.tolist(), shared_bits[top].tolist(), strict=True):
            together[occupation] = together.get(occupation, 0) | shared
    # The best document per occupation; a task or tool that agrees with it adds a little.
    best: dict[int, Candidate] = {}
    kinds, languages = index.doc_kind, index.doc_language
    for doc, score, occupation, cover, explain in zip(
        docs[top].tolist(),
        scores.tolist(),
        occupations.tolist(),
        covered[top].tolist(),
        explained[top].tolist(),
        strict=True,
    ):
        candidate = best.get(occupation)
        if candidate is None:
            best[occupation] = Candidate(occupation, score, cover, explain, [doc], {languages[doc]: doc})
            continue
        candidate.in_language.setdefault(languages[doc], doc)
        if len(candidate.documents) < 3 and kinds[doc] not in {kinds[d] for d in candidate.documents}:
            candidate.score += 0.15 * score
            candidate.documents.append(doc)
    # What the occupation's documents explain of the text together, beyond its best document
    # ("jornalero en el campo": a farm task says "campo"), adds to its score.
    if OCCUPATION_BONUS:
        weights = [(1 << j, w) for j, w in enumerate(query[:50].tolist())]
        for candidate in best.values():
            mask = together[candidate.occupation]
            explained_together = math.sqrt(min(sum(w for bit, w in weights if mask & bit), 1.0))
            candidate.score += OCCUPATION_BONUS * max(explained_together - candidate.explained, 0.0)
    analysis.candidates = sorted(best.values(), key=lambda c: -c.score)
    # A role ("ayudante de", "foreman") or a place ("en la carretera") said around the trade.
    if index.context is not None:
        analysis.candidates = index.context.adjust(
            analysis.candidates,
            index.soc_of,
            index.by_soc,
            text,
            lambda candidate: shared_features(index, analysis, candidate),
            lambda words: features(index.normalizer.words(words)),
        )
    return analysis


def guessed_stems(index: Index, weighted: list[tuple[str, str, float]]) -> frozenset[str]:
    """The stems the text reaches only by a fix that is no common slip of the fingers: a made-up
    word a letter from a real one ("shain": "stain", a letter changed for one far from it on the
    keyboard) is weak evidence, where "plommero", "weldr" or "soldadro" (a letter doubled,
    dropped or swapped) are typos of a title."""
    normalizer = index.normalizer
    said: dict[str, list[str]] = {}
    for _stem, typed, _weight in weighted:
        said.setdefault(typed, normalizer._stems.get(typed) or normalizer._word(typed))
    typed_stems = {s for stems in said.values() for s in stems}
    return frozenset(
        stemmed
        for stemmed, typed, _weight in weighted
        if " " not in typed
        and stemmed not in typed_stems
        and not any(slip(own, stemmed) for own in said[typed] or [typed])
    )


def shared_features(index: Index, analysis: Analysis, candidate: Candidate) -> set[str]:
    """The text's features (stems and pairs of stems) that the candidate's best document shares."""
    return analysis.features & index.document_features(candidate.documents[0])


def matched_words(index: Index, analysis: Analysis, document: int) -> list[str]:
    """The words of the text, as typed, that the document shares with it."""
    typed = typed_words(analysis)
    shared = index.document_features(document)
    out: list[str] = []
    for feature, words in typed.items():
        if feature in shared:
            out += [w for w in words if w not in out]
    return out


def typed_words(analysis: Analysis) -> dict[str, list[str]]:
    """For each feature of the text, the words as typed that make it (computed once per text)."""
    if analysis.typed is None:
        analysis.typed = _typed_words(analysis.tokens)
    return analysis.typed


def _typed_words(tokens: list[tuple[str, str]]) -> dict[str, list[str]]:
    """For each feature (a stem or a pair of stems), the words as typed that make it, in order."""
    typed: dict[str, list[str]] = {}
    for (stem_a, typed_a), (stem_b, typed_b) in zip(tokens, [*tokens[1:], ("", "")], strict=True):
        entry = typed.setdefault(stem_a, [])
        if typed_a not in entry:
            entry.append(typed_a)
        if stem_b:
            typed.setdefault(f"{stem_a}_{stem_b}", [typed_a, typed_b])
    return typed
