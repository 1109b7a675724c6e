import pytest
from django.urls import reverse

from incluye.skills.models import WorkExperience

pytestmark = pytest.mark.django_db


def test_the_coder_endpoint_returns_ranked_codes_with_confidence_and_reasons(personas):
    response = personas.client("caseworker").post(
        reverse("api:coder"),
        {"text": "montacarguista en bodega", "limit": 3},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["confident"] is True
    assert len(body["matches"]) <= 3
    best = body["matches"][0]
    assert best["soc"] == "53-7051" and best["isco"] and 0 < best["confidence"] <= 1
    assert best["reasons"][0]["kind"] in {"title", "task", "tool"}


def test_the_coder_endpoint_answers_no_confident_match_for_nonsense(personas):
    response = personas.client("caseworker").post(
        reverse("api:coder"), {"text": "qwerty asdf"}, content_type="application/json"
    )
    assert response.json() == {"confident": False, "matches": [], "jobs": []}


def test_the_coder_endpoint_gives_a_structured_400_without_text(personas):
    response = personas.client("caseworker").post(reverse("api:coder"), {}, content_type="application/json")
    assert response.status_code == 400
    assert "text" in response.json()["error"]["fields"]


def test_a_job_is_added_coded_and_a_profile_signed_through_the_api(personas, person):
    client = personas.client("caseworker")
    created = client.post(
        reverse("api:work_history", args=[person.pk]),
        {
            "job_title": "line cook",
            "tasks": "cocinaba en la plancha",
            "started_year": 2015,
            "ended_year": 2020,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    job = created.json()
    assert job["started_on"] == "2015-01-01" and job["started_precision"] == "year"
    coded = client.post(
        reverse("api:work_code", args=[job["id"]]),
        {"occupation": "35-2014.00"},
        content_type="application/json",
    )
    assert coded.json()["occupation"]["soc"] == "35-2014"
    profile = client.post(reverse("api:person_profiles", args=[person.pk]))
    assert profile.status_code == 201
    signed = client.post(reverse("api:profile_sign", args=[profile.json()["id"]]))
    assert signed.json()["status"] == "signed"
    assert signed.json()["document"]["occupations"][0]["soc"] == "35-2014"


def test_a_bad_job_gets_a_structured_400_and_nothing_is_saved(personas, person):
    response = personas.client("caseworker").post(
        reverse("api:work_history", args=[person.pk]),
        {"job_title": "", "started_year": 2020, "ended_year": 2010},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]
    assert not WorkExperience.objects.exists()


def test_an_unknown_occupation_code_is_a_400(personas, person):
    client = personas.client("caseworker")
    job = client.post(
        reverse("api:work_history", args=[person.pk]), {"job_title": "cook"}, content_type="application/json"
    ).json()
    response = client.post(
        reverse("api:work_code", args=[job["id"]]),
        {"occupation": "99-9999.99"},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_another_organization_gets_404_for_the_work_history(personas, person):
    client = personas.client("caseworker")
    job = client.post(
        reverse("api:work_history", args=[person.pk]), {"job_title": "cook"}, content_type="application/json"
    ).json()
    outsider = personas.client("outsider_admin")
    assert outsider.get(reverse("api:work_history", args=[person.pk])).status_code == 404
    assert outsider.get(reverse("api:work_experience", args=[job["id"]])).status_code == 404
