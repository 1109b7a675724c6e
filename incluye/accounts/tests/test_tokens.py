"""API tokens: only for accounts with a second factor; scoped (read only or read and write, one
membership), expiring, revocable, listed on the user's security page."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incluye.accounts.models import ApiToken
from incluye.accounts.roles import Role
from incluye.core.models import ActionLogEntry
from incluye.core.testing import make_member, make_organization, make_token

pytestmark = pytest.mark.django_db


def api(key, method="get", url_name="api:people", **kwargs):
    return getattr(Client(), method)(reverse(url_name), headers={"Authorization": f"Token {key}"}, **kwargs)


def test_an_account_without_a_second_factor_is_refused_a_token(personas):
    client = personas.client("employer")  # the employer role works without a second factor
    response = client.post(reverse("accounts:security"), {"name": "hoja", "scope": "read", "days": "30"})
    assert response.status_code == 400
    assert "Active un segundo factor antes de crear un token de la API" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_stops_working_when_its_account_loses_the_second_factor(personas):
    key = make_token(personas.staff, scope="read")
    assert api(key).status_code == 200
    Authenticator.objects.filter(user=personas.staff.user).delete()
    response = api(key)
    assert response.status_code == 401
    assert (
        response.json()["error"]["message"]
        == "Los tokens de la API solo sirven a cuentas con segundo factor."
    )
    assert api(key, url_name="api:cases").status_code == 401


def test_a_read_only_token_reads_but_changes_nothing(personas):
    key = make_token(personas.staff, scope="read")
    assert api(key).status_code == 200
    response = api(
        key,
        "post",
        data={"given_names": "Ana", "first_surname": "Coc", "nationality": "GT", "arrived_on": "2026-11-20"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "solo lectura" in response.json()["error"]["message"]
    write = make_token(personas.staff, scope="write")
    created = api(
        write,
        "post",
        data={"given_names": "Ana", "first_surname": "Coc", "nationality": "GT", "arrived_on": "2026-11-20"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content


def test_a_token_expires(personas, time_machine):
    time_machine.move_to(timezone.now())
    key = make_token(personas.staff, days=30)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=29))
    assert api(key).status_code == 200
    time_machine.move_to(timezone.now() + datetime.timedelta(days=2))
    assert api(key).status_code == 401


def test_the_owner_lists_and_revokes_tokens_on_the_security_page_and_sees_the_key_once(personas):
    client = personas.client("staff")
    response = client.post(
        reverse("accounts:security"), {"name": "Sincronía Kobo", "scope": "write", "days": "90"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    key = page.split('data-testid="key">')[1].split("<")[0]
    assert key.startswith("inc_") and api(key).status_code == 200
    token = ApiToken.objects.get()
    assert key not in (token.key_hash, token.prefix) and token.prefix == key[:8]
    listed = client.get(reverse("accounts:security")).content.decode()
    assert "Sincronía Kobo" in listed and key not in listed and "Lectura y escritura" in listed
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert api(key).status_code == 401
    assert "Revocado" in client.get(reverse("accounts:security")).content.decode()
    assert list(
        ActionLogEntry.objects.filter(action__startswith="incluye.api_token").values_list("action", flat=True)
    ) == [
        "incluye.api_token.revoked",
        "incluye.api_token.created",
    ]


def test_nobody_revokes_or_sees_someone_elses_token(personas):
    key = make_token(personas.staff)
    token = ApiToken.objects.get()
    admin = personas.client("admin")
    assert admin.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 404
    assert "pruebas" not in admin.get(reverse("accounts:security")).content.decode()
    assert api(key).status_code == 200


def test_a_token_works_as_the_membership_it_was_made_for(personas):
    other = make_organization("Fundación Segunda")
    second = make_member(other, Role.RECEPTION_OFFICER, email="segunda@test.incluye.org")
    second.user.delete()
    second = make_member(other, Role.RECEPTION_OFFICER)
    second.user = personas.staff.user
    second.save()
    key = make_token(second)
    me = api(key, url_name="api:me").json()
    assert me["active_membership"]["organization"]["id"] == other.pk
    second.is_active = False
    second.save()
    assert api(key, url_name="api:me").status_code == 401


def test_a_wrong_or_malformed_token_is_a_structured_401(db):
    for header in ["Token nope", "Token", "Token a b"]:
        response = Client().get(reverse("api:people"), headers={"Authorization": header})
        assert response.status_code == 401
        assert response.json()["error"]["status"] == 401
        assert response["WWW-Authenticate"] == "Token"
