"""Screening instruments (RHS-15, WHO-5, PHQ-9, GAD-7) as data, and their scoring.

Each instrument is one JSON file in `data/instruments/`: its text in Spanish and English, its items
with their answer options, and its scoring rules. The rules are data so that a country can move a
cut-off without touching code; this module only interprets them. Pure Python: no models, no database.

The "scoring" object of a file:

    "total":       {"items": ["1", "2", ...]}      items summed into the total
    "percent":     {"multiply_total_by": 4}        optional (WHO-5): percent = total × factor
    "thermometer": {"item": "15"}                  optional (RHS-15): an item reported on its own
    "positive":    CONDITION                       when the screen is positive
    "flags":       [{"code", "when": CONDITION, "urgent"?, "positive"?, "level"?}, ...]   optional
    "bands":       [{"code", "label": {"es", "en"}, "when": CONDITION}, ..., {"code", "label"}]
    "levels":      [{"when": CONDITION, "level": LEVEL}, ..., {"level": LEVEL}]
    "alerts":      [{"code", "label": {"es", "en"}, "when": CONDITION | "bands": [band codes]}, ...]
                   optional: answers that signal risk raise an alert on the case (PHQ-9 item 9
                   above 0, the RHS-15 thermometer at its cut-off, each instrument's severe band)
    "note":        free text for the people who maintain the file (allowed anywhere, ignored)

A CONDITION is {"any": [CONDITION, ...]}, {"all": [CONDITION, ...]}, {"positive": true|false}
(bands and levels only: the screen's positivity, flags included), or a comparison:

    {"value": "total" | "percent" | "thermometer" | "item:<id>",
     "at_least" | "at_most" | "more_than" | "less_than" | "equals": <number>,
     "reason": {"es": "...", "en": "..."}}      optional; may use {value} and {threshold}

Order of evaluation: positive, then flags (a flag can make the screen positive and urgent), then
the first band and the first level whose condition holds (the last of each has no condition), then
the alerts (a condition, or the band found). The suggested level is the highest of that level and
the flags' levels. Reasons are the texts of the comparisons that made positive, a flag or the
chosen level hold, in the order flags, positive, level.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import get_language, gettext, ngettext

from incluye.core.text import pick_language

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "data" / "instruments"
LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "es"

# The IASC mental health and psychosocial support (MHPSS) intervention pyramid, from its base up.
LEVELS: dict[str, dict[str, str]] = {
    "basic_services": {"es": "Servicios básicos y seguridad", "en": "Basic services and security"},
    "community_support": {
        "es": "Apoyos de la comunidad y de la familia",
        "en": "Community and family supports",
    },
    "focused_support": {
        "es": "Apoyos focalizados, no especializados",
        "en": "Focused, non-specialized supports",
    },
    "specialized_care": {"es": "Servicios especializados", "en": "Specialized services"},
}
_LEVEL_RANK = {code: rank for rank, code in enumerate(LEVELS)}

_OPERATORS = {
    "at_least": lambda a, b: a >= b,
    "at_most": lambda a, b: a <= b,
    "more_than": lambda a, b: a > b,
    "less_than": lambda a, b: a < b,
    "equals": lambda a, b: a == b,
}


# --------------------------------------------------------------------------------------- errors
class UnknownInstrument(LookupError):
    """No data file for that instrument code."""


class InstrumentDataError(ValueError):
    """A data file does not follow the format; raised when it is loaded, never while scoring."""


class IncompleteAnswers(ValueError):
    """Some items have no answer; `missing` lists their ids in the instrument's order."""

    def __init__(self, missing: list[str]):
        self.missing = list(missing)
        message = ngettext(
            "Item %(items)s has no answer.", "Items %(items)s have no answer.", len(self.missing)
        ) % {"items": ", ".join(self.missing)}
        super().__init__(message)


class InvalidAnswer(ValueError):
    """An answer is not a whole number in the item's range, or names an item the instrument lacks
    (then `allowed` is None)."""

    def __init__(self, item_id: str, value: Any, allowed: range | None, *, instrument: str = ""):
        self.item_id, self.value, self.allowed = item_id, value, allowed
        if allowed is None:
            message = gettext("%(instrument)s has no item %(item)s.") % {
                "instrument": instrument,
                "item": item_id,
            }
        else:
            message = gettext(
                "Item %(item)s: %(value)r is not a valid answer; choose a whole number from %(min)s to %(max)s."
            ) % {"item": item_id, "value": value, "min": allowed.start, "max": allowed.stop - 1}
        super().__init__(message)


