"""After a failed submit the error is in sight: the error summary at the top of the form takes
the focus, on a phone too, and each of its links takes the focus to its field."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 800}


def _es(text):
    with translation.override("es"):
        return gettext(text)


@pytest.fixture
def case_page(live_server, personas, settings):
    from incluye.cases.services import case_open
    from incluye.core.testing import client_for
    from incluye.people.services import person_register

    settings.INCLUYE_REQUIRE_MFA = False
    person = person_register(
        membership=personas.staff, given_names="Rosa", first_surname="Tzul", nationality_id="GT"
    )
    case = case_open(membership=personas.caseworker, person=person)
    session = client_for(personas.caseworker).cookies["sessionid"].value
    return {"url": f"{live_server.url}/cases/{case.pk}/", "session": session, "base": live_server.url}


def test_a_refused_task_brings_the_summary_into_view_and_its_link_to_the_field(case_page, new_page):
    page = new_page(viewport=PHONE)
    page.context.add_cookies([{"name": "sessionid", "value": case_page["session"], "url": case_page["base"]}])
    page.goto(case_page["url"])
    page.get_by_label(_es("Task"), exact=True).fill("Llamar al RENAP")
    page.get_by_role("button", name=_es("Add the task")).click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text(_es("There is a problem"))
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_task-due_on")).to_be_focused()
    expect(page.get_by_label(_es("Task"), exact=True)).to_have_value("Llamar al RENAP")


def test_the_task_label_focuses_the_task_field_not_the_goal(case_page, new_page):
    page = new_page()
    page.context.add_cookies([{"name": "sessionid", "value": case_page["session"], "url": case_page["base"]}])
    page.goto(case_page["url"])
    page.locator("label[for=id_task-title]").click()
    expect(page.locator("#id_task-title")).to_be_focused()
    page.locator("label[for=id_goal-title]").click()
    expect(page.locator("#id_goal-title")).to_be_focused()


def test_on_a_phone_the_menu_is_one_line_until_opened(case_page, new_page):
    page = new_page(viewport=PHONE)
    page.context.add_cookies([{"name": "sessionid", "value": case_page["session"], "url": case_page["base"]}])
    page.goto(case_page["url"])
    toggle = page.get_by_role("button", name=_es("Menu"))
    expect(toggle).to_be_visible()
    expect(page.locator("#app-navigation")).to_be_hidden()
    toggle.click()
    expect(page.locator("#app-navigation")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
