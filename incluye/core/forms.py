"""Every form of the project speaks the design system (GOV.UK Frontend) without each form saying
so: one form renderer gives every field its label, hint, error message and classes, and the
error summary that leads to the fields. Settings: FORM_RENDERER = "incluye.core.forms.FormRenderer".

Dates and months in the browser's pickers are always ISO ("2026-12-05", "2026-03"), whatever the
language of the page: the locale never reaches an <input type=date> or <input type=month>."""

import datetime

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

ISO_FORMATS = {"date": "%Y-%m-%d", "datetime-local": "%Y-%m-%dT%H:%M", "month": "%Y-%m", "time": "%H:%M"}

# The design system's class for each kind of widget (by Django's input_type, or the widget's class).
WIDGET_CLASSES = {
    "select": "govuk-select",
    "selectmultiple": "govuk-select app-select-multiple",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
    "radio": "govuk-radios__input",
}
WIDTHS = {"date": "govuk-input--width-10", "month": "govuk-input--width-10", "number": "govuk-input--width-5"}


class MonthInput(forms.DateInput):
    """<input type=month> (year and month), always ISO; browsers without it show a text field
    that accepts "2026-03" or "03/2026"."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__({"placeholder": _("YYYY-MM"), "pattern": r"\d{4}-\d{2}", **(attrs or {})}, "%Y-%m")


class MonthField(forms.DateField):
    """A month, as the first day of that month."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%m/%Y", "%m-%Y", "%Y/%m"]
    default_error_messages = {"invalid": _("Enter a month as year and month, for example 2026-03.")}

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        return super().to_python(value)


class DesignSystemBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        kind = getattr(widget, "input_type", None) or self.widget_type
        base = WIDGET_CLASSES.get(kind) or WIDGET_CLASSES.get(self.widget_type)
        if base is None and not widget.is_hidden:
            base = "govuk-input"
            if kind in WIDTHS and "class" not in widget.attrs:
                base += f" {WIDTHS[kind]}"
        if base and "govuk-" not in str(attrs.get("class", "")):
            attrs["class"] = f"{base} {attrs.get('class', '')}".strip()
        if self.errors and base and base.split()[0] in {"govuk-input", "govuk-select", "govuk-textarea"}:
            attrs["class"] += f" {base.split()[0]}--error"
        if self.errors and base == "govuk-file-upload":
            attrs["class"] += " govuk-file-upload--error"
        return attrs

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        kind = (widget.attrs.get("type") if widget.attrs else None) or getattr(widget, "input_type", None)
        if kind in ISO_FORMATS and isinstance(
            widget, forms.DateInput | forms.DateTimeInput | forms.TimeInput
        ):
            widget.format = ISO_FORMATS[kind]
        return super().as_widget(widget, attrs, only_initial)

    @property
    def is_checkbox(self):
        return isinstance(self.field.widget, forms.CheckboxInput)

    @property
    def is_choice_list(self):
        return isinstance(self.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = DesignSystemBoundField
