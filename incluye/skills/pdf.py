"""The printed skills profile: a real PDF (WeasyPrint), in Spanish or English, in the spirit of the
EU Skills Profile Tool: who the person is, what they did abroad, the occupations and skills the
counsellor confirmed, the national standards that recognise them with the gaps (the route of
certification), the qualifications from abroad and their recognition (the other route), and the
signature.
A tagged PDF/A-3b (incluye.core.pdf) whose metadata names the document, never the person; dates
are written the local way."""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation

from incluye.core.pdf import write_archival_pdf
from incluye.skills.bundled import bundled_data
from incluye.skills.models import ProfileStatus
from incluye.skills.profile import profile_document, qualifications_document


def _local_date(iso: str):
    if not iso:
        return None
    moment = datetime.datetime.fromisoformat(iso)
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def render_profile_pdf(profile, *, language: str = "es") -> bytes:
    document = profile_document(profile)
    with translation.override(language):
        qualifications = qualifications_document(profile.person)
        html = render_to_string(
            "skills/profile_pdf.html",
            {
                "profile": profile,
                "document": document,
                "qualifications": qualifications,
                "signed_on": _local_date(document.get("signed_at", "")),
                "language": language,
                "draft": profile.status != ProfileStatus.SIGNED,
                "attribution": bundled_data()["attribution"].get(language, ""),
            },
        )
    return write_archival_pdf(html)
