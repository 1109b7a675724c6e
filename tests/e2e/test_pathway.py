"""One returnee, the whole pathway, four organizations of Guatemala's alliance — each step taken
by a different demo account in its own browser context, in Spanish, asserting what each one sees:

1. arrival at the reception center (CRR La Aurora), with consent;
2. handoff to the NGO (Caminos de Retorno): accepted, a case opens;
3. the psychologist finds it in her inbox and records a PHQ-9 with item 9 positive; she
   acknowledges the alert and starts the safety plan;
4. documents (the documents officer); the skills profile signed (the caseworker);
5. enrolment in the institute's (INTECAP) session, where the assessor finds it in his inbox;
   the certificate;
6. an employer (Constructora Los Altos) invites, the person accepts through the caseworker, and
   is hired;
7. a month later, the 1-month retention follow-up is due in the caseworker's inbox;
8. the employer organization's dashboard counts the placement.
"""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from incluye.core.identity import dpi_check_digit
from tests.e2e.test_jobs import fill_date

NAME = "Rigoberto Alejandro Quiej Sontay"
FIRST_EIGHT = "31582047"
DPI = f"{FIRST_EIGHT[:4]} {FIRST_EIGHT[4:]}{dpi_check_digit(FIRST_EIGHT)} 0901"


def _es(text):
    with translation.override("es"):
        return gettext(text)


@pytest.fixture
def alliance(live_server, settings):
    """Guatemala's demo alliance, and an INTECAP assessment session today of the standard that
    recognizes drywall installation (the assessor scheduled it beforehand)."""
    from incluye.accounts.models import Membership
    from incluye.certification import services as certification
    from incluye.jobs.index import reset_index
    from incluye.workspace.demo import demo_load

    settings.INCLUYE_REQUIRE_MFA = False  # the second factor has its own browser test
    settings.SITE_URL = live_server.url
    reset_index()
    result = demo_load(people=0)
    assessor = Membership.objects.get(user__email="evaluador@demo.incluye.org", role="assessor")
    certification.session_create(
        membership=assessor,
        standard=assessor.organization.standards.get(code="NTC-CON-012"),
        date=timezone.localdate(),
        place="Centro de Capacitación Zona 6",
        capacity=10,
        assessors=[assessor.user],
    )
    yield {"password": result["password"]}
    reset_index()


def sign_in(new_page, live_server, email, password):
    page = new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_test_id("inbox")).to_be_visible()  # everyone lands on their inbox
    return page


def inbox_section(page, key):
    return page.locator(f'[data-section="{key}"]')


