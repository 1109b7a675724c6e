"""The search engine without a database: initials, lost and extra spaces, and how a given name
with one surname is ranked (completeness of the match, then recency)."""

import datetime
import uuid

import pytest

from incluye.people.search import PeopleIndex, describe, parse_name_query
from incluye.people.search.normalize import repair_spaces

ORG = 1
MOMENT = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
FILLER = [
    ("José Luis", "López", "García"),
    ("María", "Pérez", "Coc"),
    ("Juan Carlos", "Hernández", "Tzul"),
    ("Ana", "Castillo", "Ajú"),
    ("Rosa Linda", "Morales", "Pop"),
    ("Santos", "Xiloj", "Batz"),
    ("Dolores", "Vásquez", "Ixcoy"),
    ("Yolanda", "Guzmán", "Cux"),
    ("Delmy", "Reyes", "Caal"),
    ("Óscar", "Menchú", "Tiul"),
    ("Dania", "Chávez", "Sicán"),
    ("Erick", "Ramírez", "Sut"),
]


def record(given, first, second="", *, sex="M", days_ago=100, org=ORG):
    updated = MOMENT - datetime.timedelta(days=days_ago)
    return (uuid.uuid4(), org, given, first, second, "", None, "day", sex, "", updated, None)


def build(*records):
    return PeopleIndex.from_records([*(record(*names) for names in FILLER), *records])


def names(index, query, limit=10):
    found = []
    for hit in index.search(organization_ids=[ORG], query=query, limit=limit):
        tokens = [index.vocab[t] for t in index._tokens[hit.row].tolist() if t >= 0]
        found.append(" ".join(tokens))
    return found


def test_it_reads_y_with_a_period_as_an_initial_and_not_the_particle_y():
    words = parse_name_query("Erick Y. Guzmán")
    assert [(w.text, w.initial, w.maybe) for w in words] == [
        ("erick", False, False),
        ("y", True, False),
        ("guzman", False, False),
    ]
    index = build(
        record("Erick", "Guzmán", "López", days_ago=1),
        record("Erick Yovani", "Guzmán", "López", days_ago=900),
    )
    # The record with a given name starting with Y comes first, though the other is more recent.
    assert names(index, "Erick Y. Guzmán")[0] == "erick yovani guzman lopez"
    assert names(index, "E. Yovani Guzmán")[0] == "erick yovani guzman lopez"


def test_a_lone_y_between_names_costs_nothing_when_it_is_only_the_conjunction():
    index = build(record("Pedro", "Pérez", "Ajú"))
    hits = index.search(organization_ids=[ORG], query="Pedro y Pérez Ajú")
    assert hits and hits[0].score == 100


@pytest.mark.parametrize(
    ("typed", "repaired"),
    [
        ("ÓscarmSantos", ["oscar", "santos"]),  # the space typed as an m
        ("DaniaDelmy Reyes", ["dania", "delmy", "reyes"]),  # two given names glued
        ("josé luislópez", ["jose", "luis", "lopez"]),
        ("Guz mán", ["guzman"]),  # a space too many
        ("Do lores Vásquez", ["dolores", "vasquez"]),  # even when the first half looks like "do"
        ("Rosa Linda Morales", ["rosa", "linda", "morales"]),  # two real names stay two
    ],
)
def test_lost_and_extra_spaces_are_put_right_from_the_vocabulary(typed, repaired):
    index = build()
    assert [w.text for w in repair_spaces(parse_name_query(typed), index)] == repaired


def test_a_name_with_a_lost_space_is_found_first():
    index = build(record("Óscar", "Santos", "Ajú"), record("Óscar", "Ajú", "Santos"))
    assert names(index, "ÓscarmSantos")[0] == "oscar santos aju"
    hits = index.search(organization_ids=[ORG], query="ÓscarmSantos")
    assert "spaces put right in “ÓscarmSantos”" in describe(hits[0].reasons)


def test_a_given_name_and_one_surname_rank_by_completeness_then_recency():
    index = build(
        record("Marta", "Ruiz", "", sex="F", days_ago=400),  # short and old
        record("Marta Elena", "Ruiz", "Pérez", sex="F", days_ago=2),  # the latest to come back
        record("Marta", "Ruiz", "Coc", sex="F", days_ago=30),
        record("Marta", "López", "Ruiz", sex="F", days_ago=1),  # Ruiz as second surname
        record("Martha", "Ruiz", "Ajú", sex="F", days_ago=0),  # a letter off: less complete
    )
    assert names(index, "Marta Ruiz")[:5] == [
        "marta elena ruiz perez",
        "marta ruiz coc",
        "marta ruiz",
        "marta lopez ruiz",
        "martha ruiz aju",
    ]


