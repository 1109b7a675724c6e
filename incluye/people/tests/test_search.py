import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from incluye.core.models import Division, IdDocumentType
from incluye.people import searching
from incluye.people.generate import PeopleGenerator
from incluye.people.models import IdentityDocument, Person
from incluye.people.searching import get_index, search_people
from incluye.people.services import person_register
from incluye.people.testing import make_namesakes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():
    """Each test builds the index from its own database."""
    searching.reset_index()
    yield
    searching.reset_index()


@pytest.fixture
def filler(personas):
    """Generated people around the ones a test registers, in both organizations."""
    PeopleGenerator(seed=11).create(organization=personas.org, count=300)
    PeopleGenerator(seed=12).create(organization=personas.outsider_org, count=100)


def dpi_type():
    return IdDocumentType.objects.get(country_id="GT", code="DPI")


def register(personas, names: str, membership=None, **fields) -> Person:
    """'Given Names | First Surname | Second Surname' registered by the staff's organization."""
    given, first, second = (part.strip() for part in names.split("|"))
    fields = {"nationality_id": "GT", **fields}
    return person_register(
        membership=membership or personas.staff,
        given_names=given,
        first_surname=first,
        second_surname=second,
        **fields,
    )


def find(personas, query, **kwargs) -> list:
    return search_people(organization_ids=[personas.org.pk], query=query, **kwargs)


def ids(hits) -> list:
    return [hit.person_id for hit in hits]


def test_it_finds_a_person_typed_without_accents(personas, filler):
    person = register(personas, "María José | Ajú | Núñez")
    assert ids(find(personas, "maria jose aju nunez"))[0] == person.pk
    assert ids(find(personas, "AJU NUNEZ MARIA"))[0] == person.pk


def test_it_finds_chepe_as_jose(personas, filler):
    register(personas, "Juan | Tzul | Pacheco")  # his brother: same surnames
    jose = register(personas, "José | Tzul | Pacheco")
    hits = find(personas, "Chepe Tzul Pacheco")
    assert hits[0].person_id == jose.pk
    assert "apodo Chepe → José" in hits[0].reasons


def test_it_finds_joseph_as_jose_and_says_why_in_spanish(personas, filler):
    register(personas, "Juan | Tzul | Pacheco")
    jose = register(personas, "José | Tzul | Pacheco")
    hits = find(personas, "Joseph Tzul Pacheco")
    assert hits[0].person_id == jose.pk
    assert "en otro idioma Joseph → José" in hits[0].reasons


def test_it_finds_a_nickname_while_it_is_being_typed(personas, filler):
    register(personas, "Juan | Tzul | Pacheco")
    jose = register(personas, "José | Tzul | Pacheco")
    assert ids(find(personas, "tzul pacheco chep"))[0] == jose.pk


def test_it_tolerates_a_typo_in_a_surname(personas, filler):
    register(personas, "Ana Lucía | Méndez | Coc")  # registered first: wins any tie
    person = register(personas, "Ana Lucía | Hernández | Coc")
    for typed in (
        "Ana Lucia Hernadnez Coc",  # transposition
        "Ana Lucia Hernanddz Coc",  # substitution
        "Ana Lucia Hrnandz Coc",  # two deletions
    ):
        hits = find(personas, typed)
        assert hits[0].person_id == person.pk
        assert hits[0].score >= 85  # a typo costs a little, not a whole word


def test_it_finds_swapped_surnames(personas, filler):
    person = register(personas, "Pedro Pablo | Caal | Choc")
    hits = find(personas, "Pedro Pablo Choc Caal")
    assert hits[0].person_id == person.pk
    assert "apellidos en el orden inverso" in hits[0].reasons


def test_it_finds_a_married_name(personas, filler):
    register(personas, "María Elena | Pérez | Ramos", sex="F")  # registered first: wins any tie
    person = register(personas, "María Elena | López | García", sex="F")
    for typed in ("María Elena López de Pérez", "María Elena López García de Pérez"):
        hits = find(personas, typed)
        assert hits[0].person_id == person.pk
        assert hits[0].score >= 90  # her husband's surname is not held against her


def test_it_finds_by_dpi_with_spaces(personas, filler):
    person = register(personas, "Byron | Xiloj | Tiul", documents=[(dpi_type(), "2746138590901")])
    for typed in ("2746 13859 0901", "2746-13859-0901", "2746138590901"):
        hits = find(personas, typed)
        assert ids(hits) == [person.pk]
        assert hits[0].score == 100
    assert find(personas, "2746 13859 0902") == []


def test_it_finds_by_phone(personas, filler):
    person = register(personas, "Marvin | Pop | Caal", phone="+50255551234")
    assert ids(find(personas, "5555 1234")) == [person.pk]
    assert ids(find(personas, "+502 5555-1234")) == [person.pk]
    assert find(personas, "5555 1235") == []


