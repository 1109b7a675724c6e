"""Stage 3 of the coder: score the occupations for a text.

A document's score for a text is how much of the document the text covers, times how much of the
text the document explains; an occupation's score is that of its best document, with a little
extra when a task or tool agrees with it. These raw scores rank the occupations; what they mean
(how often the first is right) is the calibration's business (`calibrate.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from incluye.skills.coder.index import Index
from incluye.skills.coder.normalize import features

# How much a document that covers only part of the text is worth (the rest scales with the part).
EXPLAINED_BASE = 0.7
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


@dataclass
class Analysis:
    """A text as the coder understood it, and the occupations it points to."""

    text: str
    words: int  # meaningful words (after filler and non-occupations are removed)
    known: int  # words the index knows as they are
    corrected: int  # words corrected from a typo
    unknown: int  # words the index does not know at all
    candidates: list[Candidate]
    tokens: list[tuple[str, str]] = field(default_factory=list)  # (stem, word as typed)
    features: set[str] = field(default_factory=set)  # the text's features the index knows
    typed: dict[str, list[str]] | None = None  # feature -> the words as typed (when needed)


def analyse(index: Index, text: str, *, limit: int = CANDIDATES) -> Analysis:
    tokens, known, corrected, unknown = index.query_tokens(text)
    words = [stemmed for stemmed, _typed in tokens]
    analysis = Analysis(text, len(words) + unknown, known, corrected, unknown, [])
    query_features = list(dict.fromkeys(features(words)))
    columns = [index.vocabulary[f] for f in query_features if f in index.vocabulary]
    analysis.tokens = tokens
    analysis.features = {f for f in query_features if f in index.vocabulary}
    if not columns:
        return analysis
    query = (index.idf[columns] * index.pair_weight[columns]) ** 2
    query /= query.sum()
    spans = [slice(index.indptr[c], index.indptr[c + 1]) for c in columns]
    lengths = [span.stop - span.start for span in spans]
    rows = np.concatenate([index.rows[span] for span in spans])
    doc_cover = np.concatenate([index.weights[span] for span in spans])
    query_cover = np.repeat(query, lengths)
    docs, inverse = np.unique(rows, return_inverse=True)
    covered = np.bincount(inverse, weights=doc_cover)
    explained = np.bincount(inverse, weights=query_cover)
    # The share of each document's (and of the text's) weight that matched, as a vector norm.
    covered = np.sqrt(np.minimum(covered, 1.0))
    explained = np.sqrt(np.minimum(explained, 1.0))
    scores = covered * (EXPLAINED_BASE + (1 - EXPLAINED_BASE) * explained) * index.doc_weight[docs]
    top = np.argsort(-scores, kind="stable")[:400]
    # The best document per occupation; a task or tool that agrees with it adds a little.
    best: dict[int, Candidate] = {}
    kinds, languages = index.doc_kind, index.doc_language
    for doc, score, occupation, cover, explain in zip(
        docs[top].tolist(),
        scores[top].tolist(),
        index.doc_occupation[docs[top]].tolist(),
        covered[top].tolist(),
        explained[top].tolist(),
        strict=True,
    ):
        candidate = best.get(occupation)
        if candidate is None:
            if len(best) < limit:
                best[occupation] = Candidate(occupation, score, cover, explain, [doc], {languages[doc]: doc})
            continue
        candidate.in_language.setdefault(languages[doc], doc)
        if len(candidate.documents) < 3 and kinds[doc] not in {kinds[d] for d in candidate.documents}:
            candidate.score += 0.15 * score
            candidate.documents.append(doc)
    analysis.candidates = sorted(best.values(), key=lambda c: -c.score)
    return analysis


def matched_words(index: Index, analysis: Analysis, document: int) -> list[str]:
    """The words of the text, as typed, that the document shares with it."""
    if analysis.typed is None:
        analysis.typed = _typed_words(analysis.tokens)
    typed = analysis.typed
    shared = index.document_features(document)
    out: list[str] = []
    for feature, words in typed.items():
        if feature in shared:
            out += [w for w in words if w not in out]
    return out


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
