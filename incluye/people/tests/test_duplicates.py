"""The batch duplicate search: planted duplicates are found, namesakes are not paired, reviews
are respected, runs are idempotent and logged.

Small registries run on the model's prior parameters (deterministic); one test runs the
training path on a couple of thousand generated people with fixed seeds."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.translation import gettext as _

from incluye.core.models import ActionLogEntry, IdDocumentType
from incluye.core.text import fold
from incluye.people import duplicates
from incluye.people.deduplication import find_duplicates
from incluye.people.duplicates import given_features, spanish_phonetic, surname_features
from incluye.people.duplicates import model as duplicates_model
from incluye.people.generate import PeopleGenerator
from incluye.people.models import DuplicateCandidate, DuplicateStatus, IdentityDocument, Person

pytestmark = pytest.mark.django_db


def add(org, given, first, second="", born="1990-05-17", *, sex="M", dpi=None, phone="", **fields):
    person = Person.objects.create(
        organization=org,
        given_names=given,
        first_surname=first,
        second_surname=second,
        birth_date=datetime.date.fromisoformat(born),
        sex=sex,
        nationality_id="GT",
        phone=phone,
        **fields,
    )
    if dpi:
        document_type = IdDocumentType.objects.get(country_id="GT", is_national_id=True)
        IdentityDocument.objects.create(person=person, document_type=document_type, number=dpi)
    return person


def plant(org) -> dict[str, tuple[Person, Person]]:
    """One person registered twice for each way a second registration goes wrong."""
    return {
        "no accents": (
            add(org, "José Ángel", "Núñez", "Pérez", "1988-02-14", dpi="1234567890101"),
            add(org, "JOSE ANGEL", "NUNEZ", "PEREZ", "1988-02-14"),
        ),
        "typo": (
            add(org, "Marvin Estuardo", "Chinchilla", "López", "1991-09-23", phone="+50255551234"),
            add(org, "Marvin Estuardo", "Chinchila", "López", "1991-09-23"),
        ),
        "nickname": (
            add(org, "Francisco Javier", "Tzul", "Caal", "1985-06-30"),
            add(org, "Pancho", "Tzul", "Caal", "1985-06-30"),
        ),
        # Years in the United States: registered once under the English form of the name.
        "English name": (
            add(org, "Guillermo", "Coj", "Tum", "1983-10-12"),
            add(org, "William", "Coj", "Tum", "1983-10-12"),
        ),
        "swapped surnames": (
            add(org, "Wilmer", "Ajú", "Xiloj", "1993-11-02"),
            add(org, "Wilmer", "Xiloj", "Ajú", "1993-11-02"),
        ),
        "married name": (
            add(org, "Rosa Amelia", "Menchú", "Batz", "1979-04-19", sex="F"),
            add(org, "Rosa Amelia", "Menchú", "de Cumes", "1979-04-19", sex="F"),
        ),
        "day and month swapped": (
            add(org, "Selvin Otoniel", "Coc", "Pop", "1990-03-07"),
            add(org, "Selvin Otoniel", "Coc", "Pop", "1990-07-03"),
        ),
        "second surname missing": (
            add(org, "Byron", "Sicán", "Tecún", "1987-12-25"),
            add(org, "Byron", "Sicán", "", "1987-12-25"),
        ),
        # The same number cannot be stored twice: a second registration mistypes it.
        "identity number mistyped": (
            add(org, "Elmer", "Tum", "Sut", "1994-05-05", dpi="3021459870108"),
            add(org, "Elmer", "Tum", "Sut", "1994-05-05", dpi="3021459780108"),
        ),
    }


def namesakes(org) -> tuple[Person, Person]:
    """Two different women with a very common name."""
    return (
        add(org, "María", "López", "García", "1990-01-15", sex="F", dpi="2746138590901"),
        add(org, "María", "López", "García", "1984-08-03", sex="F", dpi="1111111110101"),
    )


def background(org, count=40):
    PeopleGenerator(seed=7, today=datetime.date(2026, 6, 1)).create(organization=org, count=count)


def shown(candidate) -> list[str]:
    """A pair's reasons as an officer reads them (stored as message ids, translated when shown)."""
    return duplicates.describe(candidate.reasons, _)


def pair(a, b):
    a_id, b_id = sorted([str(a.pk), str(b.pk)])
    return DuplicateCandidate.objects.filter(person_a_id=a_id, person_b_id=b_id).first()


# -- features --------------------------------------------------------------------------------------


