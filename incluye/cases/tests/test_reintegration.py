"""The reintegration follow-up survey: its data file and its scores (no database)."""

import copy
import json

import pytest
from django.utils import translation

from incluye.cases.reintegration import (
    InvalidAnswer,
    SurveyDataError,
    load_survey,
    score_survey,
    survey_from_data,
    survey_path,
    validate_survey_data,
)


@pytest.fixture
def survey():
    return load_survey("1")


@pytest.fixture
def raw_data():
    """A fresh copy of the bundled data file, free to modify."""
    return json.loads(survey_path("1").read_text(encoding="utf-8"))


def best_answers(survey):
    return {
        q.id: max((o for o in q.options if o.score is not None), key=lambda o: o.score).value
        for q in survey.questions
    }


def worst_answers(survey):
    return {
        q.id: min((o for o in q.options if o.score is not None), key=lambda o: o.score).value
        for q in survey.questions
    }


# A caseworker's follow-up at 6 months, answered in full (see the worked example below).
WORKED_EXAMPLE = {
    # economic
    "eco_income": "casual_work",
    "eco_satisfaction": "dissatisfied",
    "eco_debt": "repaying_with_difficulty",
    "eco_food": "rarely",
    "eco_emergency_money": "formal_loan",
    "eco_housing": "adequate_unstable",
    # social
    "soc_health": "sometimes",
    "soc_education": "no_school_age_children",
    "soc_documents": "valid",
    "soc_justice": "yes_distrusts",
    "soc_support_network": "one_or_two",
    "soc_participation": "never",
    "soc_belonging": "somewhat",
    "soc_discrimination": "sometimes",
    # psychosocial
    "psy_nervous": "several_days",
    "psy_sad": "more_than_half",
    "psy_hopeless": "not_at_all",
    "psy_safety": "somewhat",
    "psy_migrate": "thought_no_plans",
    "psy_support": "receiving",
}


def test_all_best_answers_score_1_in_every_dimension_and_composite(survey):
    result = score_survey(survey, best_answers(survey))

    assert [(d.code, d.score) for d in result.dimensions] == [
        ("economic", 1.0),
        ("social", 1.0),
        ("psychosocial", 1.0),
    ]
    assert result.composite == 1.0
    assert result.complete
    assert result.flags == []


def test_all_worst_answers_score_0(survey):
    result = score_survey(survey, worst_answers(survey))

    assert [d.score for d in result.dimensions] == [0.0, 0.0, 0.0]
    assert result.composite == 0.0
    assert result.complete
    assert "Inseguridad alimentaria" in result.flags


def test_a_worked_example_gives_the_expected_dimension_scores(survey):
    """Computed by hand from reintegration_survey_v1.json (score × weight, divided by the weights).

    Economic (weights 2,1,1,2,1,1 = 8):
      income casual_work 0.5×2 = 1.00; satisfaction dissatisfied 0.25×1; debt repaying_with_difficulty
      0.25×1; food rarely 0.75×2 = 1.50; emergency money formal_loan 0.75×1; housing adequate_unstable
      0.5×1  →  (1 + 0.25 + 0.25 + 1.5 + 0.75 + 0.5) / 8 = 4.25 / 8 = 0.53125
    Social (all weights 1; "no school-age children" has no score and its weight does not count, so 7):
      health sometimes 0.5; documents valid 1; justice yes_distrusts 0.5; support network one_or_two 0.5;
      participation never 0; belonging somewhat 0.5; discrimination sometimes 0.5
      →  3.5 / 7 = 0.5
    Psychosocial (weights 1,1,1,2,2,1 = 8):
      nervous several_days 0.75; sad more_than_half 0.25; hopeless not_at_all 1; safety somewhat 0.5×2;
      migrate thought_no_plans 0.5×2; support receiving 0.75
      →  (0.75 + 0.25 + 1 + 1 + 1 + 0.75) / 8 = 4.75 / 8 = 0.59375
    Composite (dimension weights 0.3333 each, i.e. equal): (0.53125 + 0.5 + 0.59375) / 3 = 1.625 / 3
      = 0.541666…, stored as 0.542.
    """
    result = score_survey(survey, WORKED_EXAMPLE)

    assert result.dimension("economic").score == pytest.approx(4.25 / 8)
    assert result.dimension("social").score == pytest.approx(3.5 / 7)
    assert result.dimension("psychosocial").score == pytest.approx(4.75 / 8)
    assert result.composite == pytest.approx(1.625 / 3)
    assert result.complete
    assert result.flags == []
    social = result.dimension("social")
    assert (social.answered, social.scored, social.total) == (8, 7, 8)
    assert result.as_dict() == {
        "survey": "RSS-INCLUYE",
        "version": "1",
        "composite": 0.542,
        "complete": True,
        "dimensions": {
            "economic": {"score": 0.531, "answered": 6, "scored": 6, "total": 6},
            "social": {"score": 0.5, "answered": 8, "scored": 7, "total": 8},
            "psychosocial": {"score": 0.594, "answered": 6, "scored": 6, "total": 6},
        },
        "flags": [],
    }


