"""The access-control matrix: for every URL the project declares (pages and API) and every method
it is reached with, the answer each role gets in the organization that owns the record, and the
answer a member of another organization gets. The expected table is `access_matrix.json`, reviewed
by hand; a new URL without an entry, or any changed answer, fails this test.

To regenerate after a deliberate change: `INCLUYE_WRITE_ACCESS_MATRIX=1 pytest
incluye/accounts/tests/test_access_matrix.py`, then review the diff of the JSON file like code.
"""

import json
import os
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import get_resolver, resolve

from incluye.accounts.roles import Role
from incluye.accounts.tests.test_access import (  # noqa: F401
    APP_ACCESS,
    object_urls,
    owner_memberships,
    participant_accounts,
    person,
    records,
)
from incluye.core.testing import client_for, make_member

pytestmark = pytest.mark.django_db
MATRIX = Path(__file__).with_name("access_matrix.json")
OUTSIDER = "other_organization"
# The participant whose record the URLs name (the person's own pages, /me/), and another one.
PARTICIPANT, OTHER_PARTICIPANT = "participant", "other_participant"


def _urls_without_ids():
    """Every named URL that takes no argument (lists, forms, the API's collections)."""

    def walk(patterns, prefix="", route=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                ns = f"{p.namespace}:" if p.namespace else ""
                yield from walk(p.url_patterns, prefix + ns, route + str(p.pattern))
            elif p.name:
                yield prefix + p.name, route + str(p.pattern)

    for name, route in walk(get_resolver().url_patterns):
        if "<" in route or name.startswith("admin:") or "(?P<" in route or route.startswith("^"):
            continue
        yield name, "/" + route.replace("^", "").replace("$", "")


def _answer(client, method, url):
    """The status code, with everything the request wrote rolled back (requests stay independent)."""
    with transaction.atomic():
        status = getattr(client, method)(url).status_code
        transaction.set_rollback(True)
    return status


def test_every_role_gets_the_expected_answer_on_every_url(personas, records):  # noqa: F811
    owners = {key: m.organization for key, m in owner_memberships(personas, records, by_method=True).items()}
    members: dict = {}

    def client(organization, role):
        key = (organization.pk, role)
        if key not in members:
            members[key] = client_for(make_member(organization, role))
        return members[key]

    from incluye.participants.testing import participant_client

    own = participant_client(records["participant_account"])
    stranger = participant_client(records["other_participant_account"])
    requests = [(method, url, True) for method, url in object_urls(personas, records)]
    requests += [("get", url, False) for _name, url in _urls_without_ids()]
    observed: dict = {}
    for method, url, is_object in requests:
        name = resolve(url).view_name
        owner = owners.get((method, url), personas.org)
        row = {role: _answer(client(owner, role), method, url) for role in Role.values}
        row[OUTSIDER] = _answer(personas.client("outsider_admin"), method, url)
        row[PARTICIPANT] = _answer(own, method, url)
        row[OTHER_PARTICIPANT] = _answer(stranger, method, url)
        row["object"] = is_object
        observed[f"{method.upper()} {name}"] = row
    if os.environ.get("INCLUYE_WRITE_ACCESS_MATRIX") == "1":
        MATRIX.write_text(json.dumps(observed, indent=1, sort_keys=True) + "\n")
        pytest.skip("access_matrix.json written: review its diff")
    expected = json.loads(MATRIX.read_text())
    missing = sorted(set(observed) - set(expected))
    assert not missing, f"URLs without an entry in access_matrix.json: {missing}"
    changed = {
        key: {
            role: (expected[key].get(role), status)
            for role, status in row.items()
            if expected[key].get(role) != status
        }
        for key, row in observed.items()
    }
    changed = {key: diff for key, diff in changed.items() if diff}
    assert not changed, f"Answers that changed (expected, got): {changed}"
    assert not set(expected) - set(observed), (
        f"Entries for URLs that no longer exist: {set(expected) - set(observed)}"
    )


def test_the_reviewed_table_never_lets_another_organization_reach_a_record():
    """A property of the reviewed table itself: on every URL that names a record, a member of
    another organization gets 404 (as if the record did not exist), whatever the method."""
    expected = json.loads(MATRIX.read_text())
    objects = {key: row for key, row in expected.items() if row["object"]}
    assert len(objects) > 100
    assert {key: row[OUTSIDER] for key, row in objects.items() if row[OUTSIDER] != 404} == {}


def test_an_employer_never_opens_the_registry_or_a_case():
    """Employers see candidates only through the jobs pages: every people, case and referral URL
    answers them 403 or 404."""
    expected = json.loads(MATRIX.read_text())
    private = [
        key for key in expected if key.split(" ", 1)[1].split(":")[0] in {"people", "cases", "referrals"}
    ]
    private += [
        key
        for key in expected
        if key.split(" ", 1)[1] in {"api:people", "api:person", "api:cases", "api:case"}
    ]
    opened = {
        key: expected[key]["employer"] for key in private if expected[key]["employer"] not in {403, 404}
    }
    # The service directory is the alliance's public list of services, open to every member.
    assert opened == {"GET referrals:directory": 200}


def test_the_reviewed_table_keeps_participants_to_their_own_record():
    """A participant opens no staff page that names a record (sign-in or refused), another
    participant's record is a 404 on every /me/ URL, and every staff role gets 404 there."""
    expected = json.loads(MATRIX.read_text())
    objects = {key: row for key, row in expected.items() if row["object"]}
    staff_pages = {key: row for key, row in objects.items() if not key.split(" ", 1)[1].startswith("me:")}
    own_pages = {key: row for key, row in objects.items() if key.split(" ", 1)[1].startswith("me:")}
    assert own_pages
    assert {k: r[PARTICIPANT] for k, r in staff_pages.items() if r[PARTICIPANT] not in {302, 401, 403}} == {}
    assert {k: r[OTHER_PARTICIPANT] for k, r in own_pages.items() if r[OTHER_PARTICIPANT] != 404} == {}
    assert {k: r for k, r in own_pages.items() if any(r[role] != 404 for role in Role.values)} == {}
    # (a POST without its form is a 400: the page is theirs, the request is not one)
    assert {k: r[PARTICIPANT] for k, r in own_pages.items() if r[PARTICIPANT] not in {200, 302, 400}} == {}
