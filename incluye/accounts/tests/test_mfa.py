"""Roles that read sensitive data need a second factor; others may add one."""

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from incluye.accounts.roles import SENSITIVE_ROLES, Role
from incluye.core.testing import PASSWORD, enable_totp, make_member, sign_in

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.mark.parametrize("role", sorted(SENSITIVE_ROLES))
def test_a_sensitive_role_without_a_second_factor_must_set_one_up_first(personas, role):
    member = make_member(personas.org, role, mfa=False)
    client = Client()
    sign_in(client, member.user)
    response = client.get(reverse("people:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.ASSESSOR, Role.COORDINATOR])
def test_roles_without_sensitive_data_work_without_a_second_factor(personas, role):
    member = make_member(personas.employer_org, role, mfa=False)
    client = Client()
    sign_in(client, member.user)
    assert client.get(reverse("home")).status_code == 200


def test_the_requirement_can_be_turned_off_for_a_demo_laptop(personas, settings):
    settings.INCLUYE_REQUIRE_MFA = False
    member = make_member(personas.org, Role.CASEWORKER, mfa=False)
    client = Client()
    sign_in(client, member.user)
    assert client.get(reverse("home")).status_code == 200


def test_signing_in_with_a_second_factor_asks_for_the_code_then_opens_the_home_page(personas):
    member = make_member(personas.org, Role.CASEWORKER, mfa=False)
    secret = enable_totp(member.user)
    client = Client()
    response = client.post(reverse("account_login"), {"login": member.user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("home")).status_code == 302  # not signed in yet
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_code_does_not_sign_in(personas):
    member = make_member(personas.org, Role.CASEWORKER, mfa=False)
    enable_totp(member.user)
    client = Client()
    client.post(reverse("account_login"), {"login": member.user.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert client.get(reverse("home")).status_code == 302


def test_failed_sign_ins_are_rate_limited(personas):
    client = Client()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": personas.staff.user.email, "password": "mala"})
    response = client.post(
        reverse("account_login"), {"login": personas.staff.user.email, "password": PASSWORD}
    )
    # Even the right password is refused for a while, with allauth's translated explanation.
    assert response.status_code == 200
    assert gettext("Too many failed login attempts. Try again later.") in response.content.decode()
    assert (
        gettext("Too many failed login attempts. Try again later.")
        != "Too many failed login attempts. Try again later."
    )
    assert client.get(reverse("home")).status_code == 302


def test_every_user_can_reach_the_second_factor_settings_from_the_header(personas):
    page = personas.client("employer").get(reverse("home")).content.decode()
    assert f'href="{reverse("accounts:security")}"' in page
    security = personas.client("employer").get(reverse("accounts:security")).content.decode()
    assert f'href="{reverse("mfa_index")}"' in security
    assert personas.client("employer").get(reverse("mfa_index")).status_code == 200
