"""Stage 2 of the search: the index, NumPy arrays a million people deep.

Every record is a dense row number. Per row, NumPy columns hold the name tokens (folded words of
given names, preferred name, first and second surname; particles dropped), organization,
liveness (merged records are dead rows), birth date, sex, the phone's last 8 digits and the
record's updated_at. Identity numbers are a pair of columns (key, row).

Names repeat, so the vocabulary of distinct tokens is small (hundreds to a few tens of thousands);
each token has a posting list of rows (one CSR array from the build, plus small delta arrays for
rows added since). A changed name gets a new row (the old row dies), so posting lists only grow
until the next rebuild.

The index knows nothing of where records come from: `searching.LiveIndex` feeds it from the
database; a benchmark or a test may feed it generated records (`PeopleIndex.from_records`).
A record is a tuple of `RECORD_FIELDS`.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import threading
import uuid
from collections import defaultdict

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from incluye.people.search.normalize import NICKNAMES, name_tokens, phonetic

GIVEN_SLOTS, FIRST_SLOTS, SECOND_SLOTS = 4, 2, 2  # token columns: given (+preferred), surnames
FIRST_AT, SECOND_AT = GIVEN_SLOTS, GIVEN_SLOTS + FIRST_SLOTS
SLOTS = GIVEN_SLOTS + FIRST_SLOTS + SECOND_SLOTS
PRECISION = {"day": 0, "month": 1, "year": 2}
SEX = {"X": 0, "F": 1, "M": 2}
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)
RECORD_FIELDS = (
    "pk",
    "organization_id",
    "given_names",
    "first_surname",
    "second_surname",
    "preferred_name",
    "birth_date",
    "birth_date_precision",
    "sex",
    "phone",
    "updated_at",
    "merged_into_id",
)
COLUMNS = {
    "hi": np.uint64,
    "lo": np.uint64,
    "org": np.int32,
    "alive": np.bool_,
    "birth": np.int32,
    "precision": np.uint8,
    "sex": np.uint8,
    "phone": np.int32,
    "updated": np.int64,
    "ntok": np.uint8,
}


def micros(moment: datetime.datetime) -> int:
    return (moment - EPOCH) // MICROSECOND


def date_int(date: datetime.date | None) -> int:
    return date.year * 10000 + date.month * 100 + date.day if date else 0


def phone_key(phone: str) -> int:
    digits = re.sub(r"\D", "", phone or "")
    return int(digits[-8:]) if len(digits) >= 8 else -1


def doc_key(number: str) -> int:
    """An int64 per normalized identity number (leading zeros kept apart; letters hashed)."""
    number = (number or "").strip().upper()
    if number.isdigit() and len(number) <= 16:
        return int(number) * 100 + len(number)
    return -1 - int.from_bytes(hashlib.blake2b(number.encode(), digest_size=7).digest(), "big")


def deletes(word: str) -> set[str]:
    """The word and every word made by deleting one of its letters."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def initial_bit(token: str) -> int:
    first = token[:1]
    return 1 << (ord(first) - ord("a")) if "a" <= first <= "z" else 0


def split_uuid(value: uuid.UUID) -> tuple[int, int]:
    return value.int >> 64, value.int & 0xFFFFFFFFFFFFFFFF


