"""Object URLs of the registry's imports for the access tests (see accounts/tests/test_access.py);
the registry's older URLs are listed there directly."""

from django.urls import reverse


def make_records(personas, person):
    from incluye.people.models import KoboSource

    return {
        "kobo_source": KoboSource.objects.create(
            organization=personas.org,
            name="Frontera",
            server_url="https://kf.kobotoolbox.org",
            asset_uid="aRgMxT7sQ2kLpC9aZb3hJ4",
            token="a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
        )
    }


def urls(personas, records):
    manifest, source = records["manifest"].pk, records["kobo_source"].pk
    return [
        ("post", reverse("people:manifest_discard", args=[manifest])),
        ("get", reverse("api:manifest_errors", args=[manifest])),
        ("get", reverse("people:kobo_source", args=[source])),
        ("post", reverse("people:kobo_source_delete", args=[source])),
        ("post", reverse("people:kobo_pull", args=[source])),
    ]
