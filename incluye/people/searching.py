"""Searching the registry: the process's search index, fed from the database and kept current,
and `search_people`, what the application calls. The search itself is `incluye.people.search`
(plain Python); this module is its database side.

- Build: every person and identity number, read in chunks with `values_list`.
- Refresh, at every search: the records whose updated_at is newer than the last one seen — with an
  overlap window, so a transaction that committed late is not missed — are reloaded; identity
  numbers added later are read by primary key.
- Fetch: the hits (as many as asked for, no more) are read in one lean query by primary key —
  the columns a result row shows and the municipality's name, its SQL compiled once per
  connection and number of keys — that also re-checks organization
  and merge, so a stale index can never leak a record; a stale row met there (deleted, or merged
  without touching updated_at) is reloaded and the search repeated, wider.

Build the index when the process starts (e.g. `get_index()` in a thread from a gunicorn hook),
not in the first request; threads of one process share it.
"""

from __future__ import annotations

import datetime
import threading
import uuid
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, connections, router
from django.utils import timezone
from django.utils.translation import gettext

from incluye.core.models import Division
from incluye.people.models import IdentityDocument, Person
from incluye.people.search import RECORD_FIELDS, PeopleIndex, describe
from incluye.people.search.index import EPOCH, MICROSECOND, micros


@dataclass
class SearchHit:
    person_id: uuid.UUID
    score: float  # 0–100
    reasons: list[str]
    person: Person | None = field(default=None, repr=False, compare=False)


class LiveIndex(PeopleIndex):
    """The search index of the registry, refreshed from the database."""

    OVERLAP = datetime.timedelta(minutes=2)  # longest write transaction + clock skew between servers
    BUSY_WINDOW_ROWS = 5_000  # rows updated in the overlap window that make counting them costly
    BUSY_WINDOW_EVERY = datetime.timedelta(seconds=5)

    def __init__(self):
        super().__init__()
        self.last_seen: datetime.datetime | None = None
        self._last_refresh = timezone.now()
        self._overlap_micros = self.OVERLAP // MICROSECOND
        self._tail: np.ndarray | None = None
        self._tail_start = 0
        self._window_rows = 0
        self._window_checked = self._last_refresh
        self._quiet_sql: str | None = None

    @classmethod
    def build(cls, *, chunk_size: int = 20_000) -> LiveIndex:
        """Load every person and identity number from the database."""
        index = cls()
        with index._lock:
            index._last_refresh = timezone.now()
            index._ensure_capacity(Person.objects.count() + 1024, exact=True)
            batch = []
            rows = Person.objects.order_by().values_list(*RECORD_FIELDS)
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
                index.last_seen = EPOCH + datetime.timedelta(microseconds=last)
        return index

    def refresh(self) -> int:
        """Apply what changed in the database since the last refresh; returns how many records.

        In a quiet registry (nothing written since the newest change seen, longer ago than the
        overlap window), one query that finds nothing new. Otherwise two or three cheap queries:
        records updated after the newest one seen, identity numbers added since, and a count of
        the records updated in the overlap window (a
        transaction that began earlier but committed after the last refresh) compared with the
        index's own count — only a difference costs a fetch. Right after a bulk load the window
        holds many rows and counting them costs tens of milliseconds, so then it is counted at
        most every BUSY_WINDOW_EVERY."""
        with self._lock:
            started = timezone.now()
            window = self._last_refresh - self.OVERLAP
            if self.last_seen is not None and window > self.last_seen and self._quiet():
                # Nothing written since the last change seen, nor in the overlap window.
                self._last_refresh = started
                return 0
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
                        if row is None or updated[row] != micros(moment)
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
                self.changed()
            return len(changed)

    def _quiet(self) -> bool:
        """Whether no record was updated after the newest one seen and no identity number added:
        one query, written out once (the usual case, at every search of a quiet registry)."""
        if self._quiet_sql is None:
            quote = connection.ops.quote_name
            person, document = Person._meta, IdentityDocument._meta
            # Table and column names from the models, quoted: nothing typed by anyone.
            people_table, updated = quote(person.db_table), quote(person.get_field("updated_at").column)
            documents_table, document_id = quote(document.db_table), quote(document.pk.column)
            people = f"SELECT 1 FROM {people_table} WHERE {updated} > %s"  # noqa: S608  # nosec B608
            documents = f"SELECT 1 FROM {documents_table} WHERE {document_id} > %s"  # noqa: S608  # nosec B608
            self._quiet_sql = f"SELECT EXISTS ({people}), EXISTS ({documents})"
        moment = connection.ops.adapt_datetimefield_value(self.last_seen)
        with connection.cursor() as cursor:
            cursor.execute(self._quiet_sql, [moment, self._last_doc_id])
            people, documents = cursor.fetchone()
        return not people and not documents

    def _window_count(self, window: datetime.datetime) -> int:
        """Current rows whose updated_at is in [window, last_seen] (superseded rows hold 0).

        Counts over a cached "tail" of recently updated rows, recomputed after a change or once
        the window has moved on by more than OVERLAP."""
        start, end = micros(window), micros(self.last_seen)
        if self._tail is None or start < self._tail_start or start - self._tail_start > self._overlap_micros:
            self._tail_start = start
            self._tail = np.flatnonzero(self._cols["updated"][: self.n] >= start)
        updated = self._cols["updated"][self._tail]
        return int(np.count_nonzero((updated >= start) & (updated <= end)))

    def _apply(self, pks: list[uuid.UUID]) -> None:
        records, documents = [], []
        for start in range(0, len(pks), 2000):
            chunk = pks[start : start + 2000]
            records += Person.objects.filter(pk__in=chunk).order_by().values_list(*RECORD_FIELDS)
            documents += IdentityDocument.objects.filter(person_id__in=chunk).values_list(
                "pk", "person_id", "number"
            )
        self.apply_records(records, documents)

    def reload(self, pks) -> None:
        """Read these records again (they may have been deleted, merged or moved quietly)."""
        with self._lock:
            existing = list(Person.objects.filter(pk__in=pks).values_list("pk", flat=True))
            self.kill(self._rows_of(list(set(pks) - set(existing))))
            if existing:
                self._apply(existing)
            self._tail = None
            self.changed()


