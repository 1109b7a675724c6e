from django import forms
from django.utils.translation import gettext_lazy as _

from incluye.accounts.models import GrammaticalGender, NotificationMode, TokenScope
from incluye.accounts.roles import Role
from incluye.core.actionlog import action_choices
from incluye.core.forms import VersionedForm


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("Given names"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Surnames"), max_length=150, required=False)
    grammatical_gender = forms.ChoiceField(
        label=_("How to address them"),
        choices=GrammaticalGender.choices,
        required=False,
        help_text=_("Role names agree with it (“Gestora de casos”); neutral forms when not said."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    read_only = forms.BooleanField(label=_("Read only"), required=False)


class MembershipForm(VersionedForm):
    """A plain form (not a ModelForm) so the service sees the old values and logs the change."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    grammatical_gender = forms.ChoiceField(
        label=_("How to address them"),
        choices=GrammaticalGender.choices,
        required=False,
        help_text=_("Role names agree with it (“Gestora de casos”); neutral forms when not said."),
    )
    read_only = forms.BooleanField(label=_("Read only"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False)
    is_psychosocial_lead = forms.BooleanField(
        label=_("Psychosocial lead"),
        required=False,
        help_text=_("Receives every risk alert of the organization and those nobody acknowledged in time."),
    )

    def clean(self):
        data = super().clean()
        if data.get("is_psychosocial_lead") and data.get("role") != Role.PSYCHOSOCIAL:
            self.add_error(
                "is_psychosocial_lead", _("Only a psychosocial professional can be the psychosocial lead.")
            )
        return data


class NotificationsForm(forms.Form):
    notification_mode = forms.ChoiceField(
        label=_("How do you want to hear about work that arrives?"),
        choices=NotificationMode.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Messages never carry a person's name or details, only a link. Risk alerts always arrive at once."
        ),
    )


class ActionLogFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *action_choices()]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("What it is for, e.g. “KoboToolbox sync”.")
    )
    scope = forms.ChoiceField(label=_("Access"), choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("1 year"))],
        initial=90,
    )
