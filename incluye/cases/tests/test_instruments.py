"""Screening instruments: what a psychosocial professional gets from a set of answers — the score,
the band, whether the screen is positive or urgent, the suggested level on the IASC pyramid and
the reasons — in Spanish by default and in English when asked. No database needed."""

import json
import re

import pytest
from django.utils import translation

from incluye.cases.instruments import (
    INSTRUMENTS_DIR,
    LEVELS,
    IncompleteAnswers,
    InstrumentDataError,
    InvalidAnswer,
    UnknownInstrument,
    all_instruments,
    instrument_from_dict,
    load_instrument,
    score,
)

RHS15 = load_instrument("RHS-15")
WHO5 = load_instrument("WHO-5")
PHQ9 = load_instrument("PHQ-9")
GAD7 = load_instrument("GAD-7")


def answers_summing_to(instrument, total, *, among=None, rest=None):
    """Answers whose sum over `among` (default: every item) is `total`, filling items in order with
    their maximum; the other items get the values in `rest` (default 0)."""
    among = among or [item.id for item in instrument.items]
    answers = {item.id: 0 for item in instrument.items} | (rest or {})
    left = total
    for item_id in among:
        answers[item_id] = min(left, instrument.item(item_id).max)
        left -= answers[item_id]
    assert left == 0, f"{instrument.code} cannot reach {total} with {among}"
    return answers


def rhs(symptom_sum, thermometer):
    return answers_summing_to(
        RHS15, symptom_sum, among=[str(n) for n in range(1, 15)], rest={"15": thermometer}
    )


def phq(total, self_harm=0):
    return answers_summing_to(
        PHQ9, total - self_harm, among=[str(n) for n in range(1, 9)], rest={"9": self_harm}
    )


# ---------------------------------------------------------------------------------------- RHS-15
def test_rhs15_is_positive_at_a_sum_of_12():
    result = score(RHS15, rhs(12, 0))
    assert (result.total, result.thermometer) == (12, 0)
    assert result.positive and not result.urgent
    assert result.band == "positive"
    assert result.suggested_level == "focused_support"
    assert result.reasons == ["Suma de los ítems 1 a 14: 12 (punto de corte: 12)"]


def test_rhs15_is_negative_at_11_with_thermometer_4():
    result = score(RHS15, rhs(11, 4))
    assert (result.total, result.thermometer) == (11, 4)
    assert not result.positive
    assert result.band == "negative"
    assert result.band_label == "Tamizaje negativo"
    assert result.suggested_level == "community_support"
    assert result.reasons == []


def test_rhs15_is_positive_with_thermometer_5_alone():
    result = score(RHS15, rhs(0, 5))
    assert result.total == 0
    assert result.positive
    assert result.suggested_level == "focused_support"
    assert result.reasons == ["Termómetro de malestar: 5 (punto de corte: 5)"]


def test_rhs15_the_thermometer_is_not_added_to_the_total():
    result = score(RHS15, rhs(11, 10))
    assert (result.total, result.thermometer) == (11, 10)
    assert result.percent is None


def test_rhs15_worked_example_gives_both_reasons():
    # Pains, sadness and too many thoughts, some trauma symptoms, copes with some things; distress 6.
    answers = dict(
        zip([str(n) for n in range(1, 16)], [3, 2, 3, 1, 0, 1, 2, 1, 0, 1, 1, 0, 2, 2, 6], strict=True)
    )
    result = score(RHS15, answers)
    assert (result.total, result.thermometer) == (19, 6)
    assert result.positive and result.band == "positive"
    assert result.reasons == [
        "Suma de los ítems 1 a 14: 19 (punto de corte: 12)",
        "Termómetro de malestar: 6 (punto de corte: 5)",
    ]


def test_rhs15_thermometer_goes_to_10_and_symptoms_to_4():
    assert score(RHS15, rhs(56, 10)).total == 56
    for item_id, value in (("1", 5), ("14", 5), ("15", 11)):
        with pytest.raises(InvalidAnswer):
            score(RHS15, rhs(0, 0) | {item_id: value})


