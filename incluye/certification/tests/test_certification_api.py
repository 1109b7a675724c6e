"""The API: sessions, enrolment, results, certificates and the indicator, same rules as the pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from incluye.certification.models import Certificate
from incluye.core.testing import client_for

pytestmark = pytest.mark.django_db


def test_from_session_to_revoked_certificate_through_the_api(personas, assessor, standard, profile, consent):
    body = client_for(assessor)
    created = body.post(
        reverse("api:assessment_sessions"),
        {
            "standard": str(standard.pk),
            "date": timezone.localdate().isoformat(),
            "place": "Zona 6",
            "capacity": 4,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    session_id = created.json()["id"]
    assert [s["id"] for s in body.get(reverse("api:assessment_sessions")).json()] == [session_id]

    enrolled = personas.client("caseworker").post(
        reverse("api:session_enroll", args=[session_id]),
        {"profile": str(profile.pk)},
        content_type="application/json",
    )
    assert enrolled.status_code == 201, enrolled.content
    enrollment_id = enrolled.json()["id"]

    refused = body.post(
        reverse("api:enrollment_results", args=[enrollment_id]),
        {"results": [{"unit": "U1", "outcome": "competent"}]},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "refused"  # not marked present
    assert (
        body.patch(
            reverse("api:enrollment", args=[enrollment_id]),
            {"attendance": "present"},
            content_type="application/json",
        ).json()["attendance"]
        == "present"
    )
    results = body.post(
        reverse("api:enrollment_results", args=[enrollment_id]),
        {"results": [{"unit": "U1", "outcome": "competent"}, {"unit": "U2", "outcome": "not_yet"}]},
        content_type="application/json",
    ).json()
    assert results["eligible"] is False and results["achieved"] == ["U1"] and results["missing"] == ["U2"]
    not_eligible = body.post(
        reverse("api:certificates"), {"enrollment": enrollment_id}, content_type="application/json"
    )
    assert not_eligible.status_code == 400 and not_eligible.json()["error"]["code"] == "not_eligible"
    body.post(
        reverse("api:enrollment_results", args=[enrollment_id]),
        {"results": [{"unit": "U2", "outcome": "competent", "evidence": "Demostración"}]},
        content_type="application/json",
    )
    issued = body.post(
        reverse("api:certificates"),
        {"enrollment": enrollment_id, "public_fields": "name"},
        content_type="application/json",
    )
    assert issued.status_code == 201, issued.content
    certificate = issued.json()
    assert certificate["status"] == "valid" and certificate["credential"].count(".") == 2
    assert certificate["number"].startswith("INTECAP-")
    # The person's organization sees it too (read only).
    assert [c["number"] for c in personas.client("caseworker").get(reverse("api:certificates")).json()] == [
        certificate["number"]
    ]
    assert (
        personas.client("caseworker")
        .post(
            reverse("api:certificate_revoke", args=[certificate["id"]]),
            {"reason": "x"},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    revoked = body.post(
        reverse("api:certificate_revoke", args=[certificate["id"]]),
        {"reason": "Error"},
        content_type="application/json",
    )
    assert revoked.json()["status"] == "revoked"
    assert Certificate.objects.get().revoked


def test_enrolment_without_consent_is_a_structured_400(personas, session, profile):
    response = personas.client("caseworker").post(
        reverse("api:session_enroll", args=[session.pk]),
        {"profile": str(profile.pk)},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "not_enrollable"


def test_a_body_cannot_enrol_people_it_cannot_see(assessor, session, profile, consent):
    response = client_for(assessor).post(
        reverse("api:session_enroll", args=[session.pk]),
        {"profile": str(profile.pk)},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)


def test_the_indicator_counts_recognition_routes_per_country(personas, institute):
    from incluye.core.testing import make_organization
    from incluye.skills.standards import catalogue_load
    from incluye.skills.tests.conftest import DRYWALL

    incaf = make_organization("INCAF", country="SV", kind="certifying_body", sector="public")
    catalogue_load(
        body=incaf,
        standards=[
            {**DRYWALL, "code": "SV-1"},
            {**DRYWALL, "code": "SV-2"},
            {**DRYWALL, "code": "SV-3", "migrant_route": False},
        ],
    )
    body = personas.client("caseworker").get(reverse("api:migrant_routes")).json()
    assert {r["country"]: r["standards"] for r in body} == {"GT": 1, "SV": 2}
    page = personas.client("caseworker").get(reverse("certification:programs"))
    assert page.status_code == 200 and "GT-CON-0012" in page.content.decode()


def test_the_demo_catalogues_report_the_routes_per_country(db):
    from incluye.certification.selectors import migrant_routes_by_country
    from incluye.skills.demo import demo_skills
    from incluye.workspace.demo import COUNTRIES, demo_alliances

    demo_skills(demo_alliances(), COUNTRIES)
    counts = {r["country"]: r["standards"] for r in migrant_routes_by_country()}
    assert set(counts) <= {"GT", "SV", "HN", "CR"} and counts["GT"] > 0


def test_the_demo_gives_each_institute_a_key_and_is_idempotent(db):
    from incluye.certification.demo import demo_certification
    from incluye.workspace.demo import COUNTRIES, demo_alliances

    organizations = demo_alliances()
    first = demo_certification(organizations, COUNTRIES)
    assert first["keys"] == 4
    again = demo_certification(organizations, COUNTRIES)
    assert again["keys"] == 0
    assert organizations[("GT", "institute")].signing_keys.count() == 1