def test_it_never_returns_another_organizations_people(personas, filler):
    outsider_phone = register(
        personas, "Selvin | Tiul | Batz", membership=personas.outsider, phone="+50377771234"
    )
    outsider_dpi = register(
        personas,
        "Selvin | Tiul | Batz",
        membership=personas.outsider,
        documents=[(dpi_type(), "2746138590901")],
    )
    found = ids(find(personas, "Selvin Tiul Batz", limit=50))
    assert outsider_phone.pk not in found
    assert outsider_dpi.pk not in found
    assert find(personas, "2746 13859 0901") == []
    assert find(personas, "7777 1234") == []
    # The outsider's own officer finds them.
    found = search_people(organization_ids=[personas.outsider_org.pk], query="2746 13859 0901")
    assert ids(found) == [outsider_dpi.pk]


def test_it_never_returns_a_merged_record(personas, filler):
    merged = register(personas, "Wilmer | Cux | Tzoc", documents=[(dpi_type(), "2746138590901")])
    survivor = register(personas, "Wilmer | Cux | Tzoc")
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor, updated_at=timezone.now())
    found = ids(find(personas, "Wilmer Cux Tzoc", limit=50))
    assert found[0] == survivor.pk
    assert merged.pk not in found
    assert find(personas, "2746 13859 0901") == []


def test_a_record_merged_after_the_index_was_built_disappears(personas, filler):
    merged = register(personas, "Wilmer | Cux | Tzoc")
    survivor = register(personas, "Wilmer | Cux | Tzoc")
    assert set(ids(find(personas, "Wilmer Cux Tzoc"))[:2]) == {merged.pk, survivor.pk}
    # Even a merge that forgets to touch updated_at never shows the merged record.
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
    found = ids(find(personas, "Wilmer Cux Tzoc", limit=50))
    assert found[0] == survivor.pk
    assert merged.pk not in found


def test_deleted_people_never_take_the_place_of_real_hits(personas, filler):
    people = [register(personas, "Elmer | Choc | Tiul") for _ in range(20)]
    get_index()
    deleted = {person.pk for person in people[::2]}
    Person.objects.filter(pk__in=deleted).delete()  # leaves no updated_at behind
    found = ids(find(personas, "Elmer Choc Tiul"))
    assert len(found) == 10
    assert not deleted & set(found)


def test_a_person_registered_after_the_index_was_built_is_found(personas, filler):
    get_index()
    person = register(personas, "Heriberto | Xiloj | Ajú", documents=[(dpi_type(), "2746138590901")])
    assert ids(find(personas, "Heriberto Xiloj"))[0] == person.pk
    assert ids(find(personas, "2746 13859 0901")) == [person.pk]


def test_a_registration_that_committed_late_is_still_found(personas, filler):
    """A transaction that began before the last search but committed after it."""
    first = register(personas, "Heriberto | Xiloj | Ajú")
    assert ids(find(personas, "Heriberto Xiloj Ajú"))[0] == first.pk
    late = register(personas, "Rigoberto | Batz | Tzoc")
    Person.objects.filter(pk=late.pk).update(updated_at=first.updated_at - datetime.timedelta(seconds=5))
    assert ids(find(personas, "Rigoberto Batz Tzoc"))[0] == late.pk


def test_after_a_quiet_spell_a_search_checks_for_news_in_one_query_and_finds_them(
    personas, filler, time_machine
):
    index = get_index()
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=10))
    index.refresh()  # nothing new: the last change seen is now older than the overlap window
    with CaptureQueriesContext(connection) as quiet:
        assert index.refresh() == 0
    assert len(quiet) == 1
    newcomer = register(personas, "Zoila Esperanza | Quiché | Batz")
    assert ids(find(personas, "Zoila Quiché Batz")) == [newcomer.pk]
    holder = register(personas, "Efraín | Tzoc | Cumes")
    find(personas, "Efraín Tzoc")
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=10))
    find(personas, "Efraín Tzoc")
    IdentityDocument.objects.create(person=holder, document_type=dpi_type(), number="2468013579111")
    assert ids(find(personas, "2468 01357 9111")) == [holder.pk]


def test_a_corrected_name_is_found_under_the_new_name(personas, filler):
    person = register(personas, "Juan | Batz | Tzoc")
    assert find(personas, "Juan Batz Tzoc")[0].score == 100
    person.given_names = "Byron Estuardo"
    person.save()
    hits = find(personas, "Byron Estuardo Batz Tzoc")
    assert (hits[0].person_id, hits[0].score) == (person.pk, 100)
    assert all(hit.score < 100 for hit in find(personas, "Juan Batz Tzoc"))


