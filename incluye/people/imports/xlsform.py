"""Our own arrivals forms, for offline intake: an XLSForm generated from the import's fields and
choices — of returnees (`fields.ARRIVALS`) or of people arriving in the country
(`fields.FOREIGN_ARRIVALS`) — for one country — its departments and municipalities (the municipality
list filtered by the department), its identity documents, the needs — in Spanish and English.

Loaded into KoboToolbox or ODK Collect, it registers arrivals at a border post without a network;
its exports (any style) and its pulls come back in with no mapping at all, because its question
names are the fields' names and its choice names are our codes."""

import hashlib
import io
import json

from django.utils import translation

from incluye.core.text import pick_language
from incluye.people.imports.fields import (
    CHOICE,
    DATE,
    DEPARTMENT,
    DOCUMENT_TYPE,
    INTEGER,
    MULTIPLE,
    MUNICIPALITY,
    NONE,
    YES_NO,
    ImportKind,
)
from incluye.people.models import Language

LANGUAGES = (("es", "Español (es)"), ("en", "English (en)"))
SURVEY_COLUMNS = [
    "type",
    "name",
    *(f"label::{name}" for _c, name in LANGUAGES),
    *(f"hint::{name}" for _c, name in LANGUAGES),
    "required",
    "constraint",
    *(f"constraint_message::{name}" for _c, name in LANGUAGES),
    "relevant",
    "choice_filter",
    "default",
    "appearance",
    "hxl",
]
CHOICE_COLUMNS = ["list_name", "name", *(f"label::{name}" for _c, name in LANGUAGES), "department"]
NONE_NAME = "none"  # the "none of them" choice of a multiple choice (its code is empty)
INTEGER_LIMITS = {"months_abroad": (0, 900), "household_size": (1, 40)}
# Each kind of list has its own form: returnees (the form id kept since the first version, so that
# the projects already deployed keep their mappings), and people arriving in the country.
FORMS = {
    "arrivals": {
        "id": "incluye_arrivals",
        "title": {"es": "Registro de llegadas", "en": "Arrivals registration"},
    },
    "foreign_arrivals": {
        "id": "incluye_foreign_arrivals",
        "title": {
            "es": "Registro de personas que llegan al país (solicitantes de refugio, refugiados, migrantes)",
            "en": "Registration of people arriving in the country (asylum seekers, refugees, migrants)",
        },
    },
}
EXTRA_TEXT = {
    "integer": {
        "es": "El valor debe estar entre {low} y {high}.",
        "en": "The value must be between {low} and {high}.",
    },
    "future": {"es": "La fecha no puede ser futura.", "en": "The date cannot be in the future."},
}


def _both(text) -> dict[str, str]:
    labels = {}
    for code, name in LANGUAGES:
        with translation.override(code):
            labels[f"{name}"] = str(text)
    return labels


def _localized(prefix: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}::{name}": texts.get(code, "") for code, name in LANGUAGES}


def build_xlsform(kind: ImportKind, country) -> dict[str, list[dict]]:
    """{"survey": rows, "choices": rows, "settings": rows} for `country` (a core Country)."""
    from incluye.core.models import IdDocumentType

    survey: list[dict] = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "today", "name": "today"},
        {"type": "deviceid", "name": "deviceid"},
    ]
    choices: list[dict] = []
    divisions = list(country.divisions.select_related("parent__parent").order_by("code"))
    deepest = max((d.level for d in divisions), default=0)

    def top_of(division):
        while division.parent_id:
            division = division.parent
        return division

    def add_choices(list_name, options):
        for name, label_texts, extra in options:
            choices.append(
                {"list_name": list_name, "name": name, **_localized("label", label_texts), **(extra or {})}
            )

    group = None
    # A group's questions together (a kind may add questions to a group after another one).
    order = list(dict.fromkeys(field.group for field in kind.fields))
    for field in sorted(kind.fields, key=lambda f: order.index(f.group)):
        if field.group != group:
            if group:
                survey.append({"type": "end_group"})
            group = field.group
            survey.append({"type": "begin_group", "name": group, **_labels(kind.groups.get(group, group))})
        survey.append(_question(field, add_choices, country, divisions, deepest, top_of))
    if group:
        survey.append({"type": "end_group"})
    if kind.member_fields:
        survey.append({"type": "begin_repeat", "name": "household", **_labels(kind.member_label)})
        for field in kind.member_fields:
            survey.append(_question(field, add_choices, country, divisions, deepest, top_of))
        survey.append({"type": "end_repeat"})
    # Document types are the country's own.
    add_choices(
        "document_type",
        [
            (t.code, {"es": t.names.get("es", t.code), "en": t.names.get("en", t.code)}, None)
            for t in IdDocumentType.objects.filter(country=country).order_by("-is_national_id", "code")
        ],
    )
    content = json.dumps([survey, choices], sort_keys=True, default=str).encode()
    version = hashlib.sha256(content).hexdigest()[:10]
    settings_rows = [
        {
            "form_title": f"{pick_language(FORMS[kind.name]['title'], 'es')} — {country.name}",
            "form_id": f"{FORMS[kind.name]['id']}_{country.code.lower()}",
            "version": version,
            "default_language": LANGUAGES[0][1],
        }
    ]
    return {"survey": survey, "choices": choices, "settings": settings_rows}