def test_a_space_too_many_and_a_typo_in_one_surname_are_put_right_though_a_misspelling_is_known():
    # "Carr" is a registry's misspelling of its own; "ilslo" is near no word: together they are
    # one typo from "Carrillo".
    index = build(record("Beatriz", "Carrillo", "Coc", sex="F"), record("Ana", "Carr", "Pop", sex="F"))
    assert [w.text for w in repair_spaces(parse_name_query("Beatriz Carr ilslo"), index)] == [
        "beatriz",
        "carrilslo",
    ]
    assert names(index, "Beatriz Carr ilslo")[0] == "beatriz carrillo coc"
    # Two known words stay two, and so does a known word beside one a typo away from a word.
    assert [w.text for w in repair_spaces(parse_name_query("Ana Carr Popp"), index)] == [
        "ana",
        "carr",
        "popp",
    ]


def test_a_typo_in_a_nickname_still_reaches_the_name():
    index = build(record("Alberto", "Ixcoy", "Díaz"))
    assert names(index, "Bto Ixcoy Díaz")[0] == "alberto ixcoy diaz"


@pytest.mark.parametrize("typed", ["Mario Navarro DelCid", "Mario Navarro Delcid", "mario navarro delcid"])
def test_a_surname_glued_to_its_particle_is_found(typed):
    index = build(record("Mario", "Del Cid", "Navarro"), record("Mario", "Navarro", "Pop", days_ago=1))
    assert [w.text for w in repair_spaces(parse_name_query(typed), index)][:2] == ["mario", "navarro"]
    assert names(index, typed)[0] == "mario cid navarro"


def test_a_lost_space_is_put_back_between_the_common_words_not_between_misspellings():
    # A registry's misspellings make odd words known: "jezu" and "sjuan" exist, so "jezusjuan"
    # could be cut after "jezu"; "jezus" sounds like the common "jesús", and "juan" is common.
    index = build(
        record("Jesús Juan", "Saquic", "Coc"),
        record("Jezu", "Pop", "Ajú"),
        record("Sjuan", "Tiul", "Caal"),
        *(record(given, "López", "Pérez") for given in ["Jesús", "Juan", "Juan José", "Jesús Alberto"]),
    )
    assert [w.text for w in repair_spaces(parse_name_query("Jezúsjuan Saquic"), index)] == [
        "jezus",
        "juan",
        "saquic",
    ]
    assert names(index, "Jezúsjuan Saquic")[0] == "jesus juan saquic coc"


def test_a_record_with_the_optional_words_too_comes_before_its_namesakes():
    # "De Leó…" after a given name and a surname may be a married name (optional), and a lone
    # "E" the conjunction: both cost nothing when missing, but the record that has them wins.
    index = build(
        record("Alfredo Ernesto", "Ramírez", "De León", days_ago=500),
        *(record(f"Alfredo {given}", "Ramírez", "Pop", days_ago=1) for given in ["Esteban", "Efraín"]),
        record("Alfredo", "Ramírez", "Coc", days_ago=2),
    )
    assert names(index, "Alfredo E Ramírez De Leó")[0] == "alfredo ernesto ramirez leon"


@pytest.mark.parametrize(
    "modules",
    [
        "incluye.people.search.score, incluye.people.search.explain",  # database side: searching.py
        "incluye.people.duplicates",  # database side: deduplication.py
        "incluye.skills.coder",  # database side: coding.py
    ],
)
def test_the_engines_import_nothing_of_django(modules):
    """Plain Python, so that they can be benchmarked and replaced."""
    import subprocess
    import sys

    code = f"import sys, {modules}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def born(given, first, second, birth_date, precision="day", *, days_ago=100):
    updated = MOMENT - datetime.timedelta(days=days_ago)
    return (uuid.uuid4(), ORG, given, first, second, "", birth_date, precision, "F", "", updated, None)