# -- the process-wide index and the entry point -------------------------------------------------

_index: LiveIndex | None = None
_index_lock = threading.Lock()


def get_index() -> LiveIndex:
    """The process's index, built on first use (later calls wait for the first build)."""
    global _index
    if _index is None:
        with _index_lock:
            if _index is None:
                _index = LiveIndex.build()
    return _index


def reset_index() -> None:
    """Forget the process's index (tests; after restoring a database)."""
    global _index
    with _index_lock:
        _index = None


# What a hit's person carries: what the result rows, the stubs and the API show, and what the
# re-check needs. Any other field is deferred (reading one costs a query).
HIT_FIELDS = (frozenset(RECORD_FIELDS) - {"pk", "phone", "updated_at"}) | {
    "id",
    "residence_id",
    "created_at",
    "erased_at",
}
_HIT_COLUMNS = tuple(f.attname for f in Person._meta.concrete_fields if f.attname in HIT_FIELDS)
_HIT_NAMES = frozenset(_HIT_COLUMNS)  # what Person.from_db looks each field up in
_RESIDENCE = Person._meta.get_field("residence")


# Compiling the hit query costs more than running it (a handful of rows read by primary key), so
# its SQL is compiled once per database connection and number of keys, and run as it is. Kept per
# thread, as Django's connections are: a thread's compiled queries go with it.
_compiled = threading.local()


def _hit_query_cache() -> dict:
    """This thread's compiled hit queries: (alias, number of keys) -> (SQL, compiler)."""
    cache = getattr(_compiled, "hit_queries", None)
    if cache is None:
        cache = _compiled.hit_queries = {}
    return cache


