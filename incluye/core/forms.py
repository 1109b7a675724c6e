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


class VersionedForm(forms.Form):
    """A form that edits a stored record: it carries the version the user read (hidden), so that a
    save over someone else's change is refused (core.versioning) instead of silently overwriting it.

    On a conflict the view calls `form.stale(error)`: the form keeps everything typed, says what
    changed, and now carries the current version, so that saving again keeps the user's values on
    purpose."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        if record is not None:
            self.fields["version"].initial = record.version
        else:  # the same form adding a new record: there is no version yet
            self.fields["version"].required = False

    def stale(self, error) -> None:
        self.add_error(None, error.message)
        data = self.data.copy()
        data[self.add_prefix("version")] = str(error.current)
        self.data = data

    def save_with(self, write, /, **data) -> bool:
        """Call `write(expected_version=…, **data)` (default data: the cleaned fields but the
        version). False when the record changed meanwhile: the form then says so (`stale`)."""
        return save_with(self, write, **data)


def save_with(form, write, /, **data) -> bool:
    """`VersionedForm.save_with` for any form with a `version` field (a ModelForm too)."""
    from incluye.core.versioning import StaleRecord

    values = data or {k: v for k, v in form.cleaned_data.items() if k != "version"}
    try:
        write(expected_version=form.cleaned_data["version"], **values)
    except StaleRecord as error:
        stale(form, error)
        return False
    return True


def stale(form, error) -> None:
    """Say on `form` that the record changed meanwhile, keeping what was typed."""
    VersionedForm.stale(form, error)
