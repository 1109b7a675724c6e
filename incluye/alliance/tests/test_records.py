"""The coordinator records the council's members, agreements, commitments, meetings and decisions
from the alliance's pages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incluye.accounts.roles import Role
from incluye.alliance.models import Agreement, AllianceMember, Commitment, Council, Meeting
from incluye.core.actionlog import ActionLogEntry
from incluye.core.testing import client_for, make_member, make_organization, tiny_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(personas):
    return Council.objects.create(country_id="GT", name="Mesa Guate Te Incluye", secretariat=personas.org)


@pytest.fixture
def coordinator(personas):
    return client_for(make_member(personas.org, Role.COORDINATOR))


def test_the_coordinator_adds_a_member_an_agreement_a_commitment_and_a_meeting_with_a_decision(
    personas, council, coordinator
):
    partner = make_organization("Fundación Esperanza")
    url = lambda kind: reverse("alliance:record", args=[kind])  # noqa: E731
    assert (
        coordinator.post(
            url("member"), {"organization": partner.pk, "role": "member", "joined_on": "2026-01-15"}
        ).status_code
        == 302
    )
    assert AllianceMember.objects.get(council=council, organization=partner).joined_on == datetime.date(
        2026, 1, 15
    )
    response = coordinator.post(
        url("agreement"),
        {
            "title": "Convenio de certificación",
            "parties": [personas.org.pk, partner.pk],
            "signed_on": "2026-02-01",
            "starts_on": "2026-02-01",
            "ends_on": "2027-01-31",
            "scope": "Certificar competencias de personas retornadas",
            "file": SimpleUploadedFile("convenio.pdf", tiny_pdf("convenio")),
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(council=council)
    assert set(agreement.parties.all()) == {personas.org, partner} and agreement.file
    assert (
        coordinator.post(
            url("commitment"), {"title": "Feria de empleo", "owner": partner.pk, "due_on": "2026-06-30"}
        ).status_code
        == 302
    )
    assert Commitment.objects.get(council=council).owner == partner
    response = coordinator.post(
        url("meeting"), {"held_on": "2026-03-10", "place": "Zona 1", "attendees": [partner.pk]}
    )
    meeting = Meeting.objects.get(council=council)
    assert response.status_code == 302 and list(meeting.attendees.all()) == [partner]
    coordinator.post(
        reverse("alliance:decision_add", args=[meeting.pk]), {"text": "Organizar la feria en junio."}
    )
    assert meeting.decisions.get().text == "Organizar la feria en junio."
    assert ActionLogEntry.objects.filter(action__startswith="incluye.alliance.").count() == 5


def test_a_bad_agreement_keeps_what_was_typed_and_says_why(council, coordinator):
    response = coordinator.post(
        reverse("alliance:record", args=["agreement"]),
        {
            "title": "Convenio",
            "signed_on": "2026-02-01",
            "starts_on": "2026-05-01",
            "ends_on": "2026-01-01",
            "scope": "Alcance escrito",
        },
    )
    assert response.status_code == 400
    assert "Alcance escrito" in response.content.decode()
    assert not Agreement.objects.exists()


def test_only_the_coordinator_records_and_an_organization_of_another_country_cannot_be_added(
    personas, council, coordinator
):
    url = reverse("alliance:record", args=["member"])
    assert personas.client("admin").get(url).status_code == 403
    salvadoran = make_organization("ONG El Salvador", country="SV")
    response = coordinator.post(
        url, {"organization": salvadoran.pk, "role": "member", "joined_on": "2026-01-15"}
    )
    assert response.status_code == 400
    assert not AllianceMember.objects.filter(organization=salvadoran).exists()
    assert coordinator.get(reverse("alliance:record", args=["nothing"])).status_code == 404
