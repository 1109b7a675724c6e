from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incluye.core.forms import DESIRED, REQUIRED, ImportanceField, VersionedForm
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


class OccupationChoiceField(forms.ModelChoiceField):
    """Occupations by their title, in the reader's language (the code stays in the value)."""

    def label_from_instance(self, obj):
        return obj.title


class VacancyForm(VersionedForm):
    """The employer's vacancy, in the order an employer thinks of it: the job, what it asks, the
    conditions. What it asks is a short list each (the occupation's own skills, the country's
    standards, the licences), each option not asked, desired or required, instead of long
    multi-selects; the occupation is found by typing its title (a long list becomes a search
    field when JavaScript runs)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    occupation = OccupationChoiceField(
        label=_("Occupation"),
        queryset=Occupation.objects.none(),
        to_field_name="code",
        help_text=_("Type a few letters of the occupation: carpintero, soldador, cocinero…"),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Division.objects.none(), to_field_name="code"
    )
    positions = forms.IntegerField(label=_("Positions"), min_value=1, max_value=1000, initial=1)
    schedule = forms.ChoiceField(label=_("Schedule"), choices=Schedule.choices, initial=Schedule.FULL_TIME)
    min_years = forms.IntegerField(label=_("Years of experience asked"), min_value=0, max_value=40, initial=0)
    english_level = forms.ChoiceField(label=_("English needed"), choices=EnglishLevel.choices, initial="none")
    skills = ImportanceField(label=_("Skills"))
    licences = ImportanceField(label=_("Licences and cards"), choices=Licence.choices)
    standards = ImportanceField(label=_("Competency standards (certified or recognised)"))
    pay_min = forms.DecimalField(
        label=_("Pay from (monthly)"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    pay_max = forms.DecimalField(
        label=_("Pay up to (monthly)"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    closes_on = forms.DateField(
        label=_("Closing date"), required=False, input_formats=DATE_INPUT_FORMATS, widget=date_widget()
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(label=_("Status"), choices=VacancyStatus.choices, initial=VacancyStatus.OPEN)

    SECTIONS = (
        (_("The job"), ("title", "occupation", "municipality", "positions", "schedule")),
        (_("What the job asks"), ("min_years", "english_level", "skills", "licences", "standards")),
        (_("Conditions (optional)"), ("pay_min", "pay_max", "closes_on", "description", "status")),
    )

    def __init__(self, *args, organization, vacancy=None, **kwargs):
        if vacancy is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{f: getattr(vacancy, f) for f in self.base_fields if hasattr(vacancy, f)},
                "occupation": vacancy.occupation.code,
                "municipality": vacancy.municipality.code,
                "skills": {
                    **{s.code: DESIRED for s in vacancy.desired_skills.all()},
                    **{s.code: REQUIRED for s in vacancy.required_skills.all()},
                },
                "standards": {
                    **{str(s.pk): DESIRED for s in vacancy.desired_standards.all()},
                    **{str(s.pk): REQUIRED for s in vacancy.required_standards.all()},
                },
                "licences": {
                    **dict.fromkeys(vacancy.desired_licences or [], DESIRED),
                    **dict.fromkeys(vacancy.required_licences or [], REQUIRED),
                },
            }
        super().__init__(*args, record=vacancy, **kwargs)
        self.organization = organization
        self.fields["occupation"].queryset = Occupation.objects.filter(system=System.ONET).order_by(
            "title_es"
        )
        self.fields["occupation"].widget.attrs.update(
            {
                "data-autocomplete": "",
                "hx-get": reverse_lazy("jobs:occupation_skills"),
                "hx-trigger": "change",
                "hx-target": "#vacancy-skills",
                "hx-select": "#vacancy-skills",
                "hx-swap": "outerHTML",
                "hx-include": "#vacancy-skills",
            }
        )
        self.fields["municipality"].queryset = municipalities(organization.country_id)
        self.fields["municipality"].widget.attrs["data-autocomplete"] = ""
        self.fields["municipality"].label_from_instance = lambda d: (
            f"{d.name} ({d.parent.name})" if d.parent else d.name
        )
        standards = CompetencyStandard.objects.filter(active=True, body__country_id=organization.country_id)
        self.fields["standards"].choices = [
            (s.pk, f"{s.code} · {s.title}") for s in standards.select_related("body")
        ]
        self.fields["skills"].choices = self.skill_choices()
        if vacancy is None:  # a new vacancy opens; its status is chosen when editing it
            self.fields["status"].widget = forms.HiddenInput()
            self.fields["status"].required = False

    @classmethod
    def refreshed(cls, data, *, organization, vacancy=None):
        """The form as typed so far, unchecked: after "show the skills of this occupation" (the
        path without JavaScript), nothing is saved and nothing is marked as an error."""
        probe = cls(data, organization=organization, vacancy=vacancy)
        initial = {}
        for name, field in probe.fields.items():
            value = field.widget.value_from_datadict(data, {}, probe.add_prefix(name))
            if value not in (None, ""):
                initial[name] = value
        return cls(organization=organization, vacancy=vacancy, initial=initial)

    def occupation_code(self) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix("occupation"), "")
        return self.initial.get("occupation", "")

    def skill_choices(self) -> list:
        """The chosen occupation's skills (essential first), and any skill already asked for."""
        code = self.occupation_code()
        links = (
            Skill.objects.filter(
                occupation_links__occupation__system=System.ONET, occupation_links__occupation__code=code
            )
            .order_by("-occupation_links__essential", "label_es")
            .distinct()
            if code
            else Skill.objects.none()
        )
        chosen = set((self.initial.get("skills") or {}).keys())
        if self.is_bound:
            prefix = f"{self.add_prefix('skills')}-"
            chosen |= {key.removeprefix(prefix) for key in self.data if key.startswith(prefix)}
        skills = list(links)
        known = {s.code for s in skills}
        skills += list(Skill.objects.filter(code__in=chosen - known).order_by("label_es"))
        return [(s.code, s.label) for s in skills]

    def clean(self):
        data = super().clean()
        low, high = data.get("pay_min"), data.get("pay_max")
        if low is not None and high is not None and high < low:
            self.add_error("pay_max", _("The pay cannot go down: “up to” is less than “from”."))
        closes = data.get("closes_on")
        if (
            closes
            and closes < timezone.localdate()
            and (data.get("status") or VacancyStatus.OPEN) == VacancyStatus.OPEN
        ):
            self.add_error("closes_on", _("An open vacancy cannot close in the past."))
        return data

    def vacancy_fields(self) -> dict:
        d = self.cleaned_data
        required_skills, desired_skills = self.fields["skills"].split(d.get("skills"))
        required_standards, desired_standards = self.fields["standards"].split(d.get("standards"))
        required_licences, desired_licences = self.fields["licences"].split(d.get("licences"))
        skills = {s.code: s for s in Skill.objects.filter(code__in=required_skills + desired_skills)}
        standards = CompetencyStandard.objects.in_bulk(
            [int(pk) for pk in required_standards + desired_standards]
        )
        keys = [
            "title",
            "description",
            "occupation",
            "min_years",
            "english_level",
            "municipality",
            "pay_min",
            "pay_max",
            "schedule",
            "positions",
            "closes_on",
        ]
        return {
            **{k: d[k] for k in keys},
            "status": d.get("status") or VacancyStatus.OPEN,
            "required_skills": [skills[c] for c in required_skills if c in skills],
            "desired_skills": [skills[c] for c in desired_skills if c in skills],
            "required_standards": [standards[int(pk)] for pk in required_standards],
            "desired_standards": [standards[int(pk)] for pk in desired_standards],
            "required_licences": required_licences,
            "desired_licences": desired_licences,
            "currency": self.organization.country.currency,
        }


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
