"""Benchmark of the matching engine (incluye/jobs/matching.py) at national scale, from generated
arrays (no database): 1 000 000 people with profiles and 100 000 open vacancies.

    .venv/bin/python bench/matching.py                      # full size
    .venv/bin/python bench/matching.py --people 100000 --vacancies 10000

Reports: index build time, memory (the matrices' bytes and the growth of the process's RSS),
p50/p95 of the top-20 vacancies for a person and of the top-50 people for a vacancy over random
queries, precision@10 on a planted ground truth, and the same queries done the naive way (SQL
scoring with joins and GROUP BY, SQLite in memory, indexed) at --naive-people/--naive-vacancies,
side by side with the engine at that size.

Synthetic taxonomy of O*NET's size: 1 000 occupations in 400 ISCO groups, 3 000 skills (12 per
occupation, 8 of them shared within the ISCO group), 16 licences, 400 standards with 5 units each,
340 municipalities in 23 departments. Occupation popularity is Zipf-like.

Planted ground truth: for 1 000 "test" people, 10 vacancies are generated from the person's own
profile with noise (fewer years asked, some of their skills, a licence they hold or none, the same
municipality or department) → precision@10 of the person's top 10 vacancies. For 1 000 "test"
vacancies generated from a seed person, 10 near-copies of the seed are planted among the people
(years ± 30 %, a skill or licence dropped, same department) → precision@10 of the vacancy's top 10
people (the seed and its copies are the right candidates). Other, random people or vacancies can be
as good a match: precision@10 is a lower bound of the ranking's quality.
"""

import argparse
import gc
import os
import resource
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from incluye.jobs import matching as m

N_OCC, N_ISCO, N_SKILL, N_LIC, N_STD, UNITS_PER_STD = 1000, 400, 3000, 16, 400, 5
N_MUNI, MUNI_PER_DEPT = 340, 15
TODAY = 740000


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def taxonomy(rng):
    occ_isco = rng.integers(0, N_ISCO, N_OCC).astype(np.int32)
    group_pool = rng.integers(0, N_SKILL, (N_ISCO, 20))
    rows, cols = [], []
    for o in range(N_OCC):
        skills = set(rng.choice(group_pool[occ_isco[o]], 8, replace=False).tolist())
        skills |= set(rng.integers(0, N_SKILL, 4).tolist())
        rows += [o] * len(skills)
        cols += sorted(skills)
    occ_skill = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(N_OCC, N_SKILL))
    # standard j recognises the occupations of ISCO group j
    occ_std = sp.csr_matrix(
        (np.ones(N_OCC, np.float32), (np.arange(N_OCC), occ_isco % N_STD)), shape=(N_OCC, N_STD)
    )
    tax = m.Taxonomy(
        n_occ=N_OCC,
        n_isco=N_ISCO,
        n_skill=N_SKILL,
        n_lic=N_LIC,
        n_std=N_STD,
        n_unit=N_STD * UNITS_PER_STD,
        occ_isco=occ_isco,
        occ_skill=occ_skill,
        occ_std=occ_std,
        unit_std=np.repeat(np.arange(N_STD), UNITS_PER_STD).astype(np.int32),
    )
    return tax


def popular_occupations(rng, n):
    weights = 1.0 / (np.arange(N_OCC) + 10.0)
    return rng.choice(N_OCC, n, p=weights / weights.sum())


