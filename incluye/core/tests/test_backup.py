"""A backup restores into an empty database with every record and every file."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from incluye.core.backup import BackupError, backup, read_manifest, restore, table_counts
from incluye.core.crypto import decrypt_file_bytes
from incluye.core.testing import tiny_pdf
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def records(personas, settings, tmp_path):
    from incluye.cases.services import case_open, scan_upload

    settings.MEDIA_ROOT = tmp_path / "media"
    person = person_register(
        membership=personas.staff, given_names="María José", first_surname="Ñuñez", nationality_id="GT"
    )
    case = case_open(membership=personas.caseworker, person=person)
    scan = scan_upload(
        membership=personas.caseworker,
        document=case.documents.first(),
        upload=SimpleUploadedFile("dpi.pdf", tiny_pdf("escaneo del DPI")),
    )
    return {"person": person, "scan": scan}


def _empty_database(tmp_path):
    """A new, empty database on the same server (PostgreSQL) or a new file (SQLite)."""
    if connection.vendor == "sqlite":
        return {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}, None
    name = f"incluye_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    return {**connection.settings_dict, "NAME": name}, name


def _drop(name):
    if name:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_a_backup_restores_into_an_empty_database_with_every_record_and_file(records, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    manifest = backup(archive)
    assert manifest["tables"] == table_counts()
    assert manifest["tables"]["people_person"] == 1
    assert [f["path"] for f in manifest["files"]] == [records["scan"].file.name]
    database, created = _empty_database(tmp_path)
    try:
        report = restore(archive, database=database, media_root=tmp_path / "restored-media")
    finally:
        _drop(created)
    assert report.ok, report.problems
    assert report.tables["people_person"] == (1, 1)
    assert report.tables["cases_documentscan"] == (1, 1)
    assert report.files == 1
    restored = (tmp_path / "restored-media" / records["scan"].file.name).read_bytes()
    assert b"escaneo" not in restored  # the scan stays encrypted in the archive and on disk
    assert decrypt_file_bytes(restored) == tiny_pdf("escaneo del DPI")


def test_a_restore_refuses_a_database_that_is_not_empty(records, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    backup(archive)
    with pytest.raises(BackupError, match="not empty"):
        restore(archive, database=connection.settings_dict, media_root=tmp_path / "m")


def test_the_manifest_lists_every_table(records, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    backup(archive)
    # Every table but the shared cache's (rate-limit counters, copied but not counted).
    tables = set(connection.introspection.table_names())
    assert "incluye_cache" in tables
    assert set(read_manifest(archive)["tables"]) == tables - {"incluye_cache"}
