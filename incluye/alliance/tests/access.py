"""Records and object URLs of the alliance app for the access test (accounts/tests/test_access.py).
An outsider (another country's organization) gets 404: the council is the country's."""

import datetime

from django.core.files.base import ContentFile
from django.urls import reverse


def make_records(personas, person) -> dict:
    from incluye.alliance.models import Agreement, Commitment, Council, Meeting

    council = Council.objects.create(country_id="GT", name="Mesa GT", secretariat=personas.org)
    agreement = Agreement.objects.create(
        council=council,
        title="MoU",
        signed_on=datetime.date(2024, 1, 1),
        scope="Certificación",
        file=ContentFile(b"%PDF-1.4 mou", name="mou.pdf"),
    )
    return {
        "council": council,
        "agreement": agreement,
        "commitment": Commitment.objects.create(
            council=council, title="Plan", owner=personas.org, due_on=datetime.date(2026, 12, 1)
        ),
        "meeting": Meeting.objects.create(council=council, held_on=datetime.date(2026, 1, 10)),
    }


def urls(personas, records) -> list[tuple[str, str]]:
    return [
        ("get", reverse("alliance:agreement_file", args=[records["agreement"].pk])),
        ("post", reverse("alliance:commitment_move", args=[records["commitment"].pk])),
        ("get", reverse("alliance:meeting", args=[records["meeting"].pk])),
        ("post", reverse("alliance:decision_add", args=[records["meeting"].pk])),
    ]