def test_names_are_folded_phonetic_and_nicknames_canonical():
    assert spanish_phonetic("Vásquez") == spanish_phonetic("Basques") == spanish_phonetic("VAZQUEZ")
    assert spanish_phonetic("Hernández") == spanish_phonetic("Ernandes")
    assert given_features("Chepe")["given_key"] == given_features("José Luis")["given_key"]
    assert given_features("Lupe")["given_key"] == given_features("Guadalupe")["given_key"]
    assert set(given_features("Beto")["given1_canon"]) >= {
        spanish_phonetic("Roberto"),
        spanish_phonetic("Alberto"),
    }


def test_an_english_form_or_an_abbreviation_stands_for_its_name_but_a_name_of_its_own_does_not():
    assert given_features("Joseph")["given_key"] == given_features("José")["given_key"]
    assert given_features("William Alexander")["given1_canon"] == [spanish_phonetic("Guillermo")]
    assert given_features("Gpe. del Carmen")["given1_canon"] == [spanish_phonetic("Guadalupe")]
    # Henry is a name Central Americans are given: it is no English Enrique here.
    assert given_features("Henry")["given1_canon"] == [spanish_phonetic("Henry")]
    assert given_features("Alexander")["given1_canon"] == [spanish_phonetic("Alexander")]


def test_a_long_nickname_mistyped_by_one_letter_still_stands_for_its_name():
    # "Lencheo" is Lencho, Lorenzo's or Florencio's.
    assert spanish_phonetic("Lorenzo") in given_features("Lencheo")["given1_canon"]
    assert given_features("Chusho Diego")["given_key"] == given_features("Jesús Diego")["given_key"]
    # Chepe (José) or Chepa (Josefina): both, as for a nickname of several names.
    assert set(given_features("Chepd")["given1_canon"]) == {
        spanish_phonetic("José"),
        spanish_phonetic("Josefina"),
    }
    # A name of its own, or one typo from a short nickname (Beto, Tito), is no nickname.
    assert given_features("Marlon")["given1_canon"] == [spanish_phonetic("Marlon")]
    assert given_features("Beta")["given1_canon"] == [spanish_phonetic("Beta")]


def test_a_married_name_is_split_from_the_surnames_but_compound_surnames_are_not():
    married = surname_features("López", "García de Pérez")
    assert (married["fs"], married["ss"], married["married"]) == ("lopez", "garcia", "perez")
    married = surname_features("López de Pérez", "")
    assert (married["fs"], married["ss"], married["married"]) == ("lopez", None, "perez")
    compound = surname_features("De León", "Tzul")
    assert (compound["fs"], compound["ss"], compound["married"]) == ("de leon", "tzul", None)
    swapped, straight = surname_features("Xiloj", "Ajú"), surname_features("Ajú", "Xiloj")
    assert swapped["surname_pair"] == straight["surname_pair"]


# -- the batch job ---------------------------------------------------------------------------------


def test_planted_duplicates_are_found_with_reasons_and_namesakes_are_not(personas):
    planted = plant(personas.org)
    maria_1, maria_2 = namesakes(personas.org)
    background(personas.org)

    run = find_duplicates()

    assert not run.trained  # a small registry uses the prior parameters
    for case, (a, b) in planted.items():
        candidate = pair(a, b)
        assert candidate is not None, f"{case} not found"
        assert candidate.match_probability >= duplicates.THRESHOLD
        assert candidate.status == DuplicateStatus.PENDING
        assert str(candidate.person_a_id) < str(candidate.person_b_id)
        assert candidate.organization == personas.org
    assert pair(maria_1, maria_2) is None
    assert _("surnames swapped") in shown(pair(*planted["swapped surnames"]))
    assert _("married name") in shown(pair(*planted["married name"]))
    assert _("birth date with day and month swapped") in shown(pair(*planted["day and month swapped"]))
    assert _("second surname missing") in shown(pair(*planted["second surname missing"]))
    assert _("nickname or spelling of the same name") in shown(pair(*planted["nickname"]))
    assert _("same birth date") in shown(pair(*planted["nickname"]))
    assert _("nickname or spelling of the same name") in shown(pair(*planted["English name"]))
    assert _("identity number differs by one character") in shown(pair(*planted["identity number mistyped"]))
    # No false alarm among the generated people.
    assert run.pairs_found == len(planted) == DuplicateCandidate.objects.count()


