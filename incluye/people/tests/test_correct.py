"""Correcting a person's own details after the registration: a surname misspelt at the desk, the
birth date learnt in full, a new phone, a language they prefer. Role by role, logged, never over
someone else's change."""

import datetime
import json

import pytest
from django.urls import reverse

from incluye.accounts.roles import Role
from incluye.core.models import ActionLogEntry, Division
from incluye.core.phones import format_phone
from incluye.core.testing import client_for, make_member, make_organization, page_text
from incluye.people import searching
from incluye.people.models import Person
from incluye.people.services import consent_record, person_access_grant, person_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(personas):
    return person_register(
        membership=personas.staff,
        given_names="Marta Elena",
        first_surname="Ajo",
        second_surname="Tzoc",
        sex="F",
        birth_date=datetime.date(1990, 1, 1),
        birth_date_precision="year",
        nationality_id="GT",
        phone="+50255551234",
        languages=["es", "quc"],
    )


def form_data(person, **changes) -> dict:
    """What the page posts when the user changes `changes` and leaves the rest as shown."""
    data = {
        "version": person.version,
        "given_names": person.given_names,
        "first_surname": person.first_surname,
        "second_surname": person.second_surname,
        "preferred_name": person.preferred_name,
        "sex": person.sex,
        "birth_date_day": "",
        "birth_date_month": "",
        "birth_date_year": str(person.birth_date.year),
        "phone": format_phone(person.phone),
        "residence": "",
        "languages": person.languages,
        "preferred_language": person.preferred_language,
        "education": person.education,
        "household_size": "",
    }
    data.update(changes)
    return data


def test_an_officer_corrects_a_misspelt_surname_and_the_search_finds_the_new_one(personas, person):
    searching.reset_index()
    client = personas.client("staff")
    response = client.post(
        reverse("people:correct", args=[person.pk]), form_data(person, first_surname="Ajú")
    )
    assert response["Location"] == f"{reverse('people:detail', args=[person.pk])}?check=similar"
    person.refresh_from_db()
    assert (person.first_surname, person.version) == ("Ajú", 2)
    shown = page_text(client.get(response["Location"]))
    assert "Se corrigieron los datos de Marta Elena Ajú Tzoc: primer apellido." in shown
    hits = searching.search_people(organization_ids=[personas.org.pk], query="Marta Ajú Tzoc")
    assert hits and hits[0].person_id == person.pk
    searching.reset_index()


def test_the_page_shows_what_is_stored_and_a_birth_year_alone_stays_a_year(personas, person):
    client = personas.client("staff")
    page = client.get(reverse("people:correct", args=[person.pk])).content.decode()
    assert 'name="birth_date_year" value="1990"' in page
    assert 'name="birth_date_day" value=' not in page  # the day was never known: the box is empty
    assert 'name="first_surname" value="Ajo"' in page
    assert 'name="phone" value="+502 5555 1234"' in page  # as people read it, not as it is stored
    response = client.post(reverse("people:correct", args=[person.pk]), form_data(person))
    person.refresh_from_db()
    assert (person.birth_date, person.birth_date_precision) == (datetime.date(1990, 1, 1), "year")
    assert "No se cambió nada en los datos de Marta Elena Ajo Tzoc." in page_text(
        client.get(response["Location"])
    )


def test_a_birth_date_learnt_in_full_replaces_the_year_and_the_municipality_is_chosen(personas, person):
    municipality = Division.objects.filter(country_id="GT", code="0901").get()
    personas.client("caseworker").post(
        reverse("people:correct", args=[person.pk]),
        form_data(person, birth_date_day="14", birth_date_month="9", residence="0901", household_size="4"),
    )
    person.refresh_from_db()
    assert (person.birth_date, person.birth_date_precision) == (datetime.date(1990, 9, 14), "day")
    assert (person.residence, person.household_size) == (municipality, 4)


def test_the_action_log_names_the_fields_changed_never_their_values(personas, person):
    personas.client("staff").post(
        reverse("people:correct", args=[person.pk]),
        form_data(person, phone="5555 9876", preferred_language="quc"),
    )
    entry = ActionLogEntry.objects.get(action="incluye.person.updated", object_id=str(person.pk))
    assert sorted(entry.data["fields"]) == ["phone", "preferred_language"]
    assert "9876" not in json.dumps(entry.data) and "quc" not in json.dumps(entry.data)
    assert entry.actor == personas.staff.user


def test_bad_input_says_what_is_wrong_keeps_what_was_typed_and_changes_nothing(personas, person):
    response = personas.client("staff").post(
        reverse("people:correct", args=[person.pk]),
        form_data(person, given_names="Marta Elena", first_surname="", second_surname="", phone="12"),
    )
    assert response.status_code == 400
    text = page_text(response)
    assert "Escriba al menos un apellido." in text
    emptied = personas.client("staff").post(
        reverse("people:correct", args=[person.pk]), form_data(person, given_names="")
    )
    assert "Escriba los nombres de la persona." in page_text(emptied)  # not "Este campo es obligatorio."
    assert 'name="phone" value="12"' in response.content.decode()
    person.refresh_from_db()
    assert (person.first_surname, person.phone, person.version) == ("Ajo", "+50255551234", 1)


