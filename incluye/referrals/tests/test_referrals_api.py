import pytest
from django.urls import reverse

from incluye.cases import services as case_services
from incluye.core.testing import client_for, make_member, make_organization
from incluye.people.services import consent_record, person_register
from incluye.referrals.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(personas):
    person = person_register(
        membership=personas.staff,
        given_names="Rosa",
        first_surname="Tzul",
        phone="+50255551234",
        nationality_id="GT",
    )
    consent_record(
        membership=personas.staff, person=person, purpose="alliance_sharing", given=True, method="signed_form"
    )
    case = case_services.case_open(membership=personas.caseworker, person=person)
    partner = make_organization("Albergue Casa Esperanza", country="GT")
    service = Service.objects.create(organization=partner, name="Albergue temporal", kind="shelter")
    receiver = make_member(partner, "caseworker")
    return {"person": person, "case": case, "service": service, "receiver": receiver}


def send(personas, setup, **extra):
    return personas.client("caseworker").post(
        reverse("api:referral_send"),
        {
            "case": str(setup["case"].pk),
            "service": setup["service"].pk,
            "shared_fields": ["given_names"],
            "reason": "Necesita albergue",
            **extra,
        },
        content_type="application/json",
    )


def test_a_referral_is_sent_and_handled_through_the_api(personas, setup):
    response = send(personas, setup)
    assert response.status_code == 201, response.content
    referral = response.json()
    assert (referral["given_names"], referral["phone"], referral["side"]) == ("Rosa", "", "sender")
    receiver = client_for(setup["receiver"])
    received = receiver.get(reverse("api:referrals"), {"tab": "received"}).json()
    assert [r["id"] for r in received] == [referral["id"]]
    assert received[0]["side"] == "receiver"
    step = reverse("api:referral_step", args=[referral["id"]])
    version = received[0]["version"]
    assert (
        receiver.post(
            step, {"step": "decline", "version": version}, content_type="application/json"
        ).status_code
        == 400
    )
    accepted = receiver.post(step, {"step": "accept", "version": version}, content_type="application/json")
    assert accepted.json()["status"] == "accepted"
    done = receiver.post(
        step,
        {"step": "complete", "outcome": "Alojada 15 días", "version": accepted.json()["version"]},
        content_type="application/json",
    )
    assert done.json()["status"] == "completed"
    # The sender cannot take the receiver's steps.
    sender = personas.client("caseworker")
    assert (
        sender.post(
            step, {"step": "accept", "version": done.json()["version"]}, content_type="application/json"
        ).status_code
        == 403
    )


def test_without_consent_the_api_refuses_to_send(personas, setup):
    consent_record(
        membership=personas.staff,
        person=setup["person"],
        purpose="alliance_sharing",
        given=False,
        method="signed_form",
    )
    response = send(personas, setup)
    assert response.status_code == 400
    assert "consentimiento" in response.json()["error"]["fields"]["non_field_errors"][0]


def test_withdrawing_consent_hides_the_snapshot_from_the_receiver_in_the_api(personas, setup):
    referral = send(personas, setup).json()
    consent_record(
        membership=personas.staff,
        person=setup["person"],
        purpose="alliance_sharing",
        given=False,
        method="signed_form",
    )
    seen = client_for(setup["receiver"]).get(reverse("api:referral", args=[referral["id"]])).json()
    assert (seen["snapshot_hidden"], seen["given_names"], seen["reason"]) == (True, "", "")


def test_a_third_organization_gets_404_on_a_referral(personas, setup):
    referral = send(personas, setup).json()
    assert (
        personas.client("outsider_admin").get(reverse("api:referral", args=[referral["id"]])).status_code
        == 404
    )
