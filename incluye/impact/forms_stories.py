from django import forms
from django.utils.translation import gettext_lazy as _

from incluye.core.forms import VersionedForm, checked_upload
from incluye.impact.models import Story

PHOTO_TYPES = {"jpeg", "png", "webp"}


class StoryForm(forms.ModelForm):
    """A story's text and photo. It edits a stored record: it carries the version read (hidden), so
    that a save over someone else's change is refused, not lost (core.versioning)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:  # editing a stored story (a new one has no version yet)
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True

    stale = VersionedForm.stale
    save_with = VersionedForm.save_with

    class Meta:
        model = Story
        fields = ["title_es", "title_en", "text_es", "text_en", "signature", "photo"]
        widgets = {"text_es": forms.Textarea(attrs={"rows": 6}), "text_en": forms.Textarea(attrs={"rows": 6})}

    def clean_photo(self):
        """A raster photo (JPEG, PNG or WebP) that really decodes, never SVG or anything else; stored
        under a generated name."""
        photo = self.cleaned_data.get("photo")
        if not photo or not hasattr(photo, "content_type"):  # no new upload: the stored photo stays
            return photo
        if photo.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The photo must be under 2 MB."))
        return checked_upload(
            photo, allowed=PHOTO_TYPES, message=_("Upload a photo in JPEG, PNG or WebP format.")
        )