def test_a_given_name_left_out_or_a_wrong_birth_day_is_found_and_said_in_spanish(personas):
    left_out = (
        add(personas.org, "Juan Carlos", "Tzoc", "Pérez", "1990-03-07"),
        add(personas.org, "Juan", "Tzoc", "Pérez", "1990-03-07"),
    )
    wrong_day = (
        add(personas.org, "Ervin Rolando", "Cux", "Ajpop", "1986-11-04", dpi="3021459870108"),
        add(personas.org, "Ervin Rolando", "Cux", "Ajpop", "1986-11-27"),
    )
    # Two given names that disagree are no omission.
    add(personas.org, "Juan Pedro", "Tzoc", "Pérez", "1994-08-19")
    background(personas.org)

    find_duplicates()

    assert "falta uno de los nombres" in shown(pair(*left_out))
    assert "mismo año y mes de nacimiento" in shown(pair(*wrong_day))
    assert DuplicateCandidate.objects.count() == 2


def test_a_date_with_day_and_month_swapped_and_a_mistyped_surname_still_meets_its_first(personas):
    # Neither the birth date, nor its day and month, nor the first sounds of the surname agree.
    first = add(personas.org, "Claudia Guadalupe", "Hernández", "Reyes", "1996-10-09", sex="F")
    again = add(personas.org, "Claudia Guadalupe", "Hrnández", "", "1996-09-10", sex="F")
    background(personas.org)

    find_duplicates()

    assert _("birth date with day and month swapped") in shown(pair(first, again))


def test_two_registrations_of_someone_who_knows_only_the_birth_year_are_found(personas):
    first = add(personas.org, "Mateo", "Ixcoy", "Tzunún", "1990-01-01", birth_date_precision="year")
    again = add(personas.org, "Mteo", "IXCOY", "", "1990-01-01", birth_date_precision="year")
    background(personas.org)

    find_duplicates()

    candidate = pair(first, again)
    assert candidate is not None and candidate.match_probability >= duplicates.THRESHOLD
    assert "mismo año de nacimiento" in shown(candidate)


def test_rerunning_creates_nothing_twice_and_a_pair_reviewed_as_distinct_stays_closed(personas):
    planted = plant(personas.org)
    first = find_duplicates()
    assert first.created == len(planted)

    reviewed = pair(*planted["swapped surnames"])
    reviewed.status = DuplicateStatus.DISTINCT
    reviewed.reasons = ["checked by an officer"]
    reviewed.save()
    pending = pair(*planted["typo"])
    pending.match_probability = 0.5
    pending.save()

    second = find_duplicates()

    assert (second.created, second.updated, second.skipped_reviewed) == (0, len(planted) - 1, 1)
    assert DuplicateCandidate.objects.count() == len(planted)
    reviewed.refresh_from_db()
    assert reviewed.status == DuplicateStatus.DISTINCT
    assert reviewed.reasons == ["checked by an officer"]
    pending.refresh_from_db()
    assert pending.match_probability >= duplicates.THRESHOLD


def test_the_run_is_written_to_the_action_log(personas):
    planted = plant(personas.org)
    run = find_duplicates(organization=personas.org)
    entry = ActionLogEntry.objects.get(action="incluye.duplicates.found")
    assert entry.organization == personas.org
    assert entry.actor is None
    assert entry.data["records"] == run.records == 2 * len(planted)
    assert entry.data["created"] == entry.data["pairs_found"] == run.created == len(planted)


def test_one_organization_sees_only_its_people_and_merged_records_are_left_out(personas):
    a, b = plant(personas.org)["swapped surnames"]
    run = find_duplicates(organization=personas.outsider_org)
    assert (run.records, run.pairs_found) == (0, 0)

    survivor = add(personas.org, "Wilmer", "Ajú", "Xiloj", "1993-11-02")
    Person.objects.filter(pk=b.pk).update(merged_into=survivor)
    find_duplicates(organization=personas.org)
    assert pair(a, b) is None
    assert pair(a, survivor) is not None


def test_a_group_across_organizations_of_one_country_waits_for_the_country_and_countries_stay_apart(personas):
    from incluye.core.testing import make_organization
    from incluye.people.models import DuplicateCluster
    from incluye.people.selectors import duplicate_groups

    partner = make_organization("Fundación Puentes", country="GT")
    a = add(personas.org, "Wilmer", "Ajú", "Xiloj", "1993-11-02")
    b = add(partner, "Wilmer", "Xiloj", "Ajú", "1993-11-02")
    elsewhere = add(personas.outsider_org, "Wilmer", "Ajú", "Xiloj", "1993-11-02")  # El Salvador
    find_duplicates()
    assert pair(a, b) is not None
    assert pair(a, elsewhere) is None and pair(b, elsewhere) is None  # each country on its own
    group = DuplicateCluster.objects.get()
    assert (group.country_id, group.organization_id, group.size) == ("GT", None, 2)
    assert set(group.members.values_list("pk", flat=True)) == {a.pk, b.pk}
    assert not duplicate_groups(membership=personas.staff).exists()


