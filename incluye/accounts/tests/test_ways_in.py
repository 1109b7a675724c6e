"""Every way in asks for the second factor and counts failures: allauth's sign-in, the Django admin,
and any session that skipped the second factor."""

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client
from django.urls import reverse

from incluye.accounts.roles import Role
from incluye.accounts.tests.test_mfa import current_code
from incluye.core.testing import PASSWORD, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_with_totp(personas):
    user = personas.admin.user
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


def _opens_nothing(client):
    assert client.get(reverse("people:list")).status_code == 302
    assert client.get(reverse("accounts:action_log")).status_code == 302
    assert client.get(reverse("api:people")).status_code in (401, 403)


def test_the_admin_login_form_is_not_a_way_around_the_second_factor(staff_with_totp):
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": staff_with_totp.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    _opens_nothing(client)
    assert (
        client.get(reverse("admin:index"), follow=True)
        .redirect_chain[-1][0]
        .startswith(reverse("account_login"))
    )


def test_thirty_wrong_passwords_at_the_admin_never_sign_in_and_the_sign_in_limit_still_holds(
    staff_with_totp,
):
    client = Client()
    for _ in range(30):
        response = client.post(
            reverse("admin:login"), {"username": staff_with_totp.email, "password": "mala"}
        )
        assert response.status_code == 302
    # The admin sends people to allauth's sign-in, whose limit of failed attempts applies.
    for _ in range(5):
        client.post(reverse("account_login"), {"login": staff_with_totp.email, "password": "mala"})
    client.post(reverse("account_login"), {"login": staff_with_totp.email, "password": PASSWORD})
    assert client.get(reverse("mfa_authenticate")).status_code != 200
    _opens_nothing(client)


def test_staff_reach_the_admin_after_signing_in_with_their_second_factor(staff_with_totp):
    from allauth.mfa.models import Authenticator

    secret = Authenticator.objects.get(user=staff_with_totp, type="totp").wrap().instance.data["secret"]
    from allauth.mfa.totp.internal.auth import decrypt

    client = Client()
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    client.post(reverse("account_login"), {"login": staff_with_totp.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": current_code(decrypt(secret))})
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_session_that_skipped_the_second_factor_is_ended_before_any_page(personas):
    # What Django's own login() gives, e.g. from a password-only form: no record of the second factor.
    client = Client()
    client.force_login(personas.caseworker.user)
    _opens_nothing(client)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db(transaction=True)  # allauth announces the new factor once it is committed
def test_activating_a_second_factor_keeps_the_session_that_proved_it(personas):
    member = make_member(personas.org, Role.CASEWORKER, mfa=False)
    client = Client()
    client.post(reverse("account_login"), {"login": member.user.email, "password": PASSWORD})
    assert client.get(reverse("people:list"))["Location"] == reverse("mfa_activate_totp")
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})  # allauth asks again
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("people:list")).status_code == 200