def _hit_rows(pks: list, alias: str) -> list:
    """The hit columns and the municipality's name of these people (distinct primary keys)."""
    database = connections[alias]
    cache = _hit_query_cache()
    entry = cache.get((alias, len(pks)))
    if entry is None or entry[1].connection is not database:
        entry = _compiled_hit_query(len(pks), alias)
        if entry is not None:
            if len(cache) >= 64:
                cache.clear()
            cache[alias, len(pks)] = entry
    if entry is None:  # the keys are not the query's only parameters: compiled at each search
        sql, params, compiler = _hit_query(pks, alias)
    else:
        sql, compiler = entry
        params = _key_values(pks, database)
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return list(compiler.results_iter(results=[rows]))  # the database's values made Python's


def _compiled_hit_query(count: int, alias: str) -> tuple | None:
    """(SQL, compiler) of the hit query for `count` keys, to run with any keys' values; None where
    the keys are not its only parameters."""
    stand_ins = [uuid.UUID(int=i + 1) for i in range(count)]
    sql, params, compiler = _hit_query(stand_ins, alias)
    return (sql, compiler) if list(params) == _key_values(stand_ins, connections[alias]) else None


def _hit_query(pks, alias):
    query = (
        Person.objects.using(alias)
        .filter(pk__in=pks)
        .order_by()
        .values_list(*_HIT_COLUMNS, "residence__name")
    )
    compiler = query.query.get_compiler(using=alias)
    return (*compiler.as_sql(), compiler)


def _key_values(pks, database) -> list:
    key = Person._meta.pk
    return [key.get_db_prep_value(pk, database) for pk in pks]


def _hit_people(pks) -> dict:
    """The people of these primary keys, in one lean query: the hit's columns and the name of the
    municipality (one join), as Person objects (other fields deferred) with `residence` set.

    By primary key only: with more conditions SQLite may pick the merged_into index (all rows)."""
    pks = list(dict.fromkeys(pks))
    if not pks:
        return {}
    alias = router.db_for_read(Person)
    residence_at = _HIT_COLUMNS.index("residence_id")
    people = {}
    for row in _hit_rows(pks, alias):
        person = Person.from_db(alias, _HIT_NAMES, row[:-1])
        residence_id = row[residence_at]
        if residence_id is not None:
            _RESIDENCE.set_cached_value(
                person, Division.from_db(alias, ("id", "name"), (residence_id, row[-1]))
            )
        people[person.pk] = person
    return people


def search_people(
    *, organization_ids, query: str, birth_date=None, limit: int = 10, birth_precision: str = "day"
) -> list[SearchHit]:
    """People of `organization_ids` (what the user may see) that match `query`: name words in any
    order, typos, nicknames, English names ("Joseph": José), abbreviations ("Ma."), initials, lost
    or extra spaces, swapped surnames, a married "de X" —
    or an identity number, or a phone. Best first (the most complete match, then the most recent),
    with the reasons in the active language; merged records never appear. `birth_date` ranks
    people born that day (or with day and month swapped, or that year) first; `birth_precision`
    ("day", "month", "year") says how much of it is known. Each hit carries
    its `person` (the fields of HIT_FIELDS, its municipality), fetched in one query by primary key.
    """
    organization_ids = frozenset(organization_ids)
    if not organization_ids or not (query or "").strip() or limit <= 0:
        return []
    index = get_index()
    index.refresh()
    wanted = limit
    for _attempt in range(3):
        # Exactly the hits wanted; a stale one (rare) costs another, wider round.
        found = index.search(
            organization_ids=organization_ids,
            query=query,
            birth_date=birth_date,
            limit=wanted,
            birth_precision=birth_precision,
        )
        hits = [SearchHit(index.pk(hit.row), hit.score, describe(hit.reasons, gettext)) for hit in found]
        by_pk = _hit_people([hit.person_id for hit in hits])
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
        wanted = 2 * limit + len(stale)
    return result[:limit]
