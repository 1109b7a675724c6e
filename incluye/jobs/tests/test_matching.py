"""The engine on hand-built cases: scores, reasons, hard filters, incremental refresh."""

import numpy as np
import pytest
import scipy.sparse as sp

from incluye.jobs import matching as m

E = m.empty


@pytest.fixture
def taxonomy():
    # occupations 0 drywall, 1 carpenter (same ISCO group 0), 2 cook (group 1)
    return m.Taxonomy(
        n_occ=3,
        n_isco=2,
        n_skill=4,
        n_lic=2,
        n_std=1,
        n_unit=2,
        occ_isco=np.array([0, 0, 1], np.int32),
        occ_skill=sp.csr_matrix(np.array([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 0, 1]], np.float32)),
        occ_std=sp.csr_matrix(np.array([[1], [0], [0]], np.float32)),
        unit_std=np.array([0, 0], np.int32),
    )


def people(ids, occ, years, licences=(), english=None, muni=None, dept=None, units=(), available=None):
    n = len(ids)
    lic_rows = [r for r, codes in enumerate(licences) for _c in codes] if licences else []
    lic_cols = [c for codes in licences for c in codes] if licences else []
    return m.PeopleBatch(
        ids=list(ids),
        occ_rows=np.arange(n),
        occ_cols=np.array(occ),
        occ_years=np.array(years, np.float32),
        lic_rows=np.array(lic_rows, np.int64),
        lic_cols=np.array(lic_cols, np.int64),
        english=np.array(english or [0] * n, np.int8),
        municipality=np.array(muni or [5] * n, np.int32),
        department=np.array(dept or [1] * n, np.int32),
        country=np.zeros(n, np.int16),
        available_from=np.array(available or [0] * n, np.int32),
        schedules=np.zeros(n, np.uint8),
        unit_rows=np.array([r for r, _u in units], np.int64),
        unit_cols=np.array([u for _r, u in units], np.int64),
    )


def vacancies(ids, occ, min_years, req_lic=(), muni=None, english=None, req_std=()):
    n = len(ids)
    return m.VacancyBatch(
        ids=list(ids),
        occupation=np.array(occ, np.int32),
        min_years=np.array(min_years, np.float32),
        req_skill_rows=E(),
        req_skill_cols=E(),
        des_skill_rows=E(),
        des_skill_cols=E(),
        req_lic_rows=np.array([r for r, _c in req_lic], np.int64),
        req_lic_cols=np.array([c for _r, c in req_lic], np.int64),
        des_lic_rows=E(),
        des_lic_cols=E(),
        req_std_rows=np.array([r for r, _c in req_std], np.int64),
        req_std_cols=np.array([c for _r, c in req_std], np.int64),
        des_std_rows=E(),
        des_std_cols=E(),
        english=np.array(english or [0] * n, np.int8),
        municipality=np.array(muni or [5] * n, np.int32),
        department=np.array([1] * n, np.int32),
        country=np.zeros(n, np.int16),
        schedule=np.zeros(n, np.uint8),
        open=np.ones(n, bool),
    )


def test_it_scores_a_perfect_fit_100_with_every_reason(taxonomy):
    engine = m.Engine(taxonomy)
    engine.upsert_people(people(["ana"], [0], [6], licences=[[1]]), bulk=True)
    engine.upsert_vacancies(vacancies(["v"], [0], [3], req_lic=[(0, 1)]), bulk=True)
    [match] = engine.people_for_vacancy("v")
    # occupation 30 + years 10 + ISCO 10 + licence 10 + location 10 + available 5 + schedule 5
    # standards and units: the vacancy asks none; the drywall profile is recognised by standard 0
    assert match.id == "ana" and match.score == pytest.approx(100)
    blocks = {r["block"]: r["points"] for r in match.reasons}
    assert blocks == {
        "occ": 30,
        "yrs": pytest.approx(10),
        "isco": 10,
        "lic": 10,
        "location": 10,
        "availability": 5,
        "schedule": 5,
    }
    years = next(r for r in match.reasons if r["block"] == "yrs")
    assert sorted(c % len(m.YEAR_STEPS) for c in years["columns"]) == [0, 1, 2]  # ≥1, ≥2, ≥3 years


