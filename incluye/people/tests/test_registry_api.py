import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from incluye.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_api_registers_an_arrival_with_the_forms_rules(personas):
    client = personas.client("staff")
    response = client.post(
        reverse("api:people"),
        {
            "given_names": "Rosa",
            "first_surname": "Tzul",
            "document_type": "DPI",
            "document_number": "2746138590901",
            "arrived_on": timezone.localdate().isoformat(),
            "needs": ["medical"],
            "consent_case_management": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["documents"] == [
        {
            "document_type": "DPI",
            "country": "GT",
            "number": "2746138590901",
            "issued_on": None,
            "expires_on": None,
        }
    ]
    assert body["returns"][0]["is_urgent"] is True
    assert {c["purpose"]: c["given"] for c in body["consents"]} == {
        "case_management": True,
        "alliance_sharing": False,
    }


def test_a_bad_arrival_is_a_structured_400_in_spanish(personas):
    response = personas.client("staff").post(
        reverse("api:people"),
        {"given_names": "Rosa", "document_type": "DPI", "document_number": "123", "arrived_on": "2999-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["document_number"] == ["Un DPI tiene 13 dígitos; este tiene 3."]
    assert "arrived_on" in fields and "first_surname" in fields
    assert not Person.objects.exists()


@pytest.mark.parametrize("birth_date", [[], ["1985"], [1, 2, 1985, 4], [[], {}, False]])
def test_a_birth_date_sent_as_a_list_that_is_not_day_month_and_year_is_a_400_not_a_500(personas, birth_date):
    response = personas.client("staff").post(
        reverse("api:people"),
        {"given_names": "Rosa", "first_surname": "Pérez", "birth_date": birth_date},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["birth_date"] == [
        "Escriba una fecha que exista, por ejemplo 27 3 1985."
    ]
    assert not Person.objects.exists()


def test_returns_and_consents_are_listed_and_recorded_through_the_api(personas):
    client = personas.client("staff")
    person = client.post(
        reverse("api:people"),
        {"given_names": "Rosa", "first_surname": "Tzul", "arrived_on": "2024-01-10"},
        content_type="application/json",
    ).json()
    url = reverse("api:person_returns", args=[person["id"]])
    created = client.post(
        url, {"arrived_on": "2026-11-20", "vulnerabilities": ["protection"]}, content_type="application/json"
    )
    assert created.status_code == 201
    assert [r["arrived_on"] for r in client.get(url).json()] == ["2026-11-20", "2024-01-10"]
    consents = reverse("api:person_consents", args=[person["id"]])
    bad = client.post(
        consents,
        {"purpose": "stories", "given": True, "method": "verbal_witness"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "witness" in bad.json()["error"]["fields"]
    ok = client.post(
        consents,
        {"purpose": "stories", "given": True, "method": "signed_form"},
        content_type="application/json",
    )
    assert ok.status_code == 201


def test_a_manifest_is_uploaded_checked_and_imported_through_the_api(personas):
    client = personas.client("staff")
    content = b"nombres,primer_apellido\nAna,Coc\nLuis,Xol\n"
    response = client.post(
        reverse("api:manifests"),
        {"reference": "TA-9", "arrived_on": "2026-11-20", "file": SimpleUploadedFile("m.csv", content)},
    )
    assert response.status_code == 201, response.content
    manifest = response.json()
    assert (manifest["status"], manifest["total_rows"]) == ("ready", 2)
    done = client.post(reverse("api:manifest_import", args=[manifest["id"]]))
    assert done.json()["status"] == "imported"
    again = client.post(reverse("api:manifest_import", args=[manifest["id"]]))
    assert again.status_code == 409
    assert Person.objects.count() == 2


def test_a_manifest_with_errors_cannot_be_imported_through_the_api(personas):
    client = personas.client("staff")
    response = client.post(
        reverse("api:manifests"),
        {
            "reference": "TA-9",
            "arrived_on": "2026-11-20",
            "file": SimpleUploadedFile("m.csv", io.BytesIO(b"a,b\n1,2\n").read()),
        },
    )
    manifest = response.json()
    assert manifest["status"] == "invalid"
    assert client.post(reverse("api:manifest_import", args=[manifest["id"]])).status_code == 409


def test_search_needs_a_query(personas):
    response = personas.client("staff").get(reverse("api:search"))
    assert response.status_code == 400
    assert "q" in response.json()["error"]["fields"]


def test_the_search_api_puts_those_born_in_the_year_given_first(personas):
    from incluye.people import searching
    from incluye.people.services import person_register

    searching.reset_index()
    for i, year in enumerate((1971, 1985, 1998)):
        person_register(
            membership=personas.staff,
            given_names="Marta",
            first_surname="Ruiz",
            second_surname=["Pop", "Caal", "Tzoc"][i],
            nationality_id="GT",
            birth_date=datetime.date(year, 3, 3),
        )
    client = personas.client("staff")
    for born in ("1985", "1985-03", "1985-03-03"):
        hits = client.get(reverse("api:search"), {"q": "Marta Ruiz", "born": born}).json()
        assert hits[0]["name"] == "Marta Ruiz Caal", born
    listed = client.get(reverse("api:people"), {"q": "Marta Ruiz", "born": "1998"}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows[0]["second_surname"] == "Tzoc"
    refused = client.get(reverse("api:search"), {"q": "Marta Ruiz", "born": "85"})
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["born"] == [
        "Indique la fecha de nacimiento como 1998, 1998-07 o 1998-07-09."
    ]
    searching.reset_index()