def test_limit_pairs_keeps_the_most_probable(personas):
    plant(personas.org)
    run = find_duplicates(limit_pairs=3)
    assert run.pairs_found == run.created == 3 == DuplicateCandidate.objects.count()


def test_the_command_prints_counts_and_timings(personas):
    planted = plant(personas.org)
    out = StringIO()
    call_command("find_duplicates", "--organization", str(personas.org.pk), "--threshold", "0.95", stdout=out)
    text = out.getvalue()
    assert f"{2 * len(planted)} records" in text
    assert f"{len(planted)} new" in text
    assert "timings: load" in text


def test_reasons_come_from_the_comparison_levels():
    # Splink numbers a comparison's levels from the most similar (n) down to the else level (0).
    (surnames,) = [c for c in duplicates.COMPARISONS if c.name == "surnames"]
    missing = len(surnames.levels) - [level.label for level in surnames.levels].index(
        duplicates_model.SURNAME_MISSING_LABEL
    )
    row = {"gamma_national_id": 2, "gamma_surnames": missing, "gamma_given_names": 0, "gamma_birth_date": -1}
    assert duplicates.describe(duplicates.pair_reasons({**row, "married_l": "perez"}), _) == [
        _("same identity number"),
        _("married name"),
    ]
    assert duplicates.describe(duplicates.pair_reasons(row), _) == [
        "mismo número de identidad",
        "falta el segundo apellido",
    ]


def copy_with_a_mistake(person: Person, index: int) -> Person:
    """A second registration of `person` with one of the usual mistakes."""
    copy = Person(
        organization_id=person.organization_id,
        given_names=person.given_names,
        first_surname=person.first_surname,
        second_surname=person.second_surname,
        birth_date=person.birth_date,
        birth_date_precision=person.birth_date_precision,
        sex=person.sex,
        nationality_id=person.nationality_id,
        residence_id=person.residence_id,
    )
    mistake = index % 4
    if mistake == 0 and copy.second_surname:
        copy.first_surname, copy.second_surname = copy.second_surname, copy.first_surname
    elif mistake == 1:
        copy.given_names, copy.first_surname = (
            fold(copy.given_names).upper(),
            fold(copy.first_surname).upper(),
        )
    elif mistake == 2:
        copy.second_surname = ""
    else:
        copy.first_surname = copy.first_surname[:-1] + "x"
    copy.refresh_name_key()
    return copy


def test_the_training_path_learns_from_the_registry_and_finds_the_planted_pairs(
    personas, monkeypatch, caplog
):
    """A registry with few shared identity numbers trains u by sampling and m by EM; here on 1 500
    generated people of whom 200 are registered twice, seeded so the result does not move."""
    monkeypatch.setattr(duplicates_model, "U_SAMPLE_PAIRS", 3e5)
    monkeypatch.setattr(duplicates_model, "MIN_EM_PAIRS", 20)
    planted = plant(personas.org)
    background(personas.org, count=1500)
    originals = list(Person.objects.filter(first_surname__gt="").order_by("name_key", "pk")[:200])
    copies = Person.objects.bulk_create([copy_with_a_mistake(p, i) for i, p in enumerate(originals)])

    run = find_duplicates(train_model=True)

    assert run.trained
    assert "too few pairs" not in caplog.text  # every EM session ran
    found = sum(pair(a, b) is not None for a, b in zip(originals, copies, strict=True))
    assert found >= 0.8 * len(originals)
    assert [case for case, (a, b) in planted.items() if not pair(a, b)] == []
    # The pairs found are (nearly all) planted ones.
    assert DuplicateCandidate.objects.count() <= found + len(planted) + 5


def test_an_em_session_that_diverges_is_undone(personas, monkeypatch, caplog):
    """EM on a registry without duplicates may fail half-way, after Splink has narrowed the
    model's comparisons: the session is undone and the prior m values are used."""
    from splink.internals.linker_components.training import LinkerTraining

    def diverge(training, *args, **kwargs):
        training._linker._settings_obj.core_model_settings.comparisons.pop()
        raise ValueError("math domain error")

    monkeypatch.setattr(LinkerTraining, "estimate_parameters_using_expectation_maximisation", diverge)
    monkeypatch.setattr(duplicates_model, "U_SAMPLE_PAIRS", 1e5)
    monkeypatch.setattr(duplicates_model, "MIN_EM_PAIRS", 1)
    planted = plant(personas.org)
    background(personas.org, count=500)
    run = find_duplicates(train_model=True)  # scoring with every comparison: no missing column
    assert run.trained
    assert "did not converge" in caplog.text
    assert _("surnames swapped") in shown(pair(*planted["swapped surnames"]))