def test_fewer_years_a_related_occupation_and_another_place_score_less(taxonomy):
    engine = m.Engine(taxonomy)
    engine.upsert_people(
        people(
            ["exact", "junior", "related", "far", "cook"],
            [0, 0, 1, 0, 2],
            [6, 1, 6, 6, 6],
            muni=[5, 5, 5, 9, 5],
            dept=[1, 1, 1, 1, 1],
        ),
        bulk=True,
    )
    engine.upsert_vacancies(vacancies(["v"], [0], [3]), bulk=True)
    scores = {match.id: match.score for match in engine.people_for_vacancy("v")}
    assert scores["exact"] > scores["far"] > scores["junior"] > scores["related"]
    # 1 year of 3 asked: a third of the years' points
    assert scores["exact"] - scores["junior"] == pytest.approx(100 * (10 * 2 / 3) / 70, rel=1e-4)
    # same department, other municipality: 6 of the 10 location points
    assert scores["exact"] - scores["far"] == pytest.approx(100 * 4 / 70, rel=1e-4)
    # the cook shares nothing of the work itself: not a match at all
    assert "cook" not in scores


def test_a_missing_required_licence_or_standard_is_a_hard_filter(taxonomy):
    engine = m.Engine(taxonomy)
    engine.upsert_people(
        people(["with", "without", "cook"], [0, 0, 2], [6, 6, 6], licences=[[1], [], []]), bulk=True
    )
    engine.upsert_vacancies(
        vacancies(["lic", "std"], [0, 0], [1, 1], req_lic=[(0, 1)], req_std=[(1, 0)]),
        bulk=True,
    )
    assert [m_.id for m_ in engine.people_for_vacancy("lic")] == ["with"]
    # the standard recognises drywall: both drywall profiles meet it, not the cook
    assert {m_.id for m_ in engine.people_for_vacancy("std")} == {"with", "without"}
    assert {v.id for v in engine.vacancies_for_person("without")} == {"std"}


def test_certified_units_are_an_optional_signal(taxonomy):
    engine = m.Engine(taxonomy)
    engine.upsert_people(
        people(["certified", "recognised"], [0, 0], [6, 6], units=[(0, 0), (0, 1)]), bulk=True
    )
    engine.upsert_vacancies(vacancies(["v"], [0], [3], req_std=[(0, 0)]), bulk=True)
    first, second = engine.people_for_vacancy("v")
    assert first.id == "certified" and second.id == "recognised"
    units = next(r for r in first.reasons if r["block"] == "unit")
    assert sorted(units["columns"]) == [0, 1] and units["points"] == pytest.approx(10)
    std = {r["block"]: r["points"] for r in second.reasons}["std"]
    assert std == pytest.approx(10 * m.RECOGNISED)


def test_english_and_availability(taxonomy):
    engine = m.Engine(taxonomy)
    engine.upsert_people(
        people(["fluent", "none", "later"], [0, 0, 0], [6, 6, 6], english=[3, 0, 3], available=[0, 0, 10**6]),
        bulk=True,
    )
    engine.upsert_vacancies(vacancies(["v"], [0], [3], english=[2]), bulk=True)
    scores = {match.id: match.score for match in engine.people_for_vacancy("v", today=1000)}
    assert scores["fluent"] == pytest.approx(100)
    assert scores["none"] == pytest.approx(100 * 70 / 75)
    assert scores["later"] == pytest.approx(100 * 70 / 75)


def test_a_changed_row_replaces_the_old_one_and_removed_rows_vanish(taxonomy):
    engine = m.Engine(taxonomy)
    engine.upsert_people(people(["ana", "luis"], [0, 2], [6, 6]), bulk=True)
    engine.upsert_vacancies(vacancies(["drywall", "kitchen"], [0, 2], [1, 1]), bulk=True)
    version = engine.version
    assert [v.id for v in engine.vacancies_for_person("luis")] == ["kitchen"]
    engine.upsert_people(people(["luis"], [0], [4]))  # recoded: now drywall
    assert engine.version == version + 1
    assert [v.id for v in engine.vacancies_for_person("luis")] == ["drywall"]
    assert sorted(p.id for p in engine.people_for_vacancy("drywall")) == ["ana", "luis"]
    assert engine.people_for_vacancy("kitchen") == []
    engine.remove_vacancies(["drywall"])
    assert engine.vacancies_for_person("ana") == []
    engine.remove_people(["ana"])
    assert engine.vacancies_for_person("ana") == []


def test_the_delta_merges_into_the_main_matrix_without_changing_results(taxonomy):
    engine = m.Engine(taxonomy)
    engine.upsert_vacancies(vacancies(["v"], [0], [1]), bulk=True)
    for i in range(2100):  # past the delta threshold: one merge
        engine.upsert_people(people([f"p{i}"], [i % 3], [i % 7]))
    assert engine.people.n_main > 0
    found = engine.people_for_vacancy("v", k=5000)
    assert len(found) == 1400  # the drywall and carpentry rows (cooks share nothing)
    assert {match.id for match in found} == {f"p{i}" for i in range(2100) if i % 3 != 2}
