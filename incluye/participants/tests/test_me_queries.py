"""The person's list pages issue the same number of queries however much they list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incluye.core.actionlog import log_action
from incluye.jobs.tests.conftest import make_candidate, make_vacancy
from incluye.participants.testing import invite, participant_client

pytestmark = pytest.mark.django_db
PAGES = ["me:home", "me:jobs", "me:data", "me:consents", "me:certificates"]


def _queries(client, name):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(name)).status_code == 200
    return len(captured)


def _grow(personas, person, vacancies):
    from incluye.jobs.services import candidate_invite

    for n in range(vacancies):
        vacancy = make_vacancy(personas, title=f"Puesto {n}")
        candidate_invite(membership=personas.employer, vacancy=vacancy, person=person)
        log_action(
            actor=personas.caseworker.user,
            organization=personas.org,
            action="incluye.person.viewed",
            obj=person,
        )


def test_the_persons_pages_do_not_query_per_row(personas):
    from incluye.jobs.index import reset_index

    reset_index()
    person = make_candidate(personas)
    client = participant_client(invite(personas.caseworker, person))
    _grow(personas, person, 2)
    small = {name: _queries(client, name) for name in PAGES}
    _grow(personas, person, 8)
    large = {name: _queries(client, name) for name in PAGES}
    assert large == small
