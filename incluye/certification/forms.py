from django import forms
from django.utils.translation import gettext_lazy as _

from incluye.certification.models import Attendance, Outcome, PublicFields
from incluye.skills.models import CompetencyStandard


def date_input(**attrs):
    """An <input type=date>: its value is always ISO (yyyy-mm-dd), whatever the language, or the
    browser shows it blank."""
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


class SessionForm(forms.Form):
    standard = forms.ModelChoiceField(label=_("Standard"), queryset=CompetencyStandard.objects.none())
    date = forms.DateField(label=_("Date"), widget=date_input())
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


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices)


class ResultsForm(forms.Form):
    """One row per unit of the standard: outcome, evidence, date."""

    def __init__(self, *args, units, results, default_date, first_day=None, last_day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        bounds = (
            {"min": first_day.isoformat(), "max": last_day.isoformat()}
            if first_day and last_day and first_day <= last_day
            else {}
        )
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
                widget=date_input(**bounds),
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


class SessionResultsForm(forms.Form):
    """Attendance and results of every candidate of a session on one page: per candidate, the
    attendance, the date of the assessment and the outcome of each unit of the standard."""

    def __init__(self, *args, session, enrollments, units, certified, first_day, last_day, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        self.candidates = []
        outcome_choices = [("", _("Not assessed")), *Outcome.choices]
        bounds = {"min": first_day.isoformat(), "max": last_day.isoformat()} if first_day <= last_day else {}
        for enrollment in enrollments:
            if enrollment.pk in certified:
                self.candidates.append((enrollment, None, None, []))
                continue
            results = {r.unit_id: r for r in enrollment.results.all()}
            dates = sorted({r.assessed_on for r in results.values()})
            key = enrollment.pk
            self.fields[f"attendance_{key}"] = forms.ChoiceField(
                label=_("Attendance"), choices=Attendance.choices, initial=enrollment.attendance
            )
            self.fields[f"date_{key}"] = forms.DateField(
                label=_("Date of the assessment"),
                required=False,
                initial=dates[-1] if dates else (first_day if first_day <= last_day else None),
                widget=date_input(**bounds),
            )
            for unit in self.units:
                result = results.get(unit.pk)
                self.fields[f"outcome_{key}_{unit.pk}"] = forms.ChoiceField(
                    label=unit.code,
                    choices=outcome_choices,
                    required=False,
                    initial=result.outcome if result else "",
                )
            self.candidates.append(
                (
                    enrollment,
                    self[f"attendance_{key}"],
                    self[f"date_{key}"],
                    [(unit, self[f"outcome_{key}_{unit.pk}"]) for unit in self.units],
                )
            )

    @property
    def editable(self) -> bool:
        """Some candidate can still change (not every one has a certificate)."""
        return any(attendance is not None for _e, attendance, _d, _o in self.candidates)

    def rows(self) -> dict:
        return {
            enrollment.pk: {
                "attendance": self.cleaned_data[f"attendance_{enrollment.pk}"],
                "assessed_on": self.cleaned_data[f"date_{enrollment.pk}"],
                "outcomes": {
                    unit.pk: self.cleaned_data[f"outcome_{enrollment.pk}_{unit.pk}"] for unit in self.units
                },
            }
            for enrollment, attendance, _date, _outcomes in self.candidates
            if attendance is not None
        }

    def add_candidate_errors(self, errors: dict) -> None:
        """The service's refusals, under the attendance of the candidate they concern."""
        for key, message in errors.items():
            self.add_error(f"attendance_{key}", message)


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