def test_a_correction_over_someone_elses_keeps_what_was_typed_and_says_what_changed(personas, person):
    read = form_data(person, first_surname="Ajú")
    personas.client("caseworker").post(
        reverse("people:correct", args=[person.pk]), form_data(person, phone="5555 9876")
    )
    response = personas.client("staff").post(reverse("people:correct", args=[person.pk]), read)
    assert response.status_code == 400
    assert "Teléfono" in page_text(response)
    assert 'name="first_surname" value="Ajú"' in response.content.decode()
    person.refresh_from_db()
    assert (person.first_surname, person.phone) == ("Ajo", "+50255559876")


def test_a_language_recorded_outside_the_countrys_list_stays_when_something_else_is_corrected(
    personas, person
):
    Person.objects.filter(pk=person.pk).update(languages=["es", "pt"])
    person.refresh_from_db()
    personas.client("staff").post(
        reverse("people:correct", args=[person.pk]), form_data(person, preferred_name="Martita")
    )
    person.refresh_from_db()
    assert (person.preferred_name, person.languages) == ("Martita", ["es", "pt"])


def test_roles_that_correct_see_the_link_and_the_others_neither_the_link_nor_the_page(personas, person):
    url = reverse("people:correct", args=[person.pk])
    detail = reverse("people:detail", args=[person.pk])
    for membership in (personas.staff, personas.caseworker, personas.admin):
        client = client_for(membership)
        assert client.get(url).status_code == 200, membership.role
        assert url in client.get(detail).content.decode(), membership.role
    psychologist = client_for(make_member(personas.org, Role.PSYCHOSOCIAL))
    assert url not in psychologist.get(detail).content.decode()
    assert psychologist.get(url).status_code == 403
    assert psychologist.post(url, form_data(person, first_surname="X")).status_code == 403
    assert personas.client("readonly").post(url, form_data(person, first_surname="X")).status_code == 403
    person.refresh_from_db()
    assert person.first_surname == "Ajo"


