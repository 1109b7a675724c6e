"""An employer posts a vacancy, sees matched candidates without names, invites one; the person's
caseworker sees the invitation."""

import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect


def _es(text):
    with translation.override("es"):
        return gettext(text)


def fill_date(page, legend, day):
    """Types a date in the three boxes (day, month, year) of the group the legend names."""
    group = page.get_by_role("group", name=_es(legend))
    for part, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        group.get_by_label(_es(part), exact=True).fill(str(value))


@pytest.fixture
def world(live_server, settings):
    from incluye.accounts.models import Membership
    from incluye.jobs.index import reset_index
    from incluye.people.services import consent_record, person_register
    from incluye.skills.models import Occupation
    from incluye.skills.services import profile_sign, profile_start, work_add, work_code
    from incluye.workspace.demo import demo_load

    settings.INCLUYE_REQUIRE_MFA = False
    reset_index()
    result = demo_load(people=0)
    caseworker = Membership.objects.get(user__email="gestora@demo.incluye.org", role="caseworker")
    employer = Membership.objects.get(user__email="empleador@demo.incluye.org", role="employer")
    from incluye.jobs.forms import municipalities

    where = municipalities("GT").first()
    person = person_register(
        membership=caseworker,
        given_names="Byron Estuardo",
        first_surname="Xitumul",
        nationality_id="GT",
        phone="+50255509876",
        residence=where,
    )
    job = work_add(
        membership=caseworker,
        person=person,
        job_title="hacía drywall",
        started_on=datetime.date(2012, 1, 1),
        ended_on=datetime.date(2019, 1, 1),
        licences=["osha10"],
        english_level="basic",
    )
    work_code(membership=caseworker, experience=job, occupation=Occupation.objects.get(code="47-2081.00"))
    profile_sign(membership=caseworker, profile=profile_start(membership=caseworker, person=person))
    consent_record(
        membership=caseworker, person=person, purpose="employer_profile", given=True, method="signed_form"
    )
    yield {
        "password": result["password"],
        "employer": employer.user.email,
        "caseworker": caseworker.user.email,
        "where": where,
    }
    reset_index()


def sign_in(page, live_server, email, password):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()


def test_an_employer_invites_an_anonymized_candidate_and_the_caseworker_sees_it(world, new_page, live_server):
    from incluye.skills.models import Occupation

    drywall = Occupation.objects.get(system="onet", code="47-2081.00")
    page = new_page()
    sign_in(page, live_server, world["employer"], world["password"])
    page.get_by_role("link", name=_es("Employment")).first.click()
    page.get_by_role("link", name=_es("Post a vacancy")).click()
    page.get_by_label(_es("Title")).fill("Instalador de tablayeso")
    # Long lists are searched by typing: the occupation by its title, the municipality by name.
    page.get_by_label(_es("Occupation")).fill(drywall.title_es[:10])
    page.get_by_role("option", name=drywall.title_es, exact=True).click()
    expect(page.locator("#id_occupation-select")).to_have_value("47-2081.00")
    # The occupation's skills appear, each not asked, desired or required.
    expect(page.locator("#vacancy-skills table")).to_be_visible()
    page.get_by_label(_es("Years of experience asked")).fill("3")
    page.get_by_label(_es("Municipality")).fill(world["where"].name)
    page.get_by_role("option").filter(has_text=world["where"].name).first.click()
    expect(page.locator("#id_municipality-select")).to_have_value(world["where"].code)
    page.get_by_role("button", name=_es("Post the vacancy")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Instalador de tablayeso")

    matches = page.get_by_test_id("matches")
    candidate = matches.get_by_test_id("candidate").first
    expect(candidate).to_contain_text("C-")
    expect(matches).not_to_contain_text("Xitumul")
    expect(matches).not_to_contain_text("Byron")
    expect(matches).not_to_contain_text("55509876")
    pseudonym = candidate.locator(".mono").inner_text()
    candidate.get_by_role("button", name=_es("Invite")).click()
    expect(
        page.get_by_text(_es("The candidate was invited. Their caseworker will give the answer."))
    ).to_be_visible()
    applications = page.get_by_test_id("applications")
    expect(applications).to_contain_text(pseudonym)
    expect(applications).not_to_contain_text("Xitumul")

    other = new_page()
    sign_in(other, live_server, world["caseworker"], world["password"])
    other.get_by_role("link", name=_es("Employment")).first.click()
    invitations = other.get_by_test_id("invitations")
    expect(invitations).to_contain_text("Byron Estuardo Xitumul")
    expect(invitations).to_contain_text("Instalador de tablayeso")
