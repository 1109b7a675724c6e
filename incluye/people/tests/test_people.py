import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incluye.core.models import ActionLogEntry, IdDocumentType
from incluye.core.testing import navigation_counted, page_text
from incluye.people.generate import PeopleGenerator
from incluye.people.models import Person
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db


def dpi_type():
    return IdDocumentType.objects.select_related("country").get(country_id="GT", code="DPI")


def register(personas, **fields):
    defaults = {
        "given_names": "María José",
        "first_surname": "Ajú",
        "second_surname": "Núñez",
        "nationality_id": "GT",
    }
    return person_register(membership=personas.staff, **{**defaults, **fields})


def test_registering_a_person_stores_the_normalized_dpi_and_logs_it_without_the_number(personas):
    person = register(personas, documents=[(dpi_type(), "2746 13859 0901")])
    assert person.documents.get().number == "2746138590901"
    entry = ActionLogEntry.objects.get(action="incluye.person.registered")
    assert (entry.actor, entry.organization, entry.object) == (personas.staff.user, personas.org, person)
    assert "2746138590901" not in str(entry.data)


def test_a_bad_dpi_registers_nothing(personas):
    with pytest.raises(ValidationError):
        register(personas, documents=[(dpi_type(), "2746 13850 0901")])
    assert not Person.objects.exists()
    assert not ActionLogEntry.objects.filter(action="incluye.person.registered").exists()


def test_opening_a_person_is_written_to_the_action_log(personas):
    person = register(personas)
    response = personas.client("caseworker").get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    entry = ActionLogEntry.objects.get(action="incluye.person.viewed")
    assert (entry.actor, entry.object) == (personas.caseworker.user, person)


def test_the_person_page_shows_two_surnames_accents_and_the_formatted_id(personas):
    person = register(personas, documents=[(dpi_type(), "2746138590901")])
    page = personas.client("staff").get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "María José Ajú Núñez" in page
    assert "2746 13859 0901" in page


def test_the_list_finds_people_by_any_name_part_or_by_id_number(personas):
    register(personas, documents=[(dpi_type(), "2746138590901")])
    register(personas, given_names="Pedro", first_surname="Coc", second_surname="")
    client = personas.client("staff")
    assert "Ajú" in client.get(reverse("people:list"), {"q": "nunez"}).content.decode()
    assert "Ajú" in client.get(reverse("people:list"), {"q": "AJU"}).content.decode()
    found = page_text(client.get(reverse("people:list"), {"q": "2746138590901"}))
    assert "Ajú" in found
    assert "Coc" not in found


def test_the_search_box_answers_with_just_the_results_for_htmx(personas):
    register(personas)
    response = personas.client("staff").get(
        reverse("people:list"), {"q": "Ajú"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "Ajú" in page


def test_the_list_does_not_issue_a_query_per_row(personas):
    PeopleGenerator(seed=1).create(organization=personas.org, count=5)
    client = navigation_counted(personas.client("staff"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people:list"))
    PeopleGenerator(seed=2).create(organization=personas.org, count=20)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("people:list"))
    assert len(many) == len(few)


def test_people_are_listed_surnames_first_in_spanish_order(personas):
    register(personas, given_names="Zoila", first_surname="Álvarez", second_surname="")
    register(personas, given_names="Ana", first_surname="Zúñiga", second_surname="")
    page = personas.client("staff").get(reverse("people:list")).content.decode()
    assert page.index("Álvarez") < page.index("Zúñiga")
