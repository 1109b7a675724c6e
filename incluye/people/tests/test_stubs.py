"""One person per country, many organizations: a member of the alliance finds the people other
members registered as a minimal stub — name, birth year, registering organization, date of the
last return — where the person's consent to share allows it; nothing more, and nothing at all
for a member of another country's alliance. An identity number already held anywhere in the
country warns before a second record is created, and a second record is never silent."""

import datetime

import pytest
from django.urls import reverse

from incluye.accounts.roles import Role
from incluye.core.models import ActionLogEntry, IdDocumentType
from incluye.core.testing import client_for, make_member, make_organization
from incluye.people.models import Person
from incluye.people.services import consent_record, person_register

pytestmark = pytest.mark.django_db
DPI = "2746 13859 0901"


@pytest.fixture
def ngo(db):
    return make_organization("Asociación Caminos de Retorno", kind="ngo")


@pytest.fixture
def ngo_caseworker(ngo):
    return make_member(ngo, Role.CASEWORKER)


def register(membership, *, consent=True, **fields):
    defaults = {
        "given_names": "Byron Estuardo",
        "first_surname": "Xitumul",
        "second_surname": "Ajú",
        "birth_date": datetime.date(1988, 3, 14),
        "phone": "+50255509876",
        "nationality_id": "GT",
        "documents": [(IdDocumentType.objects.get(country_id="GT", code="DPI"), DPI)],
        "return_event": {
            "arrived_on": datetime.date(2026, 11, 20),
            "transport_reference": "TA-102",
            "vulnerabilities": ["medical"],
        },
    }
    person = person_register(membership=membership, **{**defaults, **fields})
    if consent:
        consent_record(
            membership=membership, person=person, purpose="alliance_sharing", given=True, method="signed_form"
        )
    return person


def stub_rows(client, query="Xitumul"):
    response = client.get(reverse("people:list"), {"q": query})
    assert response.status_code == 200
    return response.context["stubs"], response.content.decode()


# -- what a stub shows ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("name", "Byron Estuardo Xitumul Ajú"),
        ("birth_year", "1988"),
        ("registered_by", "Centro de Recepción La Aurora"),
        ("last_return_on", "20/11/2026"),
    ],
)
def test_a_member_of_the_alliance_sees_each_field_of_the_stub(personas, ngo_caseworker, field, expected):
    register(personas.staff)
    stubs, page = stub_rows(client_for(ngo_caseworker))
    assert len(stubs) == 1
    assert f'<td data-field="{field}">{expected}</td>' in page


@pytest.mark.parametrize(
    "hidden",
    [
        "2746",  # the identity number, in any form
        "55509876",  # the phone
        "14/03/1988",  # the day and month of birth
        "TA-102",  # the return's flight
        "Necesita atención médica",  # the return's urgent needs
        "Estados Unidos",  # where the person returned from
        "Sexo",  # any other field of the record
    ],
)
def test_a_stub_never_shows_anything_beyond_its_four_fields(personas, ngo_caseworker, hidden):
    register(personas.staff)
    _stubs, page = stub_rows(client_for(ngo_caseworker))
    assert "Byron Estuardo Xitumul Ajú" in page
    assert hidden not in page


def test_the_stub_carries_only_its_fields_and_a_token_never_the_record(personas, ngo_caseworker):
    person = register(personas.staff)
    (stub,), _page = stub_rows(client_for(ngo_caseworker))
    assert (stub.name, stub.birth_year, stub.registered_by, stub.last_return_on) == (
        "Byron Estuardo Xitumul Ajú",
        1988,
        "Centro de Recepción La Aurora",
        datetime.date(2026, 11, 20),
    )
    assert str(person.pk) not in stub.token  # the token is signed, not the bare id
    # The person's page stays closed to the other organization.
    assert client_for(ngo_caseworker).get(reverse("people:detail", args=[person.pk])).status_code == 404


def test_without_the_consent_to_share_another_member_finds_nothing(personas, ngo_caseworker):
    register(personas.staff, consent=False)
    stubs, page = stub_rows(client_for(ngo_caseworker))
    assert stubs == []
    assert "Byron Estuardo" not in page


def test_a_withdrawn_or_expired_consent_stops_the_stub(personas, ngo_caseworker):
    person = register(personas.staff)
    consent_record(
        membership=personas.staff,
        person=person,
        purpose="alliance_sharing",
        given=True,
        method="signed_form",
        expires_on=datetime.date(2000, 1, 1),
    )
    assert stub_rows(client_for(ngo_caseworker))[0] == []


def test_a_member_of_another_countrys_alliance_finds_nothing(personas):
    register(personas.staff)
    salvadoran = make_member(make_organization("Asociación de El Salvador", country="SV"), Role.CASEWORKER)
    stubs, page = stub_rows(client_for(salvadoran))
    assert stubs == []
    assert "Byron Estuardo" not in page
    # Not by the identity number either.
    assert stub_rows(client_for(salvadoran), query=DPI)[0] == []


def test_the_own_organization_sees_the_person_in_full_not_as_a_stub(personas):
    register(personas.staff)
    response = personas.client("staff").get(reverse("people:list"), {"q": "Xitumul"})
    assert response.context["stubs"] == []
    assert [p.full_name for p in response.context["page"]] == ["Byron Estuardo Xitumul Ajú"]


def test_every_stub_shown_is_in_the_action_log_and_the_persons_access_report(personas, ngo, ngo_caseworker):
    person = register(personas.staff)
    stub_rows(client_for(ngo_caseworker))
    entry = ActionLogEntry.objects.get(action="incluye.person.stub_viewed")
    assert (entry.person_id, entry.organization_id, entry.actor_id) == (
        person.pk,
        ngo.pk,
        ngo_caseworker.user_id,
    )
    report = personas.client("admin").get(reverse("people:access_report", args=[person.pk])).content.decode()
    assert "Vio la ficha mínima de una persona de otra organización" in report
    assert "Asociación Caminos de Retorno" in report


