"""Records and object URLs of the impact app for the access test (accounts/tests/test_access.py)."""

from django.urls import reverse


def make_records(personas, person) -> dict:
    from incluye.impact.services import story_create

    return {
        "story": story_create(
            membership=personas.caseworker,
            person=person,
            title_es="Historia",
            text_es="Texto",
            signature="J.",
        )
    }


def urls(personas, records) -> list[tuple[str, str]]:
    story = records["story"].pk
    return [
        ("get", reverse("impact:story_new", args=[records["person"].pk])),
        ("get", reverse("impact:story", args=[story])),
        ("post", reverse("impact:story_step", args=[story, "publish"])),
    ]