# ------------------------------------------------------------------------------------- language
def active_language() -> str:
    """'es' or 'en' from the active language ('en-us' -> 'en'); anything else is Spanish."""
    code = (get_language() or DEFAULT_LANGUAGE).split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


localized = pick_language  # the text in the active language, or the Spanish one when it has none


def level_label(code: str) -> str:
    return localized(LEVELS[code])


# ---------------------------------------------------------------------------------- data classes
@dataclass(frozen=True)
class Option:
    value: int
    labels: dict[str, str]

    @property
    def label(self) -> str:
        return localized(self.labels)


@dataclass(frozen=True)
class Item:
    id: str
    texts: dict[str, str]
    min: int
    max: int
    options: tuple[Option, ...]
    section_texts: dict[str, str] | None = None  # a heading shown before this item (RHS-15)

    @property
    def text(self) -> str:
        return localized(self.texts)

    @property
    def section(self) -> str:
        return localized(self.section_texts) if self.section_texts else ""

    @property
    def allowed(self) -> range:
        return range(self.min, self.max + 1)


@dataclass(frozen=True)
class Instrument:
    code: str
    version: str
    names: dict[str, str]
    items: tuple[Item, ...]
    scoring: dict[str, Any]
    source: str = ""  # where the instrument and its wording come from: a note for maintainers
    instruction_texts: dict[str, str] | None = None
    attribution_texts: dict[str, str] | None = None  # what the form must say, in each language

    @property
    def name(self) -> str:
        return localized(self.names)

    @property
    def attribution(self) -> str:
        """The credit and terms the form shows, in the reader's language."""
        return localized(self.attribution_texts) if self.attribution_texts else ""

    @property
    def instructions(self) -> str:
        return localized(self.instruction_texts) if self.instruction_texts else ""

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


@dataclass(frozen=True)
class ScreeningResult:
    instrument: str
    version: str
    total: int
    percent: int | float | None  # WHO-5
    thermometer: int | None  # RHS-15
    band: str
    band_label: str
    positive: bool
    urgent: bool
    suggested_level: str
    reasons: list[str]
    flags: list[str]  # codes of the flags that fired, e.g. "self_harm", "depression_assessment"
    alerts: list[str] = ()  # codes of the alert rules that fired: the case needs a risk alert

    @property
    def alert(self) -> bool:
        return bool(self.alerts)

    @property
    def suggested_level_label(self) -> str:
        return level_label(self.suggested_level)


# --------------------------------------------------------------------------------------- loading
def _normalize(code: str) -> str:
    """'RHS-15', 'rhs15', 'Rhs 15' -> 'rhs15' (also the file name, so nothing else reaches the disk)."""
    return re.sub(r"[^a-z0-9]", "", str(code).lower())


def load_instrument(code: str) -> Instrument:
    """The instrument with that code ('PHQ-9' or 'phq9'), read once per process."""
    return _load(_normalize(code))


@functools.cache
def _available() -> frozenset[str]:
    """The instruments shipped, by file name: what a request names is looked up here, never on the
    disk (a 300-character slug is unknown, not an OSError)."""
    return frozenset(path.stem for path in INSTRUMENTS_DIR.glob("*.json"))


@functools.cache
def _load(key: str) -> Instrument:
    if key not in _available():
        raise UnknownInstrument(key[:40])
    path = INSTRUMENTS_DIR / f"{key}.json"
    instrument = instrument_from_dict(json.loads(path.read_text(encoding="utf-8")), where=path.name)
    if _normalize(instrument.code) != key:
        raise InstrumentDataError(f"{path.name}: code {instrument.code!r} does not match the file name")
    return instrument


def all_instruments() -> list[Instrument]:
    """Every instrument in the data folder, by code."""
    instruments = [load_instrument(path.stem) for path in INSTRUMENTS_DIR.glob("*.json")]
    return sorted(instruments, key=lambda instrument: instrument.code)


def clear_cache() -> None:
    """Forget the loaded files (after one was edited in a running process)."""
    _load.cache_clear()
    _available.cache_clear()


