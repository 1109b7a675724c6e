"""Object URLs of the registry's imports, migration status and documents for foreigners for the
access tests (see accounts/tests/test_access.py); the registry's older URLs are listed there directly."""

import datetime

from django.urls import reverse


def make_records(personas, person):
    from incluye.accounts.roles import Role
    from incluye.core.testing import make_member, make_organization
    from incluye.people.models import DuplicateCluster, KoboSource
    from incluye.people.services import consent_record, migration_status_record, person_register

    # A group spanning organizations of the country: `person` and the same person at an NGO.
    ngo_member = make_member(make_organization("Asociación Caminos de Retorno", kind="ngo"), Role.CASEWORKER)
    theirs = person_register(
        membership=ngo_member, given_names="José Manuel", first_surname="Tzul", nationality_id="GT"
    )
    consent_record(
        membership=ngo_member, person=theirs, purpose="alliance_sharing", given=True, method="signed_form"
    )
    alliance_group = DuplicateCluster.objects.create(
        key="access-alliance", country_id="GT", size=2, score=0.9
    )
    alliance_group.members.add(person, theirs)
    return {
        "alliance_group": alliance_group,
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
        ("get", reverse("people:duplicate_alliance", args=[records["alliance_group"].pk])),
        ("post", reverse("people:duplicate_alliance", args=[records["alliance_group"].pk])),
    ]
