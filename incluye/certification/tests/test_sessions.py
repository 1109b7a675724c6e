"""Assessment sessions: enrolment from a signed skills profile with consent, what the certifying
body sees, attendance, results per unit and eligibility (partial results and a plan for the rest)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from incluye.accounts.roles import Role
from incluye.certification import services
from incluye.certification.models import Enrollment
from incluye.certification.selectors import enrollment_progress
from incluye.certification.tests.conftest import assess
from incluye.core.actionlog import ActionLogEntry
from incluye.core.testing import client_for, make_member, make_organization
from incluye.people.services import consent_record, person_register
from incluye.skills import services as skills_services

pytestmark = pytest.mark.django_db


def test_an_assessor_schedules_a_session_of_the_institutes_standard(assessor, standard):
    client = client_for(assessor)
    response = client.post(
        reverse("certification:sessions"),
        {
            "standard": standard.pk,
            "date": "2026-12-01",
            "place": "Zona 6",
            "capacity": "8",
            "assessors": [str(assessor.user.pk)],
        },
    )
    assert response.status_code == 302
    session = standard.assessment_sessions.get()
    assert session.capacity == 8 and list(session.assessors.all()) == [assessor.user]
    assert ActionLogEntry.objects.filter(action="incluye.assessment_session.created").exists()
    assert client.get(response["Location"]).status_code == 200


def test_a_session_of_another_bodys_standard_is_refused(assessor, personas):
    other = make_organization("INCAF", country="SV", kind="certifying_body", sector="public")
    from incluye.skills.standards import catalogue_load
    from incluye.skills.tests.conftest import DRYWALL

    catalogue_load(body=other, standards=[DRYWALL])
    with pytest.raises(ValidationError):
        services.session_create(
            membership=assessor,
            standard=other.standards.get(),
            date=timezone.localdate(),
            place="x",
            capacity=1,
        )


def test_only_a_certifying_body_runs_sessions(personas, standard):
    with pytest.raises(PermissionDenied):
        services.session_create(
            membership=personas.admin, standard=standard, date=timezone.localdate(), place="x", capacity=1
        )
    assert personas.client("admin").get(reverse("certification:sessions")).status_code == 403


def test_a_caseworker_enrols_a_person_from_a_signed_profile_with_consent(personas, session, profile, consent):
    client = personas.client("caseworker")
    page = client.get(reverse("certification:enroll", args=[profile.pk]))
    assert page.status_code == 200
    assert session.place in page.content.decode()
    response = client.post(reverse("certification:enroll", args=[profile.pk]), {"session": str(session.pk)})
    assert response.status_code == 302
    enrollment = Enrollment.objects.get()
    assert enrollment.person == profile.person and enrollment.consent == consent
    assert ActionLogEntry.objects.filter(action="incluye.enrollment.created").exists()


def test_enrolment_needs_the_persons_consent(personas, session, profile):
    with pytest.raises(ValidationError):
        services.enrollment_create(membership=personas.caseworker, session=session, profile=profile)
    consent_record(
        membership=personas.caseworker,
        person=profile.person,
        purpose="alliance_sharing",
        given=False,
        method="signed_form",
    )
    with pytest.raises(ValidationError):
        services.enrollment_create(membership=personas.caseworker, session=session, profile=profile)


def test_enrolment_needs_a_signed_profile_leading_to_the_standard(
    personas, session, person, consent, institute
):
    skills_services.work_add(membership=personas.caseworker, person=person, job_title="line cook")
    draft = skills_services.profile_start(membership=personas.caseworker, person=person)
    with pytest.raises(ValidationError):
        services.enrollment_create(membership=personas.caseworker, session=session, profile=draft)
    other = person_register(
        membership=personas.staff, given_names="Ana", first_surname="Coc", nationality_id="GT"
    )
    consent_record(
        membership=personas.caseworker,
        person=other,
        purpose="alliance_sharing",
        given=True,
        method="signed_form",
    )
    from incluye.skills.models import Occupation

    job = skills_services.work_add(membership=personas.caseworker, person=other, job_title="line cook")
    skills_services.work_code(
        membership=personas.caseworker, experience=job, occupation=Occupation.objects.get(code="35-2014.00")
    )
    cook = skills_services.profile_sign(
        membership=personas.caseworker,
        profile=skills_services.profile_start(membership=personas.caseworker, person=other),
    )
    with pytest.raises(ValidationError):
        services.enrollment_create(membership=personas.caseworker, session=session, profile=cook)


def test_a_full_or_past_session_takes_nobody_else(personas, session, profile, consent, assessor, standard):
    session.capacity = 0
    session.save()
    with pytest.raises(ValidationError):
        services.enrollment_create(membership=personas.caseworker, session=session, profile=profile)
    past = services.session_create(
        membership=assessor,
        standard=standard,
        date=timezone.localdate() - datetime.timedelta(days=1),
        place="x",
        capacity=5,
    )
    with pytest.raises(ValidationError):
        services.enrollment_create(membership=personas.caseworker, session=past, profile=profile)


def test_the_body_sees_enrolled_candidates_only_not_the_registry(personas, assessor, enrollment, person):
    client = client_for(assessor)
    page = client.get(reverse("certification:session", args=[enrollment.session_id]))
    assert person.full_name in page.content.decode()
    assert client.get(reverse("people:detail", args=[person.pk])).status_code in (403, 404)
    assert client.get(reverse("skills:work_history", args=[person.pk])).status_code in (403, 404)
    # Another certifying body cannot open the session or the enrolment.
    other = make_organization("INFOP", country="HN", kind="certifying_body", sector="public")
    stranger = client_for(make_member(other, Role.ASSESSOR, mfa=False))
    assert stranger.get(reverse("certification:session", args=[enrollment.session_id])).status_code == 404
    assert stranger.get(reverse("certification:enrollment", args=[enrollment.pk])).status_code == 404


def test_results_need_the_candidate_present(assessor, enrollment):
    unit = enrollment.session.standard.units.first()
    with pytest.raises(ValidationError):
        services.results_record(
            membership=assessor, enrollment=enrollment, results={unit.pk: {"outcome": "competent"}}
        )


def test_the_results_grid_records_units_and_makes_the_candidate_eligible(assessor, enrollment):
    services.enrollment_attendance(membership=assessor, enrollment=enrollment, attendance="present")
    units = {u.code: u for u in enrollment.session.standard.units.all()}
    client = client_for(assessor)
    enrollment.refresh_from_db()
    data = {"version": enrollment.version}
    for code, outcome in (("U1", "competent"), ("U2", "competent"), ("U3", "")):
        pk = units[code].pk
        data.update({f"outcome_{pk}": outcome, f"evidence_{pk}": "Observación directa", f"date_{pk}": ""})
    response = client.post(reverse("certification:enrollment", args=[enrollment.pk]), data)
    assert response.status_code == 302, response.content.decode()
    progress = enrollment_progress(enrollment)
    assert progress.eligible  # U3 is optional
    assert {r.unit.code for r in progress.rows if r.result} == {"U1", "U2"}
    assert enrollment.results.get(unit=units["U1"]).assessor == assessor.user
    assert ActionLogEntry.objects.filter(action="incluye.results.recorded").exists()


def test_partial_results_give_a_record_and_a_plan_that_a_later_session_completes(
    assessor, enrollment, standard, personas
):
    assess(assessor, enrollment, {"U1": "competent", "U2": "not_yet"})
    progress = enrollment_progress(enrollment)
    assert not progress.eligible
    assert [u.code for u in progress.achieved] == ["U1"]
    assert [u.code for u in progress.missing] == ["U2"]
    page = (
        client_for(assessor).get(reverse("certification:enrollment", args=[enrollment.pk])).content.decode()
    )
    assert 'data-testid="partial-record"' in page
    with pytest.raises(ValidationError):
        services.certificate_issue(membership=assessor, enrollment=enrollment)

    later = services.session_create(
        membership=assessor, standard=standard, date=timezone.localdate(), place="Otra sede", capacity=3
    )
    again = services.enrollment_create(
        membership=personas.caseworker, session=later, profile=enrollment.profile
    )
    assess(assessor, again, {"U2": "competent"})
    progress = enrollment_progress(again)
    assert progress.eligible and [u.code for u in progress.achieved] == ["U1", "U2"]
    certificate = services.certificate_issue(membership=assessor, enrollment=again)
    assert [u["code"] for u in certificate.units] == ["U1", "U2"]


def test_results_cannot_change_after_the_certificate(assessor, certificate):
    unit = certificate.enrollment.session.standard.units.first()
    with pytest.raises(ValidationError):
        services.results_record(
            membership=assessor, enrollment=certificate.enrollment, results={unit.pk: {"outcome": "not_yet"}}
        )


def test_a_caseworker_cannot_record_results(personas, enrollment):
    with pytest.raises(PermissionDenied):
        services.enrollment_attendance(
            membership=personas.caseworker, enrollment=enrollment, attendance="present"
        )
    # Nor open the body's enrolment page.
    assert (
        personas.client("caseworker")
        .get(reverse("certification:enrollment", args=[enrollment.pk]))
        .status_code
        == 404
    )
