"""Public verification: valid / revoked / unknown by number or QR token, showing only what the
person agreed to show; rate-limited, no sign-in."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from incluye.certification import services

pytestmark = pytest.mark.django_db


def _es(text):
    with translation.override("es"):
        return gettext(text)


def test_the_qr_page_confirms_a_valid_certificate_without_sign_in(certificate):
    response = Client().get(reverse("certification:verify_token", args=[certificate.token]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-status="valid"' in page
    assert certificate.number in page
    assert "J. Á. O. M." in page  # initials only: what the person agreed to
    assert "Ordóñez" not in page


def test_the_full_name_shows_only_when_the_person_agreed(certificate):
    certificate.public_fields = "name"
    certificate.save()
    page = (
        Client()
        .get(
            reverse(
                "certification:verify",
                query={"number": certificate.number, "code": certificate.verification_code},
            )
        )
        .content.decode()
    )
    assert "José Ángel Ordóñez Muñoz" in page


def test_lookup_by_number_says_valid_then_revoked(certificate, assessor):
    url = reverse("certification:verify")
    typed = {
        "number": certificate.number.lower(),
        "code": certificate.verification_code.lower().replace("-", " "),
    }
    assert 'data-status="valid"' in Client().get(url, typed).content.decode()
    services.certificate_revoke(membership=assessor, certificate=certificate, reason="Error")
    page = (
        Client()
        .get(url, {"number": certificate.number, "code": certificate.verification_code})
        .content.decode()
    )
    assert 'data-status="revoked"' in page
    assert "Error" not in page  # the reason stays with the body


def test_an_unknown_number_or_token_is_unknown_and_says_nothing_else(certificate):
    page = (
        Client()
        .get(reverse("certification:verify"), {"number": "INTECAP-2026-000002", "code": "AAAA-AAAA"})
        .content.decode()
    )
    assert 'data-status="unknown"' in page and "INTECAP-2026-000002" not in page.split("<form")[0]
    response = Client().get(reverse("certification:verify_token", args=["not-a-token"]))
    assert response.status_code == 200 and 'data-status="unknown"' in response.content.decode()


def test_the_json_endpoint_answers_valid_revoked_unknown(certificate, assessor):
    client = Client()
    typed = {"number": certificate.number, "code": certificate.verification_code}
    body = client.get(reverse("api:verify"), typed).json()
    assert body["status"] == "valid" and body["holder"] == "J. Á. O. M."
    assert body["standard_code"] == "GT-CON-0012"
    by_token = client.get(reverse("api:verify_token", args=[certificate.token])).json()
    assert by_token == body
    unknown = client.get(reverse("api:verify_token", args=["nope"])).json()
    assert unknown["status"] == "unknown" and "number" not in unknown and "holder" not in unknown
    services.certificate_revoke(membership=assessor, certificate=certificate, reason="Error")
    assert client.get(reverse("api:verify"), typed).json()["status"] == "revoked"
    assert client.get(reverse("api:verify")).status_code == 400
    assert client.get(reverse("api:verify"), {"number": certificate.number}).json()["error"]["fields"] == {
        "code": [_es("This field is required.")]
    }


def test_verification_is_rate_limited_per_address(certificate, settings):
    settings.INCLUYE_VERIFY_RATE_PER_MINUTE = 3
    client = Client()
    url = reverse("certification:verify")
    for _ in range(3):
        assert client.get(url, {"number": "X"}).status_code == 200
    response = client.get(url, {"number": certificate.number})
    assert response.status_code == 429
    assert response["Retry-After"]
    assert 'data-testid="verification"' not in response.content.decode()
    assert _es("Too many requests: wait a moment and try again.") in response.content.decode()
    api = client.get(reverse("api:verify_token", args=[certificate.token]))
    assert api.status_code == 429 and api.json()["error"]["status"] == 429
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(reverse("certification:verify_token", args=[certificate.token])).status_code == 200


def test_the_empty_form_does_not_count(db, settings):
    settings.INCLUYE_VERIFY_RATE_PER_MINUTE = 1
    client = Client()
    for _ in range(3):
        assert client.get(reverse("certification:verify")).status_code == 200


def test_walking_the_sequence_of_numbers_reveals_nothing_without_the_printed_code(certificate):
    """Numbers are sequential per body and year: a number with a wrong or missing code is
    "unknown", exactly like a number that does not exist."""
    client = Client()
    printed = certificate.verification_code
    one_letter_wrong = printed[:-1] + ("Y" if printed.endswith("Z") else "Z")  # never the printed one
    for code in ["", "AAAA-AAAA", one_letter_wrong]:
        page = client.get(reverse("certification:verify"), {"number": certificate.number, "code": code})
        assert 'data-status="valid"' not in page.content.decode()
        assert "J. Á. O. M." not in page.content.decode()
        body = client.get(reverse("api:verify"), {"number": certificate.number, "code": code or "x"}).json()
        assert "holder" not in body and body.get("status") in ("unknown", None)


def test_the_code_is_printed_on_the_certificate_beside_the_number(certificate, assessor):
    from incluye.certification.pdf import render_certificate_pdf
    from incluye.core.testing import client_for

    page = (
        client_for(assessor).get(reverse("certification:certificate", args=[certificate.pk])).content.decode()
    )
    assert certificate.verification_code in page
    import io

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_certificate_pdf(certificate))).pages)
    assert certificate.verification_code in text