def _labels(text) -> dict[str, str]:
    return {f"label::{name}": value for name, value in _both(text).items()}


def _asked_languages(options, country) -> list:
    """The languages the country's desks ask about, in its order."""
    by_code = {o.code: o for o in options}
    return [by_code[code] for code in Language.asked_in(country)]


def _question(field, add_choices, country, divisions, deepest, top_of) -> dict:
    row = {"name": field.name, **_labels(field.label)}
    if field.hint:
        row.update({f"hint::{name}": value for name, value in _both(field.hint).items()})
    if field.required:
        row["required"] = "yes"
    if field.hxl:
        row["hxl"] = field.hxl
    list_name = field.name
    if field.kind in (CHOICE, YES_NO):
        row["type"] = f"select_one {list_name}"
        options = field.options
        if field.name == "preferred_language":  # one of those ticked in the question before
            options = _asked_languages(options, country)
            row["choice_filter"] = "selected(${languages}, name)"
            row["relevant"] = "count-selected(${languages}) > 1"
        add_choices(list_name, [(o.code, _both_codes(o.label), None) for o in options])
    elif field.kind == MULTIPLE:
        row["type"] = f"select_multiple {list_name}"
        options = field.options
        if field.name == "languages":
            options = _asked_languages(options, country)
        add_choices(list_name, [(o.code or NONE_NAME, _both_codes(o.label), None) for o in options])
        if any(o.code == NONE for o in field.options):
            row["constraint"] = f"not(selected(., '{NONE_NAME}') and count-selected(.) > 1)"
    elif field.kind == DOCUMENT_TYPE:
        row["type"] = "select_one document_type"
    elif field.kind == DEPARTMENT:
        row["type"] = f"select_one {list_name}"
        add_choices(
            list_name, [(d.code, {"es": d.name, "en": d.name}, None) for d in divisions if d.level == 1]
        )
    elif field.kind == MUNICIPALITY:
        row["type"] = f"select_one {list_name}"
        row["choice_filter"] = "department=${department}"
        add_choices(
            list_name,
            [
                (d.code, {"es": d.name, "en": d.name}, {"department": top_of(d).code})
                for d in divisions
                if d.level == deepest
            ],
        )
    elif field.kind == DATE:
        row["type"] = "date"
        row["constraint"] = ". <= today()"
        row.update(_localized("constraint_message", EXTRA_TEXT["future"]))
        if field.name == "arrived_on":
            row["default"] = "today()"
    elif field.kind == INTEGER:
        row["type"] = "integer"
        low, high = INTEGER_LIMITS.get(field.name, (0, 999))
        row["constraint"] = f". >= {low} and . <= {high}"
        row.update(
            _localized(
                "constraint_message",
                {k: v.format(low=low, high=high) for k, v in EXTRA_TEXT["integer"].items()},
            )
        )
    else:
        row["type"] = "text"
    if field.name == "consent_witness":
        row["relevant"] = "${consent_method} = 'verbal_witness'"
    return row


def _both_codes(label) -> dict[str, str]:
    texts = {}
    for code, _name in LANGUAGES:
        with translation.override(code):
            texts[code] = str(label)
    return texts


def xlsform_workbook(kind: ImportKind, country) -> bytes:
    from openpyxl import Workbook

    sheets = build_xlsform(kind, country)
    book = Workbook()
    book.remove(book.active)
    for name, columns in (
        ("survey", SURVEY_COLUMNS),
        ("choices", CHOICE_COLUMNS),
        ("settings", ["form_title", "form_id", "version", "default_language"]),
    ):
        sheet = book.create_sheet(name)
        sheet.append(columns)
        for row in sheets[name]:
            sheet.append([row.get(column, "") for column in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
