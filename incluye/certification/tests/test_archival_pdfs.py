"""The certificate and the skills profile are archival, accessible PDFs: PDF/A-3b (the identifier
in the XMP metadata, an sRGB output intent), tagged (a structure tree and the language, for screen
readers), every font embedded and of one family, and metadata that names the document, never the
person. Checked with pikepdf and with poppler's pdfinfo and pdffonts."""

import pytest
from django.urls import reverse

from incluye.certification.tests.pdf_checks import archival_pdf_facts
from incluye.core.testing import client_for
from incluye.skills.pdf import render_profile_pdf

pytestmark = pytest.mark.django_db

PERSON = "José Ángel Ordóñez Muñoz"


def assert_archival(content: bytes, *, title: str, language: str):
    facts = archival_pdf_facts(content)
    assert (facts["pdfa_part"], facts["pdfa_conformance"]) == ("3", "B")
    assert ("/GTS_PDFA1", True) in facts["output_intents"]
    assert facts["struct_tree"] and facts["marked"] and facts["pdfinfo"]["Tagged"] == "yes"
    assert facts["lang"] == language
    assert facts["xmp_title"] == facts["info_title"] == facts["pdfinfo"]["Title"] == title
    for part in PERSON.split():
        assert part not in facts["xmp"] and part not in facts["info_title"]
    assert facts["fonts"] and all(font["embedded"] for font in facts["fonts"]), facts["fonts"]
    families = {
        font["name"].removesuffix("-Bold").removesuffix("-Oblique").removesuffix("-BoldOblique")
        for font in facts["fonts"]
    }
    assert families == {"DejaVu-Sans"}, facts["fonts"]  # no serif fallback, no monospace


@pytest.mark.parametrize(
    ("language", "title"),
    [("es", "Certificado de competencia laboral"), ("en", "Certificate of occupational competence")],
)
def test_the_certificate_is_a_tagged_pdfa_that_names_the_document_not_the_person(
    certificate, assessor, language, title
):
    response = client_for(assessor).get(
        reverse("certification:certificate_pdf", args=[certificate.pk]), {"lang": language}
    )
    assert_archival(response.content, title=title, language=language)


@pytest.mark.parametrize(("language", "title"), [("es", "Perfil de competencias"), ("en", "Skills profile")])
def test_the_skills_profile_is_a_tagged_pdfa_in_one_font_family_with_local_dates(
    profile, language, title, time_machine
):
    assert_archival(render_profile_pdf(profile, language=language), title=title, language=language)


def test_the_skills_profile_writes_the_signing_date_the_local_way(profile):
    import io

    from django.utils import formats, timezone, translation
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_profile_pdf(profile))).pages)
    with translation.override("es"):
        expected = formats.date_format(timezone.localdate(profile.signed_at), "DATE_FORMAT")
    assert expected in text and " de " in expected
    assert timezone.localdate(profile.signed_at).isoformat() not in text
