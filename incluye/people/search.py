"""People search: find anyone while typing, among a million records, with typos and nicknames.

Design. An in-process index (`PeopleIndex`, one per process: `get_index()`) is built from the
database and kept current by a cheap refresh at every search:

- every record is a dense row number. Per row, NumPy columns hold the name tokens (folded words
  of given names, preferred name, first and second surname, particles such as "de la" dropped),
  organization, liveness (merged records are dead rows), birth date, sex, the phone's last 8
  digits and the record's updated_at. Identity numbers are a pair of columns (key, row);
- names repeat, so the vocabulary of distinct tokens is small (hundreds to a few tens of
  thousands); each token has a posting list of rows (one CSR array from the build, plus small
  delta arrays for rows added since);
- a query word is expanded against the vocabulary: itself, nicknames both ways (names.json),
  same Spanish pronunciation (b/v, s/z/c, ll/y, silent h…), one or two edits (optimal string
  alignment: a transposition is one edit; rapidfuzz) and, for the word being typed, prefixes.
  Each expansion has a similarity (exact 100 … two edits 62);
- scoring is vectorized: per query word a dense uint8 row of the best similarity of every
  record, summed (+ birth date points), masked by what the caller may see; the ~300 best rows
  are reranked (records with extra, untyped words lose a little; words after a married "de"
  may be missing for women) and the best few get a word-order tie-break and human reasons;
- refresh: the records whose updated_at is newer than the last one seen — with an overlap
  window, so a transaction that committed late is not missed — are reloaded; a changed name
  gets a new row (the old row dies), so posting lists only grow. Identity numbers added later
  are read by primary key. The final fetch of the hits is one query by primary key that also
  re-checks organization and merge, so a stale index can never leak a record; a stale row met
  there (deleted, or merged without touching updated_at) is reloaded and the search repeated.

Identity numbers (digits, spaces and hyphens are ignored) match exactly; phones match on the
last 8 digits.

At 1 000 000 people: build 16–20 s, 105 MiB of arrays (about 180 MiB of process memory), a search
in 4–8 ms (bench/search.py). Build it when the process starts (e.g. `get_index()` in a thread from
a gunicorn hook), not in the first request; threads of one process share it.
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import json
import re
import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from incluye.core.text import fold
from incluye.people.models import IdentityDocument, Person

# -- names ------------------------------------------------------------------------------------

PARTICLES = frozenset(
    {"de", "del", "la", "las", "los", "y", "e", "da", "das", "do", "dos", "van", "von", "der"}
)
MARRIED_PARTICLES = frozenset({"de", "del"})
_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHES = str.maketrans("", "", "'’`´")


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


def _load_nicknames() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """Folded nickname <-> folded names, both ways, and the display spelling of each."""
    data = json.loads(
        (Path(__file__).resolve().parent.parent / "core" / "data" / "names.json").read_text("utf-8")
    )
    related: dict[str, set[str]] = defaultdict(set)
    display: dict[str, str] = {}
    for name, nicknames in data["nicknames"].items():
        folded_name = fold(name)
        display[folded_name] = name
        for nickname in nicknames:
            folded_nickname = fold(nickname).translate(_APOSTROPHES)
            display[folded_nickname] = nickname
            related[folded_nickname].add(folded_name)
            related[folded_name].add(folded_nickname)
    return {k: frozenset(v) for k, v in related.items()}, display


NICKNAMES, NAME_DISPLAY = _load_nicknames()
_NICKNAMES_SORTED = sorted(NICKNAMES)

# Similarity (0–100) of a record's word to a query word, by how it was found.
SIM_EXACT, SIM_NICKNAME, SIM_PHONETIC, SIM_PREFIX, SIM_ONE_EDIT, SIM_TWO_EDITS = 100, 92, 90, 88, 80, 62

# -- rows -------------------------------------------------------------------------------------

GIVEN_SLOTS, FIRST_SLOTS, SECOND_SLOTS = 4, 2, 2  # token columns: given (+preferred), surnames
FIRST_AT, SECOND_AT = GIVEN_SLOTS, GIVEN_SLOTS + FIRST_SLOTS
SLOTS = GIVEN_SLOTS + FIRST_SLOTS + SECOND_SLOTS
PRECISION = {"day": 0, "month": 1, "year": 2}
SEX = {"X": 0, "F": 1, "M": 2}
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)
_PERSON_FIELDS = (
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
_COLUMNS = {
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


def _micros(moment: datetime.datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def _date_int(date: datetime.date | None) -> int:
    return date.year * 10000 + date.month * 100 + date.day if date else 0


def _phone_key(phone: str) -> int:
    digits = re.sub(r"\D", "", phone or "")
    return int(digits[-8:]) if len(digits) >= 8 else -1


def _doc_key(number: str) -> int:
    """An int64 per normalized identity number (leading zeros kept apart; letters hashed)."""
    number = (number or "").strip().upper()
    if number.isdigit() and len(number) <= 16:
        return int(number) * 100 + len(number)
    return -1 - int.from_bytes(hashlib.blake2b(number.encode(), digest_size=7).digest(), "big")


def _split_uuid(value: uuid.UUID) -> tuple[int, int]:
    return value.int >> 64, value.int & 0xFFFFFFFFFFFFFFFF


# -- results ----------------------------------------------------------------------------------


@dataclass
class SearchHit:
    person_id: uuid.UUID
    score: float  # 0–100
    reasons: list[str]
    person: Person | None = field(default=None, repr=False, compare=False)


@dataclass
class _QueryWord:
    text: str  # folded
    typed: str  # as typed, for the reasons
    optional: bool  # after a married "de": may be missing from a woman's record
    partial: bool  # the word being typed


def parse_name_query(query: str) -> list[_QueryWord]:
    """Words of a name query; those after "de"/"del" once a given name and a surname are typed
    are a married name (optional), and the last word is being typed unless a space follows."""
    found = [
        (word, typed)
        for typed in re.findall(r"[^\W_]+", (query or "").translate(_APOSTROPHES))
        for word in words(typed)
        if not word.isdigit()
    ]
    typing = bool(query) and not query[-1].isspace()
    result: list[_QueryWord] = []
    optional = False
    for position, (word, typed) in enumerate(found):
        if word in MARRIED_PARTICLES and len(result) >= 2:
            optional = True
        if word in PARTICLES:
            continue
        result.append(_QueryWord(word, typed, optional, typing and position == len(found) - 1))
    return result[:8]


# -- the index --------------------------------------------------------------------------------


class PeopleIndex:
    """Everything the search needs, in NumPy arrays. Use `build()`, then `refresh()` + `search()`."""

    OVERLAP = datetime.timedelta(minutes=2)  # longest write transaction + clock skew between servers
    BUSY_WINDOW_ROWS = 5_000  # rows updated in the overlap window that make counting them costly
    BUSY_WINDOW_EVERY = datetime.timedelta(seconds=5)
    MIN_SCORE = 40  # weaker name matches are noise
    CANDIDATES = 300  # rows reranked
    MAX_CANDIDATES = 3000
    COMPACT_AFTER = 200_000  # rows in delta postings before the postings are rebuilt

    def __init__(self):
        self._lock = threading.RLock()
        self.n = 0
        self._capacity = 0
        self._cols = {name: np.zeros(0, dtype) for name, dtype in _COLUMNS.items()}
        self._tokens = np.zeros((0, SLOTS), np.int32)
        # vocabulary
        self.vocab: list[str] = []
        self._token_id: dict[str, int] = {}
        self._by_length: dict[int, tuple[list[str], list[int]]] = defaultdict(lambda: ([], []))
        self._phonetic: dict[str, list[int]] = defaultdict(list)
        self._sorted_vocab: list[str] = []
        self._sorted_vocab_size = 0
        self._field_cache: dict[str, tuple[int, ...]] = {}
        self._expansions: dict[tuple[str, bool], dict[int, tuple[int, str]]] = {}
        # postings: CSR from the build, plus delta arrays for rows appended since
        self._offsets = np.zeros(1, np.int64)
        self._postings = np.zeros(0, np.int32)
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
        self._org_index: dict[int, int] = {}
        self._doc_keys = np.zeros(0, np.int64)
        self._doc_rows = np.zeros(0, np.int32)
        self._doc_count = 0
        self._last_doc_id = 0
        # refresh state
        self.last_seen: datetime.datetime | None = None
        self._last_refresh = timezone.now()
        self.version = 0
        self._overlap_micros = self.OVERLAP // _MICROSECOND
        self._tail: np.ndarray | None = None
        self._tail_start = 0
        self._window_rows = 0
        self._window_checked = self._last_refresh
        self._visible_cache: dict[tuple, np.ndarray] = {}

    # -- building ------------------------------------------------------------------------------
    @classmethod
    def build(cls, *, chunk_size: int = 20_000) -> PeopleIndex:
        """Load every person and identity number from the database."""
        index = cls()
        with index._lock:
            index._last_refresh = timezone.now()
            index._ensure_capacity(Person.objects.count() + 1024, exact=True)
            batch = []
            rows = Person.objects.order_by().values_list(*_PERSON_FIELDS)
            for record in rows.iterator(chunk_size=chunk_size):
                batch.append(record)
                if len(batch) == chunk_size:
                    index._append(batch)
                    batch = []
            index._append(batch)
            index._sort_ids()
            index._build_postings()
            documents = IdentityDocument.objects.order_by().values_list("pk", "person_id", "number")
            batch = []
            for document in documents.iterator(chunk_size=50_000):
                batch.append(document)
                if len(batch) == 50_000:
                    index._add_documents(batch)
                    batch = []
            index._add_documents(batch)
            if index.n:
                last = int(index._cols["updated"][: index.n].max())
                index.last_seen = _EPOCH + datetime.timedelta(microseconds=last)
        return index

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
            strings, ids = self._by_length[len(token)]
            strings.append(token)
            ids.append(tid)
            self._phonetic[phonetic(token)].append(tid)
        return tid

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
        """Append records (tuples of _PERSON_FIELDS) as new rows; returns their row numbers."""
        count = len(records)
        start = self.n
        self._ensure_capacity(start + count)
        columns = {name: [] for name in _COLUMNS}
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
            hi, lo = _split_uuid(pk)
            columns["hi"].append(hi)
            columns["lo"].append(lo)
            columns["org"].append(self._org(org_id))
            columns["alive"].append(merged is None)
            columns["birth"].append(_date_int(birth))
            columns["precision"].append(PRECISION.get(precision, 0))
            columns["sex"].append(SEX.get(sex, 0))
            columns["phone"].append(_phone_key(phone))
            columns["updated"].append(_micros(updated))
            columns["ntok"].append(ntok)
        end = start + count
        for name, values in columns.items():
            self._cols[name][start:end] = np.array(values, dtype=_COLUMNS[name]) if values else []
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
        births = self._cols["birth"][: self.n]
        order = np.argsort(births, kind="stable")
        self._births_sorted = births[order]
        self._births_rows = order.astype(np.int32)
        self._births_dirty = []

    def _postings_of(self, tid: int):
        if tid + 1 < len(self._offsets):
            yield self._postings[self._offsets[tid] : self._offsets[tid + 1]]
        delta = self._delta.get(tid)
        if delta is not None:
            yield delta

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
                hi, lo = _split_uuid(pks[i])
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
        keys = [_doc_key(number) for _, _, number in documents]
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

    # -- keeping current -------------------------------------------------------------------------
    def refresh(self) -> int:
        """Apply what changed in the database since the last refresh; returns how many records.

        Usually two or three cheap queries: records updated after the newest one seen, identity
        numbers added since, and a count of the records updated in the overlap window (a
        transaction that began earlier but committed after the last refresh) compared with the
        index's own count — only a difference costs a fetch. Right after a bulk load the window
        holds many rows and counting them costs tens of milliseconds, so then it is counted at
        most every BUSY_WINDOW_EVERY."""
        with self._lock:
            started = timezone.now()
            window = self._last_refresh - self.OVERLAP
            people = Person.objects.order_by()
            if self.last_seen is None:
                recent = list(people.filter(updated_at__gte=window).values_list("pk", "updated_at"))
            else:
                recent = list(people.filter(updated_at__gt=self.last_seen).values_list("pk", "updated_at"))
                if window <= self.last_seen and (
                    self._window_rows < self.BUSY_WINDOW_ROWS
                    or started - self._window_checked >= self.BUSY_WINDOW_EVERY
                ):
                    in_window = people.filter(updated_at__gte=window, updated_at__lte=self.last_seen)
                    self._window_rows, self._window_checked = in_window.count(), started
                    if self._window_rows != self._window_count(window):
                        recent += in_window.values_list("pk", "updated_at")
            changed = []
            if recent:
                rows = self._rows_of([pk for pk, _ in recent])
                updated = self._cols["updated"]
                changed = list(
                    {
                        pk: None
                        for (pk, moment), row in zip(recent, rows, strict=True)
                        if row is None or updated[row] != _micros(moment)
                    }
                )
            new_documents = list(
                IdentityDocument.objects.filter(pk__gt=self._last_doc_id)
                .order_by()
                .values_list("pk", "person_id", "number")
            )
            if changed:
                self._apply(changed)
                changed_set = set(changed)
                new_documents = [d for d in new_documents if d[1] not in changed_set]
            if new_documents:
                self._add_documents(new_documents)
            if recent:
                newest = max(moment for _, moment in recent)
                self.last_seen = newest if self.last_seen is None else max(self.last_seen, newest)
            self._last_refresh = started
            if changed or new_documents:
                self._tail = None
                self.version += 1
                self._visible_cache.clear()
            return len(changed)

    def _window_count(self, window: datetime.datetime) -> int:
        """Current rows whose updated_at is in [window, last_seen] (superseded rows hold 0).

        Counts over a cached "tail" of recently updated rows, recomputed after a change or once
        the window has moved on by more than OVERLAP."""
        start, end = _micros(window), _micros(self.last_seen)
        if self._tail is None or start < self._tail_start or start - self._tail_start > self._overlap_micros:
            self._tail_start = start
            self._tail = np.flatnonzero(self._cols["updated"][: self.n] >= start)
        updated = self._cols["updated"][self._tail]
        return int(np.count_nonzero((updated >= start) & (updated <= end)))

    def _apply(self, pks: list[uuid.UUID]) -> None:
        records, documents = [], []
        for start in range(0, len(pks), 2000):
            chunk = pks[start : start + 2000]
            records += Person.objects.filter(pk__in=chunk).order_by().values_list(*_PERSON_FIELDS)
            documents += IdentityDocument.objects.filter(person_id__in=chunk).values_list(
                "pk", "person_id", "number"
            )
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
                if row is not None:  # superseded: dead, and out of the refresh window counts
                    self._cols["alive"][row] = False
                    self._cols["updated"][row] = 0
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
                rows_array = np.array(rows, np.int32)
                previous = self._delta.get(tid)
                self._delta[tid] = rows_array if previous is None else np.concatenate((previous, rows_array))
                self._delta_size += len(rows)
        self._add_documents(documents)
        if self._delta_size > self.COMPACT_AFTER or len(self._births_dirty) > self.COMPACT_AFTER:
            self._build_postings()

    def reload(self, pks) -> None:
        """Read these records again (they may have been deleted, merged or moved quietly)."""
        with self._lock:
            existing = list(Person.objects.filter(pk__in=pks).values_list("pk", flat=True))
            gone = set(pks) - set(existing)
            for row in self._rows_of(list(gone)):
                if row is not None:
                    self._cols["alive"][row] = False
                    self._cols["updated"][row] = 0
            if existing:
                self._apply(existing)
            self._tail = None
            self.version += 1
            self._visible_cache.clear()

    def _overwrite(self, row: int, record) -> None:
        """Same name words: change the other fields in place."""
        org_id, birth, precision, sex, phone, updated, merged = record[1], *record[6:]
        cols = self._cols
        cols["org"][row] = self._org(org_id)
        was_alive = bool(cols["alive"][row])
        cols["alive"][row] = merged is None
        cols["birth"][row] = _date_int(birth)
        self._births_dirty.append(row)
        cols["precision"][row] = PRECISION.get(precision, 0)
        cols["sex"][row] = SEX.get(sex, 0)
        cols["phone"][row] = _phone_key(phone)
        cols["updated"][row] = _micros(updated)
        if merged is None and not was_alive:
            # Unmerged: its words may have left the postings at the last rebuild.
            for tid in set(self._tokens[row].tolist()) - {-1}:
                previous = self._delta.get(tid)
                row_array = np.array([row], np.int32)
                self._delta[tid] = row_array if previous is None else np.concatenate((previous, row_array))
                self._delta_size += 1

    # -- searching -----------------------------------------------------------------------------
    def _visible(self, organization_ids: frozenset) -> np.ndarray:
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

    def _expand(self, word: str, partial: bool) -> dict[int, tuple[int, str]]:
        """Vocabulary tokens a query word may stand for: token id -> (similarity, how)."""
        key = (word, partial)
        cached = self._expansions.get(key)
        if cached is not None and cached.get(-1, (0,))[0] == len(self.vocab):
            return cached
        found: dict[int, tuple[int, str]] = {}

        def add(tid, similarity, how):
            if tid is not None and found.get(tid, (-1,))[0] < similarity:
                found[tid] = (similarity, how)

        add(self._token_id.get(word), SIM_EXACT, "exact")
        for tid in self._phonetic.get(phonetic(word), ()):
            add(tid, SIM_PHONETIC, "phonetic")
        nicknames = set(NICKNAMES.get(word, ()))
        if partial and len(word) >= 3:
            start = bisect.bisect_left(_NICKNAMES_SORTED, word)
            for nickname in _NICKNAMES_SORTED[start:]:
                if not nickname.startswith(word):
                    break
                nicknames |= NICKNAMES[nickname]
        for name in nicknames:
            add(self._token_id.get(name), SIM_NICKNAME, "nickname")
        max_edits = 2 if len(word) >= 5 else 1 if len(word) >= 2 else 0
        for length in range(len(word) - max_edits, len(word) + max_edits + 1):
            strings, ids = self._by_length.get(length, ((), ()))
            if not strings:
                continue
            for _choice, distance, position in process.extract(
                word, strings, scorer=OSA.distance, score_cutoff=max_edits, limit=None
            ):
                if distance:
                    add(ids[position], SIM_ONE_EDIT if distance == 1 else SIM_TWO_EDITS, "typo")
        if partial:
            if self._sorted_vocab_size != len(self.vocab):
                self._sorted_vocab = sorted(self.vocab)
                self._sorted_vocab_size = len(self.vocab)
            start = bisect.bisect_left(self._sorted_vocab, word)
            for token in self._sorted_vocab[start:]:
                if not token.startswith(word):
                    break
                if token != word:
                    add(self._token_id[token], SIM_PREFIX, "prefix")
        result = dict(found)
        result[-1] = (len(self.vocab), "")  # the vocabulary size it was computed against
        if len(self._expansions) > 20_000:
            self._expansions.clear()
        self._expansions[key] = result
        return result

    def _birth_points(self, birth_date: datetime.date, rows: np.ndarray) -> np.ndarray:
        """0–100 per row: same date 100, day and month swapped 80, same month (month precision) 60,
        same year with a year-only record 50, same year 30."""
        births = self._cols["birth"][rows]
        precision = self._cols["precision"][rows]
        wanted = _date_int(birth_date)
        same_year = births // 10000 == birth_date.year
        points = np.where(same_year, np.uint8(30), np.uint8(0))
        points[(precision == PRECISION["year"]) & same_year] = 50
        points[(precision == PRECISION["month"]) & (births // 100 == wanted // 100)] = 60
        if birth_date.day <= 12 and birth_date.day != birth_date.month:
            points[births == birth_date.year * 10000 + birth_date.day * 100 + birth_date.month] = 80
        points[births == wanted] = 100
        return points

    def _born_that_year(self, year: int) -> np.ndarray:
        """Rows that may have been born in `year` (a superset: check the birth column)."""
        start, end = np.searchsorted(
            self._births_sorted, np.array([year * 10000, (year + 1) * 10000], np.int32)
        )
        rows = self._births_rows[start:end]
        if self._births_dirty:
            rows = np.concatenate((rows, np.array(self._births_dirty, np.int32)))
        return rows

    def search(self, *, organization_ids, query: str, birth_date=None, limit: int = 10) -> list[SearchHit]:
        """Best rows for the query among the visible ones (no database access)."""
        organization_ids = frozenset(organization_ids)
        with self._lock:
            if not self.n or not organization_ids:
                return []
            visible = self._visible(organization_ids)
            compact = re.sub(r"[\s\-./()+]", "", query).upper()
            if compact.isdigit() and len(compact) >= 4:
                return self._search_number(compact, visible, birth_date, limit)
            if re.fullmatch(r"[A-Z0-9]{5,20}", compact) and sum(c.isdigit() for c in compact) >= 3:
                hits = self._search_number(compact, visible, birth_date, limit, phone=False)
                if hits:
                    return hits
            return self._search_name(query, visible, birth_date, limit)

    def _search_number(self, number: str, visible, birth_date, limit: int, *, phone: bool = True):
        found: dict[int, tuple[float, list[str]]] = {}
        keys = self._doc_keys[: self._doc_count]
        for row in self._doc_rows[: self._doc_count][keys == _doc_key(number)].tolist():
            if row >= 0 and visible[row]:
                found[row] = (100.0, [_("same identity number")])
        if phone and len(number) >= 8:
            for row in np.flatnonzero((self._cols["phone"][: self.n] == int(number[-8:])) & visible).tolist():
                score, reasons = found.get(row, (90.0, []))
                found[row] = (score, [*reasons, _("same phone")])
        rows = list(found)[: max(limit, 0)]
        hits = []
        for row in rows:
            score, reasons = found[row]
            if birth_date is not None:
                reasons = reasons + self._birth_reasons(birth_date, row)
            hits.append(SearchHit(self._pk(row), score, reasons))
        return hits

    def _pk(self, row: int) -> uuid.UUID:
        return uuid.UUID(int=(int(self._cols["hi"][row]) << 64) | int(self._cols["lo"][row]))

    def _birth_reasons(self, birth_date, row: int) -> list[str]:
        points = int(self._birth_points(birth_date, np.array([row]))[0])
        if points == 100:
            return [_("same birth date")]
        if points == 80:
            return [_("birth date with day and month swapped")]
        if points == 60:
            return [_("same month and year of birth")]
        if points >= 30:
            return [_("same birth year")]
        return []

    def _search_name(self, query: str, visible, birth_date, limit: int) -> list[SearchHit]:
        query_words = parse_name_query(query)
        if not query_words:
            return []
        expansions = [self._expand(w.text, w.partial) for w in query_words]
        n = self.n
        similarity = np.zeros((len(query_words), n), np.uint8)
        for i, expansion in enumerate(expansions):
            # Ascending similarity: a row with two expansions keeps the best one.
            for tid, (value, _how) in sorted(expansion.items(), key=lambda item: item[1][0]):
                if tid >= 0:
                    for rows in self._postings_of(tid):
                        similarity[i, rows] = value
        total = similarity.sum(axis=0, dtype=np.uint16)
        if birth_date is not None:
            born = self._born_that_year(birth_date.year)
            total[born] += self._birth_points(birth_date, born)
        total *= visible
        candidates = self._candidates(total)
        if not len(candidates):
            return []
        # Rerank the candidates.
        sims = similarity[:, candidates].astype(np.float32)
        matched = sims > 0
        optional = np.array([w.optional for w in query_words])
        may_miss = self._cols["sex"][candidates] != SEX["M"]  # a married "de X" is a woman's
        required = ~optional[:, None]
        required_sum, required_count = (sims * required).sum(axis=0), max(int(required.sum()), 1)
        optional_missing = (optional[:, None] & ~matched).sum(axis=0)
        # A missing married surname costs a woman nothing, and one that matches never hurts her.
        name = sims.sum(axis=0) / np.maximum(len(query_words) - np.where(may_miss, optional_missing, 0), 1)
        name = np.where(may_miss, np.maximum(name, required_sum / required_count), name)
        extra_words = np.maximum(self._cols["ntok"][candidates].astype(np.float32) - matched.sum(axis=0), 0)
        name = np.clip(name - 3.0 * extra_words, 0.0, 100.0)
        if birth_date is not None:
            score = 0.8 * name + 0.2 * self._birth_points(birth_date, candidates)
        else:
            score = name
        best = np.argsort(-score, kind="stable")[: limit + 20]
        typed = " ".join(w.text for w in query_words)
        hits = []
        for position in best.tolist():
            row = int(candidates[position])
            tokens = [t for t in self._tokens[row].tolist() if t >= 0]
            natural = " ".join(self.vocab[t] for t in tokens)
            surnames_first = " ".join(self.vocab[t] for t in tokens[FIRST_AT:] + tokens[:FIRST_AT])
            order = max(fuzz.ratio(typed, natural), fuzz.ratio(typed, surnames_first)) / 100
            value = float(score[position])
            hits.append((value + order, value, row, float(name[position]), sims[:, position]))
        hits.sort(key=lambda hit: -hit[0])  # the word-order bonus only breaks near ties
        return [
            SearchHit(
                self._pk(row),
                round(value, 1),
                self._name_reasons(query_words, expansions, row, name_percent, row_sims, birth_date),
            )
            for _ranking, value, row, name_percent, row_sims in hits[:limit]
            if value >= self.MIN_SCORE
        ]

    def _candidates(self, total: np.ndarray) -> np.ndarray:
        """Rows with the best totals: at least CANDIDATES of them (ties cut at MAX_CANDIDATES).

        Starts with the rows within one word of the best total, and widens only if too few."""
        best = int(total.max()) if len(total) else 0
        if best == 0:
            return np.zeros(0, np.int64)
        floor = best
        while True:
            floor = max(1, floor - SIM_EXACT)
            rows = np.flatnonzero(total >= floor)
            if len(rows) >= self.CANDIDATES or floor == 1:
                break
        values = total[rows]
        counts = np.bincount(values)
        at_least = np.cumsum(counts[::-1])[::-1]  # at_least[v]: rows whose total >= v
        cutoff = max(floor, int(np.flatnonzero(at_least >= min(self.CANDIDATES, len(rows)))[-1]))
        keep = values >= cutoff
        rows, values = rows[keep], values[keep]
        if len(rows) > self.MAX_CANDIDATES:
            above = rows[values > cutoff]
            tied = rows[values == cutoff][: max(self.MAX_CANDIDATES - len(above), 0)]
            rows = np.concatenate((above, tied))
        return rows

    def _name_reasons(self, query_words, expansions, row, name_percent, row_sims, birth_date) -> list[str]:
        reasons = [_("name %(percent)d %%") % {"percent": round(name_percent)}]
        tokens = self._tokens[row].tolist()
        matched_slot: dict[int, int] = {}
        for i, (word, expansion) in enumerate(zip(query_words, expansions, strict=True)):
            if row_sims[i] <= 0:
                typing = word.partial and word.text not in self._token_id  # "de Pé…": not yet
                if word.optional and not typing and self._cols["sex"][row] != SEX["M"]:
                    surname = word.typed[:1].upper() + word.typed[1:]
                    reasons.append(_("married name: de %(surname)s") % {"surname": surname})
                continue
            best = max(
                ((expansion[t][0], slot, t) for slot, t in enumerate(tokens) if t >= 0 and t in expansion),
                default=None,
            )
            if best is None:
                continue
            _value, slot, tid = best
            matched_slot[i] = slot
            if expansion[tid][1] == "nickname":
                name = self.vocab[tid]
                reasons.append(
                    _("nickname %(nickname)s → %(name)s")
                    % {
                        "nickname": NAME_DISPLAY.get(word.text, word.text.capitalize()),
                        "name": NAME_DISPLAY.get(name, name.capitalize()),
                    }
                )
        first = [i for i, slot in matched_slot.items() if FIRST_AT <= slot < SECOND_AT]
        second = [i for i, slot in matched_slot.items() if slot >= SECOND_AT]
        if first and second and min(first) > max(second):
            reasons.append(_("surnames in the other order"))
        if birth_date is not None:
            reasons += self._birth_reasons(birth_date, row)
        return reasons

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
        ]
        return sum(a.nbytes for a in arrays)


# -- the process-wide index and the entry point -------------------------------------------------

_index: PeopleIndex | None = None
_index_lock = threading.Lock()


def get_index() -> PeopleIndex:
    """The process's index, built on first use (later calls wait for the first build)."""
    global _index
    if _index is None:
        with _index_lock:
            if _index is None:
                _index = PeopleIndex.build()
    return _index