def generate_people(rng, tax, n, n_test, copies=10):
    """n people; the last n_test × copies are near-copies of n_test seeds (planted)."""
    n_random = n - n_test * copies
    two = rng.random(n) < 0.3
    occ_rows = np.concatenate([np.arange(n), np.nonzero(two)[0]])
    occ_cols = popular_occupations(rng, len(occ_rows))
    years = np.clip(rng.gamma(2.0, 2.5, len(occ_rows)), 0.5, 25).astype(np.float32)
    n_lic = rng.poisson(0.7, n).clip(0, 3)
    lic_rows = np.repeat(np.arange(n), n_lic)
    lic_cols = rng.integers(0, N_LIC, len(lic_rows))
    english = rng.choice(4, n, p=[0.4, 0.35, 0.2, 0.05]).astype(np.int8)
    muni = rng.integers(0, N_MUNI, n).astype(np.int32)
    r = rng.random(n)
    available = np.where(r < 0.85, 0, np.where(r < 0.95, TODAY + rng.integers(1, 90, n), m.NEVER)).astype(
        np.int32
    )
    schedules = np.where(rng.random(n) < 0.5, 0, rng.integers(1, 16, n)).astype(np.uint8)
    certified = np.nonzero(rng.random(n) < 0.05)[0]
    first_occ = occ_cols[:n]
    unit_rows = np.repeat(certified, 3)
    std = tax.occ_isco[first_occ[certified]] % N_STD
    unit_cols = np.repeat(std, 3) * UNITS_PER_STD + np.tile(np.arange(3), len(certified))

    # planted copies of seeds (seeds: random people among the first n_random)
    seeds = rng.choice(n_random, n_test, replace=False)
    primary = {}  # person -> (occ, years) of the first occupation
    for k, seed in enumerate(seeds):
        for c in range(copies):
            p = n_random + k * copies + c
            muni[p] = (
                muni[seed]
                if rng.random() < 0.7
                else (muni[seed] // MUNI_PER_DEPT) * MUNI_PER_DEPT + rng.integers(0, MUNI_PER_DEPT)
            )
            english[p] = english[seed]
            available[p] = 0
            schedules[p] = schedules[seed]
            primary[p] = seed
    # copies: same first occupation, years ± 30 %, the seed's licences
    copy_ids = np.array(sorted(primary), dtype=np.int64)
    seed_of = np.array([primary[p] for p in copy_ids], dtype=np.int64)
    occ_cols[copy_ids] = occ_cols[seed_of]
    years[copy_ids] = (years[seed_of] * rng.uniform(0.7, 1.3, len(copy_ids))).astype(np.float32)
    keep = ~np.isin(lic_rows, copy_ids)
    seed_lic = np.isin(lic_rows, seed_of)
    mapping = {}
    for p, s in zip(copy_ids.tolist(), seed_of.tolist(), strict=True):
        mapping.setdefault(s, []).append(p)
    extra_rows, extra_cols = [], []
    for row, col in zip(lic_rows[seed_lic].tolist(), lic_cols[seed_lic].tolist(), strict=True):
        for p in mapping.get(row, ()):
            extra_rows.append(p)
            extra_cols.append(col)
    lic_rows = np.concatenate([lic_rows[keep], np.array(extra_rows, np.int64)])
    lic_cols = np.concatenate([lic_cols[keep], np.array(extra_cols, np.int64)])
    # second occupations of copies: dropped (noise)
    keep_occ = ~(np.isin(occ_rows, copy_ids) & (np.arange(len(occ_rows)) >= n))
    batch = m.PeopleBatch(
        ids=list(range(n)),
        occ_rows=occ_rows[keep_occ],
        occ_cols=occ_cols[keep_occ],
        occ_years=years[keep_occ],
        lic_rows=lic_rows,
        lic_cols=lic_cols,
        english=english,
        municipality=muni,
        department=(muni // MUNI_PER_DEPT).astype(np.int32),
        country=np.zeros(n, np.int16),
        available_from=available,
        schedules=schedules,
        unit_rows=unit_rows,
        unit_cols=unit_cols,
    )
    truth = {int(seed): {int(seed), *mapping[int(seed)]} for seed in seeds}
    return batch, truth


def generate_vacancies(rng, tax, people: m.PeopleBatch, n, test_people, per_test=10):
    """n vacancies, each generated from a random seed person; per_test of them from each test person."""
    n_people = len(people)
    first = np.full(n_people, -1, np.int64)
    first_years = np.zeros(n_people, np.float32)
    order = np.arange(len(people.occ_rows))[::-1]  # first occupation wins
    first[people.occ_rows[order]] = people.occ_cols[order]
    first_years[people.occ_rows[order]] = people.occ_years[order]
    planted = np.repeat(np.asarray(test_people, np.int64), per_test)
    seeds = np.concatenate([rng.integers(0, n_people, n - len(planted)), planted])
    occupation = first[seeds].astype(np.int32)
    min_years = np.floor(first_years[seeds] * rng.uniform(0.3, 1.0, n)).astype(np.float32)
    occ_skill = tax.occ_skill.tocsr()
    req_rows, req_cols, des_rows, des_cols = [], [], [], []
    for v in range(n):
        skills = occ_skill.indices[occ_skill.indptr[occupation[v]] : occ_skill.indptr[occupation[v] + 1]]
        chosen = rng.permutation(skills)[:5]
        req_rows += [v] * 3
        req_cols += chosen[:3].tolist()
        des_rows += [v] * (len(chosen) - 3)
        des_cols += chosen[3:].tolist()
    lic_csr = sp.csr_matrix(
        (np.ones(len(people.lic_rows)), (people.lic_rows, people.lic_cols)), shape=(n_people, N_LIC)
    )
    req_lic_rows, req_lic_cols = [], []
    for v, seed in enumerate(seeds.tolist()):
        held = lic_csr.indices[lic_csr.indptr[seed] : lic_csr.indptr[seed + 1]]
        if len(held) and rng.random() < 0.5:
            req_lic_rows.append(v)
            req_lic_cols.append(int(held[0]))
    muni = people.municipality[seeds].copy()
    moved = rng.random(n) < 0.2
    muni[moved] = (muni[moved] // MUNI_PER_DEPT) * MUNI_PER_DEPT + rng.integers(
        0, MUNI_PER_DEPT, int(moved.sum())
    )
    english = np.minimum(people.english[seeds], rng.integers(0, 4, n)).astype(np.int8)
    schedule = np.where(rng.random(n) < 0.5, 0, 1 << rng.integers(0, 4, n)).astype(np.uint8)
    batch = m.VacancyBatch(
        ids=list(range(n)),
        occupation=occupation,
        min_years=min_years,
        req_skill_rows=np.array(req_rows, np.int64),
        req_skill_cols=np.array(req_cols, np.int64),
        des_skill_rows=np.array(des_rows, np.int64),
        des_skill_cols=np.array(des_cols, np.int64),
        req_lic_rows=np.array(req_lic_rows, np.int64),
        req_lic_cols=np.array(req_lic_cols, np.int64),
        des_lic_rows=m.empty(),
        des_lic_cols=m.empty(),
        req_std_rows=m.empty(),
        req_std_cols=m.empty(),
        des_std_rows=np.arange(n, dtype=np.int64)[rng.random(n) < 0.2],
        des_std_cols=m.empty(),
        english=english,
        municipality=muni.astype(np.int32),
        department=(muni // MUNI_PER_DEPT).astype(np.int32),
        country=np.zeros(n, np.int16),
        schedule=schedule,
        open=np.ones(n, bool),
    )
    batch.des_std_cols = (tax.occ_isco[occupation[batch.des_std_rows]] % N_STD).astype(np.int64)
    truth = {
        int(p): set(range(n - len(planted) + i * per_test, n - len(planted) + (i + 1) * per_test))
        for i, p in enumerate(test_people)
    }
    return batch, truth, seeds


def percentiles(samples):
    a = np.array(samples) * 1000
    return float(np.percentile(a, 50)), float(np.percentile(a, 95))


def timed(fn, items):
    samples = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        samples.append(time.perf_counter() - t)
    return samples


# -- the naive way: SQL scoring ----------------------------------------------------------------


def naive_database(tax, people: m.PeopleBatch, vacancies: m.VacancyBatch):
    db = sqlite3.connect(":memory:")
    db.executescript(
        """
        create table person(id integer primary key, english int, muni int, dept int, available int);
        create table person_occ(person int, occ int, isco int, years real);
        create table person_skill(person int, skill int);
        create table person_lic(person int, lic int);
        create table vacancy(id integer primary key, occ int, isco int, min_years real, english int,
                             muni int, dept int);
        create table vacancy_skill(vacancy int, skill int, weight real);
        create table vacancy_req_lic(vacancy int, lic int);
        """
    )
    n = len(people)
    db.executemany(
        "insert into person values (?,?,?,?,?)",
        zip(
            range(n),
            people.english.tolist(),
            people.municipality.tolist(),
            people.department.tolist(),
            (people.available_from <= TODAY).astype(int).tolist(),
            strict=True,
        ),
    )
    db.executemany(
        "insert into person_occ values (?,?,?,?)",
        zip(
            people.occ_rows.tolist(),
            people.occ_cols.tolist(),
            tax.occ_isco[people.occ_cols].tolist(),
            people.occ_years.tolist(),
            strict=True,
        ),
    )
    person_occ = sp.csr_matrix(
        (np.ones(len(people.occ_rows)), (people.occ_rows, people.occ_cols)), shape=(n, N_OCC)
    )
    skills = (person_occ @ tax.occ_skill).tocoo()
    db.executemany(
        "insert into person_skill values (?,?)", zip(skills.row.tolist(), skills.col.tolist(), strict=True)
    )
    db.executemany(
        "insert into person_lic values (?,?)",
        zip(people.lic_rows.tolist(), people.lic_cols.tolist(), strict=True),
    )
    nv = len(vacancies)
    db.executemany(
        "insert into vacancy values (?,?,?,?,?,?,?)",
        zip(
            range(nv),
            vacancies.occupation.tolist(),
            tax.occ_isco[vacancies.occupation].tolist(),
            vacancies.min_years.tolist(),
            vacancies.english.tolist(),
            vacancies.municipality.tolist(),
            vacancies.department.tolist(),
            strict=True,
        ),
    )
    db.executemany(
        "insert into vacancy_skill values (?,?,?)",
        [
            (r, c, 2.0)
            for r, c in zip(vacancies.req_skill_rows.tolist(), vacancies.req_skill_cols.tolist(), strict=True)
        ]
        + [
            (r, c, 1.0)
            for r, c in zip(vacancies.des_skill_rows.tolist(), vacancies.des_skill_cols.tolist(), strict=True)
        ],
    )
    db.executemany(
        "insert into vacancy_req_lic values (?,?)",
        zip(vacancies.req_lic_rows.tolist(), vacancies.req_lic_cols.tolist(), strict=True),
    )
    db.executescript(
        """
        create index po_occ on person_occ(occ); create index po_isco on person_occ(isco);
        create index po_person on person_occ(person);
        create index ps_skill on person_skill(skill); create index ps_person on person_skill(person);
        create index pl_person on person_lic(person, lic);
        create index v_occ on vacancy(occ); create index v_isco on vacancy(isco);
        create index vs_vacancy on vacancy_skill(vacancy); create index vs_skill on vacancy_skill(skill);
        create index vr_vacancy on vacancy_req_lic(vacancy);
        """
    )
    return db


# The same score as the engine, less the standards/units blocks and schedule: occupation, years,
# ISCO group, skills, location, English, availability; the required licences as a filter.
NAIVE_PEOPLE = """
with v as (select * from vacancy where id = :v),
cand as (
  select po.person, max(case when po.occ = v.occ then 30 + 10 * min(po.years, max(v.min_years, 1))
                                / max(v.min_years, 1) else 0 end) + max(case when po.isco = v.isco then 10 else 0 end) as s
  from person_occ po, v where po.occ = v.occ or po.isco = v.isco group by po.person
  union all
  select ps.person, 20.0 * vs.weight / (select sum(weight) from vacancy_skill where vacancy = :v)
  from vacancy_skill vs join person_skill ps on ps.skill = vs.skill where vs.vacancy = :v
)
select cand.person, sum(cand.s) + max(case when p.muni = v.muni then 10 when p.dept = v.dept then 6 else 0 end)
       + max(case when v.english > 0 and p.english >= v.english then 5 else 0 end) + max(5 * p.available) as score
from cand join person p on p.id = cand.person, v
where not exists (select 1 from vacancy_req_lic r where r.vacancy = :v
                  and not exists (select 1 from person_lic l where l.person = p.id and l.lic = r.lic))
group by cand.person order by score desc limit 50
"""

NAIVE_VACANCIES = """
with p as (select * from person where id = :p),
cand as (
  select v.id as vacancy, max(case when v.occ = po.occ then 30 + 10 * min(po.years, max(v.min_years, 1))
                                   / max(v.min_years, 1) else 0 end) + max(case when v.isco = po.isco then 10 else 0 end) as s
  from person_occ po join vacancy v on v.occ = po.occ or v.isco = po.isco where po.person = :p group by v.id
  union all
  select vs.vacancy, 20.0 * vs.weight / (select sum(weight) from vacancy_skill w where w.vacancy = vs.vacancy)
  from person_skill ps join vacancy_skill vs on vs.skill = ps.skill where ps.person = :p
)
select cand.vacancy, sum(cand.s) + max(case when v.muni = p.muni then 10 when v.dept = p.dept then 6 else 0 end)
       + max(case when v.english > 0 and p.english >= v.english then 5 else 0 end) as score
from cand join vacancy v on v.id = cand.vacancy, p
where not exists (select 1 from vacancy_req_lic r where r.vacancy = v.id
                  and not exists (select 1 from person_lic l where l.person = :p and l.lic = r.lic))
group by cand.vacancy order by score desc limit 20
"""


def run(args):
    rng = np.random.default_rng(args.seed)
    tax = taxonomy(rng)
    print(f"people {args.people:,}  vacancies {args.vacancies:,}  queries {args.queries:,}", flush=True)
    t = time.perf_counter()
    people, people_truth = generate_people(rng, tax, args.people, args.tests)
    n_random = args.people - args.tests * 10
    test_people = rng.choice(n_random, args.tests, replace=False)
    vacancies, vacancy_truth, _seeds = generate_vacancies(rng, tax, people, args.vacancies, test_people)
    print(f"generated in {time.perf_counter() - t:.1f} s", flush=True)

    gc.collect()
    rss_before = rss_mib()
    t = time.perf_counter()
    engine = m.Engine(tax)
    engine.upsert_people(people, bulk=True)
    t_people = time.perf_counter() - t
    engine.upsert_vacancies(vacancies, bulk=True)
    build = time.perf_counter() - t
    gc.collect()
    rss_after = rss_mib()
    print(f"index build {build:.1f} s (people {t_people:.1f} s, vacancies {build - t_people:.1f} s)")
    print(
        f"memory: matrices {engine.nbytes / 2**20:,.0f} MiB; process RSS +{rss_after - rss_before:,.0f} MiB "
        f"(now {rss_after:,.0f} MiB, peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB)"
    )
    print(f"nnz: people {engine.people.main.nnz:,}, vacancies {engine.vacancies.main.nnz:,}", flush=True)

    persons = rng.integers(0, args.people, args.queries)
    vacs = rng.integers(0, args.vacancies, args.queries)
    engine.vacancies_for_person(int(persons[0]), k=20, today=TODAY)  # warm
    p_samples = timed(lambda p: engine.vacancies_for_person(int(p), k=20, today=TODAY), persons)
    v_samples = timed(lambda v: engine.people_for_vacancy(int(v), k=50, today=TODAY), vacs)
    p50, p95 = percentiles(p_samples)
    print(f"top-20 vacancies for a person: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    q50, q95 = percentiles(v_samples)
    print(f"top-50 people for a vacancy:   p50 {q50:.1f} ms, p95 {q95:.1f} ms", flush=True)

    # incremental refresh: 1 000 changed people, 100 changed vacancies
    t = time.perf_counter()
    changed = rng.choice(args.people, 1000, replace=False)
    mask = np.isin(people.occ_rows, changed)
    remap = {int(p): i for i, p in enumerate(changed)}
    lic_mask = np.isin(people.lic_rows, changed)
    sub = m.PeopleBatch(
        ids=[int(p) for p in changed],
        occ_rows=np.array([remap[int(r)] for r in people.occ_rows[mask]], np.int64),
        occ_cols=people.occ_cols[mask],
        occ_years=people.occ_years[mask] + 1,
        lic_rows=np.array([remap[int(r)] for r in people.lic_rows[lic_mask]], np.int64),
        lic_cols=people.lic_cols[lic_mask],
        english=people.english[changed],
        municipality=people.municipality[changed],
        department=people.department[changed],
        country=people.country[changed],
        available_from=people.available_from[changed],
        schedules=people.schedules[changed],
    )
    engine.upsert_people(sub)
    refresh = time.perf_counter() - t
    print(
        f"refresh of 1 000 changed people: {refresh * 1000:.0f} ms (delta rows {engine.people.delta.shape[0]:,})"
    )
    p_after = timed(lambda p: engine.vacancies_for_person(int(p), k=20, today=TODAY), persons[:200])
    v_after = timed(lambda v: engine.people_for_vacancy(int(v), k=50, today=TODAY), vacs[:200])
    print(
        f"after the refresh: person p95 {percentiles(p_after)[1]:.1f} ms, vacancy p95 {percentiles(v_after)[1]:.1f} ms",
        flush=True,
    )

    # ranking quality
    hits = []
    for p, planted in vacancy_truth.items():
        top = [match.id for match in engine.vacancies_for_person(p, k=10, today=TODAY)]
        hits.append(len(set(top) & planted) / 10)
    print(f"precision@10, vacancies for a person (10 planted each, {len(hits)} people): {np.mean(hits):.3f}")
    hits = []
    for seed, group in people_truth.items():
        # a vacancy generated from the seed's profile, like the employers' ones
        first = engine.people.row(seed).indices
        occ = int(first[first < tax.n_occ][0])
        single = one_vacancy(rng, tax, people, seed, occ, f"t{seed}")
        engine.upsert_vacancies(single)
        top = [match.id for match in engine.people_for_vacancy(f"t{seed}", k=10, today=TODAY)]
        hits.append(len(set(top) & group) / 10)
    print(
        f"precision@10, people for a vacancy (seed + 10 planted copies, {len(hits)} vacancies): {np.mean(hits):.3f}"
    )

    if args.naive_people:
        naive(args, rng, tax)


def one_vacancy(rng, tax, people, seed, occ, vid):
    occ_skill = tax.occ_skill.tocsr()
    skills = occ_skill.indices[occ_skill.indptr[occ] : occ_skill.indptr[occ + 1]]
    chosen = rng.permutation(skills)[:5]
    return m.VacancyBatch(
        ids=[vid],
        occupation=np.array([occ], np.int32),
        min_years=np.array([1], np.float32),
        req_skill_rows=np.zeros(3, np.int64),
        req_skill_cols=chosen[:3].astype(np.int64),
        des_skill_rows=np.zeros(len(chosen) - 3, np.int64),
        des_skill_cols=chosen[3:].astype(np.int64),
        req_lic_rows=m.empty(),
        req_lic_cols=m.empty(),
        des_lic_rows=m.empty(),
        des_lic_cols=m.empty(),
        req_std_rows=m.empty(),
        req_std_cols=m.empty(),
        des_std_rows=m.empty(),
        des_std_cols=m.empty(),
        english=np.array([min(1, people.english[seed])], np.int8),
        municipality=people.municipality[seed : seed + 1],
        department=people.department[seed : seed + 1],
        country=np.zeros(1, np.int16),
        schedule=np.zeros(1, np.uint8),
        open=np.ones(1, bool),
    )


def naive(args, rng, tax):
    print(
        f"\nnaive SQL scoring vs the engine at {args.naive_people:,} people × {args.naive_vacancies:,} vacancies"
    )
    people, _ = generate_people(rng, tax, args.naive_people, 10)
    vacancies, _, _ = generate_vacancies(rng, tax, people, args.naive_vacancies, [0])
    t = time.perf_counter()
    db = naive_database(tax, people, vacancies)
    print(f"SQLite load + indexes {time.perf_counter() - t:.1f} s", flush=True)
    engine = m.Engine(tax)
    engine.upsert_people(people, bulk=True)
    engine.upsert_vacancies(vacancies, bulk=True)
    persons = rng.integers(0, args.naive_people, args.naive_queries)
    vacs = rng.integers(0, args.naive_vacancies, args.naive_queries)
    sql_p = timed(lambda p: db.execute(NAIVE_VACANCIES, {"p": int(p)}).fetchall(), persons)
    sql_v = timed(lambda v: db.execute(NAIVE_PEOPLE, {"v": int(v)}).fetchall(), vacs)
    eng_p = timed(lambda p: engine.vacancies_for_person(int(p), k=20, today=TODAY), persons)
    eng_v = timed(lambda v: engine.people_for_vacancy(int(v), k=50, today=TODAY), vacs)
    for label, sql, eng in (
        ("top-20 vacancies for a person", sql_p, eng_p),
        ("top-50 people for a vacancy", sql_v, eng_v),
    ):
        s50, s95 = percentiles(sql)
        e50, e95 = percentiles(eng)
        print(
            f"{label}: SQL p50 {s50:.1f} ms p95 {s95:.1f} ms | engine p50 {e50:.2f} ms p95 {e95:.2f} ms"
            f" | ratio p50 {s50 / e50:.0f}×, p95 {s95 / e95:.0f}×"
        )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--vacancies", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument(
        "--tests", type=int, default=1000, help="planted people and vacancies for precision@10"
    )
    parser.add_argument("--naive-people", type=int, default=100_000)
    parser.add_argument("--naive-vacancies", type=int, default=10_000)
    parser.add_argument("--naive-queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    run(parser.parse_args())


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
