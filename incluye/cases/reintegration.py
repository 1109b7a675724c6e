"""Reintegration follow-up survey: the questionnaire as versioned data, and its scores.

At 3, 6 and 12 months after return a caseworker asks the questions of the survey, modelled on IOM's
Reintegration Sustainability Survey (RSS). The questions, their options, the score of each option,
the weight of each question within its dimension and the weight of each dimension are DATA, in
`data/reintegration_survey_v<version>.json`: a country adjusts them by publishing a new version,
never by editing one already used to score surveys.

Scoring, all on 0–1:

- a dimension's score is the weighted mean of the scores of its answered questions (question
  weights are relative within the dimension). An answer whose score is null ("prefers not to
  answer", "has no school-age children") is left out: neither its score nor its weight counts.
  A dimension with nothing to average is None;
- the composite is the weighted mean of the dimension scores that exist, the dimension weights
  renormalized over them; None when no dimension has a score;
- options that need a caseworker's attention carry a "flag" text; the result lists them.

Scores keep full precision; `ReintegrationScore.as_dict()` rounds them to 3 decimals for storage.

Pure Python: no models and no database; texts come out in the active language (Spanish fallback).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext as _

from incluye.core.text import pick_language

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("es", "en")
QUESTION_TYPES = ("single",)
DIMENSION_WEIGHTS_TOLERANCE = 0.001

_TOP_KEYS = {"code", "version", "name", "source", "dimensions", "questions"}
_DIMENSION_KEYS = {"code", "name", "weight"}
_QUESTION_KEYS = {"id", "dimension", "text", "type", "options", "weight"}
_OPTION_KEYS = {"value", "label", "score", "flag"}
_VERSION_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


class InvalidAnswer(ValueError):
    """An answer names a question the survey does not have, or an option the question does not offer.

    The message is translated; `question_id` and `value` say what was refused.
    """

    def __init__(self, message: str, *, question_id: str, value: Any = None):
        super().__init__(message)
        self.question_id = question_id
        self.value = value


class SurveyDataError(ValueError):
    """The survey data file is inconsistent (for whoever edits the data, not for end users)."""

    def __init__(self, problems: list[str]):
        super().__init__("The reintegration survey data is inconsistent:\n- " + "\n- ".join(problems))
        self.problems = problems


localized = pick_language  # the text in the active language, falling back to Spanish


def _texts(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


# --- The survey ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    labels: Mapping[str, str]
    score: float | None
    flags: Mapping[str, str] | None = None

    @property
    def label(self) -> str:
        return localized(self.labels)

    @property
    def flag(self) -> str | None:
        """The attention flag in the active language, or None when this answer raises none."""
        return localized(self.flags) if self.flags else None


@dataclass(frozen=True)
class Question:
    id: str
    dimension: str
    texts: Mapping[str, str]
    type: str
    options: tuple[Option, ...]
    weight: float

    @property
    def text(self) -> str:
        return localized(self.texts)

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(value, label) pairs in the active language, e.g. for a form field."""
        return [(option.value, option.label) for option in self.options]

    def option(self, value: str | int) -> Option:
        """The option answered by `value` (an int matches the option whose value is its digits)."""
        if not isinstance(value, bool) and isinstance(value, (str, int)):
            key = str(value).strip()
            for option in self.options:
                if option.value == key:
                    return option
        raise InvalidAnswer(
            _(
                "“%(value)s” is not an answer to the question “%(question)s”. "
                "The possible answers are: %(options)s."
            )
            % {
                "value": value,
                "question": self.id,
                "options": ", ".join(option.value for option in self.options),
            },
            question_id=self.id,
            value=value,
        )


@dataclass(frozen=True)
class Dimension:
    code: str
    names: Mapping[str, str]
    weight: float

    @property
    def name(self) -> str:
        return localized(self.names)