def test_prefers_not_to_answer_is_left_out_of_the_average(survey):
    """income formal_job 1.0 (weight 2), food no_answer (weight 2, left out), satisfaction
    very_dissatisfied 0.0 (weight 1): (2×1 + 1×0) / (2 + 1) = 2/3. Counting the refusal as 0 would
    have given 2/5."""
    result = score_survey(
        survey, {"eco_income": "formal_job", "eco_food": "no_answer", "eco_satisfaction": "very_dissatisfied"}
    )

    economic = result.dimension("economic")
    assert economic.score == pytest.approx(2 / 3)
    assert (economic.answered, economic.scored, economic.total) == (3, 2, 6)
    assert not result.complete


def test_a_dimension_without_answers_is_none_and_the_composite_uses_the_others(survey):
    """Economic all best (1), psychosocial all worst (0), social unanswered or refused only:
    composite = (0.3333×1 + 0.3333×0) / (0.3333 + 0.3333) = 0.5."""
    best, worst = best_answers(survey), worst_answers(survey)
    answers = {qid: best[qid] for qid in best if qid.startswith("eco_")}
    answers |= {qid: worst[qid] for qid in worst if qid.startswith("psy_")}
    answers |= {"soc_justice": "no_answer", "soc_health": "", "soc_belonging": None}

    result = score_survey(survey, answers)

    social = result.dimension("social")
    assert social.score is None
    assert (social.answered, social.scored) == (1, 0)
    assert result.composite == pytest.approx(0.5)
    assert result.as_dict()["dimensions"]["social"]["score"] is None
    assert not result.complete
    assert score_survey(survey, {}).composite is None


def test_changing_a_weight_in_the_data_changes_the_score(survey, raw_data):
    """income formal_job 1.0, satisfaction very_dissatisfied 0.0. With the bundled weights 2 and 1:
    2/3. With the income weight raised to 6: 6/7. Psychosocial is 0 (plans to leave), social has no
    answer. Composite with equal dimension weights: (2/3 + 0) / 2 = 1/3; with the dimension weights
    0.5 / 0.25 / 0.25 and the new income weight: (0.5×6/7 + 0.25×0) / 0.75 = 4/7."""
    answers = {
        "eco_income": "formal_job",
        "eco_satisfaction": "very_dissatisfied",
        "psy_migrate": "plans_to_leave",
    }
    assert score_survey(survey, answers).dimension("economic").score == pytest.approx(2 / 3)

    modified = copy.deepcopy(raw_data)
    modified["version"] = "1-test"
    next(q for q in modified["questions"] if q["id"] == "eco_income")["weight"] = 6
    for dimension, weight in zip(modified["dimensions"], [0.5, 0.25, 0.25], strict=True):
        dimension["weight"] = weight
    result = score_survey(survey_from_data(modified), answers)

    assert result.dimension("economic").score == pytest.approx(6 / 7)
    assert result.composite == pytest.approx(4 / 7)
    assert result.survey_version == "1-test"
    # The bundled survey is untouched.
    assert score_survey(load_survey("1"), answers).composite == pytest.approx(1 / 3)


def test_an_unknown_option_is_refused_with_a_clear_message(survey):
    with translation.override("en"), pytest.raises(InvalidAnswer) as refused:
        score_survey(survey, {"eco_food": "a_veces"})
    message = str(refused.value)
    assert "“a_veces” is not an answer to the question “eco_food”" in message
    assert "never, rarely, sometimes, often, no_answer" in message
    assert (refused.value.question_id, refused.value.value) == ("eco_food", "a_veces")
    assert isinstance(refused.value, ValueError)

    with translation.override("en"), pytest.raises(InvalidAnswer, match="has no question “eco_pets”"):
        score_survey(survey, {"eco_pets": "dog"})
    with pytest.raises(InvalidAnswer):
        score_survey(survey, {"eco_food": True})