def test_a_birth_year_alone_finds_the_one_born_that_year_among_namesakes_and_no_january_first():
    namesakes = [
        born(
            "Marta", "Ruiz", f"Apellido{i}", datetime.date(1970 + i % 20, 1 + i % 12, 1 + i % 28), days_ago=i
        )
        for i in range(40)
    ]
    meant = born("Marta", "Ruiz", "Pop", datetime.date(1993, 8, 17), days_ago=400)
    january_first = born("Marta", "Ruiz", "Caal", datetime.date(1993, 1, 1), days_ago=500)
    index = PeopleIndex.from_records([*namesakes, meant, january_first])
    assert meant[0] not in {index.pk(h.row) for h in index.search(organization_ids=[ORG], query="Marta Ruiz")}
    hits = index.search(
        organization_ids=[ORG],
        query="Marta Ruiz",
        birth_date=datetime.date(1993, 1, 1),
        birth_precision="year",
    )
    first_two = {index.pk(h.row) for h in hits[:2]}
    assert first_two == {meant[0], january_first[0]}
    assert hits[0].score == hits[1].score
    assert [code for code, _ in hits[0].reasons][-1] == "birth_year"
    # Known to the day, the 1st of January is that day, and comes first alone.
    exact = index.search(organization_ids=[ORG], query="Marta Ruiz", birth_date=datetime.date(1993, 1, 1))
    assert index.pk(exact[0].row) == january_first[0] and exact[0].score > exact[1].score


def test_a_birth_month_and_year_put_those_born_that_month_before_the_rest_of_the_year():
    august = born("Marta", "Ruiz", "Pop", datetime.date(1993, 8, 17), days_ago=400)
    march = born("Marta", "Ruiz", "Caal", datetime.date(1993, 3, 1), days_ago=1)
    index = PeopleIndex.from_records([*(record(*n) for n in FILLER), august, march])
    hits = index.search(
        organization_ids=[ORG],
        query="Marta Ruiz",
        birth_date=datetime.date(1993, 8, 1),
        birth_precision="month",
    )
    assert [index.pk(h.row) for h in hits[:2]] == [august[0], march[0]]
    assert [code for code, _ in hits[0].reasons][-1] == "birth_month"


@pytest.mark.parametrize(
    ("typed", "found", "reason"),
    [
        ("Joseph Coc Tzul", "jose coc tzul", "in another language Joseph → José"),
        ("Joe Coc Tzul", "jose coc tzul", "in another language Joe → José"),
        ("Mike Coc Tzul", "miguel coc tzul", "in another language Mike → Miguel"),
    ],
)
def test_a_returnee_who_went_by_his_english_name_is_found_under_his_own(typed, found, reason):
    # Years in the United States: the name he gives, or the one on a US paper, is the English one.
    index = build(
        record("José", "Coc", "Tzul", days_ago=900),
        record("Miguel", "Coc", "Tzul", days_ago=800),
        *(record("Marvin", "Coc", "Tzul", days_ago=days) for days in range(1, 12)),
    )
    hits = index.search(organization_ids=[ORG], query=typed, limit=3)
    assert names(index, typed, limit=1) == [found]
    assert reason in describe(hits[0].reasons)


def test_a_record_written_with_the_english_name_is_found_by_the_spanish_one():
    index = build(
        record("Joseph", "Ajanel", "Sipac", days_ago=900), record("Jorge", "Ajanel", "Sipac", days_ago=1)
    )
    assert names(index, "José Ajanel Sipac")[0] == "joseph ajanel sipac"


@pytest.mark.parametrize(
    ("typed", "reasons"),
    [
        ("Ma. Guadalupe Tzul Coc", ["abbreviation Ma → María"]),
        ("Ma Guadalupe Tzul Coc", ["abbreviation Ma → María"]),
        ("Mª Gpe. Tzul Coc", ["abbreviation Ma → María", "abbreviation Gpe → Guadalupe"]),
    ],
)
def test_the_abbreviations_of_records_stand_for_their_names(typed, reasons):
    index = build(
        record("María Guadalupe", "Tzul", "Coc", sex="F", days_ago=900),
        *(record(given, "Tzul", "Coc", sex="F", days_ago=1) for given in ["Marta", "Mayra Guadalupe", "Ana"]),
    )
    hits = index.search(organization_ids=[ORG], query=typed, limit=3)
    assert names(index, typed, limit=1) == ["maria guadalupe tzul coc"]
    assert set(reasons) <= set(describe(hits[0].reasons))


def test_a_word_being_typed_weighs_more_where_it_begins_the_name_than_where_it_begins_a_nickname():
    # "Che…" begins Chen (a surname) and Chepe (José): the surname typed is the likelier reading.
    index = build(
        record("Luis", "Caal", "Chen", days_ago=900),
        *(record("Luis José", "Caal", surname, days_ago=1) for surname in ["López", "Aguilar", "Pop"]),
    )
    assert names(index, "Luis Caal Che", limit=1) == ["luis caal chen"]


