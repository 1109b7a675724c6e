"""The network indicator: the share of the requests between organizations (referrals, handoffs,
transfers, access requests, employers' invitations) answered within N days, N in its data."""

import datetime

import pytest

from incluye.core.testing import local_moment, make_organization
from incluye.impact import indicators
from incluye.impact.filters import IndicatorFilter
from incluye.impact.registry import definition
from incluye.impact.tests.test_indicators import make_person
from incluye.referrals.models import Handoff

pytestmark = pytest.mark.django_db


def handoff(sender, receiver, person, *, sent, answered=None, status="sent"):
    return Handoff.objects.create(
        person=person,
        from_organization=sender,
        to_organization=receiver,
        status=status,
        sent_at=local_moment(sent),
        answer_due_on=local_moment(sent).date() + datetime.timedelta(days=2),
        answered_at=local_moment(answered) if answered else None,
    )


def test_the_share_answered_in_time_counts_late_and_unanswered_requests_against_it(time_machine):
    from incluye.core.services import country_load

    country_load(code="GT")
    time_machine.move_to(local_moment("2026-11-30 12:00"))
    assert definition("answered_within_days")["within_days"] == 5
    reception = make_organization("Centro de Recepción", kind="reception_center", sector="public")
    ngo = make_organization("ONG Retorno")
    people = [make_person(reception) for _ in range(6)]
    handoff(
        reception, ngo, people[0], sent="2026-11-02 09:00", answered="2026-11-03 10:00", status="accepted"
    )
    handoff(
        reception, ngo, people[1], sent="2026-11-02 09:00", answered="2026-11-07 08:00", status="declined"
    )
    handoff(
        reception, ngo, people[2], sent="2026-11-02 09:00", answered="2026-11-12 09:00", status="accepted"
    )
    handoff(reception, ngo, people[3], sent="2026-11-02 09:00")  # never answered: late
    handoff(reception, ngo, people[4], sent="2026-11-28 09:00")  # still within its days: not counted yet
    handoff(reception, ngo, people[5], sent="2026-11-02 09:00", status="cancelled")  # withdrawn: left out
    flt = IndicatorFilter(country="GT")
    assert indicators.compute("answered_within_days", flt, ("category",)) == {("handoff",): (2, 4)}
    # By the organization that had to answer.
    assert indicators.compute("answered_within_days", flt, ("organization",)) == {(ngo.pk,): (2, 4)}
    table = indicators.table("answered_within_days", flt, suppress=False)
    assert table.shown(table.total, table.means.get("total")) == 0.5
