from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incluye.core.forms import VersionedForm
from incluye.core.models import Division
from incluye.jobs.models import (
    ApplicationStatus,
    BusinessStatus,
    FundingKind,
    NotHiredReason,
    Pathway,
    Schedule,
    VacancyStatus,
)
from incluye.people.forms import DATE_INPUT_FORMATS, date_widget
from incluye.skills.models import CompetencyStandard, EnglishLevel, Licence, Occupation, Skill, System


def municipalities(country_id):
    """The deepest divisions of the country (municipalities; districts in El Salvador)."""
    divisions = Division.objects.filter(country_id=country_id)
    deepest = max(divisions.values_list("level", flat=True), default=0)
    return divisions.filter(level=deepest).select_related("parent").order_by("parent__name", "name")


class VacancyForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    occupation = forms.ModelChoiceField(
        label=_("Occupation"), queryset=Occupation.objects.none(), to_field_name="code"
    )
    min_years = forms.IntegerField(label=_("Years of experience asked"), min_value=0, max_value=40, initial=0)
    required_skills = forms.ModelMultipleChoiceField(
        label=_("Required skills"), queryset=Skill.objects.none(), to_field_name="code", required=False
    )
    desired_skills = forms.ModelMultipleChoiceField(
        label=_("Desired skills"), queryset=Skill.objects.none(), to_field_name="code", required=False
    )
    required_standards = forms.ModelMultipleChoiceField(
        label=_("Required standards (certified or recognised)"),
        queryset=CompetencyStandard.objects.none(),
        required=False,
    )
    desired_standards = forms.ModelMultipleChoiceField(
        label=_("Desired standards"), queryset=CompetencyStandard.objects.none(), required=False
    )
    required_licences = forms.MultipleChoiceField(
        label=_("Required licences"),
        choices=Licence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    desired_licences = forms.MultipleChoiceField(
        label=_("Desired licences"),
        choices=Licence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    english_level = forms.ChoiceField(label=_("English needed"), choices=EnglishLevel.choices, initial="none")
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Division.objects.none(), to_field_name="code"
    )
    pay_min = forms.DecimalField(
        label=_("Pay from (monthly)"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    pay_max = forms.DecimalField(
        label=_("Pay up to (monthly)"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    schedule = forms.ChoiceField(label=_("Schedule"), choices=Schedule.choices, initial=Schedule.FULL_TIME)
    positions = forms.IntegerField(label=_("Positions"), min_value=1, max_value=1000, initial=1)
    closes_on = forms.DateField(
        label=_("Closing date"), required=False, input_formats=DATE_INPUT_FORMATS, widget=date_widget()
    )
    status = forms.ChoiceField(label=_("Status"), choices=VacancyStatus.choices, initial=VacancyStatus.OPEN)

    def __init__(self, *args, organization, vacancy=None, **kwargs):
        if vacancy is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{
                    f: getattr(vacancy, f)
                    for f in self.base_fields
                    if hasattr(vacancy, f) and not f.endswith(("skills", "standards"))
                },
                "occupation": vacancy.occupation.code,
                "municipality": vacancy.municipality.code,
                "required_skills": [s.code for s in vacancy.required_skills.all()],
                "desired_skills": [s.code for s in vacancy.desired_skills.all()],
                "required_standards": list(vacancy.required_standards.all()),
                "desired_standards": list(vacancy.desired_standards.all()),
            }
        super().__init__(*args, record=vacancy, **kwargs)
        self.organization = organization
        self.fields["occupation"].queryset = Occupation.objects.filter(system=System.ONET).order_by(
            "title_es"
        )
        skills = (
            Skill.objects.filter(occupation_links__occupation__system=System.ONET)
            .distinct()
            .order_by("label_es")
        )
        self.fields["required_skills"].queryset = skills
        self.fields["desired_skills"].queryset = skills
        standards = CompetencyStandard.objects.filter(active=True, body__country_id=organization.country_id)
        self.fields["required_standards"].queryset = standards
        self.fields["desired_standards"].queryset = standards
        self.fields["municipality"].queryset = municipalities(organization.country_id)

    def clean(self):
        data = super().clean()
        low, high = data.get("pay_min"), data.get("pay_max")
        if low is not None and high is not None and high < low:
            self.add_error("pay_max", _("The pay cannot go down: “up to” is less than “from”."))
        closes = data.get("closes_on")
        if closes and closes < timezone.localdate() and data.get("status") == VacancyStatus.OPEN:
            self.add_error("closes_on", _("An open vacancy cannot close in the past."))
        return data

    def vacancy_fields(self) -> dict:
        d = self.cleaned_data
        keys = [
            "title",
            "description",
            "occupation",
            "min_years",
            "required_skills",
            "desired_skills",
            "required_standards",
            "desired_standards",
            "required_licences",
            "desired_licences",
            "english_level",
            "municipality",
            "pay_min",
            "pay_max",
            "schedule",
            "positions",
            "closes_on",
            "status",
        ]
        return {**{k: d[k] for k in keys}, "currency": self.organization.country.currency}


class CommitmentForm(forms.Form):
    statement = forms.CharField(
        label=_("Our commitment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the company commits to: hiring returnees, valuing experience abroad, no discrimination."
        ),
    )
    positions_per_year = forms.IntegerField(
        label=_("Positions offered per year"), min_value=0, required=False
    )
    signed_on = forms.DateField(label=_("Signed on"), input_formats=DATE_INPUT_FORMATS, widget=date_widget())
    signed_by_name = forms.CharField(label=_("Signed by"), max_length=200)


class AvailabilityForm(VersionedForm):
    looking_for_work = forms.BooleanField(label=_("Looking for work"), required=False, initial=True)
    available_from = forms.DateField(
        label=_("Available from"), required=False, input_formats=DATE_INPUT_FORMATS, widget=date_widget()
    )
    schedules = forms.MultipleChoiceField(
        label=_("Schedules the person can work"),
        choices=Schedule.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None checked: any."),
    )


class StepForm(forms.Form):
    to_status = forms.ChoiceField(choices=ApplicationStatus.choices, widget=forms.HiddenInput)
    interview_at = forms.DateTimeField(
        label=_("Interview date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", "—"), *NotHiredReason.choices], required=False
    )
    pathway = forms.ChoiceField(label=_("Pathway"), choices=Pathway.choices, required=False)
    started_on = forms.DateField(
        label=_("Started on"), required=False, input_formats=DATE_INPUT_FORMATS, widget=date_widget()
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class FollowUpForm(forms.Form):
    still_employed = forms.TypedChoiceField(
        label=_("Still employed?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class BusinessForm(forms.Form):
    name = forms.CharField(label=_("Name of the business"), max_length=200)
    idea = forms.CharField(
        label=_("Business idea"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    sector = forms.CharField(label=_("Sector"), max_length=120, required=False)
    training = forms.CharField(
        label=_("Training taken"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One course per line."),
    )
    plan_done_on = forms.DateField(
        label=_("Business plan finished on"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=date_widget(),
    )

    def clean_training(self):
        return [line.strip() for line in self.cleaned_data["training"].splitlines() if line.strip()]


class BusinessStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=BusinessStatus.choices)
    on = forms.DateField(label=_("Since"), input_formats=DATE_INPUT_FORMATS, widget=date_widget())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class FundingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FundingKind.choices)
    amount = forms.DecimalField(label=_("Amount"), min_value=0.01, max_digits=12, decimal_places=2)
    source = forms.CharField(label=_("Source"), max_length=200)
    obtained_on = forms.DateField(
        label=_("Obtained on"), input_formats=DATE_INPUT_FORMATS, widget=date_widget()
    )
