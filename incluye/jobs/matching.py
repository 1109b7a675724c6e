"""The matching engine: vacancies for a person, people for a vacancy, each with a score (0–100)
and the reasons. Pure NumPy/SciPy: no Django here (the database side is `incluye.jobs.index`), so
the benchmark can build it from generated arrays at national scale.

Features. Sets with many possible values are sparse blocks of one CSR matrix per side, all sharing
one column space:

    occ    the occupation (O*NET-SOC)                         person 1         vacancy W_OCC
    yrs    (occupation, ≥ t years) for t in YEAR_STEPS        person 1 each    vacancy W_YEARS shared
                                                                               by the steps ≤ asked
    isco   the ISCO-08 group (partial credit: a related job)  person 1         vacancy W_ISCO
    skill  skills (of the person's occupations)               person 1         vacancy W_SKILLS shared,
                                                                               required count double
    lic    licences and cards                                 person 1         vacancy W_LICENCES shared
    std    national standards                                 person 0.5 when  vacancy W_STANDARDS shared
                                                               the profile
                                                               recognises it,
                                                               up to 1 as its
                                                               units are
                                                               certified
    unit   certified units of competence                      person 1         vacancy W_UNITS shared by
                                                                               its standards' units

so the sparse part of the score is one sparse dot product. Attributes with few values are dense
NumPy columns compared vectorially: English (person ≥ asked), location (same municipality, else
same department), availability (available by now) and schedule (bit masks). Requirements are a hard
filter: a second sparse product counts the required licences and standards a person meets. So is
work authorization: a person is matched only on a day inside their authorization period (two day
numbers per person; a national's period has no bounds).

    score = 100 × (sparse dot + dense terms) / (the most the vacancy can give)

Top-k with argpartition; the reasons of the k results are the blocks (and the columns) that
contributed, from the element-wise product of the two rows.

Incremental refresh: each side has a large *main* matrix (and its transpose, for the other
direction) plus a small *delta* matrix of rows added since. A changed person or vacancy gets a new
row in the delta and its old row dies (an `alive` mask); when the delta grows past a fraction of the
main, both merge. `version` counts the changes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

YEAR_STEPS = np.array([1, 2, 3, 5, 10], dtype=np.float32)

W_OCC = 30.0
W_YEARS = 10.0
W_ISCO = 10.0
W_SKILLS = 20.0
W_LICENCES = 10.0
W_STANDARDS = 10.0
W_UNITS = 10.0
W_ENGLISH = 5.0
W_LOCATION = 10.0
W_DEPARTMENT = 6.0
W_AVAILABLE = 5.0
W_SCHEDULE = 5.0
RECOGNISED = 0.5  # a standard the signed profile recognises, not (yet) certified

BLOCKS = ("occ", "yrs", "isco", "skill", "lic", "std", "unit")
DENSE_REASONS = ("english", "location", "department", "availability", "schedule")
NEVER = np.iinfo(np.int32).max  # "not available" as a day number
ALWAYS = 0  # before any day: "authorized since ever" (a national)


@dataclass
class Taxonomy:
    """The fixed vocabularies, as index spaces: occupations (with their ISCO group and skills),
    skills, licences, standards (recognising occupations) and units (of a standard)."""

    n_occ: int
    n_isco: int
    n_skill: int
    n_lic: int
    n_std: int
    n_unit: int
    occ_isco: np.ndarray  # int32 (n_occ,), -1 for none
    occ_skill: sp.csr_matrix  # (n_occ, n_skill) 0/1
    occ_std: sp.csr_matrix  # (n_occ, n_std) 0/1: standards that recognise the occupation
    unit_std: np.ndarray  # int32 (n_unit,)

    def __post_init__(self):
        widths = [
            self.n_occ,
            self.n_occ * len(YEAR_STEPS),
            self.n_isco,
            self.n_skill,
            self.n_lic,
            self.n_std,
            self.n_unit,
        ]
        self.offsets = dict(zip(BLOCKS, np.cumsum([0, *widths[:-1]]).tolist(), strict=True))
        self.width = int(sum(widths))
        self.block_edges = np.array([*np.cumsum([0, *widths])], dtype=np.int64)
        units_per_std = np.bincount(self.unit_std, minlength=self.n_std).astype(np.float32)
        self.units_per_std = np.maximum(units_per_std, 1)
        self.unit_std_matrix = sp.csr_matrix(
            (np.ones(self.n_unit, np.float32), (np.arange(self.n_unit), self.unit_std)),
            shape=(self.n_unit, self.n_std),
        )

    def block_of(self, columns: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.block_edges, columns, side="right") - 1


def _coo(rows, cols, n_rows, n_cols, values=None) -> sp.csr_matrix:
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    values = np.ones(len(rows), np.float32) if values is None else np.asarray(values, np.float32)
    matrix = sp.csr_matrix((values, (rows, cols)), shape=(n_rows, n_cols))
    matrix.sum_duplicates()
    return matrix


@dataclass
class PeopleBatch:
    """People as arrays. Sparse sets are COO pairs (row in the batch, index in the vocabulary)."""

    ids: list
    occ_rows: np.ndarray
    occ_cols: np.ndarray
    occ_years: np.ndarray
    lic_rows: np.ndarray
    lic_cols: np.ndarray
    english: np.ndarray  # int8 0 none … 3 advanced
    municipality: np.ndarray  # int32, -1 unknown
    department: np.ndarray  # int32, -1 unknown
    country: np.ndarray  # int16
    available_from: np.ndarray  # int32 day number (NEVER: not looking)
    schedules: np.ndarray  # uint8 bit mask, 0 = any
    unit_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    unit_cols: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    # Work authorization: the days (numbers) from and until which the person may work. A person is
    # matched only on a day inside it (a hard filter, both ways). Not given: always authorized.
    authorized_from: np.ndarray | None = None  # int32 (ALWAYS: since ever; NEVER: not authorized)
    authorized_until: np.ndarray | None = None  # int32 (NEVER: without end)

    def __post_init__(self):
        n = len(self.ids)
        if self.authorized_from is None:
            self.authorized_from = np.full(n, ALWAYS, np.int32)
        if self.authorized_until is None:
            self.authorized_until = np.full(n, NEVER, np.int32)

    def __len__(self):
        return len(self.ids)


@dataclass
class VacancyBatch:
    ids: list
    occupation: np.ndarray  # int32 (n,)
    min_years: np.ndarray  # float32
    req_skill_rows: np.ndarray
    req_skill_cols: np.ndarray
    des_skill_rows: np.ndarray
    des_skill_cols: np.ndarray
    req_lic_rows: np.ndarray
    req_lic_cols: np.ndarray
    des_lic_rows: np.ndarray
    des_lic_cols: np.ndarray
    req_std_rows: np.ndarray
    req_std_cols: np.ndarray
    des_std_rows: np.ndarray
    des_std_cols: np.ndarray
    english: np.ndarray  # int8
    municipality: np.ndarray
    department: np.ndarray
    country: np.ndarray
    schedule: np.ndarray  # uint8 bit mask, 0 = any
    open: np.ndarray  # bool

    def __len__(self):
        return len(self.ids)


def empty(dtype=np.int64):
    return np.zeros(0, dtype)


# -- encoding --------------------------------------------------------------------------------


def encode_people(tax: Taxonomy, batch: PeopleBatch) -> sp.csr_matrix:
    """People's sparse feature rows (n, width)."""
    n = len(batch)
    rows, cols, vals = [], [], []
    o = tax.offsets
    # occupation, years steps, ISCO group
    rows.append(batch.occ_rows)
    cols.append(o["occ"] + batch.occ_cols)
    vals.append(np.ones(len(batch.occ_rows), np.float32))
    steps = len(YEAR_STEPS)
    reached = batch.occ_years[:, None] >= YEAR_STEPS[None, :]  # (k, steps)
    k_idx, s_idx = np.nonzero(reached)
    rows.append(batch.occ_rows[k_idx])
    cols.append(o["yrs"] + batch.occ_cols[k_idx] * steps + s_idx)
    vals.append(np.ones(len(k_idx), np.float32))
    isco = tax.occ_isco[batch.occ_cols]
    has = isco >= 0
    rows.append(batch.occ_rows[has])
    cols.append(o["isco"] + isco[has])
    vals.append(np.ones(int(has.sum()), np.float32))
    person_occ = _coo(batch.occ_rows, batch.occ_cols, n, tax.n_occ)
    # skills of the person's occupations
    skills = (person_occ @ tax.occ_skill).tocoo()
    rows.append(skills.row)
    cols.append(o["skill"] + skills.col)
    vals.append(np.ones(len(skills.row), np.float32))
    # licences
    rows.append(batch.lic_rows)
    cols.append(o["lic"] + batch.lic_cols)
    vals.append(np.ones(len(batch.lic_rows), np.float32))
    # standards: recognised by the profile (0.5), up to 1 with the share of units certified
    recognised = (person_occ @ tax.occ_std).tocsr()
    recognised.data[:] = RECOGNISED
    units = _coo(batch.unit_rows, batch.unit_cols, n, tax.n_unit)
    certified = (units @ tax.unit_std_matrix).multiply(1.0 / tax.units_per_std[None, :]).tocsr()
    standards = recognised.maximum(certified).tocoo()
    rows.append(standards.row)
    cols.append(o["std"] + standards.col)
    vals.append(standards.data.astype(np.float32))
    rows.append(batch.unit_rows)
    cols.append(o["unit"] + batch.unit_cols)
    vals.append(np.ones(len(batch.unit_rows), np.float32))
    matrix = sp.csr_matrix(
        (
            np.concatenate(vals),
            (np.concatenate(rows).astype(np.int64), np.concatenate(cols).astype(np.int64)),
        ),
        shape=(n, tax.width),
    )
    matrix.sum_duplicates()
    matrix.data = np.minimum(matrix.data, 1).astype(np.float32)
    return matrix


