"""Forms of the registry. `IntakeForm` validates one arrival, typed at the desk or read from a row
of a manifest: the same rules and the same translated messages either way."""

import copy
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incluye.core.models import Division, IdDocumentType
from incluye.core.phones import clean_phone
from incluye.people.models import (
    ColumnMapping,
    ConsentMethod,
    ConsentPurpose,
    DatePrecision,
    Education,
    Language,
    ReturnedFrom,
    ReturnMode,
    Sex,
    Vulnerability,
)

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y"]


def date_widget():
    """The browser's date picker, which needs ISO values whatever the language of the page."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def residence_choices(country_code: str) -> list:
    """Municipalities (districts in El Salvador) grouped by their department, for a <select>."""
    divisions = list(
        Division.objects.filter(country_id=country_code).select_related("parent").order_by("code")
    )
    deepest = max((d.level for d in divisions), default=0)
    groups: dict[str, list] = {}
    for d in divisions:
        if d.level == deepest:
            top = d.parent.parent if d.parent and d.parent.parent_id else d.parent
            label = f"{top.name}" if top else ""
            if d.parent and top and d.parent != top:
                label = f"{top.name} — {d.parent.name}"
            groups.setdefault(label, []).append((d.code, d.name))
    return [("", "—"), *groups.items()]


class ArrivalForm(forms.Form):
    """When and how the person (or the whole flight) arrived."""

    arrived_on = forms.DateField(
        label=_("Arrival date"),
        input_formats=DATE_INPUT_FORMATS,
        widget=date_widget(),
    )
    mode = forms.ChoiceField(label=_("Arrived by"), choices=ReturnMode.choices, initial=ReturnMode.AIR)
    returned_from = forms.ChoiceField(
        label=_("Returned from"), choices=ReturnedFrom.choices, initial=ReturnedFrom.US
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["arrived_on"].initial = timezone.localdate()

    def clean_arrived_on(self):
        value = self.cleaned_data["arrived_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The arrival date cannot be in the future."), code="future")
        return value


class IntakeForm(ArrivalForm):
    """One arrival, in the order an officer asks the questions."""

    # Who
    given_names = forms.CharField(label=_("Given names"), max_length=120)
    first_surname = forms.CharField(label=_("First surname"), max_length=80, required=False)
    second_surname = forms.CharField(label=_("Second surname"), max_length=80, required=False)
    preferred_name = forms.CharField(
        label=_("Preferred name"),
        max_length=80,
        required=False,
        help_text=_("How the person wants to be called."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.NOT_RECORDED)
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=date_widget(),
    )
    birth_date_precision = forms.ChoiceField(
        label=_("The birth date is"), choices=DatePrecision.choices, initial=DatePrecision.DAY
    )
    document_type = forms.ChoiceField(label=_("Identity document"), required=False)
    document_number = forms.CharField(label=_("Document number"), max_length=32, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    residence = forms.ChoiceField(label=_("Municipality where the person will live"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    education = forms.ChoiceField(label=_("Education"), choices=Education.choices, initial=Education.UNKNOWN)
    household_size = forms.IntegerField(label=_("Household size"), min_value=1, max_value=40, required=False)
    # The return (arrival date, mode, returned from: see ArrivalForm)
    transport_reference = forms.CharField(label=_("Flight or bus"), max_length=40, required=False)
    months_abroad = forms.IntegerField(label=_("Months abroad"), min_value=0, max_value=900, required=False)
    needs = forms.MultipleChoiceField(
        label=_("Urgent needs and vulnerabilities"),
        choices=Vulnerability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Consent
    consent_case_management = forms.BooleanField(label=_("Agrees to case management"), required=False)
    consent_alliance_sharing = forms.BooleanField(
        label=_("Agrees that alliance members who serve them see their data"), required=False
    )
    consent_method = forms.ChoiceField(
        label=_("Consent given by"), choices=ConsentMethod.choices, initial=ConsentMethod.SIGNED_FORM
    )
    consent_witness = forms.CharField(label=_("Witness"), max_length=120, required=False)

    def __init__(
        self, *args, organization, residence_ids=None, division_codes=None, document_types=None, **kwargs
    ):
        """`residence_ids` ({code: id}), `division_codes` and `document_types` are given, computed
        once, when many rows are checked in a row."""
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.residence_ids = residence_ids
        self.division_codes = division_codes
        country = organization.country_id
        self.document_types = document_types or {
            t.code: t for t in IdDocumentType.objects.filter(country_id=country).select_related("country")
        }
        self.fields["document_type"].choices = [("", "—")] + [
            (c, t.name) for c, t in self.document_types.items()
        ]
        if residence_ids is not None:
            # Many rows at once (a manifest): a plain field checked against the known codes, since
            # copying hundreds of choices into every form costs more than the rest of the check.
            self.fields["residence"] = forms.CharField(label=_("Municipality"), required=False)
        else:
            self.fields["residence"].choices = residence_choices(country)
        self.fields["given_names"].widget.attrs.update(autofocus=True, autocomplete="off")
        for name in ("first_surname", "second_surname", "document_number", "phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"

    def clean_given_names(self):
        return " ".join(self.cleaned_data["given_names"].split())

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if value and value > timezone.localdate():
            raise ValidationError(_("The birth date cannot be in the future."), code="future")
        if value and value < datetime.date(1900, 1, 1):
            raise ValidationError(_("Check the year of birth."), code="too_old")
        return value

    def clean_residence(self):
        value = self.cleaned_data.get("residence", "")
        if value and self.residence_ids is not None and value not in self.residence_ids:
            raise ValidationError(
                _("%(value)s is not a municipality of this country."), params={"value": value}, code="unknown"
            )
        return value

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        return clean_phone(value, region=self.organization.country.phone_region) if value else ""

    def clean(self):
        data = super().clean()
        if not data.get("first_surname") and not data.get("second_surname") and "given_names" in data:
            self.add_error("first_surname", _("Write at least one surname."))
        doc_type, number = data.get("document_type"), data.get("document_number", "").strip()
        if number and not doc_type:
            self.add_error("document_type", _("Choose the type of this document."))
        elif doc_type and number:
            try:
                data["document_number"] = self.document_types[doc_type].clean_number(
                    number, places=self.division_codes
                )
            except ValidationError as error:
                self.add_error("document_number", error)
        elif doc_type and not number:
            self.add_error("document_number", _("Write the number of the document."))
        if (
            (data.get("consent_case_management") or data.get("consent_alliance_sharing"))
            and data.get("consent_method") == ConsentMethod.VERBAL_WITH_WITNESS
            and not data.get("consent_witness", "").strip()
        ):
            self.add_error("consent_witness", _("A verbal consent needs the name of a witness."))
        return data

    def rebound(self, data) -> "IntakeForm":
        """A copy of this form bound to other data, sharing its fields (they are not changed by
        cleaning): checking a 100 000-row manifest then costs the checks, not 100 000 copies of
        every field."""
        form = copy.copy(self)
        form.data, form.is_bound, form._errors, form._bound_fields_cache = data, True, None, {}
        return form

    # -- what the services need ---------------------------------------------------------------
    def person_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "given_names": d["given_names"],
            "first_surname": d["first_surname"].strip(),
            "second_surname": d["second_surname"].strip(),
            "preferred_name": d["preferred_name"].strip(),
            "sex": d["sex"],
            "birth_date": d["birth_date"],
            "birth_date_precision": d["birth_date_precision"],
            "nationality_id": self.organization.country_id,
            "phone": d["phone"],
            "residence_id": self._residence_id(d.get("residence")),
            "languages": d["languages"],
            "education": d["education"],
            "household_size": d["household_size"],
        }

    def _residence_id(self, code):
        if not code:
            return None
        if self.residence_ids is not None:
            return self.residence_ids.get(code)
        return (
            Division.objects.filter(country_id=self.organization.country_id, code=code)
            .values_list("id", flat=True)
            .first()
        )

    def documents(self) -> list:
        d = self.cleaned_data
        if d.get("document_type") and d.get("document_number"):
            return [(self.document_types[d["document_type"]], d["document_number"])]
        return []

    def return_event_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "arrived_on": d["arrived_on"],
            "mode": d["mode"],
            "returned_from": d["returned_from"],
            "transport_reference": d["transport_reference"].strip(),
            "months_abroad": d["months_abroad"],
            "vulnerabilities": d["needs"],
            "reception_point": str(self.organization),
        }

    def consents(self) -> list[dict]:
        d = self.cleaned_data
        common = {"method": d["consent_method"], "witness": d.get("consent_witness", "").strip()}
        return [
            {
                "purpose": ConsentPurpose.CASE_MANAGEMENT,
                "given": bool(d.get("consent_case_management")),
                **common,
            },
            {
                "purpose": ConsentPurpose.ALLIANCE_SHARING,
                "given": bool(d.get("consent_alliance_sharing")),
                **common,
            },
        ]


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    given = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Gives consent")), ("0", _("Withdraws or refuses"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices)
    witness = forms.CharField(label=_("Witness"), max_length=120, required=False)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=date_widget(),
    )

    def clean(self):
        data = super().clean()
        if data.get("method") == ConsentMethod.VERBAL_WITH_WITNESS and not data.get("witness", "").strip():
            self.add_error("witness", _("A verbal consent needs the name of a witness."))
        return data


MANIFEST_MAX_BYTES = 25 * 1024 * 1024


class ManifestUploadForm(ArrivalForm):
    field_order = ["reference", "arrived_on", "mode", "returned_from", "file", "mapping"]

    reference = forms.CharField(
        label=_("Manifest reference"),
        max_length=80,
        help_text=_(
            "The flight or bus and the date, e.g. TA-102 2026-11-25. Importing the same reference twice creates nothing twice."
        ),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV or Excel (.xlsx), or a KoboToolbox export in any style (XLSX keeps the family "
            "members; JSON too); up to 25 MB."
        ),
    )
    mapping = forms.ModelChoiceField(
        label=_("Column mapping"),
        queryset=ColumnMapping.objects.none(),
        required=False,
        empty_label=_("Recognise the columns (or the mapping saved for the file's KoboToolbox form)"),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = ColumnMapping.objects.filter(organization=organization)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MANIFEST_MAX_BYTES:
            raise ValidationError(
                _("The file is %(size)d MB; the limit is %(limit)d MB. Split it into smaller files."),
                params={"size": upload.size // (1024 * 1024), "limit": MANIFEST_MAX_BYTES // (1024 * 1024)},
                code="too_big",
            )
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx", ".txt", ".json")):
            raise ValidationError(
                _("Upload a CSV, an Excel (.xlsx) or a KoboToolbox JSON file."), code="format"
            )
        return upload


class ColumnMappingForm(forms.Form):
    """For each column of the file, the field it fills (or "do not import"); for each value the check
    did not understand, the option it means. Saved under a name (and the KoboToolbox form version)
    for the next files of the same source."""

    IGNORE = "ignore"
    name = forms.CharField(label=_("Save this mapping as"), max_length=120)

    def __init__(self, *args, columns: list[dict], values: list[dict], **kwargs):
        """`columns`: [{"key", "header", "options", "initial", "sample"}]; `values`: [{"key",
        "field", "label", "value", "options"}], as the view builds them from the check's report."""
        super().__init__(*args, **kwargs)
        self.column_specs, self.value_specs = columns, values
        for i, spec in enumerate(columns):
            self.fields[f"column_{i}"] = forms.ChoiceField(
                label=spec["header"],
                choices=[("", _("— not chosen (reported) —")), (self.IGNORE, _("Do not import"))]
                + spec["options"],
                required=False,
                initial=spec["initial"],
                help_text=spec.get("help", ""),
            )
        for i, spec in enumerate(values):
            self.fields[f"value_{i}"] = forms.ChoiceField(
                label=spec["label"],
                choices=[("", _("— not mapped —"))] + spec["options"],
                required=False,
                help_text=spec.get("help", ""),
            )

    def column_fields(self):
        return [self[f"column_{i}"] for i in range(len(self.column_specs))]

    def value_fields(self):
        return [self[f"value_{i}"] for i in range(len(self.value_specs))]

    def columns(self) -> dict:
        chosen = {}
        for i, spec in enumerate(self.column_specs):
            target = self.cleaned_data.get(f"column_{i}")
            if target:
                chosen[spec["key"]] = target
        return chosen

    def values(self) -> dict:
        chosen: dict[str, dict] = {}
        for i, spec in enumerate(self.value_specs):
            code = self.cleaned_data.get(f"value_{i}")
            if code:
                chosen.setdefault(spec["field"], {})[spec["key"]] = "" if code == "__none__" else code
        return chosen


