"""A seat in an assessment session given back: the person's organization withdraws them before the
session, and a certificate sets free the person's seat in a later session of the same standard."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from incluye.certification import services
from incluye.certification.models import Enrollment
from incluye.certification.tests.conftest import assess, enrol_new_person
from incluye.core.actionlog import ActionLogEntry
from incluye.core.testing import client_for, page_text


def later_session(assessor, standard, *, days=7, capacity=5):
    return services.session_create(
        membership=assessor,
        standard=standard,
        date=timezone.localdate() + datetime.timedelta(days=days),
        place="Centro de Capacitación Mixco",
        capacity=capacity,
        assessors=[assessor.user],
    )


@pytest.fixture
def upcoming(assessor, standard):
    return later_session(assessor, standard, capacity=1)


def test_the_persons_organization_withdraws_them_and_the_seat_is_free_again(
    personas, upcoming, profile, consent, person
):
    enrollment = services.enrollment_create(membership=personas.caseworker, session=upcoming, profile=profile)
    with pytest.raises(ValidationError):  # the one seat is taken
        enrol_new_person(personas, upcoming)
    client = personas.client("caseworker")
    response = client.post(reverse("certification:enrollment_withdraw", args=[enrollment.pk]), follow=True)
    assert not Enrollment.objects.filter(pk=enrollment.pk).exists()
    assert "Se retiró a José Ángel Ordóñez Muñoz de la sesión del" in response.content.decode()
    entry = ActionLogEntry.objects.get(action="incluye.enrollment.withdrawn")
    assert entry.person_id == person.pk and entry.object_id == str(enrollment.pk)
    assert entry.data == {
        "session": str(upcoming.pk),
        "standard": upcoming.standard.code,
        "reason": "withdrawn",
    }
    assert enrol_new_person(personas, upcoming).session == upcoming  # the seat went to someone else


def test_a_candidate_stays_enrolled_once_the_session_has_begun(personas, enrollment):
    client = personas.client("caseworker")
    response = client.post(reverse("certification:enrollment_withdraw", args=[enrollment.pk]), follow=True)
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()
    assert "La sesión ya comenzó" in response.content.decode()
    assert not ActionLogEntry.objects.filter(action="incluye.enrollment.withdrawn").exists()


def test_only_the_persons_organization_may_withdraw_them_others_get_404(
    personas, upcoming, profile, consent, assessor, body_admin
):
    enrollment = services.enrollment_create(membership=personas.caseworker, session=upcoming, profile=profile)
    url = reverse("certification:enrollment_withdraw", args=[enrollment.pk])
    assert personas.client("outsider").post(url).status_code == 404
    assert client_for(assessor).post(url).status_code == 404  # the body records attendance, never withdraws
    assert client_for(body_admin).post(url).status_code == 404
    assert personas.client("readonly").post(url).status_code == 404
    assert personas.client("caseworker").get(url).status_code == 405
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()


def test_the_enrolment_page_offers_withdrawal_only_for_a_seat_not_yet_used(
    personas, enrollment, upcoming, profile
):
    later = services.enrollment_create(membership=personas.caseworker, session=upcoming, profile=profile)
    page = page_text(personas.client("caseworker").get(reverse("certification:enroll", args=[profile.pk])))
    assert reverse("certification:enrollment_withdraw", args=[later.pk]) in page
    assert reverse("certification:enrollment_withdraw", args=[enrollment.pk]) not in page  # today's session
    assert page.count("Retirar de la sesión") == 1


def test_a_certificate_frees_the_persons_seat_in_a_later_session_of_the_standard(
    personas, assessor, standard, enrollment, profile, person
):
    upcoming = later_session(assessor, standard)
    later = services.enrollment_create(membership=personas.caseworker, session=upcoming, profile=profile)
    someone_else = enrol_new_person(personas, upcoming)
    assess(assessor, enrollment, {unit.code: "competent" for unit in standard.units.all()})
    certificate = services.certificate_issue(membership=assessor, enrollment=enrollment)
    assert certificate.person == person
    assert not Enrollment.objects.filter(pk=later.pk).exists()
    assert Enrollment.objects.filter(pk=someone_else.pk).exists()
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()  # the certificate's own enrolment stays
    entry = ActionLogEntry.objects.get(action="incluye.enrollment.withdrawn")
    assert entry.data["reason"] == "certified" and entry.person_id == person.pk
    assert entry.organization == assessor.organization


def test_a_person_certified_in_the_standard_is_not_enrolled_again_until_it_is_revoked(
    personas, assessor, standard, certificate, profile
):
    upcoming = later_session(assessor, standard)
    client = personas.client("caseworker")
    url = reverse("certification:enroll", args=[profile.pk])
    page = page_text(client.get(url))
    assert "Certificado obtenido" in page and f'value="{upcoming.pk}"' not in page
    response = client.post(url, {"session": str(upcoming.pk)}, follow=True)
    assert "La persona ya tiene un certificado de este estándar." in response.content.decode()
    assert not Enrollment.objects.filter(session=upcoming).exists()
    services.certificate_revoke(membership=assessor, certificate=certificate, reason="Error de registro")
    assert services.enrollment_create(membership=personas.caseworker, session=upcoming, profile=profile)


def test_an_api_client_of_the_persons_organization_withdraws_them_with_delete(
    personas, upcoming, profile, consent, person
):
    enrollment = services.enrollment_create(membership=personas.caseworker, session=upcoming, profile=profile)
    response = personas.client("caseworker").delete(reverse("api:enrollment", args=[enrollment.pk]))
    assert response.status_code == 204
    assert not Enrollment.objects.filter(pk=enrollment.pk).exists()
    entry = ActionLogEntry.objects.get(action="incluye.enrollment.withdrawn")
    assert entry.person_id == person.pk and entry.data["reason"] == "withdrawn"
    assert enrol_new_person(personas, upcoming).session == upcoming


def test_the_api_refuses_to_withdraw_once_the_session_has_begun_with_a_structured_400(personas, enrollment):
    response = personas.client("caseworker").delete(reverse("api:enrollment", args=[enrollment.pk]))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "session_begun" and "La sesión ya comenzó" in error["message"]
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()


def test_through_the_api_only_the_persons_organization_may_withdraw_others_get_404(
    personas, upcoming, profile, consent, assessor, body_admin
):
    enrollment = services.enrollment_create(membership=personas.caseworker, session=upcoming, profile=profile)
    url = reverse("api:enrollment", args=[enrollment.pk])
    assert client_for(assessor).get(url).status_code == 200  # the body reads its candidate…
    for client in (
        personas.client("outsider"),
        client_for(assessor),  # …but records attendance, never withdraws
        client_for(body_admin),
        personas.client("readonly"),
    ):
        assert client.delete(url).status_code == 404
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()
