"""A counsellor turns what a returnee says into a signed, printed skills profile, in Spanish."""

import io

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect


def _es(text):
    with translation.override("es"):
        return gettext(text)


@pytest.fixture
def counsellor(live_server, settings):
    from incluye.workspace.demo import demo_load

    settings.INCLUYE_REQUIRE_MFA = False  # the second factor has its own browser test
    result = demo_load(people=0)
    from incluye.accounts.models import Membership
    from incluye.people.services import person_register

    membership = Membership.objects.get(user__email="gestora@demo.incluye.org", role="caseworker")
    person = person_register(
        membership=membership,
        given_names="Byron Estuardo",
        first_surname="Xitumul",
        second_surname="Ajú",
        nationality_id="GT",
    )
    return {"email": membership.user.email, "password": result["password"], "person": person}


def test_from_work_history_to_a_printed_profile_in_spanish(counsellor, page, live_server):
    from pypdf import PdfReader

    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(counsellor["email"])
    page.locator("input[name=password]").fill(counsellor["password"])
    page.get_by_role("button", name="Iniciar sesión").click()

    page.goto(f"{live_server.url}/people/{counsellor['person'].pk}/")
    page.get_by_role("link", name=_es("Work history abroad and skills profile")).click()

    page.get_by_label(_es("Job, in the person's words")).fill("hacía drywall")
    page.get_by_label(_es("What they did")).fill("colgaba tablaroca, ponía cinta y masilla")
    page.get_by_label(_es("Tools and machines")).fill("pistola de tornillos, llana")
    page.get_by_label(_es("City")).fill("Atlanta")
    page.get_by_label(_es("Year started")).fill("2012")
    page.get_by_label(_es("Year ended")).fill("2019")
    page.get_by_label("OSHA 10").check()
    page.get_by_role("button", name=_es("Add the job")).click()

    job = page.locator("article.job").first
    expect(job.locator(".matches li").first).to_contain_text("47-2081")
    job.locator(".matches li").first.get_by_role("button", name=_es("Confirm")).click()
    expect(page.locator("article.job .coded")).to_contain_text("47-2081")

    page.get_by_role("button", name=_es("Prepare the skills profile")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(_es("Skills profile"))
    expect(page.locator("article.card").first).to_contain_text("SOC 47-2081")
    page.get_by_label(_es("Summary")).fill("Siete años instalando tablayeso en obras comerciales.")
    page.get_by_role("button", name=_es("Save the profile")).click()
    page.get_by_role("button", name=_es("Sign the profile")).click()
    expect(page.get_by_text(_es("The profile was signed. It can now be printed."))).to_be_visible()

    link = page.get_by_role("link", name=_es("Print in Spanish (PDF)"))
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Perfil de competencias" in text
    assert "Byron Estuardo Xitumul Ajú" in text
    assert "Siete años instalando tablayeso" in text
    assert "47-2081" in text
