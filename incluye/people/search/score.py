"""Stage 3 of the search: expand the query's words against the vocabulary, score every visible
row, rerank the best few hundred.

- A query word is expanded against the vocabulary: itself, nicknames both ways (names.json), same
  Spanish pronunciation (b/v, s/z/c, ll/y, silent h…), one or two edits (optimal string
  alignment: a transposition is one edit; rapidfuzz) and, for the word being typed, prefixes.
  Each expansion has a similarity (exact 100 … two edits 62). Lost and extra spaces are put right
  first, from what the vocabulary knows (normalize.repair_spaces).
- Scoring is vectorized: each query word's best similarity is scattered over every record (one
  dense array, reused from search to search), summed (+ birth date points) and masked by what the
  caller may see; the ~300 best rows are reranked. Initials are scored on those rows only, from
  the first letters of their words.
- The rank is how complete the match is — the mean similarity of the typed words (a married
  "de X" may be missing from a woman's record, a lone "y" from anyone's), with the birth date when
  given — then how many of those optional words the record has, then whether the words fell where
  they were typed (given names, then the first surname, in order), then recency (the record changed or returned most recently first). A record's extra,
  untyped words cost nothing: "Marta Ruiz" finds every Marta Ruiz, the latest first.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from incluye.people.search.index import FIRST_AT, PRECISION, SECOND_AT, SEX, PeopleIndex, date_int, doc_key
from incluye.people.search.normalize import (
    NAME_FORM_KIND,
    NICKNAMES,
    NICKNAMES_SORTED,
    SIM_EXACT,
    SIM_INITIAL_GIVEN,
    SIM_INITIAL_SURNAME,
    SIM_NICKNAME,
    SIM_NICKNAME_PREFIX,
    SIM_ONE_EDIT,
    SIM_PHONETIC,
    SIM_PREFIX,
    SIM_PREFIX_TYPO,
    SIM_REPAIRED,
    SIM_TWO_EDITS,
    QueryWord,
    parse_name_query,
    phonetic,
    repair_spaces,
)


@dataclass
class Hit:
    row: int
    score: float  # 0–100
    reasons: list[tuple[str, dict]]  # (code, parameters): explain.py names them


def expand(index: PeopleIndex, word: str, partial: bool) -> dict[int, tuple[int, str]]:
    """Vocabulary tokens a query word may stand for: token id -> (similarity, how)."""
    key = (word, partial)
    cached = index._expansions.get(key)
    if cached is not None and cached.get(-1, (0,))[0] == len(index.vocab):
        return cached
    found: dict[int, tuple[int, str]] = {}

    def add_all(tids, similarity, how):  # one call for many: a partial word reaches thousands
        for tid in tids:
            if found.get(tid, (-1,))[0] < similarity:
                found[tid] = (similarity, how)

    def add(tid, similarity, how):
        if tid is not None:
            add_all((tid,), similarity, how)

    add(index._token_id.get(word), SIM_EXACT, "exact")
    add_all(index._phonetic.get(phonetic(word), ()), SIM_PHONETIC, "phonetic")
    nicknames = set(NICKNAMES.get(word, ()))
    if not nicknames and len(word) >= 3 and word not in index._token_id:
        # A nickname with a typo ("Bto"): its names, as far as a typo goes.
        for nickname in process.extract(
            word, NICKNAMES_SORTED, scorer=OSA.distance, score_cutoff=1, limit=None
        ):
            for name in NICKNAMES[nickname[0]]:
                add(index._token_id.get(name), SIM_ONE_EDIT, "typo")
    for name in nicknames:
        add(index._token_id.get(name), SIM_NICKNAME, "nickname")
    if partial and len(word) >= 3:
        for nickname in _starting_with(NICKNAMES_SORTED, word):
            for name in NICKNAMES[nickname]:
                add(index._token_id.get(name), SIM_NICKNAME_PREFIX, "nickname")
    if len(word) >= 2:
        add_all(index.one_edit(word), SIM_ONE_EDIT, "typo")
    if len(word) >= 5:
        add_all(index.two_edits(word), SIM_TWO_EDITS, "typo")
    if partial:
        ordered, ids, starts = index.alphabetical()
        add_all(_ids_starting_with(ordered, ids, word), SIM_PREFIX, "prefix")  # the word itself stays exact
        if len(word) >= 3:  # a typo in the start typed so far: below any clean start
            for start_typed in _one_edit_starts(word) & starts:
                add_all(_ids_starting_with(ordered, ids, start_typed), SIM_PREFIX_TYPO, "typo")
    result = dict(found)
    result[-1] = (len(index.vocab), "")  # the vocabulary size it was computed against
    if len(index._expansions) > 20_000:
        index._expansions.clear()
    index._expansions[key] = result
    return result


def _ids_starting_with(ordered: list[str], ids: list[int], start: str) -> list[int]:
    """The ids of the words of a sorted list that begin with `start` (`ids` in the list's order)."""
    return ids[bisect.bisect_left(ordered, start) : bisect.bisect_left(ordered, start + "\U0010ffff")]


def _starting_with(ordered: list[str], start: str):
    """The words of a sorted list that begin with `start`, walked from where it would go."""
    at = bisect.bisect_left(ordered, start)
    while at < len(ordered) and ordered[at].startswith(start):
        yield ordered[at]
        at += 1


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_edit_starts(word: str) -> set[str]:
    """What the start of a word typed with one typo ("osh", "dai") may have been ("och", "dia"):
    one letter changed, added, dropped or two swapped, at least three letters long. The first
    letter stays when only three are typed (there, any first letter reaches too many words)."""
    keep, n = (1 if len(word) <= 3 else 0), len(word)
    found = {word[:i] + c + word[i + 1 :] for i in range(keep, n) for c in _LETTERS}  # changed
    found.update([word[:i] + c + word[i:] for i in range(keep, n + 1) for c in _LETTERS])  # added
    found.update([word[:i] + word[i + 1 :] for i in range(keep, n)])  # dropped
    found.update([word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(keep, n - 1)])  # swapped
    found.discard(word)
    return {start for start in found if len(start) >= 3} if n <= 3 else found


def _expansion(index: PeopleIndex, word: QueryWord) -> dict[int, tuple[int, str]]:
    expansion = expand(index, word.text, word.partial)
    if word.repaired:  # put back together: nearly, not quite, what was typed
        expansion = {
            tid: (min(value, SIM_REPAIRED), how) if tid >= 0 else (value, how)
            for tid, (value, how) in expansion.items()
        }
    return expansion


class Birth(NamedTuple):
    """A birth date, and how much of it the one searching knows: "day", "month" or "year"."""

    date: datetime.date
    known: str = "day"


def birth_points(index: PeopleIndex, birth: Birth, rows: np.ndarray) -> np.ndarray:
    """0–100 per row: same date 100, day and month swapped 80, same month (month precision) 60,
    same year with a year-only record 50, same year 30; where only the year, or the month, is
    known, as that (a year alone is no January 1st)."""
    birth_date, known = birth
    births = index._cols["birth"][rows]
    precision = index._cols["precision"][rows]
    wanted = date_int(birth_date)
    same_year = births // 10000 == birth_date.year
    if known == "year":
        return np.where(same_year, np.uint8(50), np.uint8(0))
    points = np.where(same_year, np.uint8(30), np.uint8(0))
    same_month = births // 100 == wanted // 100
    if known == "month":
        points[same_month] = 60
        return points
    points[(precision == PRECISION["year"]) & same_year] = 50
    points[(precision == PRECISION["month"]) & same_month] = 60
    if birth_date.day <= 12 and birth_date.day != birth_date.month:
        points[births == birth_date.year * 10000 + birth_date.day * 100 + birth_date.month] = 80
    points[births == wanted] = 100
    return points


def _born_that_year(index: PeopleIndex, year: int) -> np.ndarray:
    """Rows that may have been born in `year` (a superset: check the birth column)."""
    start, end = np.searchsorted(index._births_sorted, np.array([year * 10000, (year + 1) * 10000], np.int32))
    rows = index._births_rows[start:end]
    if index._births_dirty:
        rows = np.concatenate((rows, np.array(index._births_dirty, np.int32)))
    return rows


def search(
    index: PeopleIndex,
    *,
    organization_ids,
    query: str,
    birth_date=None,
    limit: int = 10,
    birth_precision: str = "day",
) -> list[Hit]:
    """Best rows for the query among those of `organization_ids` (no database access).
    `birth_precision` says how much of `birth_date` is known: "day", "month" or "year"."""
    organization_ids = frozenset(organization_ids)
    birth = None if birth_date is None else Birth(birth_date, birth_precision)
    with index._lock:
        if not index.n or not organization_ids:
            return []
        visible = index.visible(organization_ids)
        compact = re.sub(r"[\s\-./()+]", "", query).upper()
        if compact.isdigit() and len(compact) >= 4:
            return _search_number(index, compact, visible, birth, limit)
        if re.fullmatch(r"[A-Z0-9]{5,20}", compact) and sum(c.isdigit() for c in compact) >= 3:
            hits = _search_number(index, compact, visible, birth, limit, phone=False)
            if hits:
                return hits
        return _search_name(index, query, visible, birth, limit)


def _search_number(
    index, number: str, visible, birth: Birth | None, limit: int, *, phone: bool = True
) -> list[Hit]:
    found: dict[int, tuple[float, list]] = {}
    keys = index._doc_keys[: index._doc_count]
    for row in index._doc_rows[: index._doc_count][keys == doc_key(number)].tolist():
        if row >= 0 and visible[row]:
            found[row] = (100.0, [("same_id", {})])
    if phone and len(number) >= 8:
        for row in np.flatnonzero((index._cols["phone"][: index.n] == int(number[-8:])) & visible).tolist():
            score, reasons = found.get(row, (90.0, []))
            found[row] = (score, [*reasons, ("same_phone", {})])
    hits = []
    for row in list(found)[: max(limit, 0)]:
        score, reasons = found[row]
        if birth is not None:
            reasons = reasons + _birth_reasons(index, birth, row)
        hits.append(Hit(row, score, reasons))
    return hits


def _birth_reasons(index, birth: Birth, row: int) -> list[tuple[str, dict]]:
    points = int(birth_points(index, birth, np.array([row]))[0])
    if points == 100:
        return [("birth_same", {})]
    if points == 80:
        return [("birth_swapped", {})]
    if points == 60:
        return [("birth_month", {})]
    if points >= 30:
        return [("birth_year", {})]
    return []


def _assigned_slots(
    index: PeopleIndex, words: list[WordMatch | None], query_words, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each query word's similarity to these rows and the slot it fell in (-1: none), when a word
    of the record answers one query word at most: (words × rows) similarities and slots. "José
    Joe" is José with a Joe… being typed (Joel), not José twice. The words closest to the record
    choose first; a word that loses its slot takes the next best one left, or none. `words`
    holds each full word's match, None for an initial."""
    tokens = index._tokens[rows]  # rows × SLOTS, -1 for empty
    n, width = len(rows), tokens.shape[1]
    per_slot = np.zeros((len(query_words), n, width), np.uint8)
    for i, word in enumerate(query_words):
        if word.initial:
            bit = 1 << (ord(word.text) - ord("a"))
            has = (index.token_bits()[tokens] & bit) != 0
            per_slot[i] = np.where(
                has, np.where(np.arange(width) < FIRST_AT, SIM_INITIAL_GIVEN, SIM_INITIAL_SURNAME), 0
            )
        else:
            per_slot[i] = words[i].by_token[tokens]
    best = per_slot.max(axis=2)
    sims = best.astype(np.float32)
    slots = np.where(best > 0, per_slot.argmax(axis=2), -1).astype(np.int16)
    # Only where two words chose one slot is there anything to settle (few rows).
    clash = np.zeros(n, bool)
    for i in range(len(query_words)):
        for j in range(i + 1, len(query_words)):
            clash |= (slots[i] == slots[j]) & (slots[i] >= 0)
    if not clash.any():
        return sims, slots
    rows_at = np.flatnonzero(clash)
    sub = per_slot[:, rows_at]
    columns = np.arange(len(rows_at))
    taken = np.zeros((len(rows_at), width), bool)
    for word in np.argsort(-sims[:, rows_at], axis=0, kind="stable"):  # per row, the closest word first
        values = np.where(taken, 0, sub[word, columns])
        slot = values.argmax(axis=1)
        value = values[columns, slot]
        sims[word, rows_at] = value
        slots[word, rows_at] = np.where(value > 0, slot, -1)
        taken[columns, slot] |= value > 0
    return sims, slots


def _structure(slots: np.ndarray) -> np.ndarray:
    """0–2 per row: the words fell in the order they were typed (given names then surnames, or
    surnames then given names), and a surname typed matched the first surname."""
    order_natural = order_rotated = np.ones(slots.shape[1], bool)
    previous_natural = previous_rotated = np.full(slots.shape[1], -1)
    for slot in slots:
        present = slot >= 0
        rotated = np.where(slot >= FIRST_AT, slot - FIRST_AT, slot + (SECOND_AT + 2 - FIRST_AT))
        order_natural = order_natural & (~present | (slot > previous_natural))
        order_rotated = order_rotated & (~present | (rotated > previous_rotated))
        previous_natural = np.where(present, slot, previous_natural)
        previous_rotated = np.where(present, rotated, previous_rotated)
    surnames = (slots >= FIRST_AT).any(axis=0)
    first = ((slots >= FIRST_AT) & (slots < SECOND_AT)).any(axis=0)
    return (order_natural | order_rotated).astype(np.int8) + (~surnames | first).astype(np.int8)


# What a query word matches is kept for the next searches (a name is searched again and again
# while it is typed and at each desk), up to this many bytes in all: past that, the words used
# least recently go first.
WORD_ROWS_BYTES = 64 * 2**20


class WordMatch(NamedTuple):
    """What a query word matches: its similarity to every token of the vocabulary (and a 0 at the
    end, for an empty slot), and every row its tokens reach, by similarity, ascending."""

    by_token: np.ndarray
    levels: list[tuple[int, np.ndarray]]


def _word_match(index: PeopleIndex, word: QueryWord, expansion) -> WordMatch:
    key = (word.text, word.partial, word.repaired)
    cache = index._word_rows
    stamp = (index._postings_version, len(index.vocab))
    cached = cache.pop(key, None)
    if cached is not None and cached[0] == stamp:
        cache[key] = cached  # the most recently used last
        return cached[2]
    if cached is not None:
        index._word_rows_bytes -= cached[1]
    vocabulary = len(index.vocab)
    by_token = np.zeros(vocabulary + 1, np.uint8)
    by_value: dict[int, list[int]] = {}
    for tid, (value, _how) in expansion.items():
        if 0 <= tid < vocabulary:
            by_token[tid] = value
            by_value.setdefault(value, []).append(tid)
    # Row numbers as intp: a scatter by intp indices costs half as much as by int32.
    levels = [
        (value, index._postings_of_many(np.array(tids, np.int64)).astype(np.intp))
        for value, tids in sorted(by_value.items())
    ]
    match = WordMatch(by_token, levels)
    size = by_token.nbytes + sum(rows.nbytes for _value, rows in levels)
    if size <= WORD_ROWS_BYTES // 8:
        while cache and index._word_rows_bytes + size > WORD_ROWS_BYTES:  # the least recently used go
            index._word_rows_bytes -= cache.pop(next(iter(cache)))[1]
        cache[key] = (stamp, size, match)
        index._word_rows_bytes += size
    return match


def _totals(
    index: PeopleIndex, words: list[WordMatch], visible: np.ndarray, birth: Birth | None
) -> np.ndarray:
    """Per row, the sum of every query word's best similarity (plus the birth date's points), 0
    where the caller may not see the row. In the index's scratch arrays: good until the next
    search."""
    total = index.scratch("total", np.uint16)
    _scatter(total, words[0])  # the first word straight into the total, the others added to it
    if len(words) > 1:
        word_best = index.scratch("word", np.uint16)
        for word in words[1:]:
            _scatter(word_best, word)
            total += word_best
    if birth is not None:
        born = _born_that_year(index, birth.date.year)
        total[born] += birth_points(index, birth, born)
    np.multiply(total, visible, out=total)
    return total


def _scatter(target: np.ndarray, word: WordMatch) -> None:
    """The word's best similarity on every row it reaches, 0 elsewhere."""
    target.fill(0)
    for value, rows in word.levels:  # ascending: a row two expansions reach keeps the best
        target[rows] = value


def _search_name(index: PeopleIndex, query: str, visible, birth: Birth | None, limit: int) -> list[Hit]:
    if limit <= 0:
        return []
    query_words = repair_spaces(parse_name_query(query), index)
    expansions = {i: _expansion(index, word) for i, word in enumerate(query_words) if not word.initial}
    if not expansions:
        return []
    words = [
        _word_match(index, word, expansions[i]) if i in expansions else None
        for i, word in enumerate(query_words)
    ]
    total = _totals(index, [word for word in words if word is not None], visible, birth)
    candidates = _candidates(index, total)
    if not len(candidates):
        return []
    # Rerank the candidates, initials included.
    sims, slots = _assigned_slots(index, words, query_words, candidates)
    matched = sims > 0
    married = np.array([w.optional for w in query_words])[:, None]
    maybe = np.array([w.maybe for w in query_words])[:, None]
    woman = (index._cols["sex"][candidates] != SEX["M"])[None, :]  # a married "de X" is a woman's
    may_miss = (married & woman) | maybe
    counted = np.maximum((~(may_miss & ~matched)).sum(axis=0), 1)
    name = sims.sum(axis=0) / counted
    # An optional word that matches never hurts: the mean without the optional words.
    required = ~(married | maybe)
    if required.any():
        required_mean = (sims * required).sum(axis=0) / max(int(required.sum()), 1)
        name = np.where(may_miss.any(axis=0), np.maximum(name, required_mean), name)
    name = np.clip(name, 0.0, 100.0)
    score = name if birth is None else 0.8 * name + 0.2 * birth_points(index, birth, candidates)
    score = np.round(score, 3)
    # Ties on the score are broken by where the words fell, then by recency.
    kth = np.sort(score)[::-1][min(limit, len(score)) - 1]
    contenders = np.flatnonzero(score >= kth)
    if len(contenders) > 2000:
        contenders = contenders[np.argsort(-score[contenders], kind="stable")[:2000]]
    slots = slots[:, contenders]
    structure = _structure(slots)
    updated = index._cols["updated"][candidates[contenders]]
    # Among equals, a record that also has the optional words typed (a "de León" that may be a
    # married name, a lone "E" that may be the conjunction) comes first.
    optional_found = (matched & (married | maybe)).sum(axis=0)[contenders]
    order = np.lexsort((-updated, -structure, -optional_found, -score[contenders]))[:limit]
    hits = []
    for position in order.tolist():
        c = contenders[position]
        value = float(score[c])
        if value < index.MIN_SCORE:
            continue
        row = int(candidates[c])
        reasons = _name_reasons(
            index, query_words, expansions, row, float(name[c]), sims[:, c], slots[:, position]
        )
        if birth is not None:
            reasons += _birth_reasons(index, birth, row)
        hits.append(Hit(row, round(value, 1), reasons))
    return hits


def _candidates(index: PeopleIndex, total: np.ndarray) -> np.ndarray:
    """Rows with the best totals: at least CANDIDATES of them (ties cut at MAX_CANDIDATES).

    Starts with the rows within one word of the best total, and widens only if too few. Each
    step only counts the rows, which costs a few times less than finding them: they are found
    once."""
    best = int(total.max()) if len(total) else 0
    if best == 0:
        return np.zeros(0, np.int64)
    reaching = index.scratch("reaching", np.bool_)
    floor = best
    while True:
        floor = max(1, floor - SIM_EXACT)
        if np.count_nonzero(np.greater_equal(total, floor, out=reaching)) >= index.CANDIDATES or floor == 1:
            break
    rows = np.flatnonzero(reaching)
    values = total[rows]
    counts = np.bincount(values)
    at_least = np.cumsum(counts[::-1])[::-1]  # at_least[v]: rows whose total >= v
    cutoff = max(floor, int(np.flatnonzero(at_least >= min(index.CANDIDATES, len(rows)))[-1]))
    keep = values >= cutoff
    rows, values = rows[keep], values[keep]
    if len(rows) > index.MAX_CANDIDATES:
        above = rows[values > cutoff]
        tied = rows[values == cutoff][: max(index.MAX_CANDIDATES - len(above), 0)]
        rows = np.concatenate((above, tied))
    return rows


def _name_reasons(
    index, query_words, expansions, row, name_percent, row_sims, row_slots
) -> list[tuple[str, dict]]:
    reasons: list[tuple[str, dict]] = [("name", {"percent": round(name_percent)})]
    tokens = index._tokens[row].tolist()
    sex = index._cols["sex"][row]
    repaired = []
    for i, word in enumerate(query_words):
        if word.repaired and word.typed not in repaired:
            repaired.append(word.typed)
        if row_sims[i] <= 0:
            typing = word.partial and word.text not in index._token_id  # "de Pé…": not yet
            if word.optional and not word.initial and not typing and sex != SEX["M"]:
                reasons.append(("married", {"surname": word.typed[:1].upper() + word.typed[1:]}))
            continue
        if word.initial or row_slots[i] < 0:
            continue
        tid = tokens[row_slots[i]]
        if tid >= 0 and expansions[i].get(tid, (0, ""))[1] == "nickname":
            pair = (word.text, index.vocab[tid])
            reasons.append((NAME_FORM_KIND.get(pair, "nickname"), {"nickname": pair[0], "name": pair[1]}))
    if repaired:
        reasons.append(("spaces", {"typed": " ".join(repaired)}))
    first = [i for i, slot in enumerate(row_slots) if FIRST_AT <= slot < SECOND_AT]
    second = [i for i, slot in enumerate(row_slots) if slot >= SECOND_AT]
    if first and second and min(first) > max(second):
        reasons.append(("swapped", {}))
    return reasons