# ----------------------------------------------------------------------------------------- WHO-5
def who5(raw):
    return answers_summing_to(WHO5, raw)


def test_who5_raw_12_is_48_percent_low_wellbeing():
    result = score(WHO5, who5(12))
    assert (result.total, result.percent) == (12, 48)
    assert result.band == "low_wellbeing"
    assert result.band_label == "Bienestar bajo"
    assert result.positive and not result.urgent
    assert result.suggested_level == "focused_support"
    assert result.flags == []
    assert result.reasons == ["Índice de bienestar: 48 % (bienestar bajo con 50 % o menos)"]


def test_who5_7_is_28_percent_likely_depression():
    result = score(WHO5, who5(7))
    assert (result.total, result.percent) == (7, 28)
    assert result.band == "likely_depression"
    assert result.positive and not result.urgent
    assert result.suggested_level == "focused_support"
    assert result.flags == ["depression_assessment"]
    assert "derivar para evaluación de depresión" in result.reasons[0]


def test_who5_8_is_32_percent_low_wellbeing_without_the_depression_flag():
    result = score(WHO5, who5(8))
    assert (result.percent, result.band, result.flags) == (32, "low_wellbeing", [])


def test_who5_13_is_52_percent_adequate():
    result = score(WHO5, who5(13))
    assert (result.total, result.percent) == (13, 52)
    assert result.band == "adequate"
    assert not result.positive
    assert result.suggested_level == "community_support"
    assert result.reasons == []


@pytest.mark.parametrize(("raw", "percent", "band"), [(0, 0, "likely_depression"), (25, 100, "adequate")])
def test_who5_extremes(raw, percent, band):
    result = score(WHO5, who5(raw))
    assert (result.percent, result.band) == (percent, band)


# ----------------------------------------------------------------------------------------- PHQ-9
@pytest.mark.parametrize(
    ("total", "band", "positive", "level"),
    [
        (0, "minimal", False, "community_support"),
        (4, "minimal", False, "community_support"),
        (5, "mild", False, "community_support"),
        (9, "mild", False, "community_support"),
        (10, "moderate", True, "focused_support"),
        (14, "moderate", True, "focused_support"),
        (15, "moderately_severe", True, "focused_support"),
        (19, "moderately_severe", True, "focused_support"),
        (20, "severe", True, "specialized_care"),
        (24, "severe", True, "specialized_care"),
    ],
)
def test_phq9_band_boundaries(total, band, positive, level):
    result = score(PHQ9, phq(total))
    assert result.total == total
    assert (result.band, result.positive, result.suggested_level) == (band, positive, level)
    assert not result.urgent


def test_phq9_any_self_harm_answer_is_urgent_even_with_a_low_total():
    result = score(PHQ9, phq(1, self_harm=1))
    assert result.total == 1
    assert result.band == "minimal"
    assert result.urgent
    assert result.positive  # so that a follow-up task is always created
    assert result.suggested_level == "specialized_care"
    assert result.flags == ["self_harm"]
    assert result.reasons == [
        "Respondió 1 en el ítem 9 (pensamientos de muerte o de hacerse daño): "
        "valorar el riesgo de suicidio de inmediato"
    ]


def test_phq9_self_harm_reason_comes_first_and_the_total_still_counts():
    result = score(PHQ9, phq(27, self_harm=3))
    assert (result.total, result.band, result.urgent) == (27, "severe", True)
    assert result.reasons[0].startswith("Respondió 3 en el ítem 9")
    assert "Puntaje total del PHQ-9: 27 (punto de corte: 10)" in result.reasons


def test_phq9_a_moderate_total_without_self_harm_is_not_urgent():
    result = score(PHQ9, phq(12))
    assert (result.positive, result.urgent, result.flags) == (True, False, [])
    assert result.reasons == ["Puntaje total del PHQ-9: 12 (punto de corte: 10)"]


