"""On a phone, in Spanish: an administrator finds a person registered by her organization and by
another member of the alliance, merges the two records, and the other organization's administrator
sees the merge and undoes it."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

VIEWPORT = {"width": 390, "height": 844}


@pytest.fixture
def admins(live_server, settings):
    from incluye.accounts.roles import Role
    from incluye.core.models import IdDocumentType
    from incluye.core.testing import PASSWORD, make_member, make_organization
    from incluye.people.deduplication import Scope, find_duplicates
    from incluye.people.services import consent_record, person_register

    settings.INCLUYE_REQUIRE_MFA = False
    reception = make_member(
        make_organization("Centro de Recepción La Aurora", kind="reception_center", sector="public"),
        Role.ADMINISTRATOR,
        mfa=False,
    )
    ngo = make_member(
        make_organization("Asociación Caminos de Retorno", kind="ngo"), Role.ADMINISTRATOR, mfa=False
    )
    dpi = IdDocumentType.objects.get(country_id="GT", code="DPI")
    for membership, phone in ((reception, "+50255509876"), (ngo, "+50255501111")):
        person = person_register(
            membership=membership,
            given_names="Byron Estuardo",
            first_surname="Xitumul",
            second_surname="Ajú",
            birth_date=datetime.date(1988, 3, 14),
            phone=phone,
            nationality_id="GT",
            documents=[(dpi, "2746 13859 0901")],
        )
        consent_record(
            membership=membership, person=person, purpose="alliance_sharing", given=True, method="signed_form"
        )
    find_duplicates(scope=Scope("GT"))
    return {"reception": reception.user.email, "ngo": ngo.user.email, "password": PASSWORD}


def sign_in(new_page, live_server, email, password):
    page = new_page(viewport=VIEWPORT)
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(live_server.url + "/")
    return page


def test_an_administrator_merges_a_person_registered_by_two_organizations(
    admins, new_page, live_server, request
):
    results = Path(request.config.rootpath) / "test-results"
    results.mkdir(exist_ok=True)
    page = sign_in(new_page, live_server, admins["reception"], admins["password"])
    page.goto(live_server.url + "/people/duplicates/")
    page.get_by_role("link", name="Duplicados entre organizaciones de la alianza").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Duplicados entre organizaciones")
    expect(page.get_by_text("Asociación Caminos de Retorno")).to_be_visible()
    page.screenshot(path=str(results / "alliance-duplicates-queue-390.png"), full_page=True)

    page.get_by_role("link", name="Revisar el grupo 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("¿La misma persona?")
    page.screenshot(path=str(results / "alliance-duplicate-review-390.png"), full_page=True)
    # Both records side by side on the phone: nothing hides in a frame scrolled sideways, and the
    # other record's phone is chosen with a tap where it is.
    frame = page.locator(".table-wrap")
    assert frame.evaluate("e => e.scrollWidth <= e.clientWidth")
    other_phone = page.get_by_text("+502 5550\u00a01111")
    box = other_phone.bounding_box()
    assert box and box["x"] + box["width"] <= VIEWPORT["width"]
    other_phone.click()
    page.get_by_role("button", name="Fusionar los registros seleccionados").click()
    expect(page.get_by_text("Se fusionaron los registros")).to_be_visible()

    other = sign_in(new_page, live_server, admins["ngo"], admins["password"])
    other.goto(live_server.url + "/people/duplicates/")
    other.screenshot(path=str(results / "alliance-duplicates-merged-390.png"), full_page=True)
    other.get_by_role("button", name="Deshacer").click()
    expect(other.get_by_text("Se deshizo la fusión")).to_be_visible()
