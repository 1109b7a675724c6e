import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incluye.core.forms import VersionedForm
from incluye.people.models import DatePrecision
from incluye.skills.models import (
    COUNTRIES_ABROAD,
    EnglishLevel,
    Licence,
    QualificationLevel,
    RecognitionStatus,
)

MONTHS = [
    ("", "—"),
    *[
        (i, m)
        for i, m in enumerate(
            [
                _("January"),
                _("February"),
                _("March"),
                _("April"),
                _("May"),
                _("June"),
                _("July"),
                _("August"),
                _("September"),
                _("October"),
                _("November"),
                _("December"),
            ],
            start=1,
        )
    ],
]
COUNTRIES = COUNTRIES_ABROAD


class WorkExperienceForm(VersionedForm):
    """A job abroad as the person tells it. Start and end may be approximate: a year alone, or a
    month and year."""

    job_title = forms.CharField(
        label=_("Job, in the person's words"),
        max_length=200,
        help_text=_("As the person says it: “framer”, “line cook”, “montacarguista en bodega”."),
    )
    tasks = forms.CharField(
        label=_("What they did"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    tools = forms.CharField(
        label=_("Tools and machines"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    employer = forms.CharField(label=_("Employer"), max_length=200, required=False)
    industry = forms.CharField(label=_("Industry"), max_length=120, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    region = forms.CharField(label=_("State or region"), max_length=120, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES, initial="US")
    started_year = forms.IntegerField(label=_("Year started"), required=False, min_value=1950)
    started_month = forms.TypedChoiceField(
        label=_("Month started"), choices=MONTHS, required=False, coerce=int, empty_value=None
    )
    ended_year = forms.IntegerField(
        label=_("Year ended"),
        required=False,
        min_value=1950,
        help_text=_("Empty if the person never stopped."),
    )
    ended_month = forms.TypedChoiceField(
        label=_("Month ended"), choices=MONTHS, required=False, coerce=int, empty_value=None
    )
    licences = forms.MultipleChoiceField(
        label=_("Licences and cards held"),
        choices=Licence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    english_level = forms.ChoiceField(label=_("English at this job"), choices=EnglishLevel.choices)

    def __init__(self, *args, experience=None, **kwargs):
        if experience is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{f: getattr(experience, f) for f in self.base_fields if hasattr(experience, f)},
                "started_year": experience.started_on.year if experience.started_on else None,
                "started_month": experience.started_on.month
                if experience.started_on and experience.started_precision != DatePrecision.YEAR
                else None,
                "ended_year": experience.ended_on.year if experience.ended_on else None,
                "ended_month": experience.ended_on.month
                if experience.ended_on and experience.ended_precision != DatePrecision.YEAR
                else None,
            }
        super().__init__(*args, record=experience, **kwargs)

    def _year(self, name):
        year = self.cleaned_data.get(name)
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("The year cannot be in the future."))
        return year

    def clean_started_year(self):
        return self._year("started_year")

    def clean_ended_year(self):
        return self._year("ended_year")

    def clean(self):
        data = super().clean()
        for prefix in ("started", "ended"):
            year, month = data.get(f"{prefix}_year"), data.get(f"{prefix}_month")
            if month and not year:
                self.add_error(f"{prefix}_year", _("Give the year too."))
            if year:
                data[f"{prefix}_on"] = datetime.date(year, month or 1, 1)
                data[f"{prefix}_precision"] = DatePrecision.MONTH if month else DatePrecision.YEAR
            else:
                data[f"{prefix}_on"] = None
                data[f"{prefix}_precision"] = DatePrecision.YEAR
        if data.get("started_on") and data.get("ended_on") and data["ended_on"] < data["started_on"]:
            self.add_error("ended_year", _("The job cannot end before it started."))
        return data

    def experience_fields(self) -> dict:
        data = self.cleaned_data
        keys = [
            "job_title",
            "tasks",
            "tools",
            "employer",
            "industry",
            "city",
            "region",
            "country",
            "licences",
            "english_level",
            "started_on",
            "started_precision",
            "ended_on",
            "ended_precision",
        ]
        return {k: data[k] for k in keys}


class CodeForm(forms.Form):
    """The counsellor confirms an occupation for a job."""

    occupation = forms.CharField(widget=forms.HiddenInput)
    confidence = forms.FloatField(required=False, widget=forms.HiddenInput)


class SplitForm(CodeForm):
    """One of several jobs a description named, to become a job of its own."""

    job_title = forms.CharField(max_length=200, widget=forms.HiddenInput)


class CoderSearchForm(forms.Form):
    q = forms.CharField(label=_("Describe the job another way"), max_length=300, required=False)


class ProfileForm(VersionedForm):
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In a few lines, what the person knows how to do, in their own words."),
    )

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, record=profile, **kwargs)
        self.chosen = list(profile.occupations.all())
        for chosen in self.chosen:
            self.fields[f"years_{chosen.occupation_id}"] = forms.DecimalField(
                label=_("Years as %(occupation)s") % {"occupation": chosen.occupation.title},
                min_value=0,
                max_value=60,
                decimal_places=1,
                initial=chosen.years,
            )
            self.fields[f"remove_{chosen.occupation_id}"] = forms.BooleanField(
                label=_("Remove from the profile"), required=False
            )

    def years(self) -> dict:
        return {c.occupation_id: self.cleaned_data[f"years_{c.occupation_id}"] for c in self.chosen}

    def removed(self) -> list[int]:
        return [c.occupation_id for c in self.chosen if self.cleaned_data.get(f"remove_{c.occupation_id}")]


class CatalogueUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Catalogue file (CSV or Excel)"),
        help_text=_("One row per performance criterion, with the columns of the template."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class QualificationForm(forms.Form):
    """A degree or trade title from abroad, and whether its recognition was already requested."""

    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("As written on the diploma."))
    level = forms.ChoiceField(label=_("Level"), choices=QualificationLevel.choices)
    institution = forms.CharField(label=_("Institution"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country where it was obtained"))
    year = forms.IntegerField(label=_("Year obtained"), min_value=1940, max_value=2100, required=False)
    body = forms.ChoiceField(label=_("Competent body for the recognition"), required=False)
    requested_on = forms.DateField(
        label=_("Recognition requested on"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty if it was not requested yet."),
    )

    def __init__(self, *args, organization, **kwargs):
        from incluye.core.selectors import origin_country_choices

        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *origin_country_choices()]
        self.fields["body"].choices = [("", "—")] + [
            (b["code"], b["name"]) for b in organization.country.migration.get("qualification_bodies", [])
        ]

    def clean_year(self):
        from django.utils import timezone

        year = self.cleaned_data.get("year")
        if year and year > timezone.localdate().year:
            raise ValidationError(_("The year cannot be in the future."))
        return year

    def clean(self):
        data = super().clean()
        if data.get("requested_on") and not data.get("body"):
            self.add_error("body", _("Choose the body the recognition was requested to."))
        data["country_id"] = data.pop("country", None)
        return data


class RecognitionStepForm(VersionedForm):
    status = forms.ChoiceField(label=_("Recognition"), choices=RecognitionStatus.choices)
    on = forms.DateField(
        label=_("Date"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    body = forms.ChoiceField(label=_("Competent body"), required=False)
    outcome = forms.CharField(label=_("Outcome"), max_length=300, required=False)

    def __init__(self, *args, qualification, **kwargs):
        from incluye.skills.models import RECOGNITION_PIPELINE

        super().__init__(*args, record=qualification, **kwargs)
        allowed = RECOGNITION_PIPELINE.allowed(qualification.status)
        self.fields["status"].choices = [(s, label) for s, label in RecognitionStatus.choices if s in allowed]
        self.fields["body"].choices = [("", "—")] + [
            (b["code"], b["name"])
            for b in qualification.organization.country.migration.get("qualification_bodies", [])
        ]
        self.fields["body"].initial = qualification.body
        for name in ("status", "on", "body", "outcome", "version"):
            self.fields[name].widget.attrs["id"] = f"id_{name}_{qualification.pk.hex[:8]}"
