"""Object URLs of the registry's imports, migration status and documents for foreigners for the
access tests (see accounts/tests/test_access.py); the registry's older URLs are listed there directly."""

import datetime

from django.urls import reverse


def make_records(personas, person):
    from incluye.people.models import KoboSource
    from incluye.people.services import migration_status_record

    return {
        "kobo_source": KoboSource.objects.create(
            organization=personas.org,
            name="Frontera",
            server_url="https://kf.kobotoolbox.org",
            asset_uid="aRgMxT7sQ2kLpC9aZb3hJ4",
            token="a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
        ),
        "migration_status": migration_status_record(
            membership=personas.staff,
            person=person,
            kind="resident",
            category="temporary",
            since=datetime.date(2026, 1, 5),
        ),
    }


def urls(personas, records):
    manifest, source, person = records["manifest"].pk, records["kobo_source"].pk, records["person"].pk
    return [
        ("post", reverse("people:manifest_discard", args=[manifest])),
        ("get", reverse("api:manifest_errors", args=[manifest])),
        ("get", reverse("people:kobo_source", args=[source])),
        ("post", reverse("people:kobo_source_delete", args=[source])),
        ("post", reverse("people:kobo_pull", args=[source])),
        ("get", reverse("people:status", args=[person])),
        ("post", reverse("people:status_add", args=[person])),
        ("post", reverse("people:status_end", args=[person, records["migration_status"].pk])),
        ("post", reverse("people:status_document", args=[person])),
    ]
