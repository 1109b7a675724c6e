import pytest
from django.urls import reverse

from incluye.accounts.roles import Role
from incluye.cases import services
from incluye.core.testing import client_for, make_member
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db
SECRET = "Refiere pesadillas desde la detención."


@pytest.fixture
def person(personas):
    return person_register(
        membership=personas.staff, given_names="Rosa", first_surname="Tzul", nationality_id="GT"
    )


@pytest.fixture
def case(personas, person):
    return services.case_open(membership=personas.caseworker, person=person)


def test_a_case_is_opened_moved_and_closed_through_the_api(personas, person):
    client = personas.client("caseworker")
    created = client.post(reverse("api:cases"), {"person": str(person.pk)}, content_type="application/json")
    assert created.status_code == 201
    case = created.json()
    assert case["allowed_next"] == ["psychosocial", "documents", "closed"]
    again = client.post(reverse("api:cases"), {"person": str(person.pk)}, content_type="application/json")
    assert again.status_code == 409
    url = reverse("api:case_change", args=[case["id"]])
    moved = client.post(
        url,
        {"action": "move", "to_status": "documents", "version": case["version"]},
        content_type="application/json",
    )
    assert moved.json()["status"] == "documents"
    closed = client.post(
        url,
        {"action": "close", "reason": "withdrew", "version": moved.json()["version"]},
        content_type="application/json",
    )
    assert closed.json()["status"] == "closed"


def test_an_old_version_answers_409_and_a_bad_transition_400(personas, case):
    client = personas.client("caseworker")
    url = reverse("api:case_change", args=[case.pk])
    client.post(
        url,
        {"action": "move", "to_status": "psychosocial", "version": case.version},
        content_type="application/json",
    )
    stale = client.post(
        url,
        {"action": "move", "to_status": "documents", "version": case.version},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale"
    case.refresh_from_db()
    bad = client.post(
        url,
        {"action": "move", "to_status": "follow_up", "version": case.version},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "transition_not_allowed"


@pytest.mark.parametrize("name", ["caseworker", "staff", "admin"])
def test_the_api_never_returns_a_psychosocial_notes_text_to_other_roles(personas, case, name):
    psychologist = make_member(personas.org, Role.PSYCHOSOCIAL)
    services.note_add(membership=psychologist, case=case, text=SECRET, sensitivity="psychosocial")
    response = personas.client(name).get(reverse("api:case_notes", args=[case.pk]))
    assert SECRET not in response.content.decode()
    assert response.json()[0] == {**response.json()[0], "hidden": True, "text": None}
    assert SECRET in client_for(psychologist).get(reverse("api:case_notes", args=[case.pk])).content.decode()


def test_screenings_through_the_api_are_for_psychosocial_staff_only(personas, case):
    psychologist = client_for(make_member(personas.org, Role.PSYCHOSOCIAL))
    url = reverse("api:case_screenings", args=[case.pk])
    answers = {str(i): 3 for i in range(1, 8)}
    created = psychologist.post(
        url, {"instrument": "GAD-7", "answers": answers}, content_type="application/json"
    )
    assert created.status_code == 201
    assert (created.json()["total"], created.json()["band"], created.json()["positive"]) == (
        21,
        "severe",
        True,
    )
    incomplete = psychologist.post(
        url, {"instrument": "GAD-7", "answers": {"1": 1}}, content_type="application/json"
    )
    assert incomplete.status_code == 400
    assert "answers" in incomplete.json()["error"]["fields"]
    assert personas.client("caseworker").get(url).status_code == 403


def test_a_document_moves_along_its_pipeline_through_the_api(personas, case):
    document = case.documents.get(code="national_id")
    client = personas.client("caseworker")
    url = reverse("api:case_document", args=[document.pk])
    ok = client.patch(url, {"status": "requested", "version": 1}, content_type="application/json")
    assert ok.json()["status"] == "requested" and ok.json()["version"] == 2
    needs_date = client.patch(url, {"status": "appointment", "version": 2}, content_type="application/json")
    assert needs_date.status_code == 400
    assert "appointment_at" in needs_date.json()["error"]["fields"]


def test_another_organization_gets_404_on_case_endpoints(personas, case):
    outsider = personas.client("outsider_admin")
    for name in ("api:case", "api:case_notes", "api:case_tasks"):
        assert outsider.get(reverse(name, args=[case.pk])).status_code == 404
    document = case.documents.first()
    assert (
        outsider.patch(
            reverse("api:case_document", args=[document.pk]), {}, content_type="application/json"
        ).status_code
        == 404
    )
