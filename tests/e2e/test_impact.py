"""The public impact page, without signing in, in Spanish and in English: the headline numbers,
the charts, a consented story, and small counts hidden."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect


def _in(language, text):
    with translation.override(language):
        return gettext(text)


@pytest.fixture
def published(live_server, db):
    from incluye.core.services import country_load
    from incluye.core.testing import make_member, make_organization
    from incluye.impact.services import story_create, story_publish
    from incluye.impact.tests.test_indicators import make_person
    from incluye.people.services import consent_record

    for code in ("GT", "SV", "HN", "CR"):
        country_load(code=code)
    org = make_organization("Centro de Recepción", kind="reception_center", sector="public")
    caseworker = make_member(org, "caseworker")
    people = [make_person(org, sex="F" if i < 3 else "M", household=3) for i in range(20)]
    consent_record(
        membership=caseworker, person=people[0], purpose="stories", given=True, method="signed_form"
    )
    story = story_create(
        membership=caseworker,
        person=people[0],
        title_es="Volví con un oficio",
        title_en="I came back with a trade",
        text_es="Seis años de carpintería en Houston, ahora certificados.",
        text_en="Six years of carpentry in Houston, now certified.",
        signature="Byron",
    )
    story_publish(membership=caseworker, story=story)
    return {"people": people, "caseworker": caseworker}


def test_the_public_page_in_spanish_and_english(published, page, live_server):
    page.goto(f"{live_server.url}/impact/public/?country=GT")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(_in("es", "Our impact"))
    direct = page.locator('[data-indicator="people_reached_direct"] .big')
    expect(direct).to_have_text("20")
    expect(page.locator('[data-indicator="people_reached_indirect"] .big')).to_have_text("40")
    expect(page.get_by_text("Seis años de carpintería en Houston")).to_be_visible()
    # Three women: hidden, and the men's count with it (else 20 - men would reveal them).
    sex_chart = page.locator('[data-chart="by-sex"]')
    expect(sex_chart.locator("svg")).to_be_visible()
    assert sex_chart.locator("svg title").first.text_content() == _in("es", "People reached by sex")
    sex_chart.get_by_text(_in("es", "Data table")).click()
    expect(sex_chart.locator("table")).to_contain_text("<5")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/impact/public/?lang=en&country=GT")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Our impact")
    expect(page.locator('[data-indicator="people_reached_direct"] h3')).to_have_text(
        "People directly reached"
    )
    expect(direct).to_have_text("20")
    expect(page.get_by_text("Six years of carpentry in Houston, now certified.")).to_be_visible()


def test_a_withdrawn_consent_takes_the_story_off_the_page(published, page, live_server):
    from incluye.people.services import consent_record

    page.goto(f"{live_server.url}/impact/public/?country=GT&lang=en")
    expect(page.get_by_text("I came back with a trade")).to_be_visible()
    consent_record(
        membership=published["caseworker"],
        person=published["people"][0],
        purpose="stories",
        given=False,
        method="signed_form",
    )
    page.reload()
    expect(page.get_by_text("I came back with a trade")).to_have_count(0)
    expect(page.get_by_text(_in("en", "No stories published yet."))).to_be_visible()
