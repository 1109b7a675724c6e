"""An assessor records results, issues a certificate, and the public verification page confirms it;
then the certificate is revoked and the page says so."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect


def _es(text):
    with translation.override("es"):
        return gettext(text)


@pytest.fixture
def candidate(live_server, settings):
    from incluye.accounts.models import Membership
    from incluye.certification import services
    from incluye.people.services import consent_record, person_register
    from incluye.skills import services as skills_services
    from incluye.skills.models import Occupation
    from incluye.workspace.demo import demo_load

    settings.INCLUYE_REQUIRE_MFA = False  # the second factor has its own browser test
    settings.SITE_URL = live_server.url
    result = demo_load(people=0)
    caseworker = Membership.objects.get(user__email="gestora@demo.incluye.org", role="caseworker")
    assessor = Membership.objects.get(user__email="evaluador@demo.incluye.org", role="assessor")
    person = person_register(
        membership=caseworker,
        given_names="Byron Estuardo",
        first_surname="Xitumul",
        second_surname="Ajú",
        nationality_id="GT",
    )
    job = skills_services.work_add(
        membership=caseworker,
        person=person,
        job_title="hacía drywall",
        tasks="colgaba tablaroca, ponía cinta y masilla",
        started_on=datetime.date(2012, 1, 1),
        ended_on=datetime.date(2019, 1, 1),
    )
    skills_services.work_code(
        membership=caseworker, experience=job, occupation=Occupation.objects.get(code="47-2081.00")
    )
    profile = skills_services.profile_sign(
        membership=caseworker, profile=skills_services.profile_start(membership=caseworker, person=person)
    )
    consent_record(
        membership=caseworker, person=person, purpose="alliance_sharing", given=True, method="signed_form"
    )
    standard = assessor.organization.standards.get(code="NTC-CON-012")
    session = services.session_create(
        membership=assessor,
        standard=standard,
        date=timezone.localdate(),
        place="Centro de Capacitación Zona 6",
        capacity=10,
        assessors=[assessor.user],
    )
    services.enrollment_create(membership=caseworker, session=session, profile=profile)
    return {"email": assessor.user.email, "password": result["password"], "person": person}


def test_an_assessor_certifies_and_the_public_page_verifies_then_revoked(candidate, new_page, live_server):
    page = new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(candidate["email"])
    page.locator("input[name=password]").fill(candidate["password"])
    page.get_by_role("button", name="Iniciar sesión").click()

    page.get_by_role("link", name=_es("Assessments")).click()
    # Today's session (the demo also schedules one in five days).
    page.locator("table tr", has_text="NTC-CON-012").get_by_role("link").first.click()
    # Attendance and results of the whole session on one page.
    candidate_box = page.get_by_test_id("candidate").filter(has_text="Byron Estuardo Xitumul Ajú")
    candidate_box.get_by_label(_es("Attendance")).select_option("present")
    expect(candidate_box.get_by_label(_es("Date of the assessment"))).to_have_value(
        timezone.localdate().isoformat()
    )
    for code in ("U1", "U2", "U3"):
        candidate_box.get_by_label(code).select_option("competent")
    page.get_by_role("button", name=_es("Save attendance and results")).click()
    expect(page.get_by_text(_es("Attendance and results saved."))).to_be_visible()

    page.get_by_role("link", name="Byron Estuardo Xitumul Ajú").click()
    unit = page.locator("tr[data-unit=U1]")
    unit.get_by_label(f"{_es('Evidence')} U1").fill("Demostración práctica")
    page.get_by_role("button", name=_es("Save the results")).click()
    expect(page.get_by_text(_es("The results were saved."))).to_be_visible()

    page.get_by_label(_es("Full name")).check()
    page.get_by_role("button", name=_es("Review and issue the certificate")).click()
    expect(page.get_by_role("heading", name=_es("Issue the certificate?"))).to_be_visible()
    page.get_by_role("button", name=_es("Yes, issue the certificate")).click()
    expect(page.get_by_test_id("certificate-status")).to_contain_text(_es("Valid"))
    number = page.locator("h1 .mono").inner_text()
    assert number.startswith(f"INTECAP-{timezone.localdate().year}-")
    verification_url = page.get_by_role("link", name="/certification/verify/").get_attribute("href")

    public = new_page()  # nobody signed in: as someone scanning the QR code
    public.goto(verification_url)
    result = public.get_by_test_id("verification")
    expect(result).to_have_attribute("data-status", "valid")
    expect(result).to_contain_text(number)
    expect(result).to_contain_text("Byron Estuardo Xitumul Ajú")

    page.get_by_text(_es("Revoke this certificate")).click()
    page.get_by_label(_es("Reason")).fill("Emitido por error de registro")
    page.get_by_role("button", name=_es("Revoke the certificate")).click()
    expect(page.get_by_test_id("certificate-status")).to_contain_text(_es("Revoked"))

    public.reload()
    expect(public.get_by_test_id("verification")).to_have_attribute("data-status", "revoked")
    public.goto(live_server.url + "/certification/verify/")
    public.get_by_label(_es("Certificate number")).fill(number)
    public.get_by_role("button", name=_es("Verify")).click()
    expect(public.get_by_test_id("verification")).to_have_attribute("data-status", "revoked")