def test_the_birth_date_ranks_the_right_person_first_even_with_day_and_month_swapped(personas, filler):
    register(personas, "Carlos | Pop | Caal", birth_date=datetime.date(1991, 7, 8))
    person = register(personas, "Carlos | Pop | Caal", birth_date=datetime.date(1990, 3, 5))
    assert ids(find(personas, "Carlos Pop Caal", birth_date=datetime.date(1990, 3, 5)))[0] == person.pk
    hits = find(personas, "Carlos Pop Caal", birth_date=datetime.date(1990, 5, 3))
    assert hits[0].person_id == person.pk
    assert hits[0].score > hits[1].score


def test_a_partial_last_word_matches_while_typing(personas, filler):
    register(personas, "Rigoberto | Xiloj | Cux")  # registered first: wins any tie
    person = register(personas, "Rigoberto | Xiloj | Batz")
    for typed in ("rigoberto xiloj ba", "xiloj batz rigo"):
        hits = find(personas, typed)
        assert hits[0].person_id == person.pk
        assert hits[0].score >= 85


def test_results_say_why_they_match_in_spanish(personas, filler):
    with translation.override("es"):
        jose = register(
            personas,
            "José | Tzul | Pacheco",
            birth_date=datetime.date(1990, 3, 5),
            documents=[(dpi_type(), "2746138590901")],
            phone="+50255551234",
        )
        assert find(personas, "2746 13859 0901")[0].reasons == ["mismo número de identidad"]
        assert find(personas, "5555 1234")[0].reasons == ["mismo teléfono"]
        hits = find(personas, "Chepe Tzul Pacheco", birth_date=datetime.date(1990, 5, 3))
        assert hits[0].person_id == jose.pk
        assert hits[0].reasons == [
            "nombre 97 %",  # a nickname is not quite the name
            "apodo Chepe → José",
            "fecha de nacimiento con el día y el mes invertidos",
        ]
        assert find(personas, "Tzul Pacheco José", birth_date=datetime.date(1990, 3, 5))[0].reasons == [
            "nombre 100 %",
            "misma fecha de nacimiento",
        ]
        married = register(personas, "Rosa Amelia | Coc | Pop", sex="F")
        hits = find(personas, "Rosa Amelia Coc Pop de Pérez")
        assert hits[0].person_id == married.pk
        assert hits[0].reasons == ["nombre 100 %", "apellido de casada: de Pérez"]


def test_the_hits_come_with_their_person_in_a_fixed_number_of_queries(personas, filler):
    for _ in range(6):
        register(personas, "Elmer | Choc | Tiul")
    get_index()
    with CaptureQueriesContext(connection) as two:
        hits = find(personas, "Elmer Choc Tiul", limit=2)
    assert len(hits) == 2
    with CaptureQueriesContext(connection) as six:
        hits = find(personas, "Elmer Choc Tiul", limit=6)
    assert len(hits) == 6
    assert len(six) == len(two) <= 4
    with CaptureQueriesContext(connection) as reading:
        assert [hit.person.full_name for hit in hits] == ["Elmer Choc Tiul"] * 6
    assert len(reading) == 0


def test_the_hit_query_is_compiled_once_and_finds_each_searchs_own_people(personas, filler, monkeypatch):
    elmer = register(personas, "Elmer | Choc | Tiul", birth_date=datetime.date(1990, 3, 4))
    rosa = register(personas, "Rosa | Coc | Pop")
    get_index()
    compiled = []
    compile_hit_query = searching._hit_query
    monkeypatch.setattr(searching, "_hit_query", lambda *a: compiled.append(a) or compile_hit_query(*a))
    searching._hit_query_cache().clear()
    [first] = find(personas, "Elmer Choc Tiul", limit=1)
    [second] = find(personas, "Rosa Coc Pop", limit=1)
    assert (first.person.pk, first.person.birth_date) == (elmer.pk, datetime.date(1990, 3, 4))
    assert (second.person.pk, second.person.full_name) == (rosa.pk, "Rosa Coc Pop")
    assert second.person.created_at == rosa.created_at and timezone.is_aware(second.person.created_at)
    assert len(compiled) == 1


def test_a_hit_query_compiled_on_another_connection_is_compiled_again(personas, filler):
    elmer = register(personas, "Elmer | Choc | Tiul")
    get_index()
    searching._hit_query_cache().clear()
    find(personas, "Elmer Choc Tiul", limit=1)
    [(key, (sql, _compiler))] = searching._hit_query_cache().items()
    stale = type("Compiler", (), {"connection": object()})()  # as if compiled by another thread
    searching._hit_query_cache()[key] = ("SELECT nothing FROM nowhere", stale)
    [hit] = find(personas, "Elmer Choc Tiul", limit=1)
    assert hit.person.pk == elmer.pk
    assert searching._hit_query_cache()[key][0] == sql