def instrument_from_dict(data: dict[str, Any], *, where: str = "instrument") -> Instrument:
    """Build and check an instrument from its data (what a file holds)."""
    check = _Checker(where)
    check.that(isinstance(data, dict), "must be a JSON object")
    check.texts(data.get("name"), "name")
    check.that(isinstance(data.get("code"), str) and data["code"], "code is required")
    check.that(isinstance(data.get("version"), str) and data["version"], "version is required")
    if "instructions" in data:
        check.texts(data["instructions"], "instructions")
    if "attribution" in data:
        check.texts(data["attribution"], "attribution")
    check.that(isinstance(data.get("items"), list) and data["items"], "items must be a non-empty list")
    items = []
    for n, raw in enumerate(data["items"]):
        items.append(_item_from_dict(raw, check.at(f"items[{n}]")))
    ids = [item.id for item in items]
    check.that(len(set(ids)) == len(ids), "item ids must be unique")
    scoring = data.get("scoring")
    check.that(isinstance(scoring, dict), "scoring is required")
    _check_scoring(scoring, {item.id: item for item in items}, check.at("scoring"))
    return Instrument(
        code=data["code"],
        version=data["version"],
        names=dict(data["name"]),
        items=tuple(items),
        scoring=scoring,
        source=data.get("source", ""),
        instruction_texts=dict(data["instructions"]) if "instructions" in data else None,
        attribution_texts=dict(data["attribution"]) if "attribution" in data else None,
    )


class _Checker:
    """Raises InstrumentDataError naming the file and the place in it ('phq9.json: scoring.bands[2]')."""

    def __init__(self, where: str, path: str = ""):
        self.where, self.path = where, path

    def at(self, path: str) -> _Checker:
        return _Checker(self.where, f"{self.path}.{path}" if self.path else path)

    def that(self, condition: Any, message: str) -> None:
        if not condition:
            place = f"{self.where}: {self.path}" if self.path else self.where
            raise InstrumentDataError(f"{place}: {message}")

    def texts(self, texts: Any, what: str, *, placeholders: bool = False) -> None:
        self.that(isinstance(texts, dict), f"{what} must be an object with 'es' and 'en' texts")
        for language in LANGUAGES:
            text = texts.get(language)
            self.that(isinstance(text, str) and text.strip(), f"{what} has no {language!r} text")
            if placeholders:
                try:
                    text.format(value=0, threshold=0)
                except (KeyError, IndexError, ValueError) as error:
                    self.that(
                        False, f"{what} ({language}): only {{value}} and {{threshold}} may be used ({error})"
                    )

    def is_int(self, value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)


def _item_from_dict(raw: Any, check: _Checker) -> Item:
    check.that(isinstance(raw, dict), "must be an object")
    check.that(isinstance(raw.get("id"), str) and raw["id"], "id must be a non-empty string")
    check.texts(raw.get("text"), "text")
    if "section" in raw:
        check.texts(raw["section"], "section")
    lo, hi = raw.get("min"), raw.get("max")
    check.that(
        check.is_int(lo) and check.is_int(hi) and lo <= hi, "min and max must be whole numbers, min ≤ max"
    )
    options = []
    for n, option in enumerate(raw.get("options") or []):
        check.that(
            isinstance(option, dict) and check.is_int(option.get("value")), f"options[{n}] needs a value"
        )
        check.texts(option.get("label"), f"options[{n}].label")
        options.append(Option(value=option["value"], labels=dict(option["label"])))
    values = sorted(option.value for option in options)
    check.that(values == list(range(lo, hi + 1)), f"options must give each value from {lo} to {hi} once")
    return Item(
        id=raw["id"],
        texts=dict(raw["text"]),
        min=lo,
        max=hi,
        options=tuple(options),
        section_texts=dict(raw["section"]) if "section" in raw else None,
    )


