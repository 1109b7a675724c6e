"""Stage 3, map the values: a choice written as its code, its Spanish or English label, a
KoboToolbox choice name ("nna_no_acompanado") or a value the officer mapped; a multiple choice in one
cell (KoboToolbox joins labels with spaces: "Atención médica urgente Mujer embarazada" is two answers,
not five words); a municipality resolved within its department. What cannot be mapped is reported
with the value, so the officer can map it once for every later file."""

from django.utils import translation

from incluye.core.divisions import DivisionIndex
from incluye.core.text import word_key, words
from incluye.people.imports.fields import ImportField

MAX_PHRASE_WORDS = 10


class Choices:
    """Every way one field's options may be written, folded to their words."""

    def __init__(self, field: ImportField, mapped: dict[str, str] | None = None, form_labels=None):
        self.field = field
        self.index: dict[str, str] = {}
        for option in field.options:
            texts = [option.code, *option.aliases]
            for language in ("es", "en"):
                with translation.override(language):
                    texts.append(str(option.label))
            for text in texts:
                key = word_key(text)
                if key:
                    self.index.setdefault(key, option.code)
        # The form's own labels for its choice names (a pull brings the form).
        for name, labels in (form_labels or {}).items():
            code = self.index.get(word_key(name))
            if code is not None:
                for label in labels:
                    self.index.setdefault(word_key(label), code)
        for key, code in (mapped or {}).items():
            self.index[key] = code  # the officer's word wins
        self.phrases = {tuple(key.split()) for key in self.index}
        self.longest = min(max((len(p) for p in self.phrases), default=1), MAX_PHRASE_WORDS)
        self._one: dict[str, str | None] = {}
        self._many: dict[str, tuple[list[str], list[str]]] = {}

    def one(self, value: str) -> str | None:
        # A file repeats the same few values on every row: each is folded once.
        if value not in self._one:
            self._one[value] = self.index.get(word_key(value))
        return self._one[value]

    def many(self, value: str) -> tuple[list[str], list[str]]:
        if value not in self._many:
            self._many[value] = self._many_uncached(value)
        codes, unknown = self._many[value]
        return list(codes), list(unknown)

    def _many_uncached(self, value: str) -> tuple[list[str], list[str]]:
        """(codes, parts not understood). Answers separated by commas or semicolons, or only by
        spaces (KoboToolbox), are found as whole known phrases."""
        whole = self.one(value)
        if whole is not None:
            codes, unknown = [whole], []
        else:
            # Punctuation (commas, semicolons) and spaces alike separate words: the answers are
            # the known phrases that cover the most words.
            codes, unknown = self._segment(words(value))
        result = []
        for code in codes:
            if code and code not in result:
                result.append(code)
        return result, unknown

    def _segment(self, tokens: list[str]) -> tuple[list[str], list[str]]:
        n = len(tokens)
        # best[i] = (unknown words, segments, codes, unknown runs) for tokens[i:]
        best: list[tuple] = [None] * (n + 1)
        best[n] = (0, 0, (), ())
        for i in range(n - 1, -1, -1):
            unk, seg, codes, runs = best[i + 1]
            runs = ((i, runs[0][1]), *runs[1:]) if runs and runs[0][0] == i + 1 else ((i, i + 1), *runs)
            choice = (unk + 1, seg + 1, codes, runs)
            for length in range(1, min(self.longest, n - i) + 1):
                phrase = tuple(tokens[i : i + length])
                if phrase in self.phrases:
                    u, s, c, r = best[i + length]
                    candidate = (u, s + 1, (self.index[" ".join(phrase)], *c), r)
                    if candidate[:2] < choice[:2]:
                        choice = candidate
            best[i] = choice
        _unk, _seg, codes, runs = best[0]
        return list(codes), [" ".join(tokens[a:b]) for a, b in runs]


class ValueMapper:
    """The values of one import, mapped: choices per field and places of one country."""

    def __init__(
        self, fields: dict[str, ImportField], *, country: str, mapped: dict | None = None, form_labels=None
    ):
        """`form_labels`: {field: {choice name: [labels]}} from the KoboToolbox form, when known."""
        mapped = mapped or {}
        labels = form_labels or {}
        self.choices = {
            name: Choices(field, mapped.get(name), labels.get(name))
            for name, field in fields.items()
            if field.options
        }
        self.places = DivisionIndex.for_country(country)
        self.mapped_places = mapped.get("residence", {})
        self.mapped_departments = mapped.get("department", {})
        self._departments: dict = {}
        self._municipalities: dict = {}

    def department(self, value: str) -> tuple[str, str]:
        if value not in self._departments:
            code = self.mapped_departments.get(word_key(value))
            self._departments[value] = (code, "") if code is not None else self.places.department(value)
        return self._departments[value]

    def municipality(self, value: str, department_value: str, department: str) -> tuple[str, str]:
        key = (value, department_value, department)
        if key not in self._municipalities:
            self._municipalities[key] = self._municipality(value, department_value, department)
        return self._municipalities[key]

    def _municipality(self, value: str, department_value: str, department: str) -> tuple[str, str]:
        for key in (f"{word_key(department_value)}|{word_key(value)}", word_key(value)):
            if key in self.mapped_places:
                return self.mapped_places[key], ""
        return self.places.municipality(value, department)


def place_key(value: str, department_value: str = "") -> str:
    return f"{word_key(department_value)}|{word_key(value)}" if department_value else word_key(value)


def form_choice_labels(form: dict) -> dict[str, dict[str, list[str]]]:
    """KoboToolbox form content → {question name: {choice name: [labels]}}, for the questions
    whose choices we may need to read by their labels. Question names are matched later."""
    lists: dict[str, dict[str, list[str]]] = {}
    for choice in form.get("choices", []) or []:
        labels = choice.get("label") or []
        if isinstance(labels, str):
            labels = [labels]
        lists.setdefault(choice.get("list_name", ""), {})[str(choice.get("name", ""))] = [
            label for label in labels if label
        ]
    by_question: dict[str, dict[str, list[str]]] = {}
    for question in form.get("survey", []) or []:
        list_name = question.get("select_from_list_name")
        if list_name in lists:
            by_question[str(question.get("name", ""))] = lists[list_name]
    return by_question
