"""The person's own door at phone width: signing in with the code sent to their phone, accepting an
employer's invitation, withdrawing a consent and seeing the employer lose sight of them, and
downloading their certificate."""

import re

import pytest
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def sms(settings):
    from incluye.core import notify

    settings.INCLUYE_SMS_BACKEND = "incluye.core.notify.LocmemSMSBackend"
    settings.INCLUYE_REQUIRE_MFA = False
    notify.outbox.clear()
    yield notify.outbox
    notify.outbox.clear()


@pytest.fixture
def candidate(personas, sms):
    from incluye.jobs.index import reset_index
    from incluye.jobs.tests.conftest import make_candidate
    from incluye.participants.services import participant_invite

    reset_index()
    person = make_candidate(personas, phone="+50255501234")
    participant_invite(membership=personas.caseworker, person=person)
    yield person
    reset_index()


def sign_in_with_code(page, live_server, sms, national="5550 1234", phone="+50255501234"):
    page.goto(live_server.url + "/me/")
    expect(page.get_by_role("heading", name="Entrar a su página")).to_be_visible()
    page.get_by_label("Su número de celular").fill(national)
    page.get_by_role("button", name="Enviarme un código").click()
    expect(page.get_by_role("heading", name="Escriba el código")).to_be_visible()
    code = re.search(r"\b(\d{6})\b", [m for m in sms if m.to == phone][-1].body).group(1)
    page.get_by_label("El código que le enviamos").fill(code)
    page.get_by_role("button", name="Iniciar sesión").click()


def staff_page(new_page, live_server, membership):
    from incluye.core.testing import client_for

    page = new_page()
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client_for(membership).cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def test_a_person_signs_in_with_the_code_sent_to_their_phone(candidate, sms, new_page, live_server):
    page = new_page(viewport=PHONE)
    sign_in_with_code(page, live_server, sms)
    expect(page.get_by_role("heading", name="Hola, José Manuel")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page.get_by_role("heading", name="Entrar a su página")).to_be_visible()


def test_the_person_accepts_an_invitation_and_only_then_the_employer_learns_their_name(
    personas, candidate, sms, new_page, live_server
):
    from incluye.jobs.services import candidate_invite
    from incluye.jobs.tests.conftest import make_vacancy

    vacancy = make_vacancy(personas)
    application = candidate_invite(membership=personas.employer, vacancy=vacancy, person=candidate)
    employer = staff_page(new_page, live_server, personas.employer)
    employer.goto(f"{live_server.url}/jobs/applications/{application.pk}/")
    expect(employer.locator("main")).not_to_contain_text("Tzul")

    page = new_page(viewport=PHONE)
    sign_in_with_code(page, live_server, sms)
    page.get_by_role("link", name="Instalador de tablayeso").first.click()
    page.get_by_role("button", name="Aceptar la invitación").click()
    expect(page.locator(".me-messages")).to_contain_text("Aceptó")
    application.refresh_from_db()
    assert application.status == "referred"

    employer.reload()
    expect(employer.locator("main")).to_contain_text("Tzul")


def test_withdrawing_the_consent_takes_the_person_off_the_employers_candidates(
    personas, candidate, sms, new_page, live_server
):
    from incluye.jobs.services import pseudonym
    from incluye.jobs.tests.conftest import make_vacancy

    vacancy = make_vacancy(personas)
    name = pseudonym(person_id=candidate.pk, vacancy_id=vacancy.pk)
    employer = staff_page(new_page, live_server, personas.employer)
    employer.goto(f"{live_server.url}/jobs/vacancies/{vacancy.pk}/")
    expect(employer.locator("main")).to_contain_text(name)

    page = new_page(viewport=PHONE)
    sign_in_with_code(page, live_server, sms)
    page.get_by_role("link", name="Consentimientos").click()
    page.locator("#consent-employer_profile").get_by_role("link", name="Retirar este consentimiento").click()
    page.get_by_role("button", name="Sí, retirarlo").click()
    expect(page.locator(".me-messages")).to_contain_text("retirado")
    expect(page.locator("#consent-employer_profile")).to_contain_text("Retirado")

    employer.reload()
    expect(employer.locator("main")).not_to_contain_text(name)


def test_the_person_downloads_their_certificate(personas, sms, new_page, live_server):
    from incluye.participants.services import participant_invite
    from incluye.participants.testing import certified_person

    certificate = certified_person(personas)
    participant_invite(membership=personas.caseworker, person=certificate.person)

    page = new_page(viewport=PHONE)
    sign_in_with_code(page, live_server, sms, national="5550 7777", phone="+50255507777")
    page.get_by_role("link", name="Certificados").click()
    expect(page.locator("main")).to_contain_text(certificate.number)
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar el certificado (PDF)").click()
    assert download.value.suggested_filename == f"{certificate.number}-es.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    with page.expect_download() as credential:
        page.get_by_role("link", name=re.compile("credencial digital")).click()
    with open(credential.value.path()) as jwt:
        assert jwt.read() == certificate.credential
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
