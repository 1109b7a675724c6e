"""A story's photo is a raster image that really decodes (JPEG, PNG or WebP), never SVG or a file
that only looks like an image; it is stored under a generated name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incluye.core.testing import tiny_image
from incluye.impact.models import Story
from incluye.impact.tests.test_indicators import make_person

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


def _post(personas, name, content):
    person = make_person(personas.org)
    return personas.client("caseworker").post(
        reverse("impact:story_new", args=[person.pk]),
        {
            "title_es": "Mi historia",
            "text_es": "Volví.",
            "signature": "R.",
            "photo": SimpleUploadedFile(name, content),
        },
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.svg", SVG),
        ("foto.png", SVG),
        ("foto.jpg", b"\xff\xd8\xff\xe0 only the first bytes"),
        ("foto.gif", tiny_image("GIF")),
        ("foto.png", b"%PDF-1.4 a document"),
    ],
)
def test_a_story_photo_that_is_not_a_decodable_raster_image_is_refused(personas, name, content):
    response = _post(personas, name, content)
    assert response.status_code == 400
    assert "Suba una foto en formato JPEG, PNG o WebP." in response.content.decode()
    assert not Story.objects.exists()


@pytest.mark.parametrize(("kind", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_a_real_photo_is_kept_under_a_generated_name_with_its_real_type(personas, kind, extension):
    response = _post(personas, "mi foto.svg", tiny_image(kind))
    assert response.status_code == 302
    photo = Story.objects.get().photo.name
    assert photo.startswith("stories/") and photo.endswith(f".{extension}")
    assert "foto" not in photo
