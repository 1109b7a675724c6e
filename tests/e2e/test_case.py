"""A caseworker walks one person from reception to the documents stage, in Spanish."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect


def _es(text):
    with translation.override("es"):
        return gettext(text)


@pytest.fixture
def caseworker(live_server, settings):
    from incluye.workspace.demo import demo_load

    settings.INCLUYE_REQUIRE_MFA = False  # the second factor has its own browser test
    result = demo_load(people=0)
    from incluye.accounts.models import Membership
    from incluye.people.services import person_register

    membership = Membership.objects.get(user__email="gestora@demo.incluye.org", role="caseworker")
    person = person_register(
        membership=membership,
        given_names="Rosa Amalia",
        first_surname="Tzul",
        second_surname="Cux",
        nationality_id="GT",
        return_event={"arrived_on": "2026-11-20"},
    )
    return {"email": membership.user.email, "password": result["password"], "person": person}


def test_a_caseworker_takes_a_person_from_reception_to_documents(caseworker, page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(caseworker["email"])
    page.locator("input[name=password]").fill(caseworker["password"])
    page.get_by_role("button", name="Iniciar sesión").click()

    page.goto(f"{live_server.url}/people/{caseworker['person'].pk}/")
    page.get_by_role("button", name=_es("Open a case")).click()
    expect(page.get_by_test_id("stage")).to_have_text(_es("Now at: %(stage)s.") % {"stage": _es("Reception")})
    expect(page.locator(".pathway li.current")).to_have_text(_es("Reception"))

    page.get_by_label(_es("Next stage")).select_option("documents")
    page.get_by_label(_es("Why (optional)")).fill("No tiene DPI ni partida de nacimiento")
    page.get_by_role("button", name=_es("Move"), exact=True).click()
    expect(page.get_by_test_id("stage")).to_have_text(_es("Now at: %(stage)s.") % {"stage": _es("Documents")})

    row = page.get_by_test_id("document-national_id")
    row.get_by_label(_es("Status")).select_option("appointment")
    row.get_by_label(_es("Appointment")).fill("2026-12-02T09:30")
    row.get_by_label(_es("Place")).fill("RENAP zona 1")
    row.get_by_role("button", name=_es("Save")).click()
    expect(page.get_by_test_id("document-national_id").get_by_label(_es("Status"))).to_have_value(
        "appointment"
    )
    expect(page.get_by_text("No tiene DPI ni partida de nacimiento")).to_be_visible()
