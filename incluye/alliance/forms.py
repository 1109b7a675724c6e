from django import forms
from django.utils.translation import gettext_lazy as _

from incluye.accounts.models import Organization
from incluye.alliance.models import CouncilRole
from incluye.core.forms import checked_upload
from incluye.people.forms import DATE_INPUT_FORMATS, date_widget


def _date(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=date_widget(), input_formats=DATE_INPUT_FORMATS
    )


class _CountryForm(forms.Form):
    """Forms whose organizations are those of the council's country."""

    def __init__(self, *args, country_id, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.filter(country_id=country_id, is_active=True).order_by("name")
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
                field.queryset = organizations


class MemberForm(_CountryForm):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("Role in the council"), choices=CouncilRole.choices, initial="member")
    joined_on = _date(_("Joined on"))


class AgreementForm(_CountryForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"), queryset=Organization.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    signed_on = _date(_("Signed on"))
    starts_on = _date(_("In force from"), required=False)
    ends_on = _date(_("In force until"), required=False)
    scope = forms.CharField(label=_("Scope"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    file = forms.FileField(label=_("Signed document (PDF)"), required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return checked_upload(upload, allowed={"pdf"}, message=_("Upload the signed document as a PDF."))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("An agreement cannot end before it starts."))
        return data


class CommitmentForm(_CountryForm):
    title = forms.CharField(label=_("Commitment"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organization.objects.none())
    due_on = _date(_("Due on"))


class MeetingForm(_CountryForm):
    held_on = _date(_("Held on"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