@dataclass(frozen=True)
class Survey:
    code: str
    version: str
    names: Mapping[str, str]
    source: str
    dimensions: tuple[Dimension, ...]
    questions: tuple[Question, ...]
    _by_id: Mapping[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_by_id", MappingProxyType({q.id: q for q in self.questions}))

    @property
    def name(self) -> str:
        return localized(self.names)

    def question(self, question_id: str) -> Question:
        """The question with this id; InvalidAnswer (translated) when the survey has none."""
        try:
            return self._by_id[question_id]
        except (KeyError, TypeError):
            raise InvalidAnswer(
                _("The survey %(survey)s (version %(version)s) has no question “%(question)s”.")
                % {"survey": self.code, "version": self.version, "question": question_id},
                question_id=question_id,
            ) from None

    def dimension(self, code: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.code == code:
                return dimension
        raise KeyError(code)

    def questions_in(self, dimension_code: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.dimension == dimension_code)


# --- Loading and validation ---------------------------------------------------------------------


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_texts(problems: list[str], where: str, key: str, value) -> None:
    if not isinstance(value, Mapping):
        problems.append(f"{where}: “{key}” must be an object with the texts in {', '.join(LANGUAGES)}")
        return
    for language in LANGUAGES:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: “{key}” has no {language} text")


def _check_keys(problems: list[str], where: str, item: Mapping, allowed: set[str], required: set[str]):
    for key in sorted(required - item.keys()):
        problems.append(f"{where}: “{key}” is missing")
    for key in sorted(item.keys() - allowed):
        problems.append(f"{where}: unknown key “{key}”")


def validate_survey_data(data) -> list[str]:
    """Every inconsistency of a survey data file, as readable lines; [] when it is consistent."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        return ["the survey data must be a JSON object"]
    _check_keys(problems, "survey", data, _TOP_KEYS, _TOP_KEYS)
    for key in ("code", "version", "source"):
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            problems.append(f"survey: “{key}” must be a non-empty string")
    if "name" in data:
        _check_texts(problems, "survey", "name", data["name"])

    dimensions = data.get("dimensions")
    dimension_codes: set[str] = set()
    if not isinstance(dimensions, list) or not dimensions:
        problems.append("survey: “dimensions” must be a non-empty list")
        dimensions = []
    weights = []
    for index, dimension in enumerate(dimensions):
        where = f"dimensions[{index}]"
        if not isinstance(dimension, Mapping):
            problems.append(f"{where}: must be an object")
            continue
        code = dimension.get("code")
        if isinstance(code, str) and code:
            where = f"dimension “{code}”"
            if code in dimension_codes:
                problems.append(f"{where}: the code is used twice")
            dimension_codes.add(code)
        _check_keys(problems, where, dimension, _DIMENSION_KEYS, _DIMENSION_KEYS)
        if "code" in dimension and not (isinstance(code, str) and code):
            problems.append(f"{where}: “code” must be a non-empty string")
        if "name" in dimension:
            _check_texts(problems, where, "name", dimension["name"])
        weight = dimension.get("weight")
        if "weight" in dimension:
            if _is_number(weight) and weight > 0:
                weights.append(weight)
            else:
                problems.append(f"{where}: the weight must be a number greater than 0, not {weight!r}")
    if (
        weights
        and len(weights) == len(dimensions)
        and abs(math.fsum(weights) - 1) > DIMENSION_WEIGHTS_TOLERANCE
    ):
        problems.append(
            f"dimensions: the weights add up to {math.fsum(weights):g}; they must add up to 1 "
            f"(± {DIMENSION_WEIGHTS_TOLERANCE:g})"
        )

    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.append("survey: “questions” must be a non-empty list")
        questions = []
    seen_ids: set[str] = set()
    scored_dimensions: set[str] = set()
    for index, question in enumerate(questions):
        where = f"questions[{index}]"
        if not isinstance(question, Mapping):
            problems.append(f"{where}: must be an object")
            continue
        question_id = question.get("id")
        if isinstance(question_id, str) and question_id:
            where = f"question “{question_id}”"
            if question_id in seen_ids:
                problems.append(f"{where}: the id is used twice")
            seen_ids.add(question_id)
        elif "id" in question:
            problems.append(f"{where}: “id” must be a non-empty string")
        _check_keys(problems, where, question, _QUESTION_KEYS, _QUESTION_KEYS)
        dimension_code = question.get("dimension")
        if "dimension" in question and dimension_code not in dimension_codes:
            problems.append(f"{where}: unknown dimension {dimension_code!r}")
        if "text" in question:
            _check_texts(problems, where, "text", question["text"])
        if "type" in question and question["type"] not in QUESTION_TYPES:
            problems.append(
                f"{where}: unknown type {question['type']!r} (known: {', '.join(QUESTION_TYPES)})"
            )
        weight = question.get("weight")
        if "weight" in question and not (_is_number(weight) and weight > 0):
            problems.append(f"{where}: the weight must be a number greater than 0, not {weight!r}")

        options = question.get("options")
        if "options" in question and (not isinstance(options, list) or len(options) < 2):
            problems.append(f"{where}: “options” must be a list of at least two options")
            options = []
        values: set[str] = set()
        has_score = False
        for option_index, option in enumerate(options or []):
            option_where = f"{where}, options[{option_index}]"
            if not isinstance(option, Mapping):
                problems.append(f"{option_where}: must be an object")
                continue
            value = option.get("value")
            if isinstance(value, str) and value.strip() == value and value:
                option_where = f"{where}, option “{value}”"
                if value in values:
                    problems.append(f"{option_where}: the value is used twice")
                values.add(value)
            elif "value" in option:
                problems.append(f"{option_where}: “value” must be a non-empty string without outer spaces")
            _check_keys(problems, option_where, option, _OPTION_KEYS, {"value", "label", "score"})
            if "label" in option:
                _check_texts(problems, option_where, "label", option["label"])
            score = option.get("score")
            if score is not None and not (_is_number(score) and 0 <= score <= 1):
                problems.append(f"{option_where}: the score must be between 0 and 1, or null; not {score!r}")
            elif score is not None:
                has_score = True
            if "flag" in option:
                _check_texts(problems, option_where, "flag", option["flag"])
        if options and not has_score:
            problems.append(f"{where}: no option has a score, so the question can never count")
        if has_score and dimension_code in dimension_codes:
            scored_dimensions.add(dimension_code)

    for code in sorted(dimension_codes - scored_dimensions):
        problems.append(f"dimension “{code}”: no question can give it a score")
    return problems


def survey_from_data(data: Mapping) -> Survey:
    """A Survey from parsed survey data (a data file, or a modified copy); SurveyDataError if inconsistent."""
    problems = validate_survey_data(data)
    if problems:
        raise SurveyDataError(problems)
    return Survey(
        code=data["code"],
        version=data["version"],
        names=_texts(data["name"]),
        source=data["source"],
        dimensions=tuple(
            Dimension(code=d["code"], names=_texts(d["name"]), weight=float(d["weight"]))
            for d in data["dimensions"]
        ),
        questions=tuple(
            Question(
                id=q["id"],
                dimension=q["dimension"],
                texts=_texts(q["text"]),
                type=q["type"],
                weight=float(q["weight"]),
                options=tuple(
                    Option(
                        value=o["value"],
                        labels=_texts(o["label"]),
                        score=None if o["score"] is None else float(o["score"]),
                        flags=_texts(o["flag"]) if o.get("flag") else None,
                    )
                    for o in q["options"]
                ),
            )
            for q in data["questions"]
        ),
    )


def survey_path(version: str = "1") -> Path:
    version = str(version)
    if not _VERSION_RE.fullmatch(version):
        raise LookupError(f"Invalid reintegration survey version {version!r}")
    return DATA_DIR / f"reintegration_survey_v{version}.json"


def load_survey(version: str | int = "1") -> Survey:
    """The bundled survey of this version (read and validated once per process)."""
    return _load_survey(str(version))


@cache
def _load_survey(version: str) -> Survey:
    path = survey_path(version)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LookupError(f"There is no reintegration survey version {version!r} ({path.name})") from None
    survey = survey_from_data(data)
    if survey.version != version:
        raise SurveyDataError([f"{path.name} says it is version {survey.version!r}, not {version!r}"])
    return survey


# --- Scoring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension
    score: float | None
    answered: int  # questions with an answer, including "prefers not to answer"
    scored: int  # answers that count in the score (their option has a score)
    total: int  # questions of the dimension

    @property
    def code(self) -> str:
        return self.dimension.code

    @property
    def name(self) -> str:
        return self.dimension.name

    @property
    def complete(self) -> bool:
        return self.answered == self.total


@dataclass(frozen=True)
class FlaggedAnswer:
    question: Question
    option: Option

    @property
    def text(self) -> str:
        return localized(self.option.flags)


@dataclass(frozen=True)
class ReintegrationScore:
    survey_code: str
    survey_version: str
    dimensions: tuple[DimensionScore, ...]
    composite: float | None
    flagged: tuple[FlaggedAnswer, ...]

    def dimension(self, code: str) -> DimensionScore:
        for dimension_score in self.dimensions:
            if dimension_score.code == code:
                return dimension_score
        raise KeyError(code)

    @property
    def answered(self) -> int:
        return sum(d.answered for d in self.dimensions)

    @property
    def total(self) -> int:
        return sum(d.total for d in self.dimensions)

    @property
    def complete(self) -> bool:
        """Every question of the survey was answered ("prefers not to answer" is an answer)."""
        return all(d.complete for d in self.dimensions)

    @property
    def flags(self) -> list[str]:
        """What needs attention, in the active language, in the order of the survey, each once."""
        return list(dict.fromkeys(flagged.text for flagged in self.flagged))

    def as_dict(self) -> dict:
        """For storage (JSON): scores rounded to 3 decimals, flags by question and answer with their texts."""
        return {
            "survey": self.survey_code,
            "version": self.survey_version,
            "composite": _round(self.composite),
            "complete": self.complete,
            "dimensions": {
                d.code: {
                    "score": _round(d.score),
                    "answered": d.answered,
                    "scored": d.scored,
                    "total": d.total,
                }
                for d in self.dimensions
            },
            "flags": [
                {"question": f.question.id, "answer": f.option.value, "text": dict(f.option.flags)}
                for f in self.flagged
            ],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """Mean of (weight, score) pairs; None without any."""
    total_weight = math.fsum(weight for weight, _score in pairs)
    if not pairs or total_weight <= 0:
        return None
    return math.fsum(weight * score for weight, score in pairs) / total_weight


def score_survey(survey: Survey, answers: Mapping[str, str | int | None]) -> ReintegrationScore:
    """Score the answers {question id: option value} of one follow-up.

    Missing answers (absent, None or "") are allowed: the survey may be partial. An unknown
    question or option raises InvalidAnswer.
    """
    chosen: dict[str, Option] = {}
    for question_id, value in answers.items():
        question = survey.question(question_id)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        chosen[question_id] = question.option(value)

    dimension_scores = []
    for dimension in survey.dimensions:
        questions = survey.questions_in(dimension.code)
        answered = [(q, chosen[q.id]) for q in questions if q.id in chosen]
        pairs = [(q.weight, option.score) for q, option in answered if option.score is not None]
        dimension_scores.append(
            DimensionScore(
                dimension=dimension,
                score=_weighted_mean(pairs),
                answered=len(answered),
                scored=len(pairs),
                total=len(questions),
            )
        )
    composite = _weighted_mean(
        [(d.dimension.weight, d.score) for d in dimension_scores if d.score is not None]
    )
    flagged = tuple(
        FlaggedAnswer(question=q, option=chosen[q.id])
        for q in survey.questions
        if q.id in chosen and chosen[q.id].flags
    )
    return ReintegrationScore(
        survey_code=survey.code,
        survey_version=survey.version,
        dimensions=tuple(dimension_scores),
        composite=composite,
        flagged=flagged,
    )
