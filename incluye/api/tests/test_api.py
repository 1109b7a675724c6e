import pytest
from django.test import Client
from django.urls import reverse

from incluye.core.testing import make_token
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_is_published_and_describes_the_endpoints(client):
    response = client.get(reverse("api:schema"), headers={"Accept": "application/json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/people/", "/api/v1/validate/id-document/", "/api/v1/countries/"} <= set(schema["paths"])


def test_the_browsable_api_docs_load_their_assets_from_this_server(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "cdn." not in page and "unpkg" not in page


def test_a_bad_id_number_is_a_structured_400_in_spanish(personas):
    response = personas.client("staff").post(
        reverse("api:validate_id"),
        {"country": "GT", "document_type": "DPI", "number": "123"},
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert error["message"] == "Algunos de los datos enviados no son válidos."
    assert error["fields"]["number"] == ["Un DPI tiene 13 dígitos; este tiene 3."]


def test_a_good_id_number_comes_back_normalized_and_formatted(personas):
    response = personas.client("staff").post(
        reverse("api:validate_id"),
        {"country": "sv", "document_type": "dui", "number": "05127834-7"},
        content_type="application/json",
    )
    assert response.json() == {"valid": True, "number": "051278347", "formatted": "05127834-7"}


def test_missing_fields_and_unknown_types_are_400_not_500(personas):
    client = personas.client("staff")
    missing = client.post(reverse("api:validate_id"), {}, content_type="application/json")
    assert missing.status_code == 400
    assert set(missing.json()["error"]["fields"]) == {"country", "document_type", "number"}
    unknown = client.post(
        reverse("api:validate_id"),
        {"country": "GT", "document_type": "XYZ", "number": "1"},
        content_type="application/json",
    )
    assert unknown.status_code == 400
    assert "document_type" in unknown.json()["error"]["fields"]
    broken = client.post(reverse("api:validate_id"), "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["error"]["code"] == "parse_error"


def test_a_phone_is_validated_for_the_country(personas):
    client = personas.client("staff")
    ok = client.post(
        reverse("api:validate_phone"),
        {"country": "HN", "phone": "9123-4567"},
        content_type="application/json",
    )
    assert ok.json() == {"valid": True, "phone": "+50491234567"}
    bad = client.post(
        reverse("api:validate_phone"), {"country": "HN", "phone": "12"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "phone" in bad.json()["error"]["fields"]


def test_divisions_are_listed_by_level_and_parent(personas):
    client = personas.client("staff")
    departments = client.get(reverse("api:divisions", args=["gt"]), {"level": 1}).json()
    assert len(departments) == 22
    municipalities = client.get(reverse("api:divisions", args=["GT"]), {"parent": "09"}).json()
    assert len(municipalities) == 24
    assert client.get(reverse("api:divisions", args=["MX"])).status_code == 404


def test_a_token_authenticates_api_calls_as_the_users_organization(personas):
    person_register(membership=personas.staff, given_names="Pedro", first_surname="Coc", nationality_id="GT")
    key = make_token(personas.staff)
    response = Client().get(reverse("api:people"), headers={"Authorization": f"Token {key}"})
    assert response.status_code == 200
    assert [p["first_surname"] for p in response.json()["results"]] == ["Coc"]
    me = Client().get(reverse("api:me"), headers={"Authorization": f"Token {key}"}).json()
    assert me["active_membership"]["organization"]["id"] == personas.org.pk


def test_without_credentials_the_api_answers_a_structured_401(db):
    response = Client().get(reverse("api:people"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_foreign_person_is_a_structured_404(personas):
    person = person_register(
        membership=personas.staff, given_names="Pedro", first_surname="Coc", nationality_id="GT"
    )
    response = personas.client("outsider").get(reverse("api:person", args=[person.pk]))
    assert response.status_code == 404
    assert response.json()["error"] == {"status": 404, "code": "not_found", "message": "No se encontró."}


def test_a_json_body_that_is_not_an_object_is_a_structured_400(personas):
    response = personas.client("staff").post(reverse("api:people"), [1, 2], content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "status": 400,
        "code": "parse_error",
        "message": "Envíe un objeto JSON.",
    }


def test_a_form_encoded_registration_is_validated_like_json(personas):
    response = personas.client("staff").post(reverse("api:people"), {"given_names": "Rosa"})
    assert response.status_code == 400
    assert "first_surname" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "url_name", ["api:people", "api:cases", "api:validate_id", "api:coder", "api:referral_send"]
)
def test_json_nested_5000_deep_is_a_structured_400_on_any_json_endpoint(personas, url_name):
    body = '{"a":' + "[" * 5000 + "]" * 5000 + "}"
    response = personas.client("admin").post(reverse(url_name), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    assert "32" in response.json()["error"]["message"]