def test_another_organization_gets_a_404_until_the_record_is_shared_with_it(personas, person):
    partner = make_organization("Fundación Puentes", country="GT")
    their_caseworker = make_member(partner, Role.CASEWORKER)
    url = reverse("people:correct", args=[person.pk])
    assert personas.client("outsider").get(url).status_code == 404
    assert client_for(their_caseworker).post(url, form_data(person, first_surname="X")).status_code == 404
    consent_record(
        membership=personas.caseworker,
        person=person,
        purpose="alliance_sharing",
        given=True,
        method="signed_form",
    )
    person_access_grant(membership=personas.caseworker, person=person, organization=partner, reason="handoff")
    response = client_for(their_caseworker).post(url, form_data(person, phone="5555 4321"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "+50255554321"
    entry = ActionLogEntry.objects.get(action="incluye.person.updated")
    assert entry.organization == partner


# --- the API: PATCH /api/v1/people/<id>/ ----------------------------------------------------------


def patch(client, person, body):
    return client.patch(reverse("api:person", args=[person.pk]), body, content_type="application/json")


def test_the_api_corrects_only_the_fields_sent_and_keeps_a_birth_year_a_year(personas, person):
    response = patch(
        personas.client("staff"), person, {"version": 1, "first_surname": "Ajú", "phone": "5555 9876"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["first_surname"], body["phone"], body["version"]) == ("Ajú", "+50255559876", 2)
    assert (body["birth_date"], body["birth_date_precision"]) == ("1990-01-01", "year")
    assert (body["given_names"], body["languages"]) == ("Marta Elena", ["es", "quc"])
    entry = ActionLogEntry.objects.get(action="incluye.person.updated")
    assert sorted(entry.data["fields"]) == ["first_surname", "phone"]


def test_the_api_answers_bad_input_with_a_structured_400_in_spanish_and_changes_nothing(personas, person):
    client = personas.client("staff")
    response = patch(client, person, {"version": 1, "phone": "12", "household_size": "muchos"})
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"phone", "household_size"}
    unknown = patch(client, person, {"version": 1, "nationality": "MX"})
    assert unknown.status_code == 400
    assert unknown.json()["error"]["fields"] == {"nationality": ["Este campo no se puede cambiar aquí."]}
    no_version = patch(client, person, {"phone": "5555 9876"})
    assert no_version.status_code == 400
    person.refresh_from_db()
    assert (person.phone, person.nationality_id, person.version) == ("+50255551234", "GT", 1)


def test_the_api_refuses_a_correction_of_an_old_copy_with_409_naming_what_changed(personas, person):
    assert (
        patch(personas.client("caseworker"), person, {"version": 1, "phone": "5555 9876"}).status_code == 200
    )
    response = patch(personas.client("staff"), person, {"version": 1, "first_surname": "Ajú"})
    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["current_version"], error["changed_fields"]) == (2, ["phone"])
    person.refresh_from_db()
    assert person.first_surname == "Ajo"


def test_the_api_gives_another_organization_a_404_and_a_role_that_does_not_correct_a_403(personas, person):
    assert patch(personas.client("outsider"), person, {"version": 1, "phone": "5555 9876"}).status_code == 404
    psychologist = client_for(make_member(personas.org, Role.PSYCHOSOCIAL))
    assert patch(psychologist, person, {"version": 1, "phone": "5555 9876"}).status_code == 403
    person.refresh_from_db()
    assert person.version == 1


def test_the_api_takes_a_form_encoded_correction_with_several_languages(personas, person):
    from urllib.parse import urlencode

    body = urlencode({"version": 1, "languages": ["es", "mam"], "preferred_language": "mam"}, doseq=True)
    response = personas.client("staff").patch(
        reverse("api:person", args=[person.pk]), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert (person.languages, person.preferred_language) == (["es", "mam"], "mam")


def test_an_erased_record_cannot_be_corrected_back_into_personal_data(personas, person):
    from incluye.people.rights import person_erase

    person_erase(person=person, reason="request")
    client = personas.client("admin")
    assert (
        reverse("people:correct", args=[person.pk])
        not in client.get(reverse("people:detail", args=[person.pk])).content.decode()
    )
    person.refresh_from_db()
    assert (
        client.post(reverse("people:correct", args=[person.pk]), {"version": person.version}).status_code
        == 404
    )
    assert patch(client, person, {"version": person.version, "given_names": "Marta"}).status_code == 404
    person.refresh_from_db()
    assert person.given_names == "—"


def her_first_registration(membership, *, first_surname="Ajú"):
    """Marta Elena Tzoc registered once before, by `membership`, with her full birth date."""
    return person_register(
        membership=membership,
        given_names="Marta Elena",
        first_surname=first_surname,
        second_surname="Tzoc",
        sex="F",
        birth_date=datetime.date(1990, 4, 2),
        nationality_id="GT",
    )


def corrected_to_aju(client, person):
    """The page after correcting the surname "Ajo" to "Ajú"."""
    response = client.post(
        reverse("people:correct", args=[person.pk]), form_data(person, first_surname="Ajú")
    )
    return response, client.get(response["Location"]).content.decode()


def similar_section(page: str) -> str:
    start = page.find('data-testid="similar-records"')
    return page[start : page.find("</section>", start)] if start >= 0 else ""


def test_a_surname_corrected_to_another_records_shows_that_record_on_the_person_page(personas, person):
    """A surname misspelt at the desk ("Ajo"), corrected to "Ajú": the person is now plainly the Marta Elena
    Ajú Tzoc registered a year earlier: the page says so at once, not after the night's check."""
    first = her_first_registration(personas.caseworker)
    response, page = corrected_to_aju(personas.client("staff"), person)
    assert response["Location"] == f"{reverse('people:detail', args=[person.pk])}?check=similar"
    shown = similar_section(page)
    assert "Con los datos corregidos, esta persona se parece a otros registros" in shown
    assert reverse("people:detail", args=[first.pk]) in shown
    assert reverse("people:detail", args=[person.pk]) not in shown  # not the person's own record
    assert 'data-testid="check-duplicates"' in shown  # reception reviews its duplicates


def test_another_organizations_record_shows_as_a_stub_and_the_view_is_in_its_log(personas, person):
    ngo_caseworker = make_member(
        make_organization("Asociación Caminos de Retorno", kind="ngo"), Role.CASEWORKER
    )
    theirs = her_first_registration(ngo_caseworker)
    consent_record(
        membership=ngo_caseworker, person=theirs, purpose="alliance_sharing", given=True, method="signed_form"
    )
    _response, page = corrected_to_aju(personas.client("staff"), person)
    shown = similar_section(page)
    assert "Asociación Caminos de Retorno" in shown
    assert reverse("people:detail", args=[theirs.pk]) not in shown  # a stub: no link into their record
    assert (
        ActionLogEntry.objects.filter(action="incluye.person.stub_viewed", object_id=str(theirs.pk)).count()
        == 1
    )


def test_a_corrected_name_like_nobody_else_says_so(personas, person):
    _response, page = corrected_to_aju(personas.client("staff"), person)
    assert "Con los datos corregidos, esta persona no se parece a ningún otro registro." in page


def test_a_new_phone_alone_does_not_look_for_similar_records(personas, person):
    client = personas.client("staff")
    response = client.post(
        reverse("people:correct", args=[person.pk]), form_data(person, phone="+502 5555 9876")
    )
    assert response["Location"] == reverse("people:detail", args=[person.pk])


def test_a_role_that_corrects_nothing_gets_no_similar_records_from_the_address(personas, person):
    her_first_registration(personas.caseworker, first_surname="Ajo")
    psychologist = client_for(make_member(personas.org, Role.PSYCHOSOCIAL))
    page = psychologist.get(f"{reverse('people:detail', args=[person.pk])}?check=similar").content.decode()
    assert 'data-testid="similar-records"' not in page
    assert 'data-testid="no-similar-records"' not in page
