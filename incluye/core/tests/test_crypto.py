"""Sensitive fields and files are encrypted at rest, stay searchable by exact value, and survive a
key rotation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from incluye.cases.models import CaseNote
from incluye.cases.services import case_open, note_add, scan_upload
from incluye.core import crypto
from incluye.core.models import IdDocumentType
from incluye.core.testing import tiny_pdf
from incluye.people.models import IdentityDocument
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def person(personas):
    return person_register(
        membership=personas.staff,
        given_names="Ana",
        first_surname="Coc",
        nationality_id="GT",
        documents=[(IdDocumentType.objects.get(country_id="GT", code="DPI"), "2746 13859 0901")],
    )


@pytest.fixture
def fresh_keys(settings):
    yield settings
    crypto.reset()


def test_identity_numbers_are_encrypted_in_the_database_and_found_by_exact_value(personas, person):
    document = IdentityDocument.objects.get(person=person)
    raw = _raw("people_identitydocument", "number", document.pk)
    assert raw.startswith("enc1:") and "2746138590901" not in raw
    assert document.number == "2746138590901"
    page = personas.client("staff").get(reverse("people:list"), {"q": "2746138590901"})
    assert "Coc" in page.content.decode()


def test_notes_and_scans_are_encrypted_at_rest_and_read_back_by_who_may(personas, person, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = case_open(membership=personas.caseworker, person=person)
    note = note_add(
        membership=personas.caseworker, case=case, text="Necesita albergue.", sensitivity="general"
    )
    assert "albergue" not in _raw("cases_casenote", "text", note.pk)
    assert CaseNote.objects.get(pk=note.pk).text == "Necesita albergue."
    scan = scan_upload(
        membership=personas.caseworker,
        document=case.documents.first(),
        upload=SimpleUploadedFile("dpi.pdf", tiny_pdf("foto del DPI")),
    )
    on_disk = (tmp_path / scan.file.name).read_bytes()
    assert on_disk.startswith(crypto.FILE_MAGIC) and b"foto del DPI" not in on_disk
    download = personas.client("caseworker").get(reverse("cases:scan_download", args=[scan.pk]))
    assert b"".join(download.streaming_content) == tiny_pdf("foto del DPI")


def test_a_key_rotation_re_encrypts_everything_and_the_old_key_can_then_go(
    personas, person, fresh_keys, tmp_path
):
    fresh_keys.MEDIA_ROOT = tmp_path
    case = case_open(membership=personas.caseworker, person=person)
    note_add(membership=personas.caseworker, case=case, text="Texto antiguo.", sensitivity="general")
    scan = scan_upload(
        membership=personas.caseworker,
        document=case.documents.first(),
        upload=SimpleUploadedFile("a.pdf", tiny_pdf("x")),
    )
    old = fresh_keys.INCLUYE_FIELD_KEYS
    new = crypto.new_key()
    fresh_keys.INCLUYE_FIELD_KEYS = f"{new},{old}"
    crypto.reset()
    call_command("rotate_field_keys", stdout=__import__("io").StringIO())
    fresh_keys.INCLUYE_FIELD_KEYS = new  # the old key is gone
    crypto.reset()
    assert IdentityDocument.objects.get(person=person).number == "2746138590901"
    assert CaseNote.objects.get(case=case).text == "Texto antiguo."
    with scan.file.storage.open(scan.file.name) as f:
        assert f.read() == tiny_pdf("x")
    # Searching still works: the blind index does not depend on the field keys.
    assert IdentityDocument.objects.filter(number_hash=crypto.blind_index("2746138590901")).exists()


def test_without_the_key_a_value_cannot_be_read_and_the_error_says_why(person, fresh_keys):
    fresh_keys.INCLUYE_FIELD_KEYS = crypto.new_key()
    crypto.reset()
    with pytest.raises(Exception, match="INCLUYE_FIELD_KEYS"):
        IdentityDocument.objects.get(person=person).number  # noqa: B018
