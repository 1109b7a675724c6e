"""Every copy of a person's data follows the pages' field rules: a psychosocial note's text and a
psychosocial task reach psychosocial professionals of the case's organization only — on every
page, every API answer and every export, for every role. The URLs are the access matrix's own (a
new URL is covered as soon as it is added there)."""

import io

import pytest

from incluye.accounts.roles import Role
from incluye.accounts.tests.test_access import object_urls, person, records  # noqa: F401
from incluye.accounts.tests.test_access_matrix import _urls_without_ids
from incluye.cases.services import (
    alert_acknowledge,
    note_add,
    safety_plan_update,
    screening_record,
    task_create,
)
from incluye.core.testing import client_for, make_member

pytestmark = pytest.mark.django_db
MARK_NOTE = "MARCA-NOTA-PSICO-7731"
MARK_TASK = "MARCA-TAREA-PSICO-7731"
MARK_PLAN = "MARCA-PLAN-SEGURIDAD-7731"
MARK_STATUS = "MARCA-EXPEDIENTE-7731"


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        try:
            return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
        except PyPdfError:  # a stored file that is not a real PDF (test fixtures): read its bytes
            pass
    return body.decode("utf-8", errors="replace")


def test_psychosocial_content_reaches_no_other_role_on_any_page_api_answer_or_export(personas, records):  # noqa: F811
    case = records["case"]
    psychologist = make_member(personas.org, Role.PSYCHOSOCIAL)
    note_add(membership=psychologist, case=case, text=MARK_NOTE, sensitivity="psychosocial")
    task_create(
        membership=psychologist, case=case, title=MARK_TASK, due_on="2026-12-01", sensitivity="psychosocial"
    )
    screening_record(
        membership=psychologist, case=case, instrument_code="WHO-5", answers={str(i): 3 for i in range(1, 6)}
    )
    alert = alert_acknowledge(
        membership=psychologist, alert=records["alert"], expected_version=records["alert"].version
    )
    safety_plan_update(
        membership=psychologist, alert=alert, done=[], note=MARK_PLAN, expected_version=alert.version
    )
    urls = [url for method, url in object_urls(personas, records) if method == "get"]
    urls += [url for _name, url in _urls_without_ids()]
    urls += [f"/people/{case.person_id}/export.json", f"/people/{case.person_id}/export.pdf"]
    urls += ["/impact/export/people.csv", "/impact/export/indicator.csv"]
    seen_by_psychologist = set()
    for role in Role.values:
        member = psychologist if role == Role.PSYCHOSOCIAL else make_member(personas.org, role)
        client = client_for(member)
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            text = _text(response)
            if role == Role.PSYCHOSOCIAL:
                if MARK_NOTE in text:
                    seen_by_psychologist.add(url)
                continue
            assert MARK_NOTE not in text, (role, url)
            assert MARK_TASK not in text, (role, url)
            assert MARK_PLAN not in text, (role, url)
    # The rule is about who reads it, not about hiding it from everyone.
    assert f"/cases/{case.pk}/" in seen_by_psychologist
    assert f"/people/{case.person_id}/export.json" in seen_by_psychologist


def _all_urls(personas, records, person_id):  # noqa: F811
    urls = [url for method, url in object_urls(personas, records) if method == "get"]
    urls += [url for _name, url in _urls_without_ids()]
    urls += [f"/people/{person_id}/export.json", f"/people/{person_id}/export.pdf"]
    return [*urls, "/impact/export/people.csv", "/impact/export/indicator.csv"]


def test_migration_status_and_foreign_documents_reach_only_the_roles_that_see_protection(personas, records):  # noqa: F811
    import datetime

    from incluye.accounts.roles import PERMISSIONS
    from incluye.core.models import IdDocumentType
    from incluye.people.services import identity_document_set, migration_status_record

    someone = records["person"]
    migration_status_record(
        membership=personas.caseworker,
        person=someone,
        kind="asylum_seeker",
        since=datetime.date(2026, 1, 15),
        reference=MARK_STATUS,
    )
    foreign = IdDocumentType.objects.exclude(country_id=personas.org.country_id).first()
    document = identity_document_set(
        membership=personas.caseworker, person=someone, document_type=foreign, number="0801199077315"
    )
    number = document.number
    seen = set()
    for role in Role.values:
        client = client_for(make_member(personas.org, role))
        for url in _all_urls(personas, records, someone.pk):
            response = client.get(url)
            if response.status_code != 200:
                continue
            text = _text(response)
            if role in PERMISSIONS["protection.view"]:
                if MARK_STATUS in text and number in text:
                    seen.add(url)
                continue
            assert MARK_STATUS not in text, (role, url)
            assert number not in text, (role, url)
    # Withheld from the others, not from everyone: the person's own copy made by a caseworker has it.
    assert f"/people/{someone.pk}/export.json" in seen