def reset_index() -> None:
    """Forget the process's index (tests; after restoring a database)."""
    global _index
    with _index_lock:
        _index = None


def search_people(*, organization_ids, query: str, birth_date=None, limit: int = 10) -> list[SearchHit]:
    """People of `organization_ids` (what the user may see) that match `query`: name words in any
    order, typos, nicknames, swapped surnames, a married "de X" — or an identity number, or a
    phone. Best first, with the reasons in the active language; merged records never appear.
    `birth_date` ranks people born that day (or with day and month swapped, or that year) first.
    Each hit carries its `person`, fetched in one query by primary key.
    """
    organization_ids = frozenset(organization_ids)
    if not organization_ids or not (query or "").strip() or limit <= 0:
        return []
    index = get_index()
    index.refresh()
    for _attempt in range(3):
        hits = index.search(
            organization_ids=organization_ids, query=query, birth_date=birth_date, limit=limit + 5
        )
        # By primary key only: with more conditions SQLite may pick the merged_into index (all rows).
        people = Person.objects.filter(pk__in=[hit.person_id for hit in hits]).order_by()
        by_pk = {person.pk: person for person in people.select_related("nationality", "residence")}
        result, stale = [], []
        for hit in hits:
            person = by_pk.get(hit.person_id)
            if person is None or person.merged_into_id or person.organization_id not in organization_ids:
                # Deleted, or merged or moved without touching updated_at: never shown, and
                # reloaded so that it stops taking the place of a real hit.
                stale.append(hit.person_id)
            else:
                hit.person = person
                result.append(hit)
        if stale:
            index.reload(stale)
        if not stale or len(result) >= limit:
            break
    return result[:limit]
