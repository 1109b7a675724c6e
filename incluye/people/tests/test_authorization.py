"""Work authorization derived from nationality, migration status and documents (plain Python)."""

import datetime

from incluye.people.authorization import (
    Document,
    Period,
    Status,
    authorized_on,
    merge,
    period_for,
    work_periods,
)

D = datetime.date
COSTA_RICA = {
    "statuses": {
        "asylum_seeker": {"work": "document"},
        "refugee": {"work": "status"},
        "resident": {"work": "category"},
        "irregular": {"work": "none"},
    },
    "resident_categories": [
        {"code": "permanent", "work": "status"},
        {"code": "non_resident", "work": "none"},
    ],
}
SEEKER = Status("asylum_seeker", "", D(2026, 1, 10), None)


def permit(valid_from, expires_on, requires=("CCSS",)):
    return Document("PERMISO_LABORAL", True, ("asylum_seeker",), requires, valid_from, expires_on)


def social_security(since):
    return Document("CCSS", False, ("asylum_seeker", "refugee"), (), since, None)


def test_a_national_may_work_always():
    periods = work_periods(national=True, statuses=[], documents=[], rules=COSTA_RICA)
    assert periods == [Period(None, None, "nationality")]
    assert authorized_on(periods, D(1990, 1, 1)) and authorized_on(periods, D(2090, 1, 1))


def test_an_asylum_seeker_without_a_work_permit_may_not_work():
    assert work_periods(national=False, statuses=[SEEKER], documents=[], rules=COSTA_RICA) == []


def test_an_asylum_seeker_may_work_while_the_permit_and_the_social_security_registration_are_valid():
    periods = work_periods(
        national=False,
        statuses=[SEEKER],
        documents=[permit(D(2026, 4, 10), D(2027, 4, 9)), social_security(D(2026, 5, 1))],
        rules=COSTA_RICA,
    )
    # the permit alone is not enough: from the day of the registration with social security
    assert periods == [Period(D(2026, 5, 1), D(2027, 4, 9), "document:PERMISO_LABORAL")]
    assert not authorized_on(periods, D(2026, 4, 30))
    assert authorized_on(periods, D(2026, 5, 1)) and authorized_on(periods, D(2027, 4, 9))
    assert not authorized_on(periods, D(2027, 4, 10))


def test_a_work_permit_without_the_required_registration_authorizes_nothing():
    periods = work_periods(
        national=False, statuses=[SEEKER], documents=[permit(D(2026, 4, 10), D(2027, 4, 9))], rules=COSTA_RICA
    )
    assert periods == []


def test_the_permit_ends_with_the_asylum_claim():
    ended = Status("asylum_seeker", "", D(2026, 1, 10), D(2026, 8, 31))
    periods = work_periods(
        national=False,
        statuses=[ended],
        documents=[permit(D(2026, 4, 10), D(2027, 4, 9), requires=())],
        rules=COSTA_RICA,
    )
    assert periods == [Period(D(2026, 4, 10), D(2026, 8, 31), "document:PERMISO_LABORAL")]


def test_a_recognized_refugee_may_work_from_the_recognition_by_status():
    statuses = [
        Status("asylum_seeker", "", D(2025, 3, 1), D(2026, 2, 28)),
        Status("refugee", "", D(2026, 3, 1), None),
    ]
    periods = work_periods(
        national=False,
        statuses=statuses,
        documents=[permit(D(2025, 6, 1), D(2026, 5, 31), requires=())],
        rules=COSTA_RICA,
    )
    # the permit while seeking asylum and the refugee status touch: one period, without end
    assert periods == [Period(D(2025, 6, 1), None, "document:PERMISO_LABORAL")]


def test_irregular_stay_and_a_non_resident_category_never_authorize_work():
    statuses = [
        Status("irregular", "", D(2026, 1, 1), D(2026, 2, 1)),
        Status("resident", "non_resident", D(2026, 2, 2), None),
    ]
    documents = [permit(D(2026, 1, 1), D(2027, 1, 1), requires=())]
    assert work_periods(national=False, statuses=statuses, documents=documents, rules=COSTA_RICA) == []


def test_a_permanent_resident_may_work_by_the_category():
    periods = work_periods(
        national=False,
        statuses=[Status("resident", "permanent", D(2020, 5, 5), None)],
        documents=[],
        rules=COSTA_RICA,
    )
    assert periods == [Period(D(2020, 5, 5), None, "status:resident")]


def test_an_unknown_status_or_country_without_rules_authorizes_nothing():
    assert work_periods(national=False, statuses=[SEEKER], documents=[permit(None, None, ())], rules={}) == []


def test_periods_that_overlap_or_touch_merge_and_gaps_stay():
    merged = merge(
        [
            Period(D(2026, 6, 1), D(2026, 12, 31), "b"),
            Period(D(2026, 1, 1), D(2026, 5, 31), "a"),
            Period(D(2027, 2, 1), None, "c"),
        ]
    )
    assert merged == [Period(D(2026, 1, 1), D(2026, 12, 31), "a"), Period(D(2027, 2, 1), None, "c")]


def test_the_engine_keeps_the_period_of_today_or_the_next_one():
    periods = [Period(D(2026, 1, 1), D(2026, 3, 31), "a"), Period(D(2026, 6, 1), D(2026, 12, 31), "b")]
    assert period_for(periods, D(2026, 2, 1)).basis == "a"
    assert period_for(periods, D(2026, 4, 15)).basis == "b"
    assert period_for(periods, D(2027, 1, 1)) is None
