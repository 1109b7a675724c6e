"""Every form of the project speaks the design system (GOV.UK Frontend) without each form saying
so: one form renderer gives every field its label, hint, error message and classes, and the
error summary that leads to the fields. Settings: FORM_RENDERER = "incluye.core.forms.FormRenderer".

Dates and months in the browser's pickers are always ISO ("2026-12-05", "2026-03"), whatever the
language of the page: the locale never reaches an <input type=date> or <input type=month>.

Also: uploads judged by their content (`checked_upload`) and forms that carry the version of the
record they edit (`VersionedForm`, `save_with`), so that no change is silently lost."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from incluye.core.uploads import Refused, detect

# Django's own empty choice of a <select>: its Spanish catalogue has no translation yet, so ours
# carries it (project catalogues come first).
EMPTY_CHOICE = _("- Select an option -")

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


class DateParts(forms.MultiWidget):
    """A date a person knows by heart (a birth date) as three boxes, day, month and year, as the
    design system advises: the browser's date picker shows its own language's order ("mm/dd/yyyy"
    on an English browser) and makes a birth date forty years back a long way to scroll.

    The value it reads is the three parts as typed, or, where the data carries the field's own
    name (an import's row, the API, a test), that value as it is."""

    template_name = "forms/date_parts.html"
    PARTS = ("day", "month", "year")
    # The boxes an error is about ("no_year": the year's); any other error is about the date.
    ERROR_PARTS = {"no_day": ("day",), "no_month": ("month",), "no_year": ("year",)}
    parts_in_error = PARTS

    def __init__(self, attrs=None):
        widths = {"day": 2, "month": 2, "year": 4}
        super().__init__(
            {
                part: forms.TextInput(
                    attrs={
                        "class": f"govuk-input govuk-date-input__input govuk-input--width-{widths[part]}",
                        "inputmode": "numeric",
                        "autocomplete": "off",
                        "maxlength": widths[part],
                    }
                )
                for part in self.PARTS
            },
            attrs,
        )

    def widgets_by_part(self):
        return zip(self.PARTS, self.widgets, strict=True)

    def decompress(self, value):
        # Strings, never numbers: a year must not pass through the locale ("1.985").
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value:
            year, _sep, rest = value.partition("-")
            month, _sep, day = rest.partition("-")
            return [day, month, year]
        return ["", "", ""]

    def id_for_label(self, id_):
        # The error summary leads to the first box.
        return f"{id_}_day" if id_ else id_

    def value_from_datadict(self, data, files, name):
        if name in data:
            return data[name]
        parts = [str(data.get(f"{name}_{part}") or "").strip() for part in self.PARTS]
        return parts if any(parts) else ""

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
        wrong = self.parts_in_error if context["widget"]["attrs"].get("aria-invalid") else ()
        for (part, widget), subwidget in zip(
            self.widgets_by_part(), context["widget"]["subwidgets"], strict=True
        ):
            subwidget["label"] = labels[part]
            subwidget["attrs"]["class"] = widget.attrs["class"] + (
                " govuk-input--error" if part in wrong else ""
            )
            if subwidget["attrs"].get("id"):  # Django numbers them (_0, _1, _2): named as the data
                subwidget["attrs"]["id"] = f"{context['widget']['attrs']['id']}_{part}"
        return context


class DatePartsField(forms.DateField):
    """A date typed as day, month and year (`DateParts`). With `partial=True` (a birth date a
    person knows only roughly) the day, or the day and the month, may be left empty: the date is
    then the first of the month or of the year, and `precision()` says which."""

    widget = DateParts
    default_error_messages = {
        "invalid": _("Write a real date, for example 27 3 1985."),
        "no_year": _("Write the year, in four digits."),
        "no_month": _("Write the month, as a number from 1 to 12."),
        "no_day": _("Write the day."),
    }

    def __init__(self, *, partial=False, **kwargs):
        self.partial = partial
        super().__init__(**kwargs)

    def to_python(self, value):
        if not isinstance(value, list | tuple):
            return super().to_python(value)
        if len(value) != 3:  # not the three boxes: an API call that sent some other list
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        day, month, year = (str(part).strip() for part in value)
        if not any((day, month, year)):
            return None
        if not year or not year.isdigit() or len(year) != 4:
            raise ValidationError(self.error_messages["no_year"], code="no_year")
        if not month and (day or not self.partial):
            raise ValidationError(self.error_messages["no_month"], code="no_month")
        if not day and not self.partial:
            raise ValidationError(self.error_messages["no_day"], code="no_day")
        try:
            return datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    @staticmethod
    def precision(value) -> str | None:
        """ "day", "month" or "year" for the parts typed; None for a whole date given as one value."""
        if not isinstance(value, list | tuple) or len(value) != 3 or not any(value):
            return None
        day, month, _year = (str(part).strip() for part in value)
        return "day" if day else "month" if month else "year"


class DesignSystemBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if isinstance(widget, DateParts):
            # Each box has its class from the widget; the error's marks the boxes it is about.
            codes = {error.code for error in self.errors.as_data()}
            widget.parts_in_error = sorted(
                {part for code in codes for part in DateParts.ERROR_PARTS.get(code, DateParts.PARTS)}
            )
            return attrs
        kind = getattr(widget, "input_type", None) or self.widget_type
        base = WIDGET_CLASSES.get(kind) or WIDGET_CLASSES.get(self.widget_type)
        if base is None and not widget.is_hidden:
            base = "govuk-input"
            if kind in WIDTHS and "class" not in widget.attrs:
                base += f" {WIDTHS[kind]}"
        # The widget's own classes (a width) are kept: the attrs built here win over the widget's.
        own = str(attrs.get("class") or widget.attrs.get("class") or "")
        if base and base.split()[0] not in own.split():
            attrs["class"] = f"{base} {own}".strip()
        elif own:
            attrs["class"] = own
        if self.errors and base and base.split()[0] in {"govuk-input", "govuk-select", "govuk-textarea"}:
            attrs["class"] += f" {base.split()[0]}--error"
        if base == "govuk-file-upload":
            if self.errors:
                attrs["class"] += " govuk-file-upload--error"
            # The enhanced upload (forms/field.html) hides the input behind its button: a hidden
            # required input would stop the form without a word. The server says what is missing.
            attrs.pop("required", None)
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
    def is_file(self):
        return isinstance(self.field.widget, forms.FileInput)

    @property
    def is_choice_list(self):
        return isinstance(self.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = DesignSystemBoundField


REQUIRED, DESIRED = "required", "desired"


class ImportanceWidget(forms.Widget):
    """A short list of options, each with a three-way choice (not asked / desired / required):
    one row per option, one radio group per row (`<name>-<option>`), instead of two long
    multi-selects that need Ctrl-click and say the same list twice."""

    template_name = "forms/importance.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = []

    def value_from_datadict(self, data, files, name):
        chosen = {}
        for value, _label in self.choices:
            level = data.get(f"{name}-{value}")
            if level in (REQUIRED, DESIRED):
                chosen[str(value)] = level
        return chosen

    def value_omitted_from_data(self, data, files, name):
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = value or {}
        base = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"]["rows"] = [
            {
                "value": str(option),
                "label": label,
                "name": f"{name}-{option}",
                "id": f"{base}-{index}",
                "level": value.get(str(option), ""),
            }
            for index, (option, label) in enumerate(self.choices)
        ]
        return context


class ImportanceField(forms.Field):
    """{option: "required" | "desired"} for the options offered (others are ignored)."""

    widget = ImportanceWidget
    default_error_messages = {"invalid_choice": _("Choose among the options offered.")}

    def __init__(self, *, choices=(), **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.choices = choices

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = [(str(k), v) for k, v in value]
        self.widget.choices = self._choices

    def to_python(self, value):
        return dict(value or {})

    def validate(self, value):
        super().validate(value)
        offered = {k for k, _label in self.choices}
        if set(value) - offered:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")

    def split(self, value) -> tuple[list, list]:
        """(required, desired): the options in each, in the order offered."""
        order = [k for k, _label in self.choices]
        value = value or {}
        return (
            [k for k in order if value.get(k) == REQUIRED],
            [k for k in order if value.get(k) == DESIRED],
        )


def checked_upload(upload, *, allowed: set[str], message):
    """The uploaded file if its content really is one of `allowed` (see `core.uploads`), renamed to
    a generated name with the detected extension; otherwise a ValidationError with `message`."""
    if not upload:
        return upload
    try:
        detected = detect(upload, allowed=allowed)
    except Refused as error:
        raise forms.ValidationError(message, code="file_type") from error
    upload.name = detected.safe_name()
    upload.content_type = detected.content_type
    return upload


class VersionedForm(forms.Form):
    """A form that edits a stored record: it carries the version the user read (hidden), so that a
    save over someone else's change is refused (core.versioning) instead of silently overwriting it.

    On a conflict the view calls `form.stale(error)`: the form keeps everything typed, says what
    changed, and now carries the current version, so that saving again keeps the user's values on
    purpose."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        if record is not None:
            self.fields["version"].initial = record.version
        else:  # the same form adding a new record: there is no version yet
            self.fields["version"].required = False

    def stale(self, error) -> None:
        self.add_error(None, error.message)
        data = self.data.copy()
        data[self.add_prefix("version")] = str(error.current)
        self.data = data

    def save_with(self, write, /, **data) -> bool:
        """Call `write(expected_version=…, **data)` (default data: the cleaned fields but the
        version). False when the record changed meanwhile: the form then says so (`stale`)."""
        return save_with(self, write, **data)


def save_with(form, write, /, **data) -> bool:
    """`VersionedForm.save_with` for any form with a `version` field (a ModelForm too)."""
    from incluye.core.versioning import StaleRecord

    values = data or {k: v for k, v in form.cleaned_data.items() if k != "version"}
    try:
        write(expected_version=form.cleaned_data["version"], **values)
    except StaleRecord as error:
        stale(form, error)
        return False
    return True


def stale(form, error) -> None:
    """Say on `form` that the record changed meanwhile, keeping what was typed."""
    VersionedForm.stale(form, error)