def test_flags_name_food_insecurity_and_the_wish_to_migrate_again(survey):
    """Two distress items answered "nearly every day" raise one flag, not two; order is the survey's."""
    answers = {
        "eco_food": "often",
        "psy_nervous": "nearly_every_day",
        "psy_sad": "nearly_every_day",
        "psy_migrate": "plans_to_leave",
        "soc_documents": "valid",
    }
    result = score_survey(survey, answers)

    assert result.flags == [
        "Inseguridad alimentaria",
        "Malestar emocional alto",
        "Siente que tiene que volver a migrar",
    ]
    stored = result.as_dict()["flags"]
    assert [(f["question"], f["answer"]) for f in stored] == [
        ("eco_food", "often"),
        ("psy_nervous", "nearly_every_day"),
        ("psy_sad", "nearly_every_day"),
        ("psy_migrate", "plans_to_leave"),
    ]
    assert stored[0]["text"] == {"es": "Inseguridad alimentaria", "en": "Food insecurity"}
    assert score_survey(survey, {"eco_food": "rarely"}).flags == []


def test_the_bundled_survey_is_consistent(survey, raw_data):
    assert validate_survey_data(raw_data) == []
    assert survey.code == "RSS-INCLUYE"
    assert [d.code for d in survey.dimensions] == ["economic", "social", "psychosocial"]
    assert 15 <= len(survey.questions) <= 25
    for question in survey.questions:
        scores = [o.score for o in question.options if o.score is not None]
        assert (min(scores), max(scores)) == (0.0, 1.0), question.id
    assert load_survey() is load_survey(1) is survey


def test_the_consistency_checks_name_what_is_wrong(raw_data):
    broken = copy.deepcopy(raw_data)
    broken["dimensions"][0]["weight"] = 0.5
    broken["questions"][1]["id"] = broken["questions"][0]["id"]
    broken["questions"][2]["dimension"] = "spiritual"
    broken["questions"][3]["options"][0]["score"] = 1.5
    broken["questions"][4]["weight"] = 0
    del broken["questions"][5]["text"]["en"]

    problems = "\n".join(validate_survey_data(broken))

    assert "weights add up to 1.1666" in problems
    assert "the id is used twice" in problems
    assert "unknown dimension 'spiritual'" in problems
    assert "the score must be between 0 and 1, or null; not 1.5" in problems
    assert "the weight must be a number greater than 0, not 0" in problems
    assert "“text” has no en text" in problems
    with pytest.raises(SurveyDataError):
        survey_from_data(broken)
    with pytest.raises(LookupError):
        load_survey("99")
    with pytest.raises(LookupError):
        load_survey("../1")


def test_texts_exist_in_spanish_and_english(survey, raw_data):
    def texts(data):
        yield data["name"]
        for dimension in data["dimensions"]:
            yield dimension["name"]
        for question in data["questions"]:
            yield question["text"]
            for option in question["options"]:
                yield option["label"]
                if "flag" in option:
                    yield option["flag"]

    for text in texts(raw_data):
        assert text["es"].strip() and text["en"].strip()
    for question in raw_data["questions"]:
        assert question["text"]["es"] != question["text"]["en"]

    food = survey.question("eco_food")
    assert food.text.startswith("En las últimas cuatro semanas")
    assert food.choices[0] == ("never", "Nunca")
    with translation.override("en"):
        assert food.text.startswith("In the last four weeks")
        assert food.choices[0] == ("never", "Never")
    with translation.override("fr"):
        assert food.text.startswith("En las últimas cuatro semanas"), "Spanish is the fallback"


def test_scores_are_reported_in_english_when_asked(survey):
    result = score_survey(
        survey, {"eco_food": "sometimes", "psy_safety": "unsafe", "psy_migrate": "plans_to_leave"}
    )

    with translation.override("en"):
        assert [d.name for d in result.dimensions] == ["Economic", "Social", "Psychosocial"]
        assert result.flags == [
            "Food insecurity",
            "Feels unsafe where they live",
            "Feels they must migrate again",
        ]
        assert survey.name == "Reintegration sustainability survey"
    assert [d.name for d in result.dimensions] == ["Económica", "Social", "Psicosocial"]
    assert result.flags[1] == "Se siente en peligro donde vive"