def encode_vacancies(tax: Taxonomy, batch: VacancyBatch):
    """Vacancies' weighted feature rows, requirement rows and the most each can give."""
    n = len(batch)
    o = tax.offsets
    rows, cols, vals = [], [], []
    top = np.zeros(n, np.float32)
    ar = np.arange(n)
    occ = batch.occupation.astype(np.int64)
    rows.append(ar)
    cols.append(o["occ"] + occ)
    vals.append(np.full(n, W_OCC, np.float32))
    top += W_OCC
    # years: the steps up to what is asked (at least the first)
    target = np.maximum(batch.min_years, 1)
    steps = YEAR_STEPS[None, :] <= target[:, None]
    per = W_YEARS / steps.sum(axis=1)
    r, s = np.nonzero(steps)
    rows.append(r)
    cols.append(o["yrs"] + occ[r] * len(YEAR_STEPS) + s)
    vals.append(per[r].astype(np.float32))
    top += W_YEARS
    isco = tax.occ_isco[occ]
    has = isco >= 0
    rows.append(ar[has])
    cols.append(o["isco"] + isco[has])
    vals.append(np.full(int(has.sum()), W_ISCO, np.float32))
    top += np.where(has, W_ISCO, 0)

    def shared(block, weight, parts):
        """`parts`: [(rows, cols, relative weight)]: the block's weight shared in proportion."""
        r = np.concatenate([p[0] for p in parts]).astype(np.int64)
        c = np.concatenate([p[1] for p in parts]).astype(np.int64)
        w = np.concatenate([np.full(len(p[0]), p[2], np.float32) for p in parts])
        if not len(r):
            return np.zeros(n, np.float32)
        m = sp.csr_matrix((w, (r, c)), shape=(n, _width(tax, block)))
        m.sum_duplicates()
        m.data = np.minimum(m.data, max(p[2] for p in parts))
        totals = np.asarray(m.sum(axis=1)).ravel()
        scale = np.divide(weight, totals, out=np.zeros(n, np.float32), where=totals > 0)
        m = sp.diags(scale) @ m
        m = m.tocoo()
        rows.append(m.row)
        cols.append(o[block] + m.col)
        vals.append(m.data.astype(np.float32))
        return np.where(totals > 0, weight, 0).astype(np.float32)

    top += shared(
        "skill",
        W_SKILLS,
        [
            (batch.req_skill_rows, batch.req_skill_cols, 2.0),
            (batch.des_skill_rows, batch.des_skill_cols, 1.0),
        ],
    )
    top += shared(
        "lic",
        W_LICENCES,
        [(batch.req_lic_rows, batch.req_lic_cols, 1.0), (batch.des_lic_rows, batch.des_lic_cols, 1.0)],
    )
    std_rows = np.concatenate([batch.req_std_rows, batch.des_std_rows]).astype(np.int64)
    std_cols = np.concatenate([batch.req_std_cols, batch.des_std_cols]).astype(np.int64)
    top += shared("std", W_STANDARDS, [(std_rows, std_cols, 1.0)])
    # the units of the vacancy's standards
    vac_std = _coo(std_rows, std_cols, n, tax.n_std)
    vac_std.data[:] = 1
    vac_units = (vac_std @ tax.unit_std_matrix.T.tocsr()).tocoo()
    top += shared("unit", W_UNITS, [(vac_units.row, vac_units.col, 1.0)])
    matrix = sp.csr_matrix(
        (
            np.concatenate(vals),
            (np.concatenate(rows).astype(np.int64), np.concatenate(cols).astype(np.int64)),
        ),
        shape=(n, tax.width),
    )
    matrix.sum_duplicates()
    # requirements (hard filter): licences and standards
    req = sp.csr_matrix(
        (
            np.ones(len(batch.req_lic_rows) + len(batch.req_std_rows), np.float32),
            (
                np.concatenate([batch.req_lic_rows, batch.req_std_rows]).astype(np.int64),
                np.concatenate([o["lic"] + batch.req_lic_cols, o["std"] + batch.req_std_cols]).astype(
                    np.int64
                ),
            ),
        ),
        shape=(n, tax.width),
    )
    req.sum_duplicates()
    req.data[:] = 1
    n_req = np.diff(req.indptr).astype(np.int16)
    top += np.where(batch.english > 0, W_ENGLISH, 0)
    top += np.where(batch.municipality >= 0, W_LOCATION, 0)
    top += W_AVAILABLE + W_SCHEDULE
    return matrix.astype(np.float32), req.astype(np.float32), n_req, top.astype(np.float32)