def test_a_typo_in_the_word_being_typed_still_reaches_the_words_it_begins():
    index = build(
        record("Juan", "Suazo", "Ochoa", days_ago=900),
        *(record("Juan", "Suazo", surname, days_ago=1) for surname in ["Torres", "Mejía", "Lacayo"]),
    )
    assert names(index, "Juan Suazo Osh", limit=1) == ["juan suazo ochoa"]
    assert names(index, "Juan Suazo Ohc", limit=1) == ["juan suazo ochoa"]


def test_a_married_de_after_a_glued_given_name_and_surname_may_be_missing_from_her_record():
    index = build(
        record("Dina Natalia", "Ávila", "", sex="F", days_ago=900),
        record("Dina Alba", "Gutiérrez", "Martínez", sex="F", days_ago=1),
        record("José Julio", "Ávila", "Gutiérrez", days_ago=1),
    )
    assert names(index, "DinamÁvila de Gutiérrez", limit=1) == ["dina natalia avila"]


def test_a_surname_in_capitals_before_de_leon_is_no_married_name():
    index = build(
        record("Miguel David", "Tiul", "De León", days_ago=900),
        *(record(given, "Tiul", "De León", sex="F", days_ago=1) for given in ["Audrea", "Marisol", "Eva"]),
    )
    assert not any(w.optional for w in parse_name_query("TIUL DE LEON MIG UEL DAVID"))
    assert names(index, "TIUL DE LEON MIG UEL DAVID", limit=1) == ["miguel david tiul leon"]


def test_a_particle_glued_to_the_end_of_the_surname_before_it_is_found():
    index = build(
        record("Roberto", "Bautista", "Del Cid", days_ago=900),
        *(record("Roberto", "Del Cid", surname, days_ago=1) for surname in ["Marín", "González", "García"]),
    )
    assert names(index, "Roberto Bautistadel Cid", limit=1) == ["roberto bautista cid"]


def test_a_person_registered_after_a_search_is_found_by_the_same_words_at_once():
    # The rows a word reaches are kept between searches: a new record must still be among them.
    index = build(record("Marvin", "Coc", "Tzul", days_ago=900))
    assert names(index, "Coc Tzul Marv", limit=2) == ["marvin coc tzul", "maria perez coc"]
    index.apply_records([record("Marvina", "Coc", "Tzul", sex="F", days_ago=1)], [])
    assert names(index, "Coc Tzul Marv", limit=2) == ["marvina coc tzul", "marvin coc tzul"]
    index._build_postings()  # and after the postings are rebuilt
    index.apply_records([record("Marvel", "Coc", "Tzul", days_ago=0)], [])
    assert names(index, "Coc Tzul Marv")[0] == "marvel coc tzul"


def test_a_word_of_the_record_answers_one_typed_word_only():
    index = build(
        record("José Joel", "Martínez", "Santos", days_ago=300),
        *[record("José", "Martínez", "Santos", days_ago=i) for i in range(12)],
        record("José Javier", "Coc", "Pop", days_ago=300),
        *[record("José", "Coc", "Pop", days_ago=i) for i in range(12)],
    )
    # "Joe" is José in English, but José is typed already: here it is Joel being typed.
    assert names(index, "Martínez Santos José Joe")[0] == "jose joel martinez santos"
    assert names(index, "José Joe")[0] == "jose joel martinez santos"
    # An initial is a given name of its own, not the first letter of the one typed beside it.
    assert names(index, "José J. Coc")[0] == "jose javier coc pop"
    hits = index.search(organization_ids=[ORG], query="José J. Coc", limit=2)
    assert hits[0].score > hits[1].score


def test_a_nickname_typed_with_a_space_too_many_is_put_together_though_no_record_carries_it():
    # "Len" and "Cho" are surnames of the registry; "Lencho" is no record's word, but Lorenzo's
    # nickname, and Lorenzo is far commoner than either half.
    index = build(
        record("Lorenzo", "Torres", "Coc", days_ago=300),
        *[record("Lorenzo", "Pérez", "Ajú", days_ago=3) for _ in range(60)],
        record("Ana", "Len", "Cho", days_ago=3),
        record("Luis", "Len", "Torres", days_ago=3),
    )
    assert [w.text for w in repair_spaces(parse_name_query("Len cho Torrez"), index)] == ["lencho", "torrez"]
    assert names(index, "Len cho Torrez")[0] == "lorenzo torres coc"