def test_where_the_keys_are_not_the_hit_querys_only_parameters_it_is_compiled_at_each_search(
    personas, filler, monkeypatch
):
    elmer = register(personas, "Elmer | Choc | Tiul")
    get_index()
    monkeypatch.setattr(searching, "_key_values", lambda pks, database: [])
    searching._hit_query_cache().clear()
    for _ in range(2):
        [hit] = find(personas, "Elmer Choc Tiul", limit=1)
        assert hit.person.pk == elmer.pk and hit.person.full_name == "Elmer Choc Tiul"
    assert not searching._hit_query_cache()


def test_a_hit_brings_what_its_result_row_shows_in_one_lean_query(personas, filler):
    municipality = Division.objects.filter(country_id="GT", parent__isnull=False).first()
    person = register(
        personas,
        "Elmer Rolando | Choc | Tiul",
        birth_date=datetime.date(1990, 3, 4),
        residence=municipality,
        preferred_name="Rolo",
    )
    get_index()
    with CaptureQueriesContext(connection) as searching_queries:
        hits = find(personas, "Elmer Choc Tiul")
    fetches = [q["sql"] for q in searching_queries if "people_person" in q["sql"] and " IN (" in q["sql"]]
    assert len(fetches) == 1
    assert "nationality" not in fetches[0] and '"languages"' not in fetches[0]
    with CaptureQueriesContext(connection) as reading:
        found = hits[0].person
        row = (
            found.pk,
            found.surnames,
            found.given_names,
            found.preferred_name,
            found.birth_date,
            found.birth_date_precision,
            found.residence.name,
            found.organization_id,
            found.sex,
            found.created_at,
        )
    assert len(reading) == 0
    assert row[:7] == (
        person.pk,
        "Choc Tiul",
        "Elmer Rolando",
        "Rolo",
        datetime.date(1990, 3, 4),
        "day",
        municipality.name,
    )


def test_nothing_is_searched_for_nobody_or_for_nothing(personas, filler):
    register(personas, "Elmer | Choc | Tiul")
    assert search_people(organization_ids=[], query="Elmer") == []
    assert find(personas, "   ") == []


def test_namesakes_come_most_recent_first_and_a_new_return_brings_one_up(personas, filler):
    from incluye.people.services import return_event_record

    older = register(personas, "Marta Elena | Ruiz | Pérez", sex="F")
    newer = register(personas, "Marta | Ruiz | Coc", sex="F")
    assert ids(find(personas, "Marta Ruiz"))[:2] == [newer.pk, older.pk]
    return_event_record(membership=personas.staff, person=older, arrived_on=datetime.date(2026, 11, 20))
    assert ids(find(personas, "Marta Ruiz"))[:2] == [older.pk, newer.pk]


def test_initials_and_lost_spaces_find_the_person(personas, filler):
    erick = register(personas, "Erick Yovani | Guzmán | López")
    register(personas, "Erick | Guzmán | López")
    oscar = register(personas, "Óscar | Santos | Ajú")
    assert ids(find(personas, "Erick Y. Guzmán"))[0] == erick.pk
    hits = find(personas, "ÓscarmSantos Ajú")
    assert hits[0].person_id == oscar.pk
    assert "espacios corregidos en «ÓscarmSantos»" in hits[0].reasons


def test_the_people_page_says_when_a_name_is_too_common_and_the_birth_year_finds_the_one_meant(personas):
    from django.urls import reverse

    make_namesakes(personas.org)
    meant = register(personas, "Marta | Ruiz | Tzoc", birth_date=datetime.date(1998, 7, 9))
    Person.objects.filter(pk=meant.pk).update(updated_at=timezone.now() - datetime.timedelta(days=900))
    client = personas.client("staff")
    page = client.get(reverse("people:list"), {"q": "Marta Ruiz"}).content.decode()
    assert 'data-testid="crowded"' in page and "el año solo ayuda" in page
    assert "Tzoc" not in page
    by_year = client.get(reverse("people:list"), {"q": "Marta Ruiz", "born_year": "1998"}).content.decode()
    assert by_year.index("Tzoc") < re.search(r"Ruiz\d\d", by_year).start()  # first in the list
    assert "mismo año de nacimiento" in by_year and 'data-testid="crowded"' not in by_year
    assert 'value="1998"' in by_year  # the form keeps what was typed


def test_a_birth_year_typed_short_on_the_people_page_says_so_and_the_name_is_still_searched(personas):
    from django.urls import reverse

    register(personas, "Marta | Ruiz | Tzoc", birth_date=datetime.date(1998, 7, 9))
    client = personas.client("staff")
    response = client.get(
        reverse("people:list"), {"q": "Marta Ruiz", "born_year": "98"}, headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert response.status_code == 200 and "Tzoc" in text
    assert 'data-testid="born-error"' in text and "cuatro cifras" in text