class MergeForm(forms.Form):
    """For each field that differs, which record's value the surviving record keeps."""

    def __init__(self, *args, fields: list[tuple[str, str, str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, value_a, value_b in fields:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=[("a", value_a or "—"), ("b", value_b or "—")],
                initial="a",
                required=False,  # not chosen: the surviving record keeps its value
                widget=forms.RadioSelect,
            )


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        max_length=300,
        help_text=_("For example: “the person asked for it on 26/11/2026, form signed”."),
    )
    confirm_name = forms.CharField(label=_("Type the person's first surname to confirm"), max_length=80)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm_name(self):
        from incluye.core.text import fold

        value = self.cleaned_data["confirm_name"]
        expected = self.person.first_surname or self.person.given_names
        if fold(value) != fold(expected):
            raise forms.ValidationError(_("That is not the person's first surname."))
        return value


class KoboSourceForm(forms.ModelForm):
    """A KoboToolbox project to pull arrivals from. The token is written, never shown again."""

    token = forms.CharField(
        label=_("API token"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "In KoboToolbox: Account settings → Security → API key. Leave it empty to keep the saved one."
        ),
    )

    class Meta:
        from incluye.people.models import KoboSource

        model = KoboSource
        fields = ["name", "server_url", "asset_uid", "token", "mapping", "mode", "returned_from"]

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = ColumnMapping.objects.filter(organization=organization)
        self.fields["mapping"].required = False
        self.fields["mapping"].empty_label = _("Recognise the columns")
        if not self.instance.pk:
            self.fields["token"].required = True
            self.fields["token"].help_text = _("In KoboToolbox: Account settings → Security → API key.")

    def clean_server_url(self):
        from urllib.parse import urlsplit

        from django.conf import settings

        value = self.cleaned_data["server_url"].strip().rstrip("/")
        parts = urlsplit(value)
        if parts.scheme != "https" and not (settings.DEBUG and parts.scheme == "http"):
            raise ValidationError(_("The server's address must start with https://"), code="scheme")
        if parts.path not in ("", "/") or parts.query:
            raise ValidationError(
                _("Write only the server's address, e.g. https://kf.kobotoolbox.org"), code="path"
            )
        return value

    def clean_asset_uid(self):
        import re

        value = self.cleaned_data["asset_uid"].strip()
        if not re.fullmatch(r"[A-Za-z0-9]{10,40}", value):
            raise ValidationError(
                _("The project uid is the series of letters and digits in the project's address."), code="uid"
            )
        return value

    def clean_token(self):
        import re

        value = self.cleaned_data.get("token", "")
        if value and not re.fullmatch(r"[A-Za-z0-9]{20,64}", value):
            raise ValidationError(_("This does not look like a KoboToolbox API token."), code="token")
        return value

    def save(self, commit=True):
        token = self.cleaned_data.get("token")
        if not token and self.instance.pk:
            from incluye.people.models import KoboSource

            self.instance.token = KoboSource.objects.get(pk=self.instance.pk).token
        return super().save(commit=commit)