# -- registering: the same identity number, whoever holds it ----------------------------------------


def intake_data(**overrides):
    return {
        "given_names": "Byron",
        "first_surname": "Xitumul",
        "second_surname": "",
        "sex": "M",
        "birth_date": "1988-03-14",
        "birth_date_precision": "day",
        "document_type": "DPI",
        "document_number": DPI,
        "arrived_on": "2026-11-25",
        "mode": "air",
        "returned_from": "US",
        "education": "unknown",
        "consent_method": "signed_form",
        **overrides,
    }


def test_registering_a_dpi_another_member_holds_warns_with_its_stub(personas, ngo_caseworker, time_machine):
    from incluye.core.testing import local_moment

    time_machine.move_to(local_moment("2026-11-26 10:00"))
    register(personas.staff)
    response = client_for(ngo_caseworker).post(reverse("people:intake"), intake_data())
    assert response.status_code == 200
    matches = response.context["matches"]
    assert [s.name for s in matches.stubs] == ["Byron Estuardo Xitumul Ajú"]
    assert matches.stubs[0].from_number and matches.number_match
    page = response.content.decode()
    assert "Pedir acceso" in page
    assert Person.objects.filter(organization=ngo_caseworker.organization).count() == 0


def test_the_dpi_warning_comes_even_without_consent_but_shows_no_stub(personas, ngo_caseworker, time_machine):
    from incluye.core.testing import local_moment

    time_machine.move_to(local_moment("2026-11-26 10:00"))
    register(personas.staff, consent=False, given_names="Otro Nombre", first_surname="Distinto")
    response = client_for(ngo_caseworker).post(reverse("people:intake"), intake_data())
    matches = response.context["matches"]
    assert matches.stubs == [] and matches.number_held_elsewhere
    page = response.content.decode()
    assert "Este número de identidad ya está registrado por otra organización de la alianza." in page
    assert "Distinto" not in page


def test_a_second_record_of_the_same_dpi_needs_an_explicit_check_and_is_logged(
    personas, ngo_caseworker, time_machine
):
    from incluye.core.testing import local_moment

    time_machine.move_to(local_moment("2026-11-26 10:00"))
    first = register(personas.staff)
    client = client_for(ngo_caseworker)
    # "Different person" alone is not enough when the number is the same: the warning comes back.
    again = client.post(reverse("people:intake"), intake_data(confirm_new="1"))
    assert again.status_code == 200 and again.context["matches"].number_match
    assert Person.objects.filter(organization=ngo_caseworker.organization).count() == 0
    done = client.post(reverse("people:intake"), intake_data(confirm_new="1", confirm_number="1"))
    assert done.status_code == 302
    second = Person.objects.get(organization=ngo_caseworker.organization)
    entry = ActionLogEntry.objects.get(action="incluye.person.registered_over_match")
    assert entry.person_id == second.pk
    assert entry.data["possible_duplicates"] == [str(first.pk)]


def test_asking_for_access_from_the_intake_keeps_what_was_typed(personas, ngo_caseworker, time_machine):
    from incluye.core.testing import local_moment
    from incluye.people.models import IntakeDraft

    time_machine.move_to(local_moment("2026-11-26 10:00"))
    register(personas.staff)
    client = client_for(ngo_caseworker)
    token = client.post(reverse("people:intake"), intake_data()).context["matches"].stubs[0].token
    response = client.post(reverse("people:intake"), intake_data(ask_access=token))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("referrals:access_new"))
    draft = IntakeDraft.objects.get(created_by=ngo_caseworker.user)
    assert draft.data["first_surname"] == ["Xitumul"]
    page = client.get(response["Location"]).content.decode()
    assert "Centro de Recepción La Aurora tiene el expediente de esta persona" in page


def test_a_forged_or_foreign_stub_token_is_a_404(personas, ngo_caseworker):
    from incluye.people.selectors import stub_token

    person = register(personas.staff)
    client = client_for(ngo_caseworker)
    assert client.get(reverse("referrals:access_new"), {"stub": "forged"}).status_code == 404
    salvadoran = make_member(make_organization("Asociación de El Salvador", country="SV"), Role.CASEWORKER)
    good = stub_token(person.pk)
    assert client.get(reverse("referrals:access_new"), {"stub": good}).status_code == 200
    assert client_for(salvadoran).get(reverse("referrals:access_new"), {"stub": good}).status_code == 404


def test_the_api_never_registers_an_identity_number_the_alliance_holds_silently(personas, ngo_caseworker):
    from django.utils import timezone

    first = register(personas.staff)
    client = client_for(ngo_caseworker)
    arrival = {
        "given_names": "Byron",
        "first_surname": "Xitumul",
        "document_type": "DPI",
        "document_number": DPI.replace(" ", ""),
        "arrived_on": timezone.localdate().isoformat(),
    }
    refused = client.post(reverse("api:people"), arrival, content_type="application/json")
    assert refused.status_code == 400
    assert (
        "Este número de identidad ya está registrado en la alianza"
        in refused.json()["error"]["fields"]["document_number"][0]
    )
    assert not Person.objects.filter(organization=ngo_caseworker.organization).exists()
    done = client.post(
        reverse("api:people"), {**arrival, "confirm_new": True}, content_type="application/json"
    )
    assert done.status_code == 201
    entry = ActionLogEntry.objects.get(action="incluye.person.registered_over_match")
    assert entry.data["possible_duplicates"] == [str(first.pk)]
