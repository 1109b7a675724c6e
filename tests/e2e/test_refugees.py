"""A caseworker in Costa Rica registers a Venezuelan asylum seeker, records her work permit (with
the social security registration it requires); an employer sees her among the matches as
"authorized to work" — never her status or nationality — and hires her."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.test_jobs import _es, fill_date, sign_in


@pytest.fixture
def world(live_server, settings):
    from incluye.accounts.models import Membership
    from incluye.jobs.index import reset_index
    from incluye.workspace.demo import demo_load

    settings.INCLUYE_REQUIRE_MFA = False
    reset_index()
    result = demo_load(people=0)
    caseworker = Membership.objects.get(user__email="refugio.cr@demo.incluye.org", role="caseworker")
    employer = Membership.objects.get(user__email="empleo.cr@demo.incluye.org", role="employer")
    yield {"password": result["password"], "caseworker": caseworker, "employer": employer}
    reset_index()


def iso(day: datetime.date) -> str:
    return day.isoformat()


def test_a_venezuelan_asylum_seeker_is_registered_gets_her_work_permit_and_is_matched_and_hired(
    world, new_page, live_server
):
    from incluye.jobs.models import Vacancy
    from incluye.jobs.services import pseudonym
    from incluye.people.models import Person
    from incluye.people.services import consent_record
    from incluye.skills.models import Occupation
    from incluye.skills.services import profile_sign, profile_start, work_add, work_code

    today = timezone.localdate()
    page = new_page()
    sign_in(page, live_server, world["caseworker"].user.email, world["password"])

    # 1. Registration: the form shows the questions of an arrival once "asylum seeker" is chosen.
    page.get_by_role("link", name=_es("Register"), exact=True).first.click()
    expect(page.get_by_label(_es("Nationality"))).to_be_hidden()
    page.get_by_label(_es("Asylum seeker"), exact=True).check()
    expect(page.get_by_label(_es("Nationality"))).to_be_visible()
    expect(page.get_by_label(_es("Months abroad"))).to_be_hidden()
    page.get_by_label(_es("Given names")).fill("Rosmary Carolina")
    page.get_by_label(_es("First surname")).fill("Villarroel")
    page.get_by_label(_es("Second surname")).fill("Azuaje")
    page.get_by_label(_es("Sex")).select_option("F")
    page.get_by_label(_es("Nationality")).select_option("VE")
    page.get_by_label(_es("Identity document")).select_option("VE:CEDULA")
    page.get_by_label(_es("Document number")).fill("V-21.345.678")
    page.get_by_label(_es("Municipality where the person will live")).select_option("101")
    page.get_by_label(_es("Arrival date")).fill(iso(today - datetime.timedelta(days=120)))
    page.get_by_label(_es("Arrived by")).select_option("land")
    page.get_by_label(_es("Border point or place of arrival")).fill("Paso Canoas")
    page.get_by_label(_es("Accompanied by")).select_option("children")
    fill_date(
        page, "Date of the asylum application or of the recognition", today - datetime.timedelta(days=115)
    )
    page.get_by_label(_es("Agrees to case management")).check()
    page.get_by_role("button", name=_es("Register"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rosmary Carolina Villarroel Azuaje")
    expect(page.get_by_text(_es("Asylum seeker")).first).to_be_visible()

    # 2. Her work permit, with the social security registration it requires since 2022.
    page.get_by_role("link", name=_es("Status, documents and work authorization")).click()
    expect(page.get_by_test_id("work-authorization")).to_contain_text(_es("May not work today."))
    for document, number, valid_from, expires in (
        ("CCSS", "186221345678", today - datetime.timedelta(days=20), None),
        (
            "PERMISO_LABORAL",
            "PL-2026-0877",
            today - datetime.timedelta(days=20),
            today + datetime.timedelta(days=340),
        ),
    ):
        document_field = page.get_by_label(re.compile(rf"^{_es('Document')}:?$"))
        if not document_field.is_visible():
            page.get_by_text(_es("Record or renew a document")).click()
        from incluye.core.models import IdDocumentType

        type_pk = str(IdDocumentType.objects.get(country_id="CR", code=document).pk)
        document_field.select_option(type_pk)
        page.get_by_label(re.compile(rf"^{_es('Number')}:?$")).fill(number)
        fill_date(page, "Valid from", valid_from)
        if expires:
            fill_date(page, "Expires on", expires)
        page.get_by_role("button", name=_es("Record the document")).click()
        expect(page.get_by_text(_es("The document was recorded."))).to_be_visible()
    expect(page.get_by_test_id("work-authorization")).to_contain_text(_es("May work today."))

    # Her experience as a cook, the profile her caseworker signs, her consent to employers.
    person = Person.objects.get(first_surname="Villarroel", second_surname="Azuaje")
    caseworker = world["caseworker"]
    job = work_add(
        membership=caseworker,
        person=person,
        job_title="cocinera de línea",
        country="VE",
        started_on=datetime.date(2013, 1, 1),
        ended_on=datetime.date(2021, 1, 1),
        licences=["servsafe_food_handler"],
    )
    work_code(membership=caseworker, experience=job, occupation=Occupation.objects.get(code="35-2014.00"))
    profile_sign(membership=caseworker, profile=profile_start(membership=caseworker, person=person))
    consent_record(
        membership=caseworker, person=person, purpose="employer_profile", given=True, method="signed_form"
    )

    # 3. The employer sees her as authorized to work, nothing about her status or nationality.
    vacancy = Vacancy.objects.get(employer=world["employer"].organization, title="Cocinero de línea")
    name = pseudonym(person_id=person.pk, vacancy_id=vacancy.pk)
    employer = new_page()
    sign_in(employer, live_server, world["employer"].user.email, world["password"])
    employer.goto(live_server.url + f"/jobs/vacancies/{vacancy.pk}/")
    card = employer.get_by_test_id("candidate").filter(has_text=name)
    expect(card).to_be_visible()
    expect(card.get_by_test_id("authorized")).to_have_text(_es("Authorized to work"))
    main = employer.locator("main")
    for secret in (
        "Venezuela",
        "Villarroel",
        "solicitante",
        "Solicitante",
        "refugio",
        "21.345.678",
        "Paso Canoas",
    ):
        expect(main).not_to_contain_text(secret)
    card.get_by_role("button", name=_es("Invite")).click()

    # 4. She accepts (through her caseworker); the employer interviews and hires her.
    page.goto(live_server.url + "/jobs/")
    page.get_by_test_id("invitations").get_by_role("link").filter(has_text="Cocinero de línea").first.click()
    page.locator("form[data-step=referred] button").click()
    expect(page.get_by_test_id("status")).to_contain_text(_es("Referred to the employer"))
    application_url = page.url

    employer.goto(application_url)
    interview = employer.locator("form[data-step=interview]")
    interview.get_by_label(_es("Interview date and time")).fill(
        f"{iso(today + datetime.timedelta(days=1))}T09:00"
    )
    interview.get_by_role("button").click()
    hire = employer.locator("form[data-step=hired]")
    # a start after her permit lapses is refused with a clear message, and nothing else said
    hire.get_by_label(_es("Started on")).fill(iso(today + datetime.timedelta(days=400)))
    hire.get_by_role("button").click()
    expect(employer.get_by_text("no está autorizada para trabajar")).to_be_visible()
    expect(employer.get_by_test_id("status")).to_contain_text(_es("Interview"))
    hire = employer.locator("form[data-step=hired]")
    hire.get_by_label(_es("Started on")).fill(iso(today + datetime.timedelta(days=7)))
    hire.get_by_role("button").click()
    expect(employer.get_by_test_id("status")).to_contain_text(_es("Hired"))
    expect(employer.locator("main")).to_contain_text("Rosmary Carolina Villarroel Azuaje")
    expect(employer.locator("main")).not_to_contain_text("Venezuela")
