"""Signing in, in Spanish, with each demo role; then the home page on a phone and in English."""

import re
import time

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

PHONE = {"width": 360, "height": 740}
MFA_PATH = "/accounts/2fa/authenticate/"


@pytest.fixture
def demo(live_server):
    """The demo alliances and one account per role, with TOTP enrolled wherever the product asks for it."""
    from incluye.core.testing import enable_totp
    from incluye.workspace.demo import demo_load

    result = demo_load(people=20)
    secrets = {}
    for account in result["accounts"]:
        user = _user(account["email"])
        if _needs_second_factor(user) and user.email not in secrets:
            secrets[user.email] = enable_totp(user)
    result["totp_secrets"] = secrets
    return result


def _user(email):
    from incluye.accounts.models import User

    return User.objects.get(email=email)


def _needs_second_factor(user) -> bool:
    # The product's rule (RequireMfaMiddleware): any active membership with a role that reads
    # sensitive data, whatever the role of the account's main membership.
    from incluye.accounts.models import Membership
    from incluye.accounts.roles import SENSITIVE_ROLES

    return Membership.objects.filter(user=user, is_active=True, role__in=SENSITIVE_ROLES).exists()


def _account(demo, role):
    return next(a for a in demo["accounts"] if a["role"] == role and not a.get("read_only"))


def _spanish(message, **values):
    with translation.override("es"):
        text = gettext(message)
    return text % values if values else text


def _role_label(account, language="es"):
    """The role as the product names this person: in the grammatical gender of the account."""
    from incluye.accounts.roles import role_label

    with translation.override(language):
        return role_label(account["role"], account.get("grammatical_gender", ""))


def _totp_code(secret):
    """The authenticator's current code; waits for a fresh period if this one is about to end
    (allauth accepts only the current period by default)."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def _open_login(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1, name="Iniciar sesión")).to_be_visible()


def _sign_in(page, live_server, email, password, *, totp_secret=None):
    _open_login(page, live_server)
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()
    if totp_secret:
        expect(page).to_have_url(re.compile(re.escape(MFA_PATH) + r"$"))
        expect(page.locator("html")).to_have_attribute("lang", "es")
        code = page.locator("input[name=code]")
        code.fill(_totp_code(totp_secret))
        code.press("Enter")
    expect(page).to_have_url(live_server.url + "/")


def _work_as(page, live_server, account):
    """A user with several organizations picks the one the account stands for in the header switcher.

    (The demo coordinator also has a read-only caseworker membership, which is active by default.)
    """
    switcher = page.locator("#membership-switch")
    if switcher.count():
        switcher.select_option(label=f"{account['organization']} · {_role_label(account)}")
        page.get_by_role("button", name=_spanish("Switch")).click()
        expect(page).to_have_url(live_server.url + "/")


def test_each_demo_role_signs_in_in_spanish_and_sees_its_home_page(demo, new_page, live_server):
    accounts = [a for a in demo["accounts"] if not a.get("read_only")]
    assert {a["role"] for a in accounts} == {
        "reception_officer",
        "caseworker",
        "psychosocial",
        "documents_officer",
        "assessor",
        "employer",
        "coordinator",
        "administrator",
    }
    for account in accounts:
        page = new_page()
        _sign_in(
            page,
            live_server,
            account["email"],
            demo["password"],
            totp_secret=demo["totp_secrets"].get(account["email"]),
        )
        _work_as(page, live_server, account)

        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            _spanish("Hello, %(name)s", name=account["first_name"])
        )
        expect(page.get_by_test_id("role")).to_have_text(
            _spanish(
                "You are working as %(role)s at %(org)s.",
                role=_role_label(account),
                org=account["organization"],
            )
        )
        page.context.close()


def test_a_wrong_password_keeps_the_email_and_says_so_in_spanish(demo, page, live_server):
    from allauth.account.adapter import DefaultAccountAdapter

    mismatch = DefaultAccountAdapter.error_messages["email_password_mismatch"]
    with translation.override("es"):
        spanish_error = str(mismatch)
    with translation.override("en"):
        assert spanish_error != str(mismatch), "allauth's Spanish catalog should translate the error"

    email = _account(demo, "employer")["email"]
    _open_login(page, live_server)
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("no-es-la-clave-correcta")
    page.get_by_role("button", name="Iniciar sesión").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("input[name=login]")).to_have_value(email)
    expect(page.locator("input[name=password]")).to_have_value("")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(spanish_error)


def test_the_home_page_fits_a_360_px_phone(demo, new_page, live_server):
    page = new_page(viewport=PHONE)
    account = _account(demo, "employer")
    _sign_in(page, live_server, account["email"], demo["password"])

    expect(page.get_by_test_id("role")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_officer_switches_language_to_english(demo, page, live_server):
    account = _account(demo, "employer")
    _sign_in(page, live_server, account["email"], demo["password"])
    expect(page.get_by_test_id("role")).to_contain_text(_role_label(account))
    assert _role_label(account) == "Empleadora"  # Sofía, who chose the feminine forms

    page.get_by_role("banner").get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("role")).to_have_text(re.compile(r"^You are working as "))
    expect(page.get_by_test_id("role")).to_contain_text(
        f"{_role_label(account, 'en')} at {account['organization']}."
    )
