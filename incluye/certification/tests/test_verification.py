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
        Client().get(reverse("certification:verify", query={"number": certificate.number})).content.decode()
    )
    assert "José Ángel Ordóñez Muñoz" in page


def test_lookup_by_number_says_valid_then_revoked(certificate, assessor):
    url = reverse("certification:verify")
    assert 'data-status="valid"' in Client().get(url, {"number": certificate.number.lower()}).content.decode()
    services.certificate_revoke(membership=assessor, certificate=certificate, reason="Error")
    page = Client().get(url, {"number": certificate.number}).content.decode()
    assert 'data-status="revoked"' in page
    assert "Error" not in page  # the reason stays with the body


def test_an_unknown_number_or_token_is_unknown_and_says_nothing_else(certificate):
    page = Client().get(reverse("certification:verify"), {"number": "INTECAP-2026-000002"}).content.decode()
    assert 'data-status="unknown"' in page and "INTECAP-2026-000002" not in page.split("<form")[0]
    response = Client().get(reverse("certification:verify_token", args=["not-a-token"]))
    assert response.status_code == 200 and 'data-status="unknown"' in response.content.decode()


def test_the_json_endpoint_answers_valid_revoked_unknown(certificate, assessor):
    client = Client()
    body = client.get(reverse("api:verify"), {"number": certificate.number}).json()
    assert body["status"] == "valid" and body["holder"] == "J. Á. O. M."
    assert body["standard_code"] == "GT-CON-0012"
    by_token = client.get(reverse("api:verify_token", args=[certificate.token])).json()
    assert by_token == body
    unknown = client.get(reverse("api:verify_token", args=["nope"])).json()
    assert unknown["status"] == "unknown" and "number" not in unknown and "holder" not in unknown
    services.certificate_revoke(membership=assessor, certificate=certificate, reason="Error")
    assert client.get(reverse("api:verify"), {"number": certificate.number}).json()["status"] == "revoked"
    assert client.get(reverse("api:verify")).status_code == 400


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
