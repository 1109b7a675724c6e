"""Answers with personal data are never stored by a browser or a proxy; public pages may be; every
answer carries a Permissions-Policy."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name",
    ["home", "people:list", "cases:caseload", "accounts:action_log", "api:people", "api:cases", "api:me"],
)
def test_pages_and_api_answers_of_a_signed_in_user_are_never_stored(personas, url_name):
    response = personas.client("admin").get(reverse(url_name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_the_sign_in_page_and_errors_are_not_stored_either(db):
    assert "no-store" in Client().get(reverse("account_login"))["Cache-Control"]
    assert "no-store" in Client().get("/people/00000000-0000-0000-0000-000000000000/")["Cache-Control"]


def test_the_public_impact_page_may_be_cached_but_not_once_someone_is_signed_in(personas):
    assert Client().get(reverse("impact:public"))["Cache-Control"] == "public, max-age=300"
    assert "no-store" in personas.client("staff").get(reverse("impact:public"))["Cache-Control"]


@pytest.mark.parametrize("url_name", ["home", "account_login", "api:people", "impact:public", "health"])
def test_every_answer_refuses_camera_microphone_and_location(personas, url_name):
    policy = personas.client("staff").get(reverse(url_name))["Permissions-Policy"]
    assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy
