"""A seat in an assessment session given back: the person's organization withdraws them before the
session, and a certificate sets free the person's seat in a later session of the same standard."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from incluye.accounts.roles import Role
from incluye.certification import services
from incluye.certification.models import Enrollment
from incluye.certification.tests.conftest import assess, enrol_new_person
from incluye.core.actionlog import ActionLogEntry
from incluye.core.testing import client_for, make_member, page_text


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


def test_the_sessions_assessors_are_told_a_seat_is_free_without_the_persons_name(
    personas, upcoming, profile, consent, assessor, institute, django_capture_on_commit_callbacks
):
    other_assessor = make_member(institute, Role.ASSESSOR, mfa=False)  # not assigned to this session
    enrollment = services.enrollment_create(membership=personas.caseworker, session=upcoming, profile=profile)
    assert mail.outbox == []  # an enrolment is on the session's list; no message
    with django_capture_on_commit_callbacks(execute=True):
        personas.client("caseworker").post(reverse("certification:enrollment_withdraw", args=[enrollment.pk]))
    assert [message.to for message in mail.outbox] == [[assessor.user.email]]
    message = mail.outbox[0]
    day = date_format(upcoming.date, "SHORT_DATE_FORMAT")
    assert message.subject == f"Hay un cupo libre en la sesión de {upcoming.standard.code} del {day}"
    assert "Centro de Capacitación Mixco" in message.body
    assert reverse("certification:session", args=[upcoming.pk]) in message.body
    assert "Ordóñez" not in message.subject + message.body and "José" not in message.body
    assert other_assessor.user.email not in {address for m in mail.outbox for address in m.to}


def test_a_rolled_back_withdrawal_tells_nobody(personas, enrollment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the session has begun: refused
        personas.client("caseworker").post(reverse("certification:enrollment_withdraw", args=[enrollment.pk]))
    assert mail.outbox == []


def test_a_seat_set_free_by_a_certificate_is_told_to_the_later_sessions_assessor_not_to_the_one_who_certified(
    personas, assessor, institute, standard, enrollment, profile, django_capture_on_commit_callbacks
):
    colleague = make_member(institute, Role.ASSESSOR, mfa=False)
    upcoming = later_session(colleague, standard)  # the colleague assesses the later session
    services.enrollment_create(membership=personas.caseworker, session=upcoming, profile=profile)
    assess(assessor, enrollment, {unit.code: "competent" for unit in standard.units.all()})
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_issue(membership=assessor, enrollment=enrollment)
    assert [message.to for message in mail.outbox] == [[colleague.user.email]]
