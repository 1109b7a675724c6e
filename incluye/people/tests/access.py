"""Records and object URLs of migration status and documents for foreigners, for the access test
(accounts/tests/test_access.py): the person's status page and its forms."""

from django.urls import reverse


def make_records(personas, person) -> dict:
    import datetime

    from incluye.people.services import migration_status_record

    return {
        "migration_status": migration_status_record(
            membership=personas.staff,
            person=person,
            kind="resident",
            category="temporary",
            since=datetime.date(2026, 1, 5),
        )
    }


def urls(personas, records) -> list[tuple[str, str]]:
    person = records["person"].pk
    return [
        ("get", reverse("people:status", args=[person])),
        ("post", reverse("people:status_add", args=[person])),
        ("post", reverse("people:status_end", args=[person, records["migration_status"].pk])),
        ("post", reverse("people:status_document", args=[person])),
    ]
