"""Certificates: numbered per body and year without gaps, printed in Spanish and English with a QR
code to the verification page, revoked with a reason; who may see them."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from incluye.accounts.roles import Role
from incluye.certification import credentials, services
from incluye.certification.models import Certificate, CertificateCounter
from incluye.certification.pdf import qr_payload
from incluye.certification.tests.conftest import assess, enrol_new_person
from incluye.core.actionlog import ActionLogEntry
from incluye.core.testing import client_for, local_moment, make_member

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_it_numbers_certificates_per_body_and_year_without_gaps(certificate, assessor, personas, session):
    year = timezone.localdate().year  # the deployment's year, not UTC's
    assert certificate.number == f"INTECAP-{year}-000001"
    enrollment = enrol_new_person(personas, session)
    # A refused issue (not eligible yet) does not use up a number.
    with pytest.raises(ValidationError):
        services.certificate_issue(membership=assessor, enrollment=enrollment)
    assess(assessor, enrollment, {"U1": "competent", "U2": "competent"})
    second = services.certificate_issue(membership=assessor, enrollment=enrollment)
    assert second.number == f"INTECAP-{year}-000002"
    assert CertificateCounter.objects.get(body=certificate.body, year=year).last == 2
    with pytest.raises(ValidationError):
        services.certificate_issue(membership=assessor, enrollment=enrollment)  # once per enrolment


def test_numbering_restarts_with_the_local_year_and_credentials_are_dated_in_utc(
    personas, assessor, standard, time_machine
):
    def certify(given_names):
        session = services.session_create(
            membership=assessor,
            standard=standard,
            date=timezone.localdate(),
            place="Zona 6",
            capacity=5,
            assessors=[assessor.user],
        )
        enrollment = enrol_new_person(personas, session, given_names=given_names)
        assess(assessor, enrollment, {"U1": "competent", "U2": "competent"})
        return services.certificate_issue(membership=assessor, enrollment=enrollment)

    # 20:00 on New Year's Eve in Guatemala: already 2027 in UTC, still 2026 where it is issued.
    time_machine.move_to(local_moment("2026-12-31 20:00"), tick=False)
    late = certify("Ana")
    assert (late.number, late.year) == ("INTECAP-2026-000001", 2026)
    assert credentials.certificate_credential(late)["validFrom"] == "2027-01-01T02:00:00Z"
    time_machine.move_to(local_moment("2027-01-01 00:30"), tick=False)
    early = certify("Berta")
    assert (early.number, early.year) == ("INTECAP-2027-000001", 2027)
    assert list(CertificateCounter.objects.order_by("year").values_list("year", "last")) == [
        (2026, 1),
        (2027, 1),
    ]
    status = credentials.status_list_credential(early.status_list)
    assert status["validFrom"] == "2027-01-01T06:30:00Z"
    assert status["iat"] == int(local_moment("2027-01-01 00:30").timestamp())
    assert early.status_list == late.status_list and early.status_index != late.status_index


def test_the_qr_code_points_at_a_random_token_not_the_number(certificate):
    assert certificate.number not in qr_payload(certificate)
    assert qr_payload(certificate).endswith(f"/certification/verify/{certificate.token}/")
    assert len(certificate.token) >= 32


@pytest.mark.parametrize(
    ("language", "title"),
    [("es", "Certificado de competencia laboral"), ("en", "Certificate of occupational competence")],
)
def test_the_pdf_opens_with_the_number_and_the_qr_payload(certificate, assessor, language, title):
    response = client_for(assessor).get(
        reverse("certification:certificate_pdf", args=[certificate.pk]), {"lang": language}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert certificate.number in text
    assert qr_payload(certificate) in text.replace("\n", "")
    assert "José Ángel Ordóñez Muñoz" in text
    assert "U1" in text and "U2" in text
    if language == "en":
        assert title in text and "Installation of gypsum board" in text
    assert ActionLogEntry.objects.filter(
        action="incluye.certificate.printed", data__language=language
    ).exists()


def test_the_pdf_embeds_the_qr_code_image(certificate):
    from incluye.certification.pdf import render_certificate_pdf

    reader = PdfReader(io.BytesIO(render_certificate_pdf(certificate, language="es")))
    assert len(reader.pages) == 1
    resources = reader.pages[0]["/Resources"]
    assert "/XObject" in resources or "/Pattern" in resources  # the QR (SVG) is drawn into the page


def test_an_assessor_issues_and_revokes_through_the_pages(assessor, enrollment):
    assess(assessor, enrollment, {"U1": "competent", "U2": "competent"})
    client = client_for(assessor)
    url = reverse("certification:certificate_issue", args=[enrollment.pk])
    # First a confirmation of what will be certified: nothing is issued yet.
    confirmation = client.post(url, {"public_fields": "name"})
    assert confirmation.status_code == 200
    assert 'name="confirm" value="yes"' in confirmation.content.decode()
    assert "José Ángel Ordóñez Muñoz" in confirmation.content.decode()
    assert not Certificate.objects.filter(enrollment=enrollment).exists()
    response = client.post(url, {"public_fields": "name", "confirm": "yes"})
    assert response.status_code == 302
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert certificate.public_fields == "name"
    page = client.get(response["Location"])
    assert certificate.number in page.content.decode()
    client.post(reverse("certification:certificate_revoke", args=[certificate.pk]), {"reason": ""})
    certificate.refresh_from_db()
    assert not certificate.revoked  # a reason is required
    client.post(
        reverse("certification:certificate_revoke", args=[certificate.pk]), {"reason": "Emitido por error"}
    )
    certificate.refresh_from_db()
    assert certificate.revoked and certificate.revocation_reason == "Emitido por error"
    assert ActionLogEntry.objects.filter(
        action="incluye.certificate.revoked", object_id=str(certificate.pk)
    ).exists()
    with pytest.raises(ValidationError):
        services.certificate_revoke(membership=assessor, certificate=certificate, reason="otra vez")


def test_the_persons_organization_reads_the_certificate_but_cannot_revoke(personas, certificate):
    client = personas.client("caseworker")
    assert client.get(reverse("certification:certificate", args=[certificate.pk])).status_code == 200
    assert client.get(
        reverse("certification:certificate_credential", args=[certificate.pk])
    ).content.decode() == (certificate.credential)
    assert (
        client.post(
            reverse("certification:certificate_revoke", args=[certificate.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(membership=personas.caseworker, certificate=certificate, reason="x")


def test_only_authorized_members_of_the_body_issue(institute, enrollment, assessor):
    assess(assessor, enrollment, {"U1": "competent", "U2": "competent"})
    readonly = make_member(institute, Role.ASSESSOR, read_only=True, mfa=False)
    with pytest.raises(PermissionDenied):
        services.certificate_issue(membership=readonly, enrollment=enrollment)
    issued = services.certificate_issue(membership=assessor, enrollment=enrollment)
    assert ActionLogEntry.objects.filter(
        action="incluye.certificate.issued", object_id=str(issued.pk)
    ).exists()


def test_the_body_admin_rotates_the_key_on_the_keys_page(body_admin, certificate):
    client = client_for(body_admin)
    assert client.get(reverse("certification:signing_keys")).status_code == 200
    assert client.post(reverse("certification:signing_keys")).status_code == 302
    assert certificate.body.signing_keys.count() == 2
    assert ActionLogEntry.objects.filter(action="incluye.signing_key.rotated").count() == 2
