"""The intake form at the desk: validation, drafts, triage, duplicates before saving."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from incluye.core.models import ActionLogEntry, IdDocumentType
from incluye.people.models import Consent, IntakeDraft, Person, ReturnEvent
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db


def arrival(**overrides):
    data = {
        "given_names": "María José",
        "first_surname": "Ajú",
        "second_surname": "Núñez",
        "sex": "F",
        "birth_date": "1992-07-03",
        "birth_date_precision": "day",
        "document_type": "DPI",
        "document_number": "2746 13859 0901",
        "phone": "5555 1234",
        "residence": "0901",
        "education": "primary",
        "arrived_on": timezone.localdate().isoformat(),
        "mode": "air",
        "returned_from": "US",
        "transport_reference": "TA-102",
        "months_abroad": "72",
        "consent_case_management": "on",
        "consent_method": "signed_form",
    }
    data.update(overrides)
    if not data["document_number"]:
        data["document_type"] = ""
    return {k: v for k, v in data.items() if v is not None}


def test_an_officer_registers_an_arrival_with_document_return_and_consent(personas):
    response = personas.client("staff").post(reverse("people:intake"), arrival())
    person = Person.objects.get()
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert (person.organization, person.phone, person.residence.code) == (
        personas.org,
        "+50255551234",
        "0901",
    )
    assert person.documents.get().number == "2746138590901"
    event = ReturnEvent.objects.get(person=person)
    assert (event.months_abroad, event.transport_reference) == (72, "TA-102")
    assert Consent.objects.get(person=person, purpose="case_management").given is True
    assert Consent.objects.get(person=person, purpose="alliance_sharing").given is False
    assert ActionLogEntry.objects.filter(
        action="incluye.person.registered", object_id=str(person.pk)
    ).exists()


def test_it_rejects_an_invalid_dpi_and_keeps_everything_typed(personas):
    response = personas.client("staff").post(
        reverse("people:intake"), arrival(document_number="2746 13850 0901")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "dígito verificador" in page
    assert 'value="María José"' in page
    assert 'value="2746 13850 0901"' in page
    assert not Person.objects.exists()


def test_a_verbal_consent_needs_a_witness(personas):
    response = personas.client("staff").post(
        reverse("people:intake"), arrival(consent_method="verbal_witness")
    )
    assert response.status_code == 400
    assert "testigo" in response.content.decode()


def test_it_needs_at_least_one_surname(personas):
    response = personas.client("staff").post(
        reverse("people:intake"), arrival(first_surname="", second_surname="")
    )
    assert response.status_code == 400
    assert not Person.objects.exists()


def test_a_half_typed_form_is_saved_and_comes_back_for_its_author_only(personas):
    client = personas.client("staff")
    response = client.post(
        reverse("people:intake"),
        {"action": "save_draft", "given_names": "Pedro", "first_surname": "Coc", "needs": ["medical"]},
    )
    draft = IntakeDraft.objects.get()
    assert response["Location"].endswith(f"?draft={draft.pk}")
    page = client.get(reverse("people:intake"), {"draft": draft.pk}).content.decode()
    assert 'value="Pedro"' in page
    assert 'value="medical" checked' in page or ('value="medical"' in page and "checked" in page)
    assert client.get(reverse("people:intake")).content.decode().count("Pedro Coc") == 1  # listed to resume
    assert personas.client("caseworker").get(reverse("people:intake"), {"draft": draft.pk}).status_code == 404
    # Finishing it registers the person and discards the draft.
    client.post(
        reverse("people:intake"),
        {**arrival(given_names="Pedro", first_surname="Coc"), "draft": str(draft.pk)},
    )
    assert not IntakeDraft.objects.exists()


def test_urgent_needs_put_the_person_at_the_top_of_the_days_list(personas):
    client = personas.client("staff")
    client.post(
        reverse("people:intake"), arrival(given_names="Ana", first_surname="Caal", document_number="")
    )
    client.post(
        reverse("people:intake"),
        arrival(
            given_names="Luis",
            first_surname="Xol",
            second_surname="Pop",
            document_number="",
            needs=["unaccompanied_minor"],
        ),
    )
    page = client.get(reverse("people:today")).content.decode()
    assert page.index("Xol Pop, Luis") < page.index("Caal Núñez, Ana")
    assert "Menor no acompañado" in page


def test_a_known_dpi_shows_the_existing_record_before_saving(personas):
    dpi = IdDocumentType.objects.get(country_id="GT", code="DPI")
    existing = person_register(
        membership=personas.staff,
        given_names="María José",
        first_surname="Ajú",
        second_surname="Núñez",
        nationality_id="GT",
        documents=[(dpi, "2746138590901")],
    )
    response = personas.client("staff").post(reverse("people:intake"), arrival())
    page = response.content.decode()
    assert response.status_code == 200
    assert "puede estar registrada" in page
    assert f'value="{existing.pk}"' in page
    assert Person.objects.count() == 1


def test_a_similar_name_and_birth_date_is_shown_before_saving(personas):
    person_register(
        membership=personas.staff,
        given_names="María José",
        first_surname="Aju",
        second_surname="Nunez",
        birth_date=datetime.date(1992, 7, 3),
        nationality_id="GT",
    )
    page = (
        personas.client("staff").post(reverse("people:intake"), arrival(document_number="")).content.decode()
    )
    assert "puede estar registrada" in page
    assert Person.objects.count() == 1


def test_a_birth_year_alone_at_the_desk_is_no_january_first_among_the_likely_matches(personas):
    person_register(
        membership=personas.staff,
        given_names="María José",
        first_surname="Aju",
        second_surname="Nunez",
        birth_date=datetime.date(1992, 1, 1),
        nationality_id="GT",
    )
    typed = arrival(document_number="", birth_date_day="", birth_date_month="", birth_date_year="1992")
    del typed["birth_date"]
    page = personas.client("staff").post(reverse("people:intake"), typed).content.decode()
    assert "puede estar registrada" in page
    assert "mismo año de nacimiento" in page and "misma fecha de nacimiento" not in page


def test_the_officer_attaches_the_return_to_the_existing_person(personas):
    existing = person_register(
        membership=personas.staff,
        given_names="María José",
        first_surname="Ajú",
        second_surname="Núñez",
        nationality_id="GT",
    )
    response = personas.client("staff").post(
        reverse("people:intake"), {**arrival(), "attach": str(existing.pk)}
    )
    assert response["Location"] == reverse("people:detail", args=[existing.pk])
    assert Person.objects.count() == 1
    assert existing.returns.count() == 1
    assert existing.documents.get().number == "2746138590901"


def test_the_officer_can_register_a_different_person_with_a_similar_name(personas):
    person_register(
        membership=personas.staff,
        given_names="María José",
        first_surname="Ajú",
        second_surname="Núñez",
        nationality_id="GT",
    )
    personas.client("staff").post(
        reverse("people:intake"), {**arrival(document_number=""), "confirm_new": "1"}
    )
    assert Person.objects.count() == 2


def test_people_of_another_organization_are_never_suggested(personas):
    person_register(
        membership=personas.outsider,
        given_names="María José",
        first_surname="Ajú",
        second_surname="Núñez",
        nationality_id="SV",
    )
    response = personas.client("staff").post(reverse("people:intake"), arrival(document_number=""))
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_roles_that_do_not_register_cannot_open_the_intake(personas):
    assert personas.client("readonly").get(reverse("people:intake")).status_code == 403
    assert personas.client("employer").get(reverse("people:intake")).status_code == 403


def test_recording_a_consent_withdrawal_on_the_person_page(personas):
    person = person_register(
        membership=personas.staff, given_names="Ana", first_surname="Coc", nationality_id="GT"
    )
    client = personas.client("caseworker")
    client.post(
        reverse("people:consent_add", args=[person.pk]),
        {"purpose": "alliance_sharing", "given": "1", "method": "signed_form"},
    )
    client.post(
        reverse("people:consent_add", args=[person.pk]),
        {"purpose": "alliance_sharing", "given": "0", "method": "verbal_witness", "witness": "Rosa Tzul"},
    )
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "retirado" in page
    assert "Rosa Tzul" in page
    assert ActionLogEntry.objects.filter(action="incluye.consent.withdrawn").count() == 1


def test_the_arrival_date_starts_as_today_in_the_browsers_date_picker(personas):
    page = personas.client("staff").get(reverse("people:intake")).content.decode()
    assert f'name="arrived_on" value="{timezone.localdate().isoformat()}"' in page


def test_the_languages_recorded_at_registration_show_on_the_person_and_case_pages(personas):
    from incluye.cases.services import case_open

    person = person_register(
        membership=personas.staff,
        given_names="Juana",
        first_surname="Tzoc",
        nationality_id="GT",
        languages=["quc", "es"],
    )
    page = personas.client("staff").get(reverse("people:detail", args=[person.pk])).content.decode()
    assert 'data-testid="languages">K’iche’, Español<' in page.replace("'", "’").replace("&#x27;", "’")
    case = case_open(membership=personas.caseworker, person=person)
    case_page = personas.client("caseworker").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "K&#x27;iche&#x27;, Español" in case_page
