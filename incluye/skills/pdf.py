"""The printed skills profile: a real PDF (WeasyPrint), in Spanish or English, in the spirit of the
EU Skills Profile Tool: who the person is, what they did abroad, the occupations and skills the
counsellor confirmed, the national standards that recognise them with the gaps, and the signature."""

from django.template.loader import render_to_string
from django.utils import translation

from incluye.skills.bundled import bundled_data
from incluye.skills.models import ProfileStatus
from incluye.skills.profile import profile_document


def render_profile_pdf(profile, *, language: str = "es") -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            "skills/profile_pdf.html",
            {
                "profile": profile,
                "document": profile_document(profile),
                "language": language,
                "draft": profile.status != ProfileStatus.SIGNED,
                "attribution": bundled_data()["attribution"].get(language, ""),
            },
        )
    return HTML(string=html).write_pdf()
