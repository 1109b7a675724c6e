from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from incluye.core.phones import clean_phone


def _countries():
    from django_countries import countries

    return [(code, countries.name(code) or code) for code in settings.INCLUYE_COUNTRIES]


class PhoneForm(forms.Form):
    country = forms.ChoiceField(label=_("Country of your phone"))
    phone = forms.CharField(
        label=_("Your mobile phone number"),
        help_text=_("The number you gave at the reception or to your caseworker."),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _countries()
        self.fields["country"].initial = settings.INCLUYE_COUNTRIES[0]

    def clean(self):
        data = super().clean()
        if data.get("phone") and data.get("country"):
            try:
                data["phone"] = clean_phone(data["phone"], region=data["country"])
            except ValidationError as error:
                self.add_error("phone", error)
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code we sent you"),
        help_text=_("6 digits, in the text message."),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "govuk-input--width-10"}
        ),
    )
