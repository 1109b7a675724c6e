"""The person answers employers' invitations and takes their certificates themselves."""

import pytest
from django.urls import reverse

from incluye.core.models import ActionLogEntry
from incluye.jobs.tests.conftest import make_candidate, make_vacancy
from incluye.participants.testing import invite, participant_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_door(personas, django_capture_on_commit_callbacks):
    from incluye.jobs.index import reset_index

    reset_index()
    person = make_candidate(personas)
    with django_capture_on_commit_callbacks(execute=True):
        account = invite(personas.caseworker, person)
    return person, participant_client(account)


@pytest.fixture
def invitation(personas, candidate_door):
    from incluye.jobs.services import candidate_invite

    person, _client = candidate_door
    vacancy = make_vacancy(personas)
    return candidate_invite(membership=personas.employer, vacancy=vacancy, person=person)


def test_the_person_sees_the_vacancy_and_accepts_and_only_then_the_employer_learns_who_they_are(
    personas, candidate_door, invitation
):
    person, me = candidate_door
    employer = personas.client("employer")
    employer_page = employer.get(reverse("jobs:application", args=[invitation.pk])).content.decode()
    assert person.first_surname not in employer_page
    page = me.get(reverse("me:job", args=[invitation.pk])).content.decode()
    assert "Instalador de tablayeso" in page
    response = me.post(
        reverse("me:job_answer", args=[invitation.pk]), {"answer": "accept", "version": invitation.version}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "referred" and invitation.answered_at is not None
    step = invitation.steps.order_by("-changed_at", "-id").first()
    assert step.changed_by is None and step.to_status == "referred"
    entry = ActionLogEntry.objects.get(action="incluye.application.referred")
    assert entry.actor is None and entry.data["by"] == "person"
    assert (
        person.first_surname
        in employer.get(reverse("jobs:application", args=[invitation.pk])).content.decode()
    )


def test_declining_keeps_the_person_unknown_to_the_employer(personas, candidate_door, invitation):
    person, me = candidate_door
    me.post(
        reverse("me:job_answer", args=[invitation.pk]), {"answer": "decline", "version": invitation.version}
    )
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    page = personas.client("employer").get(reverse("jobs:application", args=[invitation.pk])).content.decode()
    assert person.first_surname not in page


def test_an_answer_on_a_stale_copy_is_refused(personas, candidate_door, invitation):
    from incluye.jobs.services import application_step

    _person, me = candidate_door
    old = invitation.version
    application_step(membership=personas.caseworker, application=invitation, to_status="declined")
    me.post(reverse("me:job_answer", args=[invitation.pk]), {"answer": "accept", "version": old})
    invitation.refresh_from_db()
    assert invitation.status == "declined"


def test_accepting_after_withdrawing_the_employer_consent_is_refused(personas, candidate_door, invitation):
    _person, me = candidate_door
    me.post(reverse("me:consent_withdraw", args=["employer_profile"]))
    invitation.refresh_from_db()
    me.post(
        reverse("me:job_answer", args=[invitation.pk]), {"answer": "accept", "version": invitation.version}
    )
    invitation.refresh_from_db()
    assert invitation.status == "invited"


def test_another_persons_invitation_is_a_404(personas, candidate_door, invitation, other_account):
    stranger = participant_client(other_account)
    assert stranger.get(reverse("me:job", args=[invitation.pk])).status_code == 404
    response = stranger.post(
        reverse("me:job_answer", args=[invitation.pk]), {"answer": "accept", "version": invitation.version}
    )
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "invited"


@pytest.fixture
def certified(personas, django_capture_on_commit_callbacks):
    """A person of personas.org with a certificate, invited to their page."""
    from incluye.participants.testing import certified_person

    certificate = certified_person(personas)
    with django_capture_on_commit_callbacks(execute=True):
        account = invite(personas.caseworker, certificate.person)
    return certificate, participant_client(account)


def test_the_person_downloads_their_certificate_and_credential_and_shares_the_link(certified, other_account):
    certificate, me = certified
    page = me.get(reverse("me:certificates")).content.decode()
    assert certificate.number in page
    assert reverse("certification:verify_token", args=[certificate.token]) in page
    assert 'src="data:image/svg+xml' in page  # the QR code, inline
    pdf = me.get(reverse("me:certificate_pdf", args=[certificate.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    jwt = me.get(reverse("me:certificate_credential", args=[certificate.pk]))
    assert jwt.content.decode() == certificate.credential
    assert ActionLogEntry.objects.filter(action="incluye.certificate.printed", data__by="person").exists()
    stranger = participant_client(other_account)
    assert stranger.get(reverse("me:certificate_pdf", args=[certificate.pk])).status_code == 404
    assert stranger.get(reverse("me:certificate_credential", args=[certificate.pk])).status_code == 404


def test_a_certified_person_stands_past_certification_and_only_a_new_session_is_an_appointment(
    personas, certified
):
    import datetime

    from django.utils import timezone

    from incluye.accounts.models import Membership
    from incluye.accounts.roles import Role
    from incluye.cases.services import case_open
    from incluye.certification import services
    from incluye.certification.models import Enrollment

    certificate, me = certified
    case_open(membership=personas.caseworker, person=certificate.person)  # left at reception
    page = me.get(reverse("me:home")).content.decode()
    assert 'class="done">Certificación de su experiencia' in page
    assert 'class="current">Empleo o negocio propio' in page
    assert "Zona 6" not in page  # assessed today already: not an appointment to come

    assessor = Membership.objects.get(organization=certificate.body, role=Role.ASSESSOR)
    later = services.session_create(
        membership=assessor,
        standard=certificate.standard,
        date=timezone.localdate() + datetime.timedelta(days=7),
        place="Sede Quetzaltenango",
        capacity=5,
        assessors=[assessor.user],
    )
    # a certified person is not enrolled in the standard again, until the certificate is revoked
    services.certificate_revoke(membership=assessor, certificate=certificate, reason="Error de registro")
    services.enrollment_create(
        membership=personas.caseworker,
        session=later,
        profile=Enrollment.objects.get(person=certificate.person).profile,
    )
    page = me.get(reverse("me:home")).content.decode()
    assert "Sede Quetzaltenango" in page
    assert 'class="current">Empleo o negocio propio' not in page  # a revoked certificate lifts nothing