def _check_scoring(scoring: dict, items: dict[str, Item], check: _Checker) -> None:
    known = {"note", "total", "percent", "thermometer", "positive", "flags", "bands", "levels", "alerts"}
    check.that(not set(scoring) - known, f"unknown keys {sorted(set(scoring) - known)}")
    total = scoring.get("total")
    check.that(isinstance(total, dict) and isinstance(total.get("items"), list), "total.items is required")
    for item_id in total["items"]:
        check.that(item_id in items, f"total: no item {item_id!r}")
    quantities = {"total"} | {f"item:{item_id}" for item_id in items}
    if "percent" in scoring:
        factor = scoring["percent"].get("multiply_total_by") if isinstance(scoring["percent"], dict) else None
        check.that(_is_number(factor), "percent.multiply_total_by must be a number")
        quantities.add("percent")
    if "thermometer" in scoring:
        item_id = scoring["thermometer"].get("item") if isinstance(scoring["thermometer"], dict) else None
        check.that(item_id in items, "thermometer.item must name an item")
        check.that(item_id not in total["items"], "the thermometer item is not part of the total")
        quantities.add("thermometer")

    _check_condition(scoring.get("positive"), quantities, check.at("positive"), allow_positive=False)
    check.that(isinstance(scoring.get("flags", []), list), "flags must be a list")
    for n, flag in enumerate(scoring.get("flags", [])):
        at = check.at(f"flags[{n}]")
        at.that(
            isinstance(flag, dict) and isinstance(flag.get("code"), str) and flag["code"], "code is required"
        )
        at.that(not set(flag) - {"note", "code", "when", "urgent", "positive", "level"}, "unknown keys")
        at.that(isinstance(flag.get("urgent", False), bool), "urgent must be true or false")
        at.that(isinstance(flag.get("positive", False), bool), "positive must be true or false")
        at.that(flag.get("level", "basic_services") in LEVELS, f"level must be one of {list(LEVELS)}")
        _check_condition(flag.get("when"), quantities, at.at("when"), allow_positive=False)
    for key, what in (("bands", "label"), ("levels", "level")):
        entries = scoring.get(key)
        check.that(isinstance(entries, list) and entries, f"{key} must be a non-empty list")
        for n, entry in enumerate(entries):
            at = check.at(f"{key}[{n}]")
            at.that(isinstance(entry, dict), "must be an object")
            last = n == len(entries) - 1
            at.that(("when" in entry) != last, "every entry but the last needs 'when'; the last has none")
            if not last:
                _check_condition(entry["when"], quantities, at.at("when"), allow_positive=True)
            if key == "bands":
                at.that(isinstance(entry.get("code"), str) and entry["code"], "code is required")
                at.that(not set(entry) - {"note", "code", "label", "when"}, "unknown keys")
                at.texts(entry.get("label"), what)
            else:
                at.that(entry.get("level") in LEVELS, f"level must be one of {list(LEVELS)}")
                at.that(not set(entry) - {"note", "when", "level"}, "unknown keys")
    band_codes = {entry.get("code") for entry in scoring["bands"]}
    check.that(isinstance(scoring.get("alerts", []), list), "alerts must be a list")
    codes = set()
    for n, alert in enumerate(scoring.get("alerts", [])):
        at = check.at(f"alerts[{n}]")
        at.that(
            isinstance(alert, dict) and isinstance(alert.get("code"), str) and alert["code"],
            "code is required",
        )
        at.that(alert["code"] not in codes, "alert codes must be unique")
        codes.add(alert["code"])
        at.that(not set(alert) - {"note", "code", "label", "when", "bands"}, "unknown keys")
        at.texts(alert.get("label"), "label")
        at.that(("when" in alert) != ("bands" in alert), "give either 'when' or 'bands'")
        if "when" in alert:
            _check_condition(alert["when"], quantities, at.at("when"), allow_positive=False)
        else:
            at.that(
                isinstance(alert["bands"], list) and alert["bands"] and set(alert["bands"]) <= band_codes,
                f"bands must name some of {sorted(band_codes)}",
            )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_condition(cond: Any, quantities: set[str], check: _Checker, *, allow_positive: bool) -> None:
    check.that(isinstance(cond, dict) and cond, "a condition must be a non-empty object")
    keys = set(cond) - {"note"}
    if keys & {"any", "all"}:
        (group,) = keys & {"any", "all"}
        check.that(keys == {group}, f"'{group}' stands alone")
        check.that(isinstance(cond[group], list) and cond[group], f"'{group}' must be a non-empty list")
        for n, child in enumerate(cond[group]):
            _check_condition(child, quantities, check.at(f"{group}[{n}]"), allow_positive=allow_positive)
    elif "positive" in keys:
        check.that(allow_positive, "'positive' may only be used in bands and levels")
        check.that(
            keys == {"positive"} and isinstance(cond["positive"], bool), "'positive' must be true or false"
        )
    else:
        check.that(cond.get("value") in quantities, f"value must be one of {sorted(quantities)}")
        ops = keys & set(_OPERATORS)
        check.that(len(ops) == 1, f"give exactly one of {list(_OPERATORS)}")
        check.that(_is_number(cond[next(iter(ops))]), "the threshold must be a number")
        check.that(
            not keys - ops - {"value", "reason"}, f"unknown keys {sorted(keys - ops - {'value', 'reason'})}"
        )
        if "reason" in cond:
            check.texts(cond["reason"], "reason", placeholders=True)