# ----------------------------------------------------------------------------------------- GAD-7
@pytest.mark.parametrize(
    ("total", "band", "positive", "level"),
    [
        (0, "minimal", False, "community_support"),
        (4, "minimal", False, "community_support"),
        (5, "mild", False, "community_support"),
        (9, "mild", False, "community_support"),
        (10, "moderate", True, "focused_support"),
        (14, "moderate", True, "focused_support"),
        (15, "severe", True, "specialized_care"),
        (21, "severe", True, "specialized_care"),
    ],
)
def test_gad7_band_boundaries(total, band, positive, level):
    result = score(GAD7, answers_summing_to(GAD7, total))
    assert result.total == total
    assert (result.band, result.positive, result.suggested_level) == (band, positive, level)
    assert not result.urgent and result.percent is None and result.thermometer is None


def test_gad7_severe_explains_the_specialized_level():
    result = score(GAD7, answers_summing_to(GAD7, 16))
    assert result.reasons == [
        "Puntaje total del GAD-7: 16 (punto de corte: 10)",
        "Puntaje total de 16 (15 o más): se sugieren servicios especializados",
    ]


# ------------------------------------------------------------------------------- refused answers
def test_a_missing_answer_is_reported_by_item():
    answers = phq(5)
    del answers["3"], answers["7"]
    with pytest.raises(IncompleteAnswers) as caught:
        score(PHQ9, answers)
    assert caught.value.missing == ["3", "7"]
    assert isinstance(caught.value, ValueError)
    with translation.override("en"):
        with pytest.raises(IncompleteAnswers, match=r"^Items 3, 7 have no answer\.$"):
            score(PHQ9, answers)
        with pytest.raises(IncompleteAnswers, match=r"^Item 15 has no answer\.$"):
            score(RHS15, {str(n): 0 for n in range(1, 15)})


@pytest.mark.parametrize(("item_id", "value"), [("2", 4), ("2", -1), ("9", 99)])
def test_an_out_of_range_answer_is_refused(item_id, value):
    with pytest.raises(InvalidAnswer) as caught:
        score(PHQ9, phq(0) | {item_id: value})
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.item_id, error.value, error.allowed) == (item_id, value, range(0, 4))
    with translation.override("en"):
        message = str(InvalidAnswer(item_id, value, range(0, 4)))
    assert message == f"Item {item_id}: {value} is not a valid answer; choose a whole number from 0 to 3."


@pytest.mark.parametrize("value", ["2", 2.0, True, None])
def test_an_answer_that_is_not_a_whole_number_is_refused(value):
    with pytest.raises(InvalidAnswer) as caught:
        score(GAD7, answers_summing_to(GAD7, 0) | {"4": value})
    assert caught.value.item_id == "4"
    assert caught.value.value is value


def test_an_answer_to_an_item_the_instrument_does_not_have_is_refused():
    with pytest.raises(InvalidAnswer) as caught:
        score(GAD7, answers_summing_to(GAD7, 0) | {"8": 1})
    assert (caught.value.item_id, caught.value.allowed) == ("8", None)
    with translation.override("en"):
        assert str(InvalidAnswer("8", 1, None, instrument="GAD-7")) == "GAD-7 has no item 8."


# ------------------------------------------------------------------------------------- languages
def test_instruments_have_spanish_and_english_text_for_every_item():
    def both(texts):
        return all(isinstance(texts.get(lang), str) and texts[lang].strip() for lang in ("es", "en"))

    instruments = all_instruments()
    assert [i.code for i in instruments] == ["GAD-7", "PHQ-9", "RHS-15", "WHO-5"]
    for instrument in instruments:
        assert both(instrument.names) and both(instrument.instruction_texts), instrument.code
        assert instrument.source
        for item in instrument.items:
            assert both(item.texts), (instrument.code, item.id)
            assert item.texts["es"] != item.texts["en"], (instrument.code, item.id)
            assert all(both(option.labels) for option in item.options), (instrument.code, item.id)
        assert all(both(band["label"]) for band in instrument.scoring["bands"]), instrument.code
    assert all(set(labels) == {"es", "en"} for labels in LEVELS.values())


