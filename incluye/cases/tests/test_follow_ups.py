import datetime

import pytest
from django.urls import reverse

from incluye.cases import services
from incluye.cases.models import FollowUp
from incluye.cases.reintegration import load_survey
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    person = person_register(
        membership=personas.staff,
        given_names="Luis",
        first_surname="Xol",
        nationality_id="GT",
        return_event={"arrived_on": datetime.date(2026, 8, 31)},
    )
    return services.case_open(membership=personas.caseworker, person=person)


def test_opening_a_case_plans_the_3_6_and_12_month_follow_ups_from_the_return(case):
    assert [(f.months, f.due_on) for f in case.follow_ups.all()] == [
        (3, datetime.date(2026, 11, 30)),
        (6, datetime.date(2027, 2, 28)),
        (12, datetime.date(2027, 8, 31)),
    ]
    assert all(f.task.assigned_to == case.caseworker for f in case.follow_ups.all())


def test_conducting_a_follow_up_stores_its_scores_and_closes_its_task(personas, case):
    survey = load_survey()
    best = {
        f"q_{q.id}": max((o for o in q.options if o.score is not None), key=lambda o: o.score).value
        for q in survey.questions
    }
    follow_up = case.follow_ups.get(months=3)
    response = personas.client("caseworker").post(reverse("cases:follow_up", args=[follow_up.pk]), best)
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.scores["composite"] == 1.0
    assert follow_up.scores["complete"] is True
    assert follow_up.task.done_at is not None
    page = personas.client("caseworker").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "compuesto 1.0" in page or "compuesto 1,0" in page


def test_a_partial_follow_up_is_kept_as_partial(personas, case):
    survey = load_survey()
    question = survey.questions[0]
    answer = next(o.value for o in question.options if o.score is not None)
    follow_up = FollowUp.objects.get(case=case, months=6)
    personas.client("caseworker").post(
        reverse("cases:follow_up", args=[follow_up.pk]), {f"q_{question.id}": answer}
    )
    follow_up.refresh_from_db()
    assert follow_up.scores["complete"] is False
    assert follow_up.answers == {question.id: answer}


def test_another_organization_cannot_open_a_follow_up(personas, case):
    follow_up = case.follow_ups.first()
    assert (
        personas.client("outsider_admin").get(reverse("cases:follow_up", args=[follow_up.pk])).status_code
        == 404
    )
