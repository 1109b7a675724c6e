from django import forms

from incluye.impact.models import Story


class StoryForm(forms.ModelForm):
    class Meta:
        model = Story
        fields = ["title_es", "title_en", "text_es", "text_en", "signature", "photo"]
        widgets = {"text_es": forms.Textarea(attrs={"rows": 6}), "text_en": forms.Textarea(attrs={"rows": 6})}

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > 2 * 1024 * 1024:
            from django.utils.translation import gettext as _

            raise forms.ValidationError(_("The photo must be under 2 MB."))
        return photo
