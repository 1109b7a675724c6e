from django import forms
from django.utils.translation import gettext_lazy as _

from incluye.cases.models import CASE_PIPELINE, CaseStatus, ClosureReason, Sensitivity
from incluye.core.forms import VersionedForm

# Several forms share the case page: each has its own prefix, so every id on the page is unique
# and each label focuses its own field (the task's "Due on" is not the goal's).


class MoveForm(VersionedForm):
    prefix = "move"
    to_status = forms.ChoiceField(label=_("Next stage"))
    note = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, record=case, **kwargs)
        labels = dict(CaseStatus.choices)
        self.fields["to_status"].choices = [
            (s, labels[s]) for s in CASE_PIPELINE.allowed(case.status) if s != CaseStatus.CLOSED
        ]


class CloseForm(VersionedForm):
    prefix = "close"
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=ClosureReason.choices)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, record=case, **kwargs)


class NoteForm(forms.Form):
    prefix = "note"
    sensitivity = forms.ChoiceField(label=_("Who may read it"), choices=Sensitivity.choices)
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(Sensitivity.GENERAL, Sensitivity.GENERAL.label)]
        if membership.can("notes.psychosocial"):
            choices.append((Sensitivity.PSYCHOSOCIAL, Sensitivity.PSYCHOSOCIAL.label))
            self.fields["sensitivity"].initial = Sensitivity.PSYCHOSOCIAL
        self.fields["sensitivity"].choices = choices


class TaskForm(forms.Form):
    prefix = "task"
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(
        label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class DocumentForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"))
    appointment_at = forms.DateTimeField(
        label=_("Appointment"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    appointment_place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args, document, **kwargs):
        from incluye.cases.models import DOCUMENT_PIPELINE, DocumentStatus

        super().__init__(*args, record=document, **kwargs)
        labels = dict(DocumentStatus.choices)
        allowed = [document.status, *DOCUMENT_PIPELINE.allowed(document.status)]
        self.fields["status"].choices = [(s, labels[s]) for s in allowed]
        self.fields["status"].initial = document.status
        self.fields["appointment_at"].initial = document.appointment_at
        self.fields["appointment_place"].initial = document.appointment_place
        self.prefix = f"doc{document.pk}"

    def clean(self):
        data = super().clean()
        if data.get("status") == "appointment" and not data.get("appointment_at"):
            self.add_error("appointment_at", _("Write the date and time of the appointment."))
        return data


class ScanForm(forms.Form):
    """One per document on the case page: its prefix names the document (`scan<document id>`)."""

    file = forms.FileField(label=_("Scan (PDF, JPEG or PNG, up to 10 MB)"))


class ScreeningForm(forms.Form):
    """One field per item of an instrument, built from its data."""

    def __init__(self, *args, instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            label = f"{item.id}. {item.text}"
            if item.options:
                self.fields[f"item_{item.id}"] = forms.TypedChoiceField(
                    label=label,
                    choices=[(o.value, o.label) for o in item.options],
                    coerce=int,
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[f"item_{item.id}"] = forms.IntegerField(
                    label=label, min_value=item.min, max_value=item.max
                )

    def answers(self) -> dict[str, int]:
        return {name.removeprefix("item_"): value for name, value in self.cleaned_data.items()}


class FollowUpForm(VersionedForm):
    """One field per question of the reintegration survey, from its data; every question may be
    left unanswered (a partial survey is kept as such)."""

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        for question in survey.questions:
            self.fields[f"q_{question.id}"] = forms.ChoiceField(
                label=question.text, choices=[("", "—"), *question.choices], required=False
            )

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("q_"): value
            for name, value in self.cleaned_data.items()
            if value and name.startswith("q_")
        }


class GoalForm(forms.Form):
    prefix = "goal"
    title = forms.CharField(label=_("Goal"), max_length=200)
    due_on = forms.DateField(
        label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class AlertAcknowledgeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SafetyPlanForm(forms.Form):
    """The country's checklist (data) as checkboxes, and a note; `complete` closes the plan."""

    done = forms.MultipleChoiceField(
        label=_("Steps done"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Notes of the safety plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only psychosocial professionals read them."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        from incluye.core.text import pick_language

        self.fields["done"].choices = [
            (
                item["code"],
                pick_language(item["label"])
                + ("" if item.get("required") else " " + str(_("(if it applies)"))),
            )
            for item in checklist
        ]
