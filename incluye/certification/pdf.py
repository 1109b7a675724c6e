"""The printed certificate: a real PDF (WeasyPrint), in Spanish or English, with the body's name and
logo, the person, the standard and its units, the date, the number and a QR code to the public
verification page (the random token, never the sequential number).
A tagged PDF/A-3b (incluye.core.pdf) whose metadata names the document, never the person."""

import base64
import mimetypes

import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation

from incluye.certification.models import IssuerProfile
from incluye.core.links import absolute_url
from incluye.core.pdf import write_archival_pdf


def qr_payload(certificate) -> str:
    """What the QR code says: the URL of the certificate's public verification page."""
    return absolute_url("certification:verify_token", certificate.token)


def qr_data_uri(payload: str) -> str:
    return segno.make(payload, error="m").svg_data_uri(scale=4, border=2)


def logo_data_uri(body) -> str:
    profile = IssuerProfile.objects.filter(body=body).first()
    if profile is None or not profile.logo:
        return ""
    try:
        with profile.logo.open("rb") as handle:
            content = handle.read()
    except OSError:
        return ""
    mime = mimetypes.guess_type(profile.logo.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def render_certificate_pdf(certificate, *, language: str = "es") -> bytes:
    payload = qr_payload(certificate)
    profile = IssuerProfile.objects.filter(body=certificate.body).first()
    with translation.override(language):
        html = render_to_string(
            "certification/certificate_pdf.html",
            {
                "certificate": certificate,
                "language": language,
                "standard_title": (certificate.standard.title_en if language == "en" else "")
                or certificate.standard.title_es,
                "issued_on": timezone.localdate(certificate.issued_at),
                "qr": qr_data_uri(payload),
                "qr_payload": payload,
                "logo": logo_data_uri(certificate.body),
                "profile": profile,
            },
        )
    return write_archival_pdf(html)
