from django import forms
from django.utils.translation import gettext_lazy as _

from incluye.certification.models import Attendance, Outcome, PublicFields
from incluye.core.forms import VersionedForm
from incluye.skills.models import CompetencyStandard


class SessionForm(forms.Form):
    standard = forms.ModelChoiceField(label=_("Standard"), queryset=CompetencyStandard.objects.none())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=500, initial=10)
    assessors = forms.MultipleChoiceField(
        label=_("Assessors"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, body, assessors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = CompetencyStandard.objects.filter(body=body, active=True).order_by(
            "code"
        )
        self._assessors = {str(u.pk): u for u in assessors}
        self.fields["assessors"].choices = [
            (k, u.get_full_name() or u.email) for k, u in self._assessors.items()
        ]

    def chosen_assessors(self):
        return [self._assessors[k] for k in self.cleaned_data.get("assessors", [])]


class AttendanceForm(VersionedForm):
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices)


class ResultsForm(VersionedForm):
    """One row per unit of the standard: outcome, evidence, date."""

    def __init__(self, *args, units, results, default_date, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        choices = [("", _("Not assessed")), *Outcome.choices]
        for unit in self.units:
            result = results.get(unit.pk)
            self.fields[f"outcome_{unit.pk}"] = forms.ChoiceField(
                label=_("Outcome"), choices=choices, required=False, initial=result.outcome if result else ""
            )
            self.fields[f"evidence_{unit.pk}"] = forms.CharField(
                label=_("Evidence"),
                required=False,
                max_length=2000,
                initial=result.evidence if result else "",
                widget=forms.TextInput(),
            )
            self.fields[f"date_{unit.pk}"] = forms.DateField(
                label=_("Date"),
                required=False,
                initial=result.assessed_on if result else default_date,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def rows(self):
        return [
            (unit, self[f"outcome_{unit.pk}"], self[f"evidence_{unit.pk}"], self[f"date_{unit.pk}"])
            for unit in self.units
        ]

    def results(self) -> dict:
        return {
            unit.pk: {
                "outcome": self.cleaned_data[f"outcome_{unit.pk}"],
                "evidence": self.cleaned_data[f"evidence_{unit.pk}"],
                "assessed_on": self.cleaned_data[f"date_{unit.pk}"],
            }
            for unit in self.units
        }


class IssueForm(forms.Form):
    public_fields = forms.ChoiceField(
        label=_("What the person agreed the public verification page shows about them"),
        choices=PublicFields.choices,
        initial=PublicFields.INITIALS,
        widget=forms.RadioSelect,
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=60,
        help_text=_("As printed on the certificate, e.g. INTECAP-2026-000123."),
    )
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("The eight characters printed beside the number, e.g. K7QD-2MXA."),
    )
