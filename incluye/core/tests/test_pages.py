"""The home page per role, health, language, and the UI shell."""

import pytest
from django.test import Client
from django.urls import reverse

from incluye.accounts.roles import Role
from incluye.core.testing import make_member, sign_in
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db


def test_a_reception_officer_sees_todays_arrivals_and_how_to_find_a_person(personas):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    person_register(
        membership=personas.staff,
        given_names="Pedro",
        first_surname="Coc",
        nationality_id="GT",
        return_event={"arrived_on": today},
    )
    # Registered today, but arrived last week: not one of today's arrivals.
    person_register(
        membership=personas.staff,
        given_names="Juana",
        first_surname="Tum",
        nationality_id="GT",
        return_event={"arrived_on": today - datetime.timedelta(days=7)},
    )
    client = personas.client("staff")
    page = client.get(reverse("home")).content.decode()
    assert "Llegadas de hoy" in page
    # The card counts what the day's list it links to shows: arrivals, not records created today.
    assert "1 persona llegó hoy a Centro de Recepción La Aurora." in page
    assert len(client.get(reverse("people:today")).context["returns"]) == 1
    assert reverse("people:list") in page
    assert reverse("accounts:action_log") not in page


def test_an_administrator_is_pointed_to_members_and_the_action_log(personas):
    page = personas.client("admin").get(reverse("home")).content.decode()
    assert reverse("accounts:members") in page
    assert reverse("accounts:action_log") in page


def test_an_employer_home_never_links_to_the_registry(personas):
    page = personas.client("employer").get(reverse("home")).content.decode()
    assert reverse("people:list") not in page
    assert "Está trabajando como Persona empleadora en Constructora Ejemplo" in page


def test_a_coordinator_sees_the_alliance_by_sector(personas):
    coordinator = make_member(personas.org, Role.COORDINATOR, mfa=False)
    client = Client()
    sign_in(client, coordinator.user)
    page = client.get(reverse("home")).content.decode()
    assert "Alianza de Guatemala" in page
    assert "Público: 1" in page  # the reception center is public; the employer is private
    assert "Privado: 1" in page


def test_the_health_check_reports_database_and_task_backend(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "tasks": "ok"}}


def test_pages_are_in_spanish_by_default_and_english_on_request(personas):
    client = personas.client("staff")
    assert '<html lang="es" class="govuk-template">' in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en" class="govuk-template">' in page
    assert "Today&#x27;s arrivals" in page


def test_every_page_carries_a_strict_content_security_policy_with_a_nonce(personas):
    response = personas.client("staff").get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_a_missing_page_answers_404_in_spanish(personas):
    response = personas.client("staff").get("/no-existe/")
    assert response.status_code == 404