class PeopleIndex:
    """Everything the search needs, in NumPy arrays; `search()` is in `score.py`."""

    MIN_SCORE = 40  # weaker name matches are noise
    CANDIDATES = 300  # rows reranked
    MAX_CANDIDATES = 3000
    COMPACT_AFTER = 200_000  # rows in delta postings before the postings are rebuilt

    def __init__(self):
        self._lock = threading.RLock()
        self.n = 0
        self._capacity = 0
        self._cols = {name: np.zeros(0, dtype) for name, dtype in COLUMNS.items()}
        self._tokens = np.zeros((0, SLOTS), np.int32)
        # vocabulary
        self.vocab: list[str] = []
        self._token_id: dict[str, int] = {}
        self._token_bits: list[int] = []
        self._token_bits_array = np.zeros(1, np.uint32)
        # words by (first letter, length), for two-edit typos; by one deletion, for one-edit typos
        self._by_start: dict[tuple[str, int], tuple[list[str], list[int]]] = defaultdict(lambda: ([], []))
        self._deletes_keys = np.zeros(0, np.int64)  # hash of a word or of it minus one letter, sorted
        self._deletes_tids = np.zeros(0, np.int32)
        self._deletes_recent: dict[str, list[int]] = defaultdict(list)  # words added since
        self._deletes_size = 0
        self._phonetic: dict[str, list[int]] = defaultdict(list)
        self._sorted_vocab: list[str] = []
        self._sorted_ids: list[int] = []
        self._starts: set[str] = set()
        self._sorted_vocab_size = 0
        self._field_cache: dict[str, tuple[int, ...]] = {}
        self._expansions: dict[tuple[str, bool], dict[int, tuple[int, str]]] = {}
        # postings: CSR from the build, plus delta arrays for rows appended since
        self._offsets = np.zeros(1, np.int64)
        self._postings = np.zeros(0, np.int32)
        # Bumped at each change of the postings: what a query word's rows were cached against.
        self._postings_version = 0
        self._word_rows: dict = {}
        self._word_rows_bytes = 0
        self._delta: dict[int, np.ndarray] = {}
        self._delta_size = 0
        # rows by birth date (from the last postings build) + rows appended or changed since
        self._births_sorted = np.zeros(0, np.int32)
        self._births_rows = np.zeros(0, np.int32)
        self._births_dirty: list[int] = []
        # primary key -> row: sorted high halves from the build, a dict for rows appended since
        self._hi_sorted = np.zeros(0, np.uint64)
        self._hi_rows = np.zeros(0, np.int32)
        self._recent: dict[int, int] = {}
        # organizations, identity numbers
        self._org_index: dict[object, int] = {}
        self._doc_keys = np.zeros(0, np.int64)
        self._doc_rows = np.zeros(0, np.int32)
        self._doc_count = 0
        self._last_doc_id = 0
        self.version = 0
        self._visible_cache: dict[tuple, np.ndarray] = {}
        self._scratch: dict[str, np.ndarray] = {}

    @classmethod
    def from_records(cls, records, documents=()) -> PeopleIndex:
        """An index of these records (tuples of RECORD_FIELDS) and identity numbers ((id,
        person pk, number) triples), without a database."""
        index = cls()
        records = list(records)
        with index._lock:
            index._ensure_capacity(len(records) + 1024, exact=True)
            for start in range(0, len(records), 20_000):
                index._append(records[start : start + 20_000])
            index._sort_ids()
            index._build_postings()
            index._add_documents(list(documents))
        return index

    # -- building ------------------------------------------------------------------------------
    def _ensure_capacity(self, size: int, *, exact: bool = False) -> None:
        if size <= self._capacity:
            return
        capacity = size if exact else max(size, int(self._capacity * 1.25) + 1024)
        for name, column in self._cols.items():
            grown = np.zeros(capacity, column.dtype)
            grown[: self.n] = column[: self.n]
            self._cols[name] = grown
        tokens = np.full((capacity, SLOTS), -1, np.int32)
        tokens[: self.n] = self._tokens[: self.n]
        self._tokens = tokens
        self._capacity = capacity

    def _token(self, token: str) -> int:
        tid = self._token_id.get(token)
        if tid is None:
            tid = self._token_id[token] = len(self.vocab)
            self.vocab.append(token)
            self._token_bits.append(initial_bit(token))
            strings, ids = self._by_start[token[:1], len(token)]
            strings.append(token)
            ids.append(tid)
            self._phonetic[phonetic(token)].append(tid)
            for key in deletes(token):
                self._deletes_recent[key].append(tid)
        return tid

    def _build_deletes(self) -> None:
        """The one-deletion neighbourhood of every word, as sorted hashes (a few MB at 100 000
        words): a word one edit from a query word shares a key with it."""
        keys, tids = [], []
        for tid, token in enumerate(self.vocab):
            for key in deletes(token):
                keys.append(hash(key))
                tids.append(tid)
        keys_array = np.array(keys, np.int64)
        order = np.argsort(keys_array, kind="stable")
        self._deletes_keys = keys_array[order]
        self._deletes_tids = np.array(tids, np.int32)[order]
        self._deletes_recent = defaultdict(list)
        self._deletes_size = len(self.vocab)

    def one_edit(self, word: str) -> list[int]:
        """Words one edit (or one transposition) from `word`, itself excluded."""
        if self._deletes_size + len(self._deletes_recent) > 0 and self._deletes_size < len(self.vocab) // 2:
            self._build_deletes()
        word_keys = deletes(word)
        hashes = np.array([hash(key) for key in word_keys], np.int64)
        starts = np.searchsorted(self._deletes_keys, hashes, "left")
        ends = np.searchsorted(self._deletes_keys, hashes, "right")
        candidates = {
            int(t) for s, e in zip(starts, ends, strict=True) if e > s for t in self._deletes_tids[s:e]
        }
        for key in word_keys:
            candidates.update(self._deletes_recent.get(key, ()))
        vocab = self.vocab
        return [
            t for t in candidates if vocab[t] != word and OSA.distance(word, vocab[t], score_cutoff=1) <= 1
        ]

    def two_edits(self, word: str) -> list[int]:
        """Words two edits from `word` that start with the same letter."""
        found = []
        for length in range(len(word) - 2, len(word) + 3):
            strings, ids = self._by_start.get((word[:1], length), ((), ()))
            if strings:
                for _choice, distance, position in process.extract(
                    word, strings, scorer=OSA.distance, score_cutoff=2, limit=None
                ):
                    if distance == 2:
                        found.append(ids[position])
        return found

    def knows(self, token: str) -> bool:
        """Whether the vocabulary holds this word, one pronounced the same, or a name it is a
        nickname of."""
        return (
            token in self._token_id or phonetic(token) in self._phonetic or bool(self._nickname_names(token))
        )

    def _count(self, tid: int) -> int:
        return int(self._offsets[tid + 1] - self._offsets[tid]) if tid + 1 < len(self._offsets) else 0

    def frequency(self, token: str) -> int:
        """How many rows carried this word (or, for a word the vocabulary lacks, the commonest one
        pronounced the same, or the names it is a nickname of) at the last rebuild of the postings."""
        tid = self._token_id.get(token)
        if tid is not None:
            return self._count(tid)
        alike = max((self._count(t) for t in self._phonetic.get(phonetic(token), ())), default=0)
        # A nickname the registry does not hold ("Lencho"): as common as the names it stands for.
        return alike or sum(self._count(self._token_id[name]) for name in self._nickname_names(token))

    def _nickname_names(self, token: str) -> list[str]:
        return [name for name in NICKNAMES.get(token, ()) if name in self._token_id]

    def near(self, token: str) -> bool:
        """Whether the vocabulary holds a word one typo away (an edit or a transposition)."""
        return bool(self.one_edit(token))

    def alphabetical(self) -> tuple[list[str], list[int], set[str]]:
        """The vocabulary in alphabetical order, the words' ids in that order, and the start of
        every word, three letters or more (most starts a typo makes begin no word: a set says so
        at once)."""
        if self._sorted_vocab_size != len(self.vocab):
            self._sorted_vocab = sorted(self.vocab)
            self._sorted_ids = [self._token_id[token] for token in self._sorted_vocab]
            self._starts = {token[:end] for token in self.vocab for end in range(3, len(token) + 1)}
            self._sorted_vocab_size = len(self.vocab)
        return self._sorted_vocab, self._sorted_ids, self._starts

    def token_bits(self) -> np.ndarray:
        """The first-letter bit of every token, and a 0 at the end (index -1: an empty slot)."""
        if len(self._token_bits_array) != len(self.vocab) + 1:
            self._token_bits_array = np.array([*self._token_bits, 0], np.uint32)
        return self._token_bits_array

    def _field(self, text: str) -> tuple[int, ...]:
        tids = self._field_cache.get(text)
        if tids is None:
            tids = self._field_cache[text] = tuple(self._token(t) for t in name_tokens(text))
            if len(self._field_cache) > 500_000:
                self._field_cache.clear()
        return tids

    def _slots(self, given: str, first: str, second: str, preferred: str) -> tuple[tuple[int, ...], int]:
        names = self._field(given)[:GIVEN_SLOTS]
        extra = tuple(t for t in self._field(preferred) if t not in names)
        given_part = (names + extra)[:GIVEN_SLOTS]
        first_part = self._field(first)[:FIRST_SLOTS]
        second_part = self._field(second)[:SECOND_SLOTS]
        slots = (
            given_part
            + (-1,) * (GIVEN_SLOTS - len(given_part))
            + first_part
            + (-1,) * (FIRST_SLOTS - len(first_part))
            + second_part
            + (-1,) * (SECOND_SLOTS - len(second_part))
        )
        return slots, len(names) + len(first_part) + len(second_part)

    def _org(self, org_id) -> int:
        idx = self._org_index.get(org_id)
        if idx is None:
            idx = self._org_index[org_id] = len(self._org_index)
        return idx

    def _append(self, records) -> np.ndarray:
        """Append records (tuples of RECORD_FIELDS) as new rows; returns their row numbers."""
        count = len(records)
        start = self.n
        self._ensure_capacity(start + count)
        columns = {name: [] for name in COLUMNS}
        tokens = []
        for (
            pk,
            org_id,
            given,
            first,
            second,
            preferred,
            birth,
            precision,
            sex,
            phone,
            updated,
            merged,
        ) in records:
            slots, ntok = self._slots(given, first, second, preferred)
            tokens.append(slots)
            hi, lo = split_uuid(pk)
            columns["hi"].append(hi)
            columns["lo"].append(lo)
            columns["org"].append(self._org(org_id))
            columns["alive"].append(merged is None)
            columns["birth"].append(date_int(birth))
            columns["precision"].append(PRECISION.get(precision, 0))
            columns["sex"].append(SEX.get(sex, 0))
            columns["phone"].append(phone_key(phone))
            columns["updated"].append(micros(updated))
            columns["ntok"].append(ntok)
        end = start + count
        for name, values in columns.items():
            self._cols[name][start:end] = np.array(values, dtype=COLUMNS[name]) if values else []
        if tokens:
            self._tokens[start:end] = np.array(tokens, np.int32)
        self.n = end
        return np.arange(start, end, dtype=np.int32)

    def _sort_ids(self) -> None:
        hi = self._cols["hi"][: self.n]
        order = np.argsort(hi, kind="stable")
        self._hi_sorted = hi[order]
        self._hi_rows = order.astype(np.int32)
        self._recent = {}

    def _build_postings(self) -> None:
        tokens = self._tokens[: self.n]
        present = (tokens >= 0) & self._cols["alive"][: self.n, None]
        rows = np.nonzero(present)[0]
        tids = tokens[present]
        order = np.argsort(tids, kind="stable")  # rows stay ascending within each token
        self._postings = rows[order].astype(np.int32)
        counts = np.bincount(tids, minlength=len(self.vocab))
        self._offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self._delta = {}
        self._delta_size = 0
        self._postings_version += 1
        births = self._cols["birth"][: self.n]
        order = np.argsort(births, kind="stable")
        self._births_sorted = births[order]
        self._births_rows = order.astype(np.int32)
        self._births_dirty = []
        self._build_deletes()

    def _postings_of_many(self, tids: np.ndarray) -> np.ndarray:
        """The rows of all these tokens at once (with repeats): one gather, not a slice each."""
        based = tids[tids + 1 < len(self._offsets)]
        starts, lengths = self._offsets[based], self._offsets[based + 1] - self._offsets[based]
        total = int(lengths.sum())
        parts = []
        if total:
            shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
            parts.append(self._postings[shift + np.arange(total)])
        if self._delta:
            parts += [self._delta[tid] for tid in tids.tolist() if tid in self._delta]
        if not parts:
            return np.zeros(0, self._postings.dtype)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _add_to_delta(self, tid: int, rows: np.ndarray) -> None:
        previous = self._delta.get(tid)
        self._delta[tid] = rows if previous is None else np.concatenate((previous, rows))
        self._delta_size += len(rows)
        self._postings_version += 1

    def _rows_of(self, pks) -> list[int | None]:
        """Current row of each primary key (None when the index does not know it)."""
        result: list[int | None] = [None] * len(pks)
        lookup = []
        for i, pk in enumerate(pks):
            row = self._recent.get(pk.int)
            if row is None:
                lookup.append(i)
            else:
                result[i] = row
        if lookup and len(self._hi_sorted):
            his = np.array([pks[i].int >> 64 for i in lookup], np.uint64)
            positions = np.searchsorted(self._hi_sorted, his)
            lo_column = self._cols["lo"]
            for i, position in zip(lookup, positions.tolist(), strict=True):
                hi, lo = split_uuid(pks[i])
                while position < len(self._hi_sorted) and self._hi_sorted[position] == hi:
                    row = int(self._hi_rows[position])
                    if lo_column[row] == lo:
                        result[i] = row
                        break
                    position += 1
        return result

    def _add_documents(self, documents) -> None:
        """Add (pk, person_id, number) triples for people the index knows."""
        if not documents:
            return
        rows = self._rows_of([person_id for _, person_id, _ in documents])
        keys = [doc_key(number) for _, _, number in documents]
        pairs = [(key, row) for key, row in zip(keys, rows, strict=True) if row is not None]
        self._last_doc_id = max(self._last_doc_id, max(pk for pk, _, _ in documents))
        if not pairs:
            return
        needed = self._doc_count + len(pairs)
        if needed > len(self._doc_keys):
            capacity = max(needed, int(len(self._doc_keys) * 1.25) + 1024)
            self._doc_keys = np.resize(self._doc_keys, capacity)
            self._doc_rows = np.resize(self._doc_rows, capacity)
        self._doc_keys[self._doc_count : needed] = [key for key, _ in pairs]
        self._doc_rows[self._doc_count : needed] = [row for _, row in pairs]
        self._doc_count = needed

    # -- changes ---------------------------------------------------------------------------------
    def kill(self, rows) -> None:
        """These rows are gone (deleted, or superseded by a new row): never found again."""
        for row in rows:
            if row is not None:
                self._cols["alive"][row] = False
                self._cols["updated"][row] = 0

    def apply_records(self, records, documents) -> None:
        """Records (tuples of RECORD_FIELDS) that changed, with all their identity numbers: a record
        whose name words are the same is changed in place, any other gets a new row."""
        if not records:
            return
        old_rows = self._rows_of([record[0] for record in records])
        touched = [row for row in old_rows if row is not None]
        if touched and self._doc_count:
            stale = np.isin(self._doc_rows[: self._doc_count], touched)
            self._doc_rows[: self._doc_count][stale] = -1
        appended = []
        for record, row in zip(records, old_rows, strict=True):
            given, first, second, preferred = record[2], record[3], record[4], record[5]
            if (
                row is not None
                and tuple(self._tokens[row].tolist()) == self._slots(given, first, second, preferred)[0]
            ):
                self._overwrite(row, record)
            else:
                self.kill([row])  # superseded: dead, and out of the refresh window counts
                appended.append(record)
        if appended:
            new_rows = self._append(appended)
            by_token: dict[int, list[int]] = defaultdict(list)
            for record, row in zip(appended, new_rows.tolist(), strict=True):
                self._recent[record[0].int] = row
                self._births_dirty.append(row)
                if self._cols["alive"][row]:
                    for tid in set(self._tokens[row].tolist()) - {-1}:
                        by_token[tid].append(row)
            for tid, rows in by_token.items():
                self._add_to_delta(tid, np.array(rows, np.int32))
        self._add_documents(documents)
        if self._delta_size > self.COMPACT_AFTER or len(self._births_dirty) > self.COMPACT_AFTER:
            self._build_postings()

    def _overwrite(self, row: int, record) -> None:
        """Same name words: change the other fields in place."""
        org_id, birth, precision, sex, phone, updated, merged = record[1], *record[6:]
        cols = self._cols
        cols["org"][row] = self._org(org_id)
        was_alive = bool(cols["alive"][row])
        cols["alive"][row] = merged is None
        cols["birth"][row] = date_int(birth)
        self._births_dirty.append(row)
        cols["precision"][row] = PRECISION.get(precision, 0)
        cols["sex"][row] = SEX.get(sex, 0)
        cols["phone"][row] = phone_key(phone)
        cols["updated"][row] = micros(updated)
        if merged is None and not was_alive:
            # Unmerged: its words may have left the postings at the last rebuild.
            for tid in set(self._tokens[row].tolist()) - {-1}:
                self._add_to_delta(tid, np.array([row], np.int32))

    def changed(self) -> None:
        """Something changed: cached visibility masks are stale."""
        self.version += 1
        self._visible_cache.clear()

    # -- reading ---------------------------------------------------------------------------------
    def pk(self, row: int) -> uuid.UUID:
        return uuid.UUID(int=(int(self._cols["hi"][row]) << 64) | int(self._cols["lo"][row]))

    def visible(self, organization_ids: frozenset) -> np.ndarray:
        key = (organization_ids, self.version, self.n)
        mask = self._visible_cache.get(key)
        if mask is None:
            allowed = np.zeros(len(self._org_index) + 1, np.bool_)
            for org_id in organization_ids:
                idx = self._org_index.get(org_id)
                if idx is not None:
                    allowed[idx] = True
            mask = allowed[self._cols["org"][: self.n]] & self._cols["alive"][: self.n]
            if len(self._visible_cache) >= 8:
                self._visible_cache.clear()
            self._visible_cache[key] = mask
        return mask

    def scratch(self, name: str, dtype) -> np.ndarray:
        """An array of n values reused from one search to the next (a search holds the lock): it
        holds whatever the last search left there."""
        array = self._scratch.get(name)
        if array is None or len(array) < self.n:
            array = self._scratch[name] = np.empty(max(self._capacity, self.n), dtype)
        return array[: self.n]

    def search(
        self, *, organization_ids, query: str, birth_date=None, limit: int = 10, birth_precision="day"
    ):
        """Best rows for the query among the visible ones: a list of `score.Hit`."""
        from incluye.people.search.score import search

        return search(
            self,
            organization_ids=organization_ids,
            query=query,
            birth_date=birth_date,
            limit=limit,
            birth_precision=birth_precision,
        )

    def memory_bytes(self) -> int:
        """NumPy arrays held (the vocabulary and small dicts are a few MB more)."""
        arrays = [
            *self._cols.values(),
            self._tokens,
            self._offsets,
            self._postings,
            self._hi_sorted,
            self._hi_rows,
            self._doc_keys,
            self._doc_rows,
            *self._delta.values(),
            *self._scratch.values(),
        ]
        return sum(a.nbytes for a in arrays)
