"""Every list page issues the same number of queries whatever its length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incluye.core.actionlog import log_action
from incluye.core.testing import navigation_counted
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
    "home",
    "referrals:handoff_arrivals",
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
    client = navigation_counted(personas.client("admin"))
    grow(personas, 5, seed=1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name)).status_code == 200
    grow(personas, 30, seed=2)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(name))
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def grow_inbox(personas, partner, count, seed):
    """`count` more of each kind of item in the reception center's and the caseworker's inboxes:
    arrivals to hand off, handoffs sent and declined, access requests received, new cases, tasks
    due, invitations waiting for the person's answer, retention follow-ups due."""
    import datetime

    from incluye.cases import services as cases
    from incluye.jobs.models import Application, ApplicationStatus, Placement, RetentionFollowUp, Vacancy
    from incluye.people.services import consent_record
    from incluye.referrals import services as acts
    from incluye.skills.models import Occupation

    partner_member = partner.memberships.first()
    today = timezone.localdate()
    PeopleGenerator(seed=seed).create(organization=personas.org, count=count * 3)
    fresh = list(personas.org.people.filter(returns__isnull=True))
    vacancy = Vacancy.objects.filter(employer=personas.employer_org).first() or Vacancy.objects.create(
        employer=personas.employer_org,
        title="Carpintero",
        occupation=Occupation.objects.first(),
        municipality=fresh[0].residence,
    )
    for n, person in enumerate(fresh):
        return_event_record(membership=personas.admin, person=person, arrived_on=today)
        consent_record(
            membership=personas.staff,
            person=person,
            purpose="alliance_sharing",
            given=True,
            method="signed_form",
        )
        kind = n % 3
        if kind == 0:
            handoff = acts.handoff_send(membership=personas.staff, person=person, to_organization=partner)
            acts.act_decline(
                membership=partner_member, act=handoff, reason="No", expected_version=handoff.version
            )
        elif kind == 1:
            case = cases.case_open(membership=personas.caseworker, person=person)
            cases.task_create(membership=personas.caseworker, case=case, title="Llamar", due_on=today)
            Application.objects.create(
                vacancy=vacancy, person=person, status=ApplicationStatus.INVITED, answer_due_on=today
            )
            placement = Placement.objects.create(
                application=Application.objects.create(
                    vacancy=Vacancy.objects.create(
                        employer=personas.employer_org,
                        title=f"Puesto {seed}-{n}",
                        occupation=vacancy.occupation,
                        municipality=vacancy.municipality,
                    ),
                    person=person,
                    status=ApplicationStatus.HIRED,
                ),
                person=person,
                employer=personas.employer_org,
                started_on=today - datetime.timedelta(days=30),
                pathway="local_program",
            )
            RetentionFollowUp.objects.create(placement=placement, months=1, due_on=today)
        else:
            acts.access_request_send(membership=partner_member, person=person, note="Documentos")


@pytest.mark.parametrize("name", ["staff", "caseworker", "admin"])
def test_the_inbox_issues_a_constant_number_of_queries_whatever_it_holds(personas, name):
    from incluye.core.testing import make_member, make_organization

    partner = make_organization("Asociación Caminos de Retorno")
    make_member(partner, "caseworker")
    client = personas.client(name)
    grow_inbox(personas, partner, 2, seed=1)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert len(response.context["sections"]) >= 2
    grow_inbox(personas, partner, 12, seed=2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("home"))
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
