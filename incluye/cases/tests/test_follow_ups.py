import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from incluye.cases import services
from incluye.cases.models import FollowUp
from incluye.cases.reintegration import load_survey
from incluye.core.testing import AWKWARD_DAYS, local_moment
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db


def open_case_for(personas, arrived_on):
    person = person_register(
        membership=personas.staff,
        given_names="Luis",
        first_surname="Xol",
        nationality_id="GT",
        return_event={"arrived_on": arrived_on},
    )
    return services.case_open(membership=personas.caseworker, person=person)


@pytest.fixture
def case(personas, time_machine):
    time_machine.move_to(local_moment("2026-09-01 10:00"))
    return open_case_for(personas, datetime.date(2026, 8, 31))


def test_opening_a_case_plans_the_3_6_and_12_month_follow_ups_from_the_return(case):
    assert [(f.months, f.due_on) for f in case.follow_ups.all()] == [
        (3, datetime.date(2026, 11, 30)),
        (6, datetime.date(2027, 2, 28)),
        (12, datetime.date(2027, 8, 31)),
    ]
    assert all(f.task.assigned_to == case.caseworker for f in case.follow_ups.all())


@pytest.mark.parametrize(
    ("arrived", "expected"),
    [
        ("30-november", [(3, "2027-02-28"), (6, "2027-05-30"), (12, "2027-11-30")]),
        ("31-december", [(3, "2027-03-31"), (6, "2027-06-30"), (12, "2027-12-31")]),
        ("1-january", [(3, "2027-04-01"), (6, "2027-07-01"), (12, "2028-01-01")]),
        ("31-january", [(3, "2027-04-30"), (6, "2027-07-31"), (12, "2028-01-31")]),
        ("29-february", [(3, "2028-05-29"), (6, "2028-08-29"), (12, "2029-02-28")]),
    ],
)
def test_follow_ups_fall_on_the_same_day_months_later_or_the_last_of_a_shorter_month(
    personas, time_machine, arrived, expected
):
    day = AWKWARD_DAYS[arrived]
    time_machine.move_to(local_moment(f"{day} 23:30"))  # late in the day: UTC is already tomorrow
    case = open_case_for(personas, day)
    assert [(f.months, f.due_on.isoformat()) for f in case.follow_ups.all()] == expected
    assert [f.task.due_on.isoformat() for f in case.follow_ups.all()] == [due for _, due in expected]


@pytest.mark.parametrize("arrived_on", [datetime.date(2026, 8, 31), datetime.date(2023, 3, 14)])
def test_a_person_who_comes_after_the_first_follow_up_date_is_followed_from_the_opening_of_the_case(
    personas, time_machine, arrived_on
):
    """Four months after the return, or three years: the follow-ups keep their spacing from the
    day the case opens, instead of falling due together the next day."""
    time_machine.move_to(local_moment("2026-12-31 18:00"), tick=False)
    case = open_case_for(personas, arrived_on)
    assert timezone.localdate() == datetime.date(2026, 12, 31)
    assert [(f.months, f.due_on) for f in case.follow_ups.all()] == [
        (3, datetime.date(2027, 3, 31)),
        (6, datetime.date(2027, 6, 30)),
        (12, datetime.date(2027, 12, 31)),
    ]
    assert [f.task.due_on for f in case.follow_ups.all()] == [f.due_on for f in case.follow_ups.all()]


def test_a_return_within_the_first_three_months_still_sets_the_dates(personas, time_machine):
    time_machine.move_to(local_moment("2026-12-31 18:00"), tick=False)
    case = open_case_for(personas, datetime.date(2026, 10, 1))
    assert [f.due_on for f in case.follow_ups.all()] == [
        datetime.date(2027, 1, 1),
        datetime.date(2027, 4, 1),
        datetime.date(2027, 10, 1),
    ]


def test_conducting_a_follow_up_stores_its_scores_and_closes_its_task(personas, case):
    survey = load_survey()
    best = {
        f"q_{q.id}": max((o for o in q.options if o.score is not None), key=lambda o: o.score).value
        for q in survey.questions
    }
    follow_up = case.follow_ups.get(months=3)
    response = personas.client("caseworker").post(
        reverse("cases:follow_up", args=[follow_up.pk]), {**best, "version": follow_up.version}
    )
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
        reverse("cases:follow_up", args=[follow_up.pk]),
        {f"q_{question.id}": answer, "version": follow_up.version},
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
