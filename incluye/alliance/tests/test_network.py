"""The alliance: the coordinator's network page, the referral matrix in one query, the plan."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incluye.accounts.roles import Role
from incluye.alliance import selectors, services
from incluye.alliance.models import AllianceMember, Council
from incluye.core.models import ActionLogEntry
from incluye.core.testing import client_for, make_member, make_organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(personas):
    council = Council.objects.create(country_id="GT", name="Mesa GT")
    for org in (
        personas.org,
        personas.employer_org,
        make_organization("Universidad", kind="university", sector="academia"),
    ):
        AllianceMember.objects.create(council=council, organization=org, joined_on=datetime.date(2020, 1, 1))
    return council


@pytest.fixture
def coordinator(personas):
    return make_member(personas.org, Role.COORDINATOR)


def referral(case, sender, receiver):
    from incluye.referrals.models import Referral, Service

    service = Service.objects.get_or_create(organization=receiver, name="S", kind="documents")[0]
    return Referral.objects.create(
        case=case,
        from_organization=sender,
        service=service,
        to_organization=receiver,
        reason="-",
        outcome_due_on=timezone.localdate(),
    )


def test_the_sector_summary_counts_current_members_of_every_sector(personas, council, coordinator):
    sectors = {value: n for value, _label, n in selectors.sector_summary(membership=coordinator)}
    assert sectors == {
        "public": 1,
        "private": 1,
        "civil_society": 0,
        "international_cooperation": 0,
        "academia": 1,
    }


def test_the_referral_matrix_is_one_aggregate_query(personas, council, coordinator):
    from incluye.cases.models import Case
    from incluye.impact.tests.test_indicators import make_person

    ngo = make_organization("ONG")
    case = Case.objects.create(person=make_person(personas.org), organization=personas.org)
    for receiver in (ngo, ngo, personas.employer_org):
        referral(case, personas.org, receiver)
    referral(case, ngo, personas.org)
    with CaptureQueriesContext(connection) as queries:
        matrix = selectors.referral_matrix(country="GT")
    aggregate = [q for q in queries.captured_queries if "referrals_referral" in q["sql"]]
    assert len(aggregate) == 1
    index = {name: i for i, name in enumerate(matrix["organizations"])}
    _org, _ngo_name = str(personas.org.short_name or personas.org.name), "ONG"
    rows = {(a, b): matrix["rows"][index[a]][index[b]] for a in index for b in index}
    assert matrix["total"] == 4
    assert sum(rows.values()) == 4
    assert max(rows.values()) == 2


def test_the_coordinator_sees_the_network_page(personas, council, coordinator):
    page = client_for(coordinator).get(reverse("alliance:network")).content.decode()
    assert 'data-sector="academia"' in page and "Mesa GT" in page


def test_other_roles_and_countries(personas, council):
    assert personas.client("caseworker").get(reverse("alliance:network")).status_code == 403
    assert personas.client("admin").get(reverse("alliance:network")).status_code == 200
    outsider = make_member(personas.outsider_org, Role.COORDINATOR)
    page = client_for(outsider).get(reverse("alliance:network")).content.decode()
    assert "Mesa GT" not in page  # another country's council


def test_the_action_plan_moves_through_its_pipeline_and_logs(personas, council, coordinator):
    commitment = services.commitment_add(
        membership=coordinator,
        council=council,
        title="Ruta",
        owner=personas.org,
        due_on=datetime.date(2026, 6, 1),
    )
    client = client_for(coordinator)
    client.post(reverse("alliance:commitment_move", args=[commitment.pk]), {"status": "in_progress"})
    commitment.refresh_from_db()
    assert commitment.status == "in_progress"
    assert ActionLogEntry.objects.filter(action="incluye.alliance.commitment_moved").count() == 1
    # An administrator reads the plan but cannot change it.
    response = personas.client("admin").post(
        reverse("alliance:commitment_move", args=[commitment.pk]), {"status": "done"}
    )
    assert response.status_code == 403


def test_agreements_meetings_and_decisions(personas, council, coordinator):
    agreement = services.agreement_add(
        membership=coordinator,
        council=council,
        title="MoU",
        parties=[personas.org],
        signed_on=datetime.date(2024, 1, 1),
        scope="Certificación",
    )
    meeting = services.meeting_add(
        membership=coordinator, council=council, held_on=datetime.date(2026, 2, 1), attendees=[personas.org]
    )
    services.decision_add(membership=coordinator, meeting=meeting, text="Aprobar el plan")
    assert list(agreement.parties.all()) == [personas.org]
    page = client_for(coordinator).get(reverse("alliance:meeting", args=[meeting.pk])).content.decode()
    assert "Aprobar el plan" in page
    assert ActionLogEntry.objects.filter(action__startswith="incluye.alliance.").count() == 3


def test_the_network_api(personas, council, coordinator):
    data = client_for(coordinator).get(reverse("api:alliance_network")).json()
    assert {s["sector"]: s["members"] for s in data["sectors"]}["academia"] == 1


def test_the_demo_builds_councils_and_two_consented_stories(db):
    from incluye.alliance.demo import demo_alliance
    from incluye.impact.selectors import public_stories
    from incluye.workspace.demo import COUNTRIES, demo_alliances, demo_casework, demo_users

    organizations = demo_alliances()
    demo_users(organizations)
    demo_casework(organizations)
    result = demo_alliance(organizations, COUNTRIES)
    assert result == {"councils": 4, "stories": 2}
    assert len(public_stories(country="GT")) == 2
    assert demo_alliance(organizations, COUNTRIES)["stories"] == 0  # idempotent
