from django import forms
from django.utils.translation import gettext_lazy as _

from incluye.core.forms import MonthField
from incluye.impact.filters import AGE_GROUPS, IndicatorFilter, period_bounds
from incluye.people.models import Sex


class IndicatorFilterForm(forms.Form):
    """The dashboards' and exports' filters. The organization filter is offered to coordinators;
    an organization's manager is always limited to their own organization."""

    # The period is picked as months (a month picker; "2026-03" where the browser has none). The
    # text form ("2026", "2026-03", "2026-01/2026-06") still works in links and exports.
    month_from = MonthField(label=_("From the month"), required=False)
    month_to = MonthField(label=_("To the month"), required=False, help_text=_("Empty: all the time."))
    period = forms.CharField(required=False, max_length=15, widget=forms.HiddenInput)
    department = forms.TypedChoiceField(label=_("Department"), required=False, coerce=int, empty_value=None)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("All")), *Sex.choices])
    age_group = forms.ChoiceField(
        label=_("Age group"), required=False, choices=[("", _("All")), *((g, g) for g in AGE_GROUPS[:-1])]
    )
    organization = forms.TypedChoiceField(
        label=_("Organization"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data=None, *, country: str, organizations=None, **kwargs):
        super().__init__(data, **kwargs)
        from incluye.core.models import Division

        self.country = country
        self.fields["department"].choices = [
            ("", _("All")),
            *Division.objects.filter(country_id=country, level=1).order_by("name").values_list("pk", "name"),
        ]
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].choices = [("", _("All")), *((o.pk, str(o)) for o in organizations)]

    def clean_period(self):
        period = self.cleaned_data["period"]
        try:
            period_bounds(period)
        except (ValueError, IndexError) as exc:
            raise forms.ValidationError(_("Write a year, a month or two months separated by /.")) from exc
        return period

    def clean(self):
        data = super().clean()
        first, last = data.get("month_from"), data.get("month_to")
        if first or last:
            first, last = first or last, last or first
            if last < first:
                self.add_error("month_to", _("The last month comes before the first."))
            else:
                data["period"] = f"{first:%Y-%m}/{last:%Y-%m}"
        return data

    def indicator_filter(self, *, organization: int | None = None) -> IndicatorFilter:
        data = self.cleaned_data if self.is_valid() else {}
        start, end = period_bounds(data.get("period", ""))
        return IndicatorFilter(
            country=self.country,
            start=start,
            end=end,
            organization=organization or data.get("organization"),
            department=data.get("department"),
            sex=data.get("sex") or None,
            age_group=data.get("age_group") or None,
        )
