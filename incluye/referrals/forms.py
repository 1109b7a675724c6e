from django import forms
from django.utils.translation import gettext_lazy as _

from incluye.core.forms import VersionedForm
from incluye.core.models import Division
from incluye.people.forms import residence_choices
from incluye.people.models import Language
from incluye.referrals.models import SHAREABLE_FIELDS, ServiceKind


class ServiceForm(VersionedForm):
    name = forms.CharField(label=_("Name of the service"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of service"), choices=ServiceKind.choices)
    description = forms.CharField(
        label=_("What it offers"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    audience = forms.CharField(
        label=_("Who it is for"),
        max_length=300,
        required=False,
        help_text=_("e.g. women over 18, families with children, people with a disability"),
    )
    outcome_due_days = forms.IntegerField(
        label=_("Days to report the outcome"),
        min_value=1,
        max_value=365,
        initial=14,
        help_text=_("A referral to this service is overdue if it has no outcome after this many days."),
    )
    is_active = forms.BooleanField(
        label=_("Active: shown in the directory and open to referrals"), required=False, initial=True
    )

    def __init__(self, *args, organization, service=None, **kwargs):
        if service is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": service.name,
                    "kind": service.kind,
                    "description": service.description,
                    "municipality": service.municipality.code if service.municipality_id else "",
                    "address": service.address,
                    "audience": service.audience,
                    "outcome_due_days": service.outcome_due_days,
                    "is_active": service.is_active,
                },
            )
        super().__init__(*args, record=service, **kwargs)
        self.country_id = organization.country_id
        self.fields["municipality"].choices = residence_choices(self.country_id)

    def clean_municipality(self):
        code = self.cleaned_data.get("municipality")
        if not code:
            return None
        return Division.objects.filter(country_id=self.country_id, code=code).first()


class DirectoryFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of service"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *ServiceKind.choices]
        self.fields["municipality"].choices = [("", _("All municipalities")), *municipalities]


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, service):
        where = f" ({service.municipality.name})" if service.municipality_id else ""
        return f"{service.name} — {service.organization}{where} · {service.get_kind_display()}"


class ReferralForm(forms.Form):
    service = ServiceChoiceField(label=_("Service"), queryset=None, empty_label="—")
    shared_fields = forms.MultipleChoiceField(
        label=_("What to share with the service"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Share only what the service needs to contact and serve the person."),
    )
    reason = forms.CharField(
        label=_("Reason for the referral"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The receiving service reads it. Write only what it needs to know."),
    )

    def __init__(self, *args, services, person, **kwargs):
        kwargs.setdefault("initial", {"shared_fields": ["given_names", "surnames", "phone"]})
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        current = {
            "given_names": person.given_names,
            "surnames": person.surnames,
            "phone": person.phone,
            "municipality": person.residence.name if person.residence_id else "",
            "preferred_language": dict(Language.choices).get(person.spoken_to_in, ""),
        }
        self.fields["shared_fields"].choices = [
            (key, f"{label}: {current[key] or '—'}") for key, label in SHAREABLE_FIELDS.items()
        ]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the service declines the referral"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CompleteForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))


# Handoffs, transfers and access requests ----------------------------------------------------------


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, organization):
        if organization.short_name and organization.short_name != organization.name:
            return f"{organization.short_name} — {organization.name}"
        return organization.name


class VersionForm(forms.Form):
    """The version of the record the user saw: a change made on a stale page is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class HandoffForm(forms.Form):
    to_organization = OrganizationChoiceField(
        label=_("Hand off to"),
        queryset=None,
        empty_label="—",
        help_text=_("An organization of the alliance that manages cases."),
    )
    note = forms.CharField(
        label=_("Message for the organization"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What it needs to know to take the person on. Write only what it needs."),
    )

    def __init__(self, *args, destinations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organization"].queryset = destinations


class _PeopleCheckboxes(forms.CheckboxSelectMultiple):
    """One box per arrival; a person already handed off (waiting or accepted) cannot be chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unavailable = set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.unavailable:
            option["attrs"]["disabled"] = True
        return option


class ArrivalsHandoffForm(HandoffForm):
    """The day's arrivals: some people, or everyone of one flight or bus."""

    people = forms.MultipleChoiceField(label=_("People"), required=False, widget=_PeopleCheckboxes)
    flight = forms.ChoiceField(label=_("Or everyone of the flight or bus"), required=False)

    def __init__(self, *args, arrivals, **kwargs):
        super().__init__(*args, **kwargs)
        self.arrivals = list(arrivals)
        self.fields["people"].choices = [(str(r.person_id), r.person.sortable_name) for r in self.arrivals]
        self.fields["people"].widget.unavailable = {
            str(r.person_id)
            for r in self.arrivals
            if getattr(r, "handoff_status", None) in ("sent", "accepted")
        }
        flights = sorted({r.transport_reference for r in self.arrivals if r.transport_reference})
        self.fields["flight"].choices = [("", "—"), *((f, f) for f in flights)]

    def clean(self):
        data = super().clean()
        if not data.get("people") and not data.get("flight"):
            raise forms.ValidationError(_("Choose the people to hand off, or a flight or bus."))
        return data

    def rows(self):
        """(arrival, its check box) for the table of the day's arrivals."""
        return zip(self.arrivals, self["people"], strict=True)

    def chosen_people(self) -> list:
        wanted, flight = set(self.cleaned_data.get("people") or ()), self.cleaned_data.get("flight")
        chosen = {}
        for arrival in self.arrivals:
            if str(arrival.person_id) in wanted or (flight and arrival.transport_reference == flight):
                chosen.setdefault(arrival.person_id, arrival.person)
        return list(chosen.values())


class AcceptForm(VersionForm):
    caseworker = forms.ModelChoiceField(label=_("Caseworker"), queryset=None, empty_label="—")

    def __init__(self, *args, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = caseworkers


class ActDeclineForm(VersionForm):
    reason = forms.CharField(
        label=_("Why you decline"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The other organization reads it, to look for another way."),
    )


class TransferForm(forms.Form):
    to_organization = OrganizationChoiceField(label=_("Transfer the case to"), queryset=None, empty_label="—")
    note = forms.CharField(
        label=_("Why the case is transferred"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The other organization reads it before accepting. Write only what it needs."),
    )

    def __init__(self, *args, destinations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organization"].queryset = destinations


class AccessRequestForm(forms.Form):
    stub = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Why your organization needs the record"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The organization that holds the record reads it before answering."),
    )
