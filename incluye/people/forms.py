"""Forms of the registry. `IntakeForm` validates one arrival, typed at the desk or read from a row
of a manifest: the same rules and the same translated messages either way."""

import copy
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incluye.core.forms import DateParts, DatePartsField, VersionedForm
from incluye.core.models import Division, IdDocumentType
from incluye.core.phones import clean_phone, format_phone
from incluye.core.selectors import origin_country_choices
from incluye.core.text import pick_language
from incluye.people.models import (
    AccompaniedBy,
    ColumnMapping,
    ConsentMethod,
    ConsentPurpose,
    DatePrecision,
    Education,
    Language,
    MobilityKind,
    Population,
    ReturnedFrom,
    ReturnMode,
    Sex,
    StatusKind,
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
        error_messages={"required": _("Write the date the person arrived.")},
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


ARRIVAL_POPULATIONS = (Population.ASYLUM_SEEKER, Population.REFUGEE, Population.OTHER_MIGRANT)
# Of the others (an arrival that is neither an asylum seeker nor a refugee): the status recorded.
OTHER_STATUSES = [
    ("", _("Not known yet")),
    (StatusKind.RESIDENT, StatusKind.RESIDENT.label),
    (StatusKind.IRREGULAR, StatusKind.IRREGULAR.label),
    (StatusKind.STATELESS, StatusKind.STATELESS.label),
]
# The fields only one population is asked (the rest are everyone's).
RETURNEE_FIELDS = ("returned_from", "transport_reference", "months_abroad")
ARRIVAL_FIELDS = (
    "nationality",
    "origin_country",
    "border_point",
    "accompanied_by",
    "status_since",
    "other_status",
    "resident_category",
    "status_reference",
)
# A document of the country of origin is chosen as "<country>:<code>"; "*:PASSPORT" is the passport
# of the nationality given.
NATIONALITY_PASSPORT = "*:PASSPORT"


def document_key(document_type, served_country: str) -> str:
    """How a form (and a checked manifest row) names a document type: its code for the country
    served, "<country>:<code>" for another country's."""
    if document_type.country_id == served_country:
        return document_type.code
    return f"{document_type.country_id}:{document_type.code}"


def origin_document_choices(served_country: str) -> list:
    """The identity documents of the countries people come from, by country."""
    types = (
        IdDocumentType.objects.exclude(country_id=served_country)
        .exclude(code="PASSPORT")
        .select_related("country")
        .order_by("country_id", "code")
    )
    return [(NATIONALITY_PASSPORT, _("Passport of the country of nationality"))] + [
        (f"{t.country_id}:{t.code}", f"{t.name} ({t.country.name})") for t in types
    ]


class ConfirmNumberForm(forms.Form):
    """Beside the possible matches of an intake: the officer checked that the identity number
    the alliance holds belongs to someone else (the box submits with the intake form)."""

    confirm_number = forms.BooleanField(
        label=_(
            "I checked: this identity number belongs to a different person, register a new record anyway."
        ),
        required=False,
        widget=forms.CheckboxInput(attrs={"form": "intake", "value": "1"}),
    )


class PersonDetailsForm(forms.Form):
    """Who the person is and how to reach them: asked at the intake (`IntakeForm`) and corrected
    later (`PersonCorrectForm`), with the same fields, rules and translated messages."""

    given_names = forms.CharField(
        label=_("Given names"),
        max_length=120,
        error_messages={"required": _("Write the person's given names.")},
    )
    first_surname = forms.CharField(label=_("First surname"), max_length=80, required=False)
    second_surname = forms.CharField(label=_("Second surname"), max_length=80, required=False)
    preferred_name = forms.CharField(
        label=_("Preferred name"),
        max_length=80,
        required=False,
        help_text=_("How the person wants to be called."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.NOT_RECORDED)
    birth_date = DatePartsField(
        label=_("Birth date"),
        required=False,
        partial=True,
        input_formats=DATE_INPUT_FORMATS,
        help_text=_(
            "For example, 27 3 1985. If the person knows only the year, or the month and the year, leave the rest empty."
        ),
    )
    # Said by the parts typed on the page; an import's row or the API says it.
    birth_date_precision = forms.ChoiceField(
        label=_("The birth date is"), choices=DatePrecision.choices, required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    residence = forms.ChoiceField(label=_("Municipality where the person will live"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    preferred_language = forms.ChoiceField(
        label=_("Language the person prefers to be spoken to in"),
        choices=[("", "—"), *Language.choices],
        required=False,
        help_text=_("Where the person speaks several: for conversations, and a referral tells the service."),
    )
    education = forms.ChoiceField(label=_("Education"), choices=Education.choices, initial=Education.UNKNOWN)
    household_size = forms.IntegerField(label=_("Household size"), min_value=1, max_value=40, required=False)

    organization = None
    residence_ids = None

    def _person_fields_for(self, organization) -> None:
        """The choices of the country the organization serves: where to live, the languages asked."""
        self.fields["residence"].choices = residence_choices(organization.country_id)
        names = dict(Language.choices)
        self.fields["languages"].choices = [
            (code, names[code]) for code in Language.asked_in(organization.country)
        ]
        self.fields["preferred_language"].choices = [("", "—"), *self.fields["languages"].choices]

    def clean_given_names(self):
        return " ".join(self.cleaned_data["given_names"].split())

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if value and value > timezone.localdate():
            raise ValidationError(_("The birth date cannot be in the future."), code="future")
        if value and value < datetime.date(1900, 1, 1):
            raise ValidationError(_("Check the year of birth."), code="too_old")
        return value

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        return clean_phone(value, region=self.organization.country.phone_region) if value else ""

    def _clean_person(self, data) -> None:
        """The rules across the person's fields: how much of the birth date is known, a language
        preferred is spoken, at least one surname."""
        data["birth_date_precision"] = (
            DatePartsField.precision(self["birth_date"].data)
            or data.get("birth_date_precision")
            or DatePrecision.DAY
        )
        preferred = data.get("preferred_language")
        if preferred and preferred not in data.get("languages", [preferred]):
            data["languages"] = [*data["languages"], preferred]  # a language preferred is spoken
        if not data.get("first_surname") and not data.get("second_surname") and "given_names" in data:
            self.add_error("first_surname", _("Write at least one surname."))

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

    def details(self) -> dict:
        """The person's own fields, as the model names them (the nationality aside)."""
        d = self.cleaned_data
        return {
            "given_names": d["given_names"],
            "first_surname": d["first_surname"].strip(),
            "second_surname": d["second_surname"].strip(),
            "preferred_name": d["preferred_name"].strip(),
            "sex": d["sex"],
            "birth_date": d["birth_date"],
            "birth_date_precision": d["birth_date_precision"],
            "phone": d["phone"],
            "residence_id": self._residence_id(d.get("residence")),
            "languages": d["languages"],
            "preferred_language": d.get("preferred_language", ""),
            "education": d["education"],
            "household_size": d["household_size"],
        }


class IntakeForm(ArrivalForm, PersonDetailsForm):
    """One arrival, in the order an officer asks the questions: a returnee, or someone arriving in
    the country (an asylum seeker, a refugee, another migrant), each asked their own questions."""

    population = forms.ChoiceField(
        label=_("Who arrives"),
        choices=Population.choices,
        initial=Population.RETURNEE,
        required=False,  # a manifest of returnees does not say it
        widget=forms.RadioSelect,
        help_text=_("A national coming home is a returnee; anyone else arriving is an arrival."),
    )
    document_type = forms.ChoiceField(label=_("Identity document"), required=False)
    document_number = forms.CharField(label=_("Document number"), max_length=32, required=False)
    document_expires_on = DatePartsField(
        label=_("The document expires on"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("For a card or permit that expires: a reminder comes before it does."),
    )
    # The return (arrival date, mode, returned from: see ArrivalForm)
    transport_reference = forms.CharField(label=_("Flight or bus"), max_length=40, required=False)
    months_abroad = forms.IntegerField(label=_("Months abroad"), min_value=0, max_value=900, required=False)
    # An arrival: where from, how, with whom, and the migration status
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    origin_country = forms.ChoiceField(
        label=_("Country of origin"),
        required=False,
        help_text=_("Where the person comes from, if not the country of their nationality."),
    )
    border_point = forms.CharField(
        label=_("Border point or place of arrival"), max_length=120, required=False
    )
    accompanied_by = forms.ChoiceField(
        label=_("Accompanied by"), choices=[("", "—"), *AccompaniedBy.choices], required=False
    )
    status_since = DatePartsField(
        label=_("Date of the asylum application or of the recognition"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        help_text=_(
            "An asylum seeker: the day the application was filed. A refugee: the day of the recognition."
        ),
    )
    other_status = forms.ChoiceField(label=_("Migration status"), choices=OTHER_STATUSES, required=False)
    resident_category = forms.ChoiceField(label=_("Residence category"), required=False)
    status_reference = forms.CharField(
        label=_("File number of the application or resolution"), max_length=60, required=False
    )
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

    # The order the questions are asked in (and errors listed): the person's fields among the rest.
    field_order = [
        *ArrivalForm.base_fields,
        "population",
        *("given_names", "first_surname", "second_surname", "preferred_name", "sex", "birth_date"),
        *("birth_date_precision", "document_type", "document_number", "document_expires_on"),
        *("phone", "residence", "languages", "preferred_language", "education", "household_size"),
        *("transport_reference", "months_abroad"),
        *ARRIVAL_FIELDS,
        "needs",
        *("consent_case_management", "consent_alliance_sharing", "consent_method", "consent_witness"),
    ]

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
        self.fields["resident_category"].choices = [("", "—")] + [
            (c["code"], pick_language(c["name"]))
            for c in organization.country.migration.get("resident_categories", [])
        ]
        if residence_ids is not None:
            # Many rows at once (a manifest): plain fields checked against the known codes, since
            # copying hundreds of choices into every form costs more than the rest of the check.
            self.fields["residence"] = forms.CharField(label=_("Municipality"), required=False)
            self.fields["document_type"] = forms.CharField(label=_("Identity document"), required=False)
            for name in ("nationality", "origin_country"):
                self.fields[name] = forms.CharField(label=self.fields[name].label, required=False)
        else:
            self._person_fields_for(organization)
            self.fields["document_type"].choices = [
                ("", "—"),
                (
                    _("Documents of %(country)s") % {"country": organization.country.name},
                    [(c, t.name) for c, t in self.document_types.items()],
                ),
                (_("Documents of the country of origin"), origin_document_choices(country)),
            ]
            countries = [("", "—"), *origin_country_choices()]
            self.fields["nationality"].choices = countries
            self.fields["origin_country"].choices = countries
        self.fields["given_names"].widget.attrs.update(autofocus=True, autocomplete="off")
        for name in ("first_surname", "second_surname", "document_number", "phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"

    def clean_population(self):
        return self.cleaned_data.get("population") or Population.RETURNEE

    @property
    def current_population(self) -> str:
        """The population chosen (typed, else the initial one): which fields the page shows."""
        value = (self.data.get(self.add_prefix("population")) if self.is_bound else None) or self.initial.get(
            "population", self.fields["population"].initial
        )
        return value if value in Population.values else Population.RETURNEE

    @property
    def is_arrival(self) -> bool:
        return self.current_population in ARRIVAL_POPULATIONS

    def clean_residence(self):
        value = self.cleaned_data.get("residence", "")
        if value and self.residence_ids is not None and value not in self.residence_ids:
            raise ValidationError(
                _("%(value)s is not a municipality of this country."), params={"value": value}, code="unknown"
            )
        return value

    def clean(self):
        data = super().clean()
        self._clean_person(data)
        if data.get("population") in ARRIVAL_POPULATIONS:
            self._clean_arrival(data)
        doc_type, number = data.get("document_type"), data.get("document_number", "").strip()
        if number and not doc_type:
            self.add_error("document_type", _("Choose the type of this document."))
        elif doc_type and number:
            document_type = self._document_type(doc_type, data)
            if document_type is not None:
                try:
                    places = (
                        self.division_codes
                        if document_type.country_id == self.organization.country_id
                        else None
                    )
                    data["document_number"] = document_type.clean_number(number, places=places)
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

    def _clean_arrival(self, data) -> None:
        served = self.organization.country
        nationality = data.get("nationality")
        if not nationality:
            self.add_error("nationality", _("Choose the person's nationality."))
        elif nationality == served.code:
            self.add_error(
                "nationality",
                _("A national of %(country)s coming home is a returnee: choose “Returnee” above.")
                % {"country": served.name},
            )
        elif not self._country_exists(nationality):
            self.add_error("nationality", _("%(value)s is not a country.") % {"value": nationality})
        origin = data.get("origin_country")
        if origin and not self._country_exists(origin):
            self.add_error("origin_country", _("%(value)s is not a country.") % {"value": origin})
        population = data["population"]
        if population in (Population.ASYLUM_SEEKER, Population.REFUGEE) and not data.get("status_since"):
            self.add_error(
                "status_since",
                _("Write the date of the asylum application.")
                if population == Population.ASYLUM_SEEKER
                else _("Write the date of the recognition as refugee."),
            )
        since = data.get("status_since")
        if since and since > timezone.localdate():
            self.add_error("status_since", _("This date cannot be in the future."))
        if (
            population == Population.OTHER_MIGRANT
            and data.get("other_status") == StatusKind.RESIDENT
            and not data.get("resident_category")
        ):
            self.add_error("resident_category", _("Choose the residence category."))

    def _country_exists(self, code: str) -> bool:
        from incluye.core.models import Country

        if not hasattr(self, "_country_codes"):
            self._country_codes = set(Country.objects.values_list("code", flat=True))
        return code in self._country_codes

    def _document_type(self, value: str, data):
        """The IdDocumentType chosen: of the country served ("DPI"), of the country of origin
        ("NI:CEDULA") or the passport of the nationality ("*:PASSPORT"); None after an error."""
        if ":" not in value:
            if value not in self.document_types:
                self.add_error(
                    "document_type", _("%(value)s is not a document of this country.") % {"value": value}
                )
                return None
            return self.document_types[value]
        country, code = value.split(":", 1)
        nationality = data.get("nationality") if data.get("population") in ARRIVAL_POPULATIONS else None
        if country == "*":
            country = nationality or ""
        elif country not in {nationality, data.get("origin_country")}:
            self.add_error(
                "document_type",
                _(
                    "This document is issued by another country than the nationality or the country of origin chosen."
                ),
            )
            return None
        found = IdDocumentType.objects.filter(country_id=country, code=code).select_related("country").first()
        if found is None:
            self.add_error("document_type", _("Choose the person's nationality first."))
        return found

    def rebound(self, data) -> "IntakeForm":
        """A copy of this form bound to other data, sharing its fields (they are not changed by
        cleaning): checking a 100 000-row manifest then costs the checks, not 100 000 copies of
        every field."""
        form = copy.copy(self)
        form.data, form.is_bound, form._errors, form._bound_fields_cache = data, True, None, {}
        form._rebound = True
        return form

    _rebound = False

    def _clean_fields(self):
        """Django's own loop, without a bound field per field for a rebound form: the value each
        field cleans is read from its widget as the bound field would read it (a manifest's check
        spent a fifth of its time building 34 bound fields per row that nothing displays). Same
        values, same `clean_<field>` methods, same errors."""
        if not self._rebound:
            return super()._clean_fields()
        for name, field in self.fields.items():
            try:
                if field.disabled or type(field)._clean_bound_field is not forms.Field._clean_bound_field:
                    self.cleaned_data[name] = field._clean_bound_field(self[name])
                else:
                    value = self._widget_data_value(field.widget, self.add_prefix(name))
                    self.cleaned_data[name] = field.clean(value)
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as error:
                self.add_error(name, error)

    # -- what the services need ---------------------------------------------------------------
    def person_fields(self) -> dict:
        arrival = self.cleaned_data.get("population") in ARRIVAL_POPULATIONS
        nationality = self.cleaned_data["nationality"] if arrival else self.organization.country_id
        return {**self.details(), "nationality_id": nationality}

    def documents(self, *, with_dates: bool = False) -> list:
        """[(IdDocumentType, number)], or with its dates: [(type, number, valid from, expires on)]."""
        d = self.cleaned_data
        if d.get("document_type") and d.get("document_number"):
            document_type = self._document_type(d["document_type"], d)
            if with_dates:
                return [(document_type, d["document_number"], None, d.get("document_expires_on"))]
            return [(document_type, d["document_number"])]
        return []

    def return_event_fields(self) -> dict:
        d = self.cleaned_data
        if d.get("population") in ARRIVAL_POPULATIONS:
            return {
                "kind": MobilityKind.ARRIVAL,
                "arrived_on": d["arrived_on"],
                "mode": d["mode"],
                "returned_from": ReturnedFrom.OTHER,
                "origin_country_id": d.get("origin_country") or d["nationality"],
                "accompanied_by": d.get("accompanied_by", ""),
                "transport_reference": d.get("transport_reference", "").strip(),
                "vulnerabilities": d["needs"],
                "reception_point": d.get("border_point", "").strip() or str(self.organization),
            }
        return {
            "arrived_on": d["arrived_on"],
            "mode": d["mode"],
            "returned_from": d["returned_from"],
            "transport_reference": d["transport_reference"].strip(),
            "months_abroad": d["months_abroad"],
            "vulnerabilities": d["needs"],
            "reception_point": str(self.organization),
        }

    def migration_status_fields(self) -> dict | None:
        """The status an arrival declares, or None (a returnee; an arrival whose status is not
        known yet)."""
        d = self.cleaned_data
        population = d.get("population")
        if population not in ARRIVAL_POPULATIONS:
            return None
        kind = population if population != Population.OTHER_MIGRANT else d.get("other_status")
        if not kind:
            return None
        return {
            "kind": kind,
            "since": d.get("status_since") or d["arrived_on"],
            "category": d.get("resident_category", "") if kind == StatusKind.RESIDENT else "",
            "reference": d.get("status_reference", "").strip(),
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


class PersonCorrectForm(VersionedForm, PersonDetailsForm):
    """A person's own details corrected after the registration: a name misspelt at the desk, the
    birth date learnt in full, a new phone, the municipality they moved to, a language they prefer.
    What was stored is what the page shows first; the nationality is not here (a national and an
    arrival are asked different questions, and an arrival's is recorded with their status)."""

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, record=person, initial=self.stored(person), **kwargs)
        self.organization = person.organization
        self._person_fields_for(person.organization)
        names, asked = dict(Language.choices), dict(self.fields["languages"].choices)
        # A language recorded elsewhere (an import, another country's list) stays a choice.
        kept = [(code, names.get(code, code)) for code in person.languages or [] if code not in asked]
        if kept:
            self.fields["languages"].choices = [*self.fields["languages"].choices, *kept]
            self.fields["preferred_language"].choices = [("", "—"), *self.fields["languages"].choices]
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")
        self.fields["residence"].label = _("Municipality of residence")

    @staticmethod
    def stored(person) -> dict:
        """The stored values as the fields show them: a birth date only as far as it is known."""
        born = person.birth_date
        parts = ""
        if born is not None:
            precision = person.birth_date_precision
            parts = [
                str(born.day) if precision == DatePrecision.DAY else "",
                str(born.month) if precision != DatePrecision.YEAR else "",
                str(born.year),
            ]
        return {
            "given_names": person.given_names,
            "first_surname": person.first_surname,
            "second_surname": person.second_surname,
            "preferred_name": person.preferred_name,
            "sex": person.sex,
            "birth_date": parts,
            "phone": format_phone(person.phone) if person.phone else "",
            "residence": person.residence.code if person.residence_id else "",
            "languages": person.languages,
            "preferred_language": person.preferred_language,
            "education": person.education,
            "household_size": person.household_size,
        }

    def clean(self):
        data = super().clean()
        self._clean_person(data)
        return data


class PeopleSearchForm(forms.Form):
    """The people page's search: a name, an identity number or a phone, and the birth date as far
    as it is known (the year alone sets apart people who share a name)."""

    q = forms.CharField(label=_("Search by name or identity number"), required=False, max_length=200)
    born = DatePartsField(
        label=_("Birth date, if known"),
        help_text=_("The year alone helps where many people share a name."),
        required=False,
        partial=True,
    )

    def __init__(self, *args, results_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Each box searches as it is typed, with the rest of the form.
        search_as_typed = {
            "hx-get": results_url,
            "hx-trigger": "input changed delay:300ms",
            "hx-target": "#results",
            "hx-include": "closest form",
            "hx-push-url": "true",
        }
        self.fields["born"].widget = DateParts(attrs=search_as_typed)
        self.fields["q"].widget.attrs.update(
            search_as_typed,
            autocomplete="off",
            # "search": the browser's clear button
            **{"hx-trigger": "input changed delay:250ms, search", "class": "govuk-!-width-two-thirds"},
        )
        self.fields["q"].widget.input_type = "search"

    def criteria(self) -> tuple[str, object, str]:
        """(the words, the birth date or None, how much of it is known); a birth date that is no
        date is left out, and its error shown."""
        query = (self.data.get("q") or "").strip()
        if not self.is_valid():
            return query, None, "day"
        born = self.cleaned_data.get("born")
        return query, born, DatePartsField.precision(self["born"].data) or "day"


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
    """The upload of a list: of returnees (a flight or a bus of returned nationals), or of people
    arriving in the country (a border post's list of asylum seekers…). Its fields and labels follow
    the list's kind (`arrivals`): a list of people arriving has no "returned from" (each row says
    where the person comes from) and says whom it holds among the arrivals."""

    field_order = ["population", "reference", "arrived_on", "mode", "returned_from", "file", "mapping"]

    population = forms.ChoiceField(
        label=_("Who is on the list"),
        choices=Population.choices,
        initial=Population.RETURNEE,
        required=False,
    )

    def clean_population(self):
        value = self.cleaned_data.get("population")
        if self.arrivals:
            return value or Population.ASYLUM_SEEKER
        return Population.RETURNEE

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

    def __init__(self, *args, organization, arrivals: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.arrivals = arrivals
        self.fields["mapping"].queryset = ColumnMapping.objects.filter(organization=organization)
        population = self.fields["population"]
        if arrivals:
            population.choices = [(p.value, p.label) for p in ARRIVAL_POPULATIONS]
            population.initial = Population.ASYLUM_SEEKER
            population.help_text = _(
                "Asylum seekers, refugees or other migrants; a column of the file may say it row by row."
            )
            self.fields["reference"].label = _("List reference")
            self.fields["reference"].help_text = _(
                "The border post or the office and the date, e.g. PASO-CANOAS 2026-02-27. Importing the same "
                "reference twice creates nothing twice."
            )
            # Each row says where the person comes from (country of origin, border point).
            del self.fields["returned_from"]
        else:
            population.widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if self.arrivals:
            data["returned_from"] = ReturnedFrom.OTHER
        return data

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


class GroupMergeForm(forms.Form):
    """A group's review: the record that stays, which others are the same person, and for each
    field that differs, whose value the staying record keeps."""

    def __init__(self, *args, members, fields: list[tuple[str, str, list[str]]], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        choices = [
            (str(p.pk), _("Record %(number)s") % {"number": i}) for i, p in enumerate(members, start=1)
        ]
        self.fields["keep"] = forms.ChoiceField(
            label=_("Record that stays"), choices=choices, initial=choices[0][0], widget=forms.RadioSelect
        )
        self.fields["same"] = forms.MultipleChoiceField(
            label=_("Same person"),
            choices=choices,
            initial=[value for value, _label in choices],
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.differing = []
        for name, label, values in fields:
            choices = [(str(p.pk), value or "—") for p, value in zip(members, values, strict=True)]
            self.fields[f"field_{name}"] = forms.ChoiceField(
                label=label,
                choices=choices,
                # The first record that has a value: the most complete unless the officer says otherwise.
                initial=next(
                    (pk for (pk, _label), value in zip(choices, values, strict=True) if value), None
                ),
                required=False,  # not chosen: the staying record keeps its value
                widget=forms.RadioSelect,
            )
            self.differing.append(name)

    def clean(self):
        data = super().clean()
        keep, same = data.get("keep"), set(data.get("same") or [])
        if keep and keep not in same:
            same.add(keep)
        if len(same) < 2:
            raise forms.ValidationError(_("Choose at least two records that are the same person."))
        data["same"] = sorted(same)
        for name in self.differing:
            chosen = data.get(f"field_{name}")
            if chosen and chosen not in same:
                self.add_error(
                    f"field_{name}",
                    _("Choose a value from a record that is being merged, or leave it as it is."),
                )
        return data

    def choices(self) -> dict[str, str]:
        """Field -> primary key of the record whose value stays (the staying record's by default)."""
        keep = self.cleaned_data["keep"]
        return {name: self.cleaned_data.get(f"field_{name}") or keep for name in self.differing}

    def field_rows(self):
        """(label, [(record's radio, value)], field) per differing field, for the template."""
        for name in self.differing:
            bound = self[f"field_{name}"]
            yield bound.label, list(bound), bound


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


class MigrationStatusForm(forms.Form):
    kind = forms.ChoiceField(label=_("Migration status"), choices=StatusKind.choices)
    category = forms.ChoiceField(label=_("Residence category"), required=False)
    since = DatePartsField(
        label=_("Since"),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_(
            "An asylum seeker: the day the application was filed. A refugee: the day of the recognition."
        ),
    )
    until = DatePartsField(label=_("Until"), required=False, input_formats=DATE_INPUT_FORMATS)
    reference = forms.CharField(
        label=_("File number of the application or resolution"), max_length=60, required=False
    )

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [
            (c["code"], pick_language(c["name"])) for c in country.migration.get("resident_categories", [])
        ]

    def clean(self):
        data = super().clean()
        if data.get("kind") == StatusKind.RESIDENT and not data.get("category"):
            self.add_error("category", _("Choose the residence category."))
        if data.get("since") and data["since"] > timezone.localdate():
            self.add_error("since", _("This date cannot be in the future."))
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("A status cannot end before it began."))
        return data


class ForeignDocumentForm(forms.Form):
    """A document for foreigners of the country served, or a document of the country of origin,
    with its dates: recorded, or renewed (the same type replaces the number and the dates)."""

    document_type = forms.ChoiceField(label=_("Document"))
    number = forms.CharField(label=_("Number"), max_length=40)
    # Read off the document: typed as printed there, day, month and year.
    issued_on = DatePartsField(label=_("Valid from"), required=False, input_formats=DATE_INPUT_FORMATS)
    expires_on = DatePartsField(label=_("Expires on"), required=False, input_formats=DATE_INPUT_FORMATS)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        served = person.organization.country_id
        self.types = {
            str(t.pk): t
            for t in IdDocumentType.objects.filter(
                models.Q(country_id=served, for_foreigners=True)
                | models.Q(country_id__in={person.nationality_id} - {served})
            ).select_related("country")
        }
        self.fields["document_type"].choices = [("", "—")] + [
            (pk, t.name if t.country_id == served else f"{t.name} · {t.country.name}")
            for pk, t in sorted(
                self.types.items(), key=lambda item: (item[1].country_id != served, item[1].name)
            )
        ]

    def clean(self):
        data = super().clean()
        document_type = self.types.get(data.get("document_type") or "")
        data["document_type"] = document_type
        if document_type is not None and data.get("number"):
            try:
                data["number"] = document_type.clean_number(data["number"])
            except ValidationError as error:
                self.add_error("number", error)
        if document_type is not None and document_type.has_expiry and not data.get("expires_on"):
            self.add_error("expires_on", _("This document expires: write the date."))
        if data.get("issued_on") and data.get("expires_on") and data["expires_on"] < data["issued_on"]:
            self.add_error("expires_on", _("A document cannot expire before it is valid."))
        return data


class StatusEndForm(VersionedForm):
    until = forms.DateField(label=_("Ended on"), input_formats=DATE_INPUT_FORMATS, widget=date_widget())


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

    # The version read, when editing a saved project (core.versioning): a save over someone else's
    # change is refused, not lost.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

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
        else:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True

    def stale(self, error):
        from incluye.core.forms import stale

        stale(self, error)

    def save_with(self, write, /, **data):
        from incluye.core.forms import save_with

        return save_with(self, write, **data)

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