def _width(tax, block):
    i = BLOCKS.index(block)
    return int(tax.block_edges[i + 1] - tax.block_edges[i])


# -- one side of the index ---------------------------------------------------------------------


class Side:
    """Rows of one side (people or vacancies): main + delta sparse matrices, dense columns, ids."""

    DENSE: tuple = ()

    def __init__(self, width: int):
        self.width = width
        self.ids: list = []
        self.row_of: dict = {}
        self.alive = np.zeros(0, bool)
        self.main = sp.csr_matrix((0, width), dtype=np.float32)
        self.main_t = self.main.T.tocsr()
        self.delta = sp.csr_matrix((0, width), dtype=np.float32)
        self.delta_t = self.delta.T.tocsr()
        self.dense = {name: np.zeros(0, dtype) for name, dtype in self.DENSE}

    def __len__(self):
        return len(self.ids)

    @property
    def n_main(self):
        return self.main.shape[0]

    def append(self, ids, matrix, dense: dict, *, into_main=False):
        for entity in ids:
            old = self.row_of.get(entity)
            if old is not None:
                self.alive[old] = False
        start = len(self.ids)
        self.ids.extend(ids)
        for i, entity in enumerate(ids):
            self.row_of[entity] = start + i
        self.alive = np.concatenate([self.alive, np.ones(len(ids), bool)])
        for name, _dtype in self.DENSE:
            self.dense[name] = np.concatenate([self.dense[name], dense[name]])
        if into_main and self.delta.shape[0] == 0:
            self.main = sp.vstack([self.main, matrix], format="csr") if self.n_main else matrix.tocsr()
            self.main_t = self.main.T.tocsr()
        else:
            self.delta = sp.vstack([self.delta, matrix], format="csr")
            if self.delta.shape[0] > max(2000, self.n_main // 20):
                self.main = sp.vstack([self.main, self.delta], format="csr")
                self.main_t = self.main.T.tocsr()
                self.delta = sp.csr_matrix((0, self.width), dtype=np.float32)
            self.delta_t = self.delta.T.tocsr()

    def remove(self, ids):
        for entity in ids:
            row = self.row_of.pop(entity, None)
            if row is not None:
                self.alive[row] = False

    def row(self, r: int) -> sp.csr_matrix:
        return self.main[r] if r < self.n_main else self.delta[r - self.n_main]

    def rows(self, rs: np.ndarray) -> sp.csr_matrix:
        """The rows `rs`, in that order (one fancy index per matrix)."""
        rs = np.asarray(rs, dtype=np.int64)
        in_main = rs < self.n_main
        if in_main.all():
            return self.main[rs]
        if not in_main.any():
            return self.delta[rs - self.n_main]
        stacked = sp.vstack([self.main[rs[in_main]], self.delta[rs[~in_main] - self.n_main]], format="csr")
        order = np.concatenate([np.nonzero(in_main)[0], np.nonzero(~in_main)[0]])
        return stacked[np.argsort(order)]

    def dot(self, query: sp.csr_matrix) -> np.ndarray:
        """query (1, width) · every row → dense (len,)."""
        out = np.zeros(len(self.ids), np.float32)
        if self.n_main:
            out[: self.n_main] = (query @ self.main_t).toarray().ravel()
        if self.delta.shape[0]:
            out[self.n_main :] = (query @ self.delta_t).toarray().ravel()
        return out

    @property
    def nbytes(self) -> int:
        total = sum(a.nbytes for a in self.dense.values()) + self.alive.nbytes
        for m in (self.main, self.main_t, self.delta, self.delta_t):
            total += m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
        return total


class PeopleSide(Side):
    DENSE = (
        ("english", np.int8),
        ("municipality", np.int32),
        ("department", np.int32),
        ("country", np.int16),
        ("available_from", np.int32),
        ("schedules", np.uint8),
        ("authorized_from", np.int32),
        ("authorized_until", np.int32),
    )

    def authorized(self, today: int) -> np.ndarray:
        d = self.dense
        return (d["authorized_from"] <= today) & (today <= d["authorized_until"])


class VacancySide(Side):
    DENSE = (
        ("english", np.int8),
        ("municipality", np.int32),
        ("department", np.int32),
        ("country", np.int16),
        ("schedule", np.uint8),
        ("open", bool),
        ("top", np.float32),
        ("n_req", np.int16),
    )

    def __init__(self, width):
        super().__init__(width)
        # requirements (hard filter), one row per vacancy row: few rows have any
        self.req = sp.csr_matrix((0, width), dtype=np.float32)

    def append_requirements(self, req):
        self.req = sp.vstack([self.req, req], format="csr")


@dataclass
class Match:
    id: object
    score: float
    reasons: list  # [{"block": ..., "points": ..., "columns": [...]}]


class Engine:
    """Both sides and the queries. Thread-safe for queries while one thread refreshes."""

    def __init__(self, taxonomy: Taxonomy):
        self.tax = taxonomy
        self.people = PeopleSide(taxonomy.width)
        self.vacancies = VacancySide(taxonomy.width)
        self.version = 0
        self.lock = threading.RLock()

    # -- writes ------------------------------------------------------------------------------

    def upsert_people(self, batch: PeopleBatch, *, bulk=False):
        matrix = encode_people(self.tax, batch)
        dense = {name: getattr(batch, name) for name, _ in PeopleSide.DENSE}
        with self.lock:
            self.people.append(list(batch.ids), matrix, dense, into_main=bulk)
            self.version += 1

    def upsert_vacancies(self, batch: VacancyBatch, *, bulk=False):
        matrix, req, n_req, top = encode_vacancies(self.tax, batch)
        dense = {name: getattr(batch, name) for name, _ in VacancySide.DENSE if name not in ("top", "n_req")}
        dense.update(top=top, n_req=n_req)
        with self.lock:
            self.vacancies.append(list(batch.ids), matrix, dense, into_main=bulk)
            self.vacancies.append_requirements(req)
            self.version += 1

    def remove_people(self, ids):
        with self.lock:
            self.people.remove(ids)
            self.version += 1

    def remove_vacancies(self, ids):
        with self.lock:
            self.vacancies.remove(ids)
            self.version += 1

    # -- queries -----------------------------------------------------------------------------

    def vacancies_for_person(self, person_id, *, k=20, today: int = 0, query=None) -> list[Match]:
        """The k best open vacancies of the person's country. `query`: a (1, width) row and its
        dense attributes for a person not in the index (a caseworker looking before consent)."""
        with self.lock:
            if query is None:
                r = self.people.row_of.get(person_id)
                if r is None:
                    return []
                row = self.people.row(r)
                attrs = {name: self.people.dense[name][r] for name, _ in PeopleSide.DENSE}
            else:
                row, attrs = query
            if not (attrs["authorized_from"] <= today <= attrs["authorized_until"]):
                return []  # not authorized to work today: no vacancy is a match
            V = self.vacancies
            work, licences = self._split(row)
            raw = V.dot(work)
            substantive = raw > 0  # something of the work itself in common, not only place or papers
            raw += V.dot(licences)
            d = V.dense
            asks_english = d["english"] > 0
            english = asks_english & (attrs["english"] >= d["english"])
            same_muni = (d["municipality"] >= 0) & (d["municipality"] == attrs["municipality"])
            same_dept = ~same_muni & (d["department"] >= 0) & (d["department"] == attrs["department"])
            available = attrs["available_from"] <= today
            schedule = (
                (d["schedule"] == 0) | (attrs["schedules"] == 0) | ((d["schedule"] & attrs["schedules"]) > 0)
            )
            raw += W_ENGLISH * english + W_LOCATION * same_muni + W_DEPARTMENT * same_dept
            raw += W_AVAILABLE * available + W_SCHEDULE * schedule
            ok = substantive & V.alive & d["open"] & (d["country"] == attrs["country"])
            needs = d["n_req"] > 0
            if needs.any():
                binary = row.copy()
                binary.data[:] = 1
                met = np.asarray((V.req @ binary.T).todense()).ravel()
                ok &= ~needs | (met >= d["n_req"])
            score = np.where(ok, 100.0 * raw / np.maximum(d["top"], 1), -1.0)
            top = _top_k(score, k)
            if not len(top):
                return []
            contributions = V.rows(top).multiply(row).tocsr()
            dense_parts = {
                "english": W_ENGLISH * english[top],
                "location": W_LOCATION * same_muni[top],
                "department": W_DEPARTMENT * same_dept[top],
                "availability": W_AVAILABLE * np.full(len(top), available),
                "schedule": W_SCHEDULE * schedule[top],
            }
            return [
                Match(V.ids[r], float(score[r]), self._reasons(contributions, i, dense_parts))
                for i, r in enumerate(top)
            ]

    def people_for_vacancy(self, vacancy_id, *, k=50, today: int = 0, exclude=()) -> list[Match]:
        with self.lock:
            V, P = self.vacancies, self.people
            r = V.row_of.get(vacancy_id)
            if r is None or not V.alive[r]:
                return []
            row = V.row(r)
            d = P.dense
            v = {name: V.dense[name][r] for name, _ in VacancySide.DENSE}
            work, licences = self._split(row)
            raw = P.dot(work)
            substantive = raw > 0
            raw += P.dot(licences)
            english = (d["english"] >= v["english"]) if v["english"] > 0 else np.zeros(len(P), bool)
            if v["municipality"] >= 0:
                same_muni = d["municipality"] == v["municipality"]
            else:
                same_muni = np.zeros(len(P), bool)
            if v["department"] >= 0:
                same_dept = ~same_muni & (d["department"] == v["department"])
            else:
                same_dept = np.zeros(len(P), bool)
            available = d["available_from"] <= today
            if v["schedule"]:
                schedule = (d["schedules"] == 0) | ((d["schedules"] & v["schedule"]) > 0)
            else:
                schedule = np.ones(len(P), bool)
            raw += W_ENGLISH * english + W_LOCATION * same_muni + W_DEPARTMENT * same_dept
            raw += W_AVAILABLE * available + W_SCHEDULE * schedule
            ok = substantive & P.alive & (d["country"] == v["country"]) & P.authorized(today)
            if v["n_req"] > 0:
                req = V.req[r]
                binary_t_main = P.main_t
                met = np.zeros(len(P), np.float32)
                # count the required columns each person has (binary): rows of the transposes
                for col in req.indices:
                    for part, offset in ((binary_t_main, 0), (P.delta_t, P.n_main)):
                        if part.shape[1]:
                            hit = part.indices[part.indptr[col] : part.indptr[col + 1]]
                            met[offset + hit] += 1
                ok &= met >= v["n_req"]
            for entity in exclude:
                pr = P.row_of.get(entity)
                if pr is not None:
                    ok[pr] = False
            score = np.where(ok, 100.0 * raw / max(float(v["top"]), 1.0), -1.0)
            top = _top_k(score, k)
            if not len(top):
                return []
            contributions = P.rows(top).multiply(row).tocsr()
            dense_parts = {
                "english": W_ENGLISH * english[top],
                "location": W_LOCATION * same_muni[top],
                "department": W_DEPARTMENT * same_dept[top],
                "availability": W_AVAILABLE * available[top],
                "schedule": W_SCHEDULE * schedule[top],
            }
            return [
                Match(P.ids[p], float(score[p]), self._reasons(contributions, i, dense_parts))
                for i, p in enumerate(top)
            ]

    def authorization_lapsed(self, today: int) -> list:
        """People whose authorization period ended before `today`: a later period (a renewed
        permit) may start, so the index reads them again."""
        with self.lock:
            P = self.people
            lapsed = P.alive & (P.dense["authorized_until"] < today)
            return [P.ids[r] for r in np.nonzero(lapsed)[0]]

    def _split(self, row: sp.csr_matrix):
        """The row's work columns (occupation, years, ISCO, skills, standards, units) and its
        licence columns: sharing only licences is not a match."""
        start = self.tax.offsets["lic"]
        end = start + self.tax.n_lic
        is_lic = (row.indices >= start) & (row.indices < end)
        work, licences = row.copy(), row.copy()
        work.data = np.where(is_lic, 0, row.data).astype(np.float32)
        licences.data = np.where(is_lic, row.data, 0).astype(np.float32)
        work.eliminate_zeros()
        licences.eliminate_zeros()
        return work, licences

    def _reasons(self, contributions: sp.csr_matrix, i: int, dense_parts: dict) -> list:
        start, end = contributions.indptr[i], contributions.indptr[i + 1]
        cols, vals = contributions.indices[start:end], contributions.data[start:end]
        reasons = []
        if len(cols):
            blocks = self.tax.block_of(cols)
            for b, name in enumerate(BLOCKS):
                hit = blocks == b
                if hit.any():
                    local = cols[hit] - self.tax.block_edges[b]
                    reasons.append(
                        {"block": name, "points": float(vals[hit].sum()), "columns": local.tolist()}
                    )
        for name in DENSE_REASONS:
            points = float(dense_parts[name][i])
            if points > 0:
                reasons.append({"block": name, "points": points, "columns": []})
        return reasons

    @property
    def nbytes(self) -> int:
        return (
            self.people.nbytes
            + self.vacancies.nbytes
            + sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in (self.vacancies.req,))
        )


def _top_k(score: np.ndarray, k: int) -> np.ndarray:
    valid = int((score >= 0).sum())
    k = min(k, valid)
    if k <= 0:
        return np.zeros(0, np.int64)
    top = np.argpartition(-score, k - 1)[:k] if k < len(score) else np.arange(len(score))
    top = top[score[top] >= 0]
    return top[np.argsort(-score[top], kind="stable")]
