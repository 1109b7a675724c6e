"""Every list page issues the same number of queries whatever its length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incluye.core.actionlog import log_action
from incluye.people.generate import PeopleGenerator
from incluye.people.services import return_event_record

pytestmark = pytest.mark.django_db
LIST_PAGES = [
    "people:list",
    "people:today",
    "accounts:action_log",
    "accounts:members",
    "people:manifests",
    "people:duplicates",
    "alliance:network",
    "impact:stories",
    "impact:dashboard",
    "jobs:home",
]


def grow(personas, count, seed):
    """More people, returns today, members and action-log entries."""
    from incluye.core.testing import make_member

    PeopleGenerator(seed=seed).create(organization=personas.org, count=count)
    for person in personas.org.people.filter(returns__isnull=True):
        return_event_record(
            membership=personas.admin,
            person=person,
            arrived_on=timezone.localdate(),
        )
    for _ in range(count // 5):
        make_member(personas.org, "caseworker", mfa=False)
        log_action(actor=personas.admin.user, organization=personas.org, action="incluye.person.viewed")
    _duplicate_groups(personas, count // 5, seed)


def _duplicate_groups(personas, count, seed):
    """Groups of possible duplicates waiting in the queue, and merged groups in its history."""
    import uuid

    from incluye.people.models import DuplicateCluster, PersonMerge

    people = list(personas.org.people.filter(merged_into__isnull=True).order_by("pk"))[: 3 * count]
    for i in range(0, len(people) - 2, 3):
        group = DuplicateCluster.objects.create(
            key=f"{seed}-{i}", country_id="GT", organization=personas.org, size=3, score=0.95,
            reasons=["same birth date"],
        )  # fmt: skip
        group.members.add(*people[i : i + 3])
        batch = uuid.uuid4()
        for merged in people[i + 1 : i + 3]:
            PersonMerge.objects.create(
                survivor=people[i], merged=merged, organization=personas.org, batch=batch,
                performed_by=personas.admin.user,
            )  # fmt: skip


@pytest.mark.parametrize("name", LIST_PAGES)
def test_the_list_page_issues_a_constant_number_of_queries(personas, name):
    client = personas.client("admin")
    grow(personas, 5, seed=1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name)).status_code == 200
    grow(personas, 30, seed=2)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(name))
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
