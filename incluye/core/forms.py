"""Form helpers shared by every app."""

from django import forms

from incluye.core.uploads import Refused, detect


def checked_upload(upload, *, allowed: set[str], message):
    """The uploaded file if its content really is one of `allowed` (see `core.uploads`), renamed to
    a generated name with the detected extension; otherwise a ValidationError with `message`."""
    if not upload:
        return upload
    try:
        detected = detect(upload, allowed=allowed)
    except Refused as error:
        raise forms.ValidationError(message, code="file_type") from error
    upload.name = detected.safe_name()
    upload.content_type = detected.content_type
    return upload