# --------------------------------------------------------------------------------------- scoring
def score(instrument: Instrument, answers: dict[str, int]) -> ScreeningResult:
    """Score a complete set of answers ({item id: value}); reasons and labels in the active language."""
    _validate(instrument, answers)
    rules = instrument.scoring
    total = sum(answers[item_id] for item_id in rules["total"]["items"])
    values: dict[str, int | float] = {"total": total}
    values.update({f"item:{item_id}": answer for item_id, answer in answers.items()})
    percent = thermometer = None
    if "percent" in rules:
        percent = values["percent"] = total * rules["percent"]["multiply_total_by"]
    if "thermometer" in rules:
        thermometer = values["thermometer"] = answers[rules["thermometer"]["item"]]

    positive_reasons: list[str] = []
    positive = _holds(rules["positive"], values, positive_reasons)
    urgent = False
    flags: list[str] = []
    flag_reasons: list[str] = []
    flag_levels: list[str] = []
    for flag in rules.get("flags", []):
        if _holds(flag["when"], values, flag_reasons):
            flags.append(flag["code"])
            urgent = urgent or flag.get("urgent", False)
            positive = positive or flag.get("positive", False)
            if "level" in flag:
                flag_levels.append(flag["level"])
    values["positive"] = positive

    band = next(entry for entry in rules["bands"] if "when" not in entry or _holds(entry["when"], values))
    level_reasons: list[str] = []
    level = next(
        entry["level"]
        for entry in rules["levels"]
        if "when" not in entry or _holds(entry["when"], values, level_reasons)
    )
    suggested = max([level, *flag_levels], key=_LEVEL_RANK.__getitem__)
    reasons = list(dict.fromkeys(flag_reasons + positive_reasons + level_reasons))
    alerts = [
        alert["code"]
        for alert in rules.get("alerts", [])
        if (band["code"] in alert["bands"] if "bands" in alert else _holds(alert["when"], values))
    ]
    return ScreeningResult(
        instrument=instrument.code,
        version=instrument.version,
        total=total,
        percent=percent,
        thermometer=thermometer,
        band=band["code"],
        band_label=localized(band["label"]),
        positive=positive,
        urgent=urgent,
        suggested_level=suggested,
        reasons=reasons,
        flags=flags,
        alerts=alerts,
    )


def alert_labels(instrument: Instrument, codes) -> list[str]:
    """The labels of the alert rules `codes` of an instrument, in the active language."""
    labels = {alert["code"]: alert["label"] for alert in instrument.scoring.get("alerts", [])}
    return [localized(labels[code]) for code in codes if code in labels]


def _validate(instrument: Instrument, answers: dict[str, int]) -> None:
    items = {item.id: item for item in instrument.items}
    for item in instrument.items:
        if item.id in answers:
            value = answers[item.id]
            if not (isinstance(value, int) and not isinstance(value, bool)) or value not in item.allowed:
                raise InvalidAnswer(item.id, value, item.allowed, instrument=instrument.code)
    for item_id, value in answers.items():
        if item_id not in items:
            raise InvalidAnswer(str(item_id), value, None, instrument=instrument.code)
    missing = [item.id for item in instrument.items if item.id not in answers]
    if missing:
        raise IncompleteAnswers(missing)


def _holds(cond: dict, values: dict[str, Any], reasons: list[str] | None = None) -> bool:
    """Whether the condition holds; appends the reasons of the comparisons that made it hold."""
    if "any" in cond or "all" in cond:
        found: list[str] = []
        children = cond.get("any") or cond.get("all")
        results = [_holds(child, values, found) for child in children]
        held = any(results) if "any" in cond else all(results)
        if held and reasons is not None:
            reasons.extend(found)
        return held
    if "positive" in cond:
        return values["positive"] == cond["positive"]
    op = next(key for key in cond if key in _OPERATORS)
    value, threshold = values[cond["value"]], cond[op]
    held = _OPERATORS[op](value, threshold)
    if held and reasons is not None and "reason" in cond:
        reasons.append(localized(cond["reason"]).format(value=value, threshold=threshold))
    return held