def test_one_returnee_across_four_organizations(alliance, new_page, live_server, time_machine):
    from incluye.jobs.models import Vacancy
    from incluye.jobs.services import pseudonym
    from incluye.people.models import Person

    password = alliance["password"]
    from incluye.jobs.models import Placement

    placements_before = Placement.objects.filter(employer__short_name="Constructora Los Altos").count()

    # 1. Arrival at the reception center, with consent ---------------------------------------------
    reception = sign_in(new_page, live_server, "recepcion@demo.incluye.org", password)
    reception.get_by_role("navigation", name=_es("Main")).get_by_role("link", name=_es("Register")).click()
    reception.get_by_label(_es("Given names")).fill("Rigoberto Alejandro")
    reception.get_by_label(_es("First surname")).fill("Quiej")
    reception.get_by_label(_es("Second surname")).fill("Sontay")
    fill_date(reception, "Birth date", datetime.date(1987, 5, 16))
    reception.get_by_label(_es("Identity document")).select_option("DPI")
    reception.get_by_label(_es("Document number")).fill(DPI)
    reception.get_by_label(_es("Flight or bus")).fill("TA-317")
    reception.get_by_label(_es("Agrees to case management")).check()
    reception.get_by_label(_es("Agrees that alliance members who serve them see their data")).check()
    reception.get_by_role("button", name=_es("Register"), exact=True).click()
    expect(reception.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(reception.locator(".consents")).to_contain_text(_es("Sharing with alliance members"))
    person = Person.objects.get(given_names="Rigoberto Alejandro")

    # ... and the handoff to the NGO, from the person's page.
    reception.get_by_role("link", name=_es("Hand off to another organization")).click()
    reception.get_by_label(_es("Hand off to")).select_option(
        label="Caminos de Retorno — Asociación Caminos de Retorno"
    )
    reception.get_by_label(_es("Message for the organization")).fill(
        "Llegó con dolor de espalda; pide apoyo."
    )
    reception.get_by_role("button", name=_es("Hand off"), exact=True).click()
    expect(reception.get_by_text(f"Se traspasó a {NAME} a Caminos de Retorno.")).to_be_visible()

    # 2. The NGO accepts the handoff: a case opens -------------------------------------------------
    caseworker = sign_in(new_page, live_server, "gestora@demo.incluye.org", password)
    received = inbox_section(caseworker, "handoffs_received")
    expect(received).to_contain_text(NAME)
    expect(received).to_contain_text(_es("Handed to you by %(org)s") % {"org": "CRR La Aurora"})
    received.get_by_role("link", name=NAME).click()
    stub = caseworker.get_by_test_id("stub")
    expect(stub).to_contain_text(NAME)
    expect(stub).to_contain_text("1987")
    expect(stub).to_contain_text("CRR La Aurora")
    expect(caseworker.get_by_text(DPI)).to_have_count(0)  # a stub, not the record
    expect(caseworker.get_by_text("Llegó con dolor de espalda; pide apoyo.")).to_be_visible()
    caseworker.get_by_label(_es("Caseworker")).select_option(label="María José Hernández Ajú")
    caseworker.get_by_role("button", name=_es("Accept"), exact=True).click()
    expect(caseworker.get_by_text(_es("The handoff was accepted and a case was opened."))).to_be_visible()
    expect(caseworker.get_by_role("heading", level=1)).to_have_text(f"Caso de {NAME}")
    caseworker.get_by_label(_es("Next stage")).select_option("psychosocial")
    caseworker.get_by_role("button", name=_es("Move"), exact=True).click()
    expect(caseworker.get_by_test_id("stage")).to_have_text(
        _es("Now at: %(stage)s.") % {"stage": _es("Psychosocial support")}
    )
    case_url = caseworker.url
    # The reception center sees that the handoff was accepted.
    reception.goto(live_server.url + f"/people/{person.pk}/")
    expect(reception.get_by_test_id("shared-with")).to_contain_text("Caminos de Retorno")

    # 3. The psychologist: inbox, PHQ-9 with item 9 positive, the alert and the safety plan ---------
    psychologist = sign_in(new_page, live_server, "psicologa@demo.incluye.org", password)
    waiting = inbox_section(psychologist, "stage_cases")
    expect(waiting).to_contain_text(NAME)
    waiting.get_by_role("link", name=NAME).click()
    psychologist.get_by_role("link", name="PHQ-9").click()
    for item in range(1, 10):
        value = {"2": "1", "4": "1", "9": "1"}.get(str(item), "0")
        psychologist.locator(f"input[name=item_{item}][value='{value}']").check()
    psychologist.get_by_role("button", name=_es("Score and save")).click()
    expect(psychologist.locator(".app-messages li.error")).to_have_text(
        _es(
            "%(instrument)s: the answers signal risk. A risk alert was raised: acknowledge it and start the "
            "safety plan."
        )
        % {"instrument": "PHQ-9"}
    )
    expect(psychologist.locator(".app-messages li.success")).to_have_count(0)  # no green "saved"
    expect(psychologist.get_by_test_id("alert-rules")).to_contain_text(
        "Pensamientos de muerte o de hacerse daño (ítem 9)"
    )
    psychologist.get_by_role("button", name=_es("Acknowledge and start the safety plan")).click()
    expect(psychologist.get_by_test_id("alert-status")).to_contain_text(
        _es("Acknowledged: safety plan in progress")
    )
    psychologist.get_by_label("Valorar la seguridad inmediata", exact=False).check()
    psychologist.get_by_label("Acordar personas de confianza", exact=False).check()
    psychologist.get_by_label(_es("Notes of the safety plan")).fill("Su hermana lo acompaña esta semana.")
    psychologist.get_by_role("button", name=_es("Save the safety plan")).click()
    expect(psychologist.get_by_text(_es("The safety plan was saved."))).to_be_visible()
    # The caseworker sees only that the person requires psychosocial attention.
    caseworker.goto(case_url)
    expect(caseworker.get_by_test_id("attention")).to_contain_text(_es("Requires psychosocial attention"))
    expect(caseworker.get_by_text("PHQ-9")).to_have_count(0)
    caseworker.get_by_label(_es("Next stage")).select_option("documents")
    caseworker.get_by_role("button", name=_es("Move"), exact=True).click()

    # 4. Documents (the documents officer); the skills profile signed (the caseworker) -------------
    documents = sign_in(new_page, live_server, "documentos@demo.incluye.org", password)
    inbox_section(documents, "stage_cases").get_by_role("link", name=NAME).click()
    row = documents.get_by_test_id("document-national_id")
    row.get_by_label(_es("Status")).select_option("obtained")
    row.get_by_role("button", name=_es("Save")).click()
    expect(documents.get_by_test_id("document-national_id").get_by_label(_es("Status"))).to_have_value(
        "obtained"
    )

    caseworker.goto(f"{live_server.url}/people/{person.pk}/")
    caseworker.get_by_role("link", name=_es("Work history abroad and skills profile")).click()
    caseworker.get_by_label(_es("Job, in the person's words")).fill("hacía drywall")
    caseworker.get_by_label(_es("What they did")).fill("colgaba tablaroca, ponía cinta y masilla")
    caseworker.get_by_label(_es("City")).fill("Atlanta")
    caseworker.get_by_label(_es("Year started")).fill("2012")
    caseworker.get_by_label(_es("Year ended")).fill("2019")
    caseworker.get_by_label("OSHA 10").check()
    caseworker.get_by_role("button", name=_es("Add the job")).click()
    caseworker.locator("article.job .matches li").first.get_by_role("button", name=_es("Confirm")).click()
    expect(caseworker.locator("article.job .coded")).to_contain_text("47-2081")
    caseworker.get_by_role("button", name=_es("Prepare the skills profile")).click()
    caseworker.get_by_role("button", name=_es("Sign the profile")).click()
    expect(caseworker.get_by_text(_es("The profile was signed. It can now be printed."))).to_be_visible()

    # 5. Enrolment in the institute's session; the assessor's inbox; the certificate -----------------
    caseworker.get_by_role("link", name=_es("Assessment sessions and certificates")).click()
    caseworker.locator("tr", has_text="NTC-CON-012").get_by_role("button", name=_es("Enrol")).click()
    expect(
        caseworker.get_by_text(_es("%(name)s was enrolled in the session.") % {"name": NAME})
    ).to_be_visible()
    assessor = sign_in(new_page, live_server, "evaluador@demo.incluye.org", password)
    enrolments = inbox_section(assessor, "enrolments")
    expect(enrolments).to_contain_text(NAME)
    expect(enrolments).to_contain_text("NTC-CON-012")
    enrolments.get_by_role("link", name=NAME).click()
    # Attendance and results of the whole session on one page.
    candidate = assessor.get_by_test_id("candidate").filter(has_text=NAME)
    candidate.get_by_label(_es("Attendance")).select_option("present")
    for code in ("U1", "U2", "U3"):
        candidate.get_by_label(code).select_option("competent")
    assessor.get_by_role("button", name=_es("Save attendance and results")).click()
    expect(assessor.get_by_text(_es("Attendance and results saved."))).to_be_visible()
    assessor.get_by_role("link", name=NAME).click()
    assessor.locator("tr[data-unit=U1]").get_by_label(f"{_es('Evidence')} U1").fill(
        "Demostración práctica en obra"
    )
    assessor.get_by_role("button", name=_es("Save the results")).click()
    expect(assessor.get_by_text(_es("The results were saved."))).to_be_visible()
    assessor.get_by_label(_es("Full name")).check()
    assessor.get_by_role("button", name=_es("Review and issue the certificate")).click()
    assessor.get_by_role("button", name=_es("Yes, issue the certificate")).click()
    expect(assessor.get_by_test_id("certificate-status")).to_contain_text(_es("Valid"))
    expect(assessor.locator("h1 .mono")).to_contain_text(f"INTECAP-{timezone.localdate().year}-")

    # 6. An employer invites; the person accepts through the caseworker; hired ----------------------
    caseworker.goto(f"{live_server.url}/people/{person.pk}/")
    caseworker.get_by_text(_es("Record a consent or its withdrawal")).click()
    caseworker.get_by_label(_es("Purpose")).select_option("employer_profile")
    caseworker.get_by_label(_es("Gives consent")).check()
    caseworker.get_by_label(_es("How")).select_option("signed_form")
    caseworker.get_by_role("button", name=_es("Record"), exact=True).click()
    expect(caseworker.get_by_text(_es("The decision was recorded."))).to_be_visible()

    vacancy = Vacancy.objects.get(
        title="Instalador de tablayeso", employer__short_name="Constructora Los Altos"
    )
    alias = pseudonym(person_id=person.pk, vacancy_id=vacancy.pk)
    employer = sign_in(new_page, live_server, "empleador@demo.incluye.org", password)
    employer.goto(f"{live_server.url}/jobs/vacancies/{vacancy.pk}/")
    card = employer.get_by_test_id("matches").get_by_test_id("candidate").filter(has_text=alias)
    expect(card).not_to_contain_text("Quiej")
    card.get_by_role("button", name=_es("Invite")).click()
    expect(
        employer.get_by_text(_es("The candidate was invited. Their caseworker will give the answer."))
    ).to_be_visible()

    caseworker.goto(live_server.url + "/")
    invitations = inbox_section(caseworker, "invitations")
    expect(invitations).to_contain_text(NAME)
    expect(invitations).to_contain_text("Instalador de tablayeso")
    invitations.get_by_role("link", name=NAME).click()
    caseworker.locator("form[data-step=referred]").get_by_role("button").click()
    expect(caseworker.get_by_test_id("status")).to_contain_text(_es("Referred to the employer"))

    employer.goto(live_server.url + "/")
    to_follow = inbox_section(employer, "employer_applications")
    expect(to_follow).to_contain_text(NAME)  # accepted: the employer now sees the name
    to_follow.get_by_role("link", name=NAME).click()
    interview = employer.locator("form[data-step=interview]")
    interview.locator("input[name=interview_at]").fill(
        (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT10:00")
    )
    interview.get_by_role("button").click()
    employer.locator("form[data-step=hired]").get_by_role("button").click()
    expect(employer.get_by_test_id("status")).to_contain_text(_es("Hired"))

    # 7. A month later, the 1-month retention follow-up is due in the caseworker's inbox -------------
    time_machine.move_to(timezone.now() + datetime.timedelta(days=31), tick=True)
    later = sign_in(new_page, live_server, "gestora@demo.incluye.org", password)
    follow_ups = inbox_section(later, "retention_follow_ups")
    expect(follow_ups).to_contain_text(NAME)
    expect(follow_ups).to_contain_text(
        "Seguimiento de permanencia, 1 mes después de empezar en Constructora Los Altos"
    )

    # 8. The employer organization's dashboard counts the placement ----------------------------------
    manager = sign_in(new_page, live_server, "rrhh@demo.incluye.org", password)
    manager.get_by_role("navigation", name=_es("Main")).get_by_role("link", name=_es("Indicators")).click()
    placements = manager.locator('[data-indicator="placements"]')
    expect(placements).to_contain_text("Colocaciones en empleo")
    expect(placements.locator(".big")).to_have_text(str(placements_before + 1))