def test_results_are_in_english_when_asked():
    with translation.override("en"):
        result = score(PHQ9, phq(12, self_harm=2))
        assert PHQ9.name == "Patient Health Questionnaire-9 (PHQ-9)"
        assert (
            PHQ9.item("9").text
            == "Thoughts that you would be better off dead or of hurting yourself in some way"
        )
        assert PHQ9.item("1").options[3].label == "Nearly every day"
        assert result.suggested_level_label == "Specialized services"
    assert result.band_label == "Moderate"
    assert result.reasons == [
        "Answered 2 on item 9 (thoughts of death or self-harm): assess suicide risk immediately",
        "PHQ-9 total score: 12 (cut-off 10)",
    ]


def test_results_are_in_spanish_by_default():
    result = score(PHQ9, phq(12))
    assert result.band_label == "Moderada"
    assert result.suggested_level_label == "Apoyos focalizados, no especializados"
    assert PHQ9.item("1").text == "Poco interés o placer en hacer cosas"
    assert WHO5.item("1").section == "Durante las últimas dos semanas…"


@pytest.mark.parametrize(
    ("language", "expected"), [("en-us", "Moderate"), ("es-gt", "Moderada"), ("fr", "Moderada")]
)
def test_regional_languages_pick_their_base_and_others_fall_back_to_spanish(language, expected):
    with translation.override(language):
        assert score(PHQ9, phq(12)).band_label == expected


# ---------------------------------------------------------------------------------- data and API
def test_instruments_load_by_any_spelling_of_their_code_and_once():
    assert load_instrument("phq9") is load_instrument("PHQ-9") is PHQ9
    assert [item.id for item in RHS15.items] == [str(n) for n in range(1, 16)]
    with pytest.raises(UnknownInstrument):
        load_instrument("../../settings")


def test_the_data_files_are_utf8_with_two_space_indent():
    for path in sorted(INSTRUMENTS_DIR.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n", path.name


def test_levels_are_the_iasc_pyramid_from_its_base():
    assert list(LEVELS) == ["basic_services", "community_support", "focused_support", "specialized_care"]
    assert LEVELS["focused_support"]["en"] == "Focused, non-specialized supports"


def raw_data(name):
    return json.loads((INSTRUMENTS_DIR / name).read_text(encoding="utf-8"))


def test_a_country_can_move_a_cut_off_in_the_data_without_code():
    data = raw_data("phq9.json")
    data["scoring"]["positive"]["at_least"] = 8
    adjusted = instrument_from_dict(data)
    result = score(adjusted, phq(8))
    assert result.positive
    assert result.reasons == ["Puntaje total del PHQ-9: 8 (punto de corte: 8)"]
    assert not score(PHQ9, phq(8)).positive  # the shipped instrument is untouched


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["positive"].update({"at_lest": s["positive"].pop("at_least")}), "exactly one of"),
        (lambda s: s["positive"].update({"reasons": {}}), "unknown keys"),
        (lambda s: s["levels"][1].update({"level": "hospital"}), "level must be one of"),
        (lambda s: s["bands"].pop(), "the last has none"),
        (lambda s: s["positive"].update({"value": "item:10"}), "value must be one of"),
        (
            lambda s: s["positive"].update({"reason": {"es": "{total}", "en": "x"}}),
            "only {value} and {threshold}",
        ),
        (lambda s: s["flags"][0].update({"when": {"positive": True}}), "only be used in bands and levels"),
    ],
)
def test_a_mistake_in_the_data_is_caught_when_it_is_loaded(change, message):
    data = raw_data("phq9.json")
    change(data["scoring"])
    with pytest.raises(InstrumentDataError, match=re.escape(message)):
        instrument_from_dict(data, where="phq9.json")


def test_an_item_whose_options_do_not_cover_its_range_is_caught():
    data = raw_data("gad7.json")
    data["items"][0]["max"] = 4
    with pytest.raises(InstrumentDataError, match=r"items\[0\]: options must give each value from 0 to 4"):
        instrument_from_dict(data, where="gad7.json")
