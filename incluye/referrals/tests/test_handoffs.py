"""Handoffs, transfers and access requests: how a person moves between the organizations of one
country's alliance. A handoff gives an arrival to a case-management organization (accepted, a case
opens there); a transfer moves a case's ownership (a referral only gives access to a service); an
access request asks the holder of a record to share it. Consent rules are those of referrals;
every act has an expected answer date and is in the action log and the person's access report."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from incluye.accounts.roles import Role
from incluye.cases.models import Case
from incluye.cases.services import case_open
from incluye.core.models import ActionLogEntry
from incluye.core.pipeline import TransitionNotAllowed
from incluye.core.testing import client_for, local_moment, make_member, make_organization
from incluye.people.models import PersonAccess
from incluye.people.selectors import people_visible_to
from incluye.people.services import consent_record, person_register
from incluye.referrals import services
from incluye.referrals.models import ActStatus, Handoff, Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def ngo(db):
    return make_organization("Asociación Caminos de Retorno", kind="ngo")


@pytest.fixture
def ngo_caseworker(ngo):
    return make_member(ngo, Role.CASEWORKER)


def arrival(officer, *, consent=True, flight="TA-102", given="Dina Marisol", surname="Chen"):
    person = person_register(
        membership=officer,
        given_names=given,
        first_surname=surname,
        nationality_id="GT",
        birth_date=datetime.date(1995, 7, 2),
        return_event={"arrived_on": timezone.localdate(), "transport_reference": flight},
    )
    if consent:
        consent_record(
            membership=officer, person=person, purpose="alliance_sharing", given=True, method="signed_form"
        )
    return person


# -- handoffs ---------------------------------------------------------------------------------------


def test_a_handoff_needs_the_persons_consent_to_share_as_a_referral_does(personas, ngo, ngo_caseworker):
    person = arrival(personas.staff, consent=False)
    with pytest.raises(services.ReferralRefused) as refused:
        services.handoff_send(membership=personas.staff, person=person, to_organization=ngo)
    assert refused.value.message == services.consent_missing_message()
    assert not Handoff.objects.exists()


def test_a_handoff_goes_only_to_another_organization_of_the_country_that_manages_cases(
    personas, ngo_caseworker
):
    person = arrival(personas.staff)
    salvadoran = make_organization("Asociación de El Salvador", country="SV")
    make_member(salvadoran, Role.CASEWORKER)
    nobody_there = make_organization("Ministerio sin gestores", kind="ministry")
    for destination in (salvadoran, nobody_there, personas.org):
        with pytest.raises(services.ReferralRefused):
            services.handoff_send(membership=personas.staff, person=person, to_organization=destination)


def test_accepting_a_handoff_opens_a_case_for_the_chosen_caseworker_and_shares_the_record(
    personas, ngo, ngo_caseworker, settings
):
    settings.INCLUYE_HANDOFF_ANSWER_DAYS = 2
    person = arrival(personas.staff)
    handoff = services.handoff_send(
        membership=personas.staff, person=person, to_organization=ngo, note="Control médico"
    )
    assert handoff.answer_due_on == timezone.localdate() + datetime.timedelta(days=2)
    # Before accepting, the NGO sees the stub on the handoff, never the record.
    receiver = client_for(ngo_caseworker)
    assert receiver.get(reverse("people:detail", args=[person.pk])).status_code == 404
    page = receiver.get(reverse("referrals:handoff", args=[handoff.pk])).content.decode()
    assert "Dina Marisol Chen" in page and "Control médico" in page

    response = receiver.post(
        reverse("referrals:handoff_accept", args=[handoff.pk]),
        {"caseworker": ngo_caseworker.user_id, "version": handoff.version},
    )
    case = Case.objects.get(person=person, organization=ngo)
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.caseworker == ngo_caseworker.user
    handoff.refresh_from_db()
    assert (handoff.status, handoff.case_id, handoff.answered_by) == (
        ActStatus.ACCEPTED,
        case.pk,
        ngo_caseworker.user,
    )
    assert receiver.get(reverse("people:detail", args=[person.pk])).status_code == 200
    assert PersonAccess.objects.get(person=person, organization=ngo).reason == "handoff"


def test_a_declined_handoff_sends_the_reason_back_to_the_sender(
    personas, ngo, ngo_caseworker, django_capture_on_commit_callbacks
):
    person = arrival(personas.staff)
    handoff = services.handoff_send(membership=personas.staff, person=person, to_organization=ngo)
    mail.outbox.clear()
    with pytest.raises(services.ReferralRefused):
        services.act_decline(
            membership=ngo_caseworker, act=handoff, reason=" ", expected_version=handoff.version
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.act_decline(
            membership=ngo_caseworker, act=handoff, reason="Vivirá en Petén", expected_version=handoff.version
        )
    assert [m.to for m in mail.outbox] == [[personas.staff.user.email]]
    assert "Chen" not in mail.outbox[0].body and "Petén" not in mail.outbox[0].body
    sender_page = (
        personas.client("staff").get(reverse("referrals:handoff", args=[handoff.pk])).content.decode()
    )
    assert "Vivirá en Petén" in sender_page
    # In the sender's inbox until it is dealt with: handing the person elsewhere puts it away.
    home = personas.client("staff").get(reverse("home")).content.decode()
    assert "rechazó el traspaso" in home
    other = make_organization("Pastoral de Movilidad Humana", kind="ngo")
    make_member(other, Role.CASEWORKER)
    services.handoff_send(membership=personas.staff, person=person, to_organization=other)
    assert "rechazó el traspaso" not in personas.client("staff").get(reverse("home")).content.decode()


def test_two_people_answering_at_once_cannot_both_succeed(personas, ngo, ngo_caseworker):
    person = arrival(personas.staff)
    handoff = services.handoff_send(membership=personas.staff, person=person, to_organization=ngo)
    version = handoff.version
    services.act_decline(membership=ngo_caseworker, act=handoff, reason="No", expected_version=version)
    stale = Handoff.objects.get(pk=handoff.pk)
    stale.status = ActStatus.SENT  # the page the other one had open
    with pytest.raises(TransitionNotAllowed):
        services.handoff_accept(
            membership=make_member(ngo, Role.CASEWORKER),
            handoff=stale,
            caseworker=ngo_caseworker.user,
            expected_version=version,
        )
    assert not Case.objects.filter(organization=ngo).exists()


def test_the_whole_flight_is_handed_off_at_once_and_those_without_consent_are_named(
    personas, ngo, ngo_caseworker
):
    on_board = [arrival(personas.staff, given=g, surname=s) for g, s in (("Ana", "Coc"), ("Luis", "Caal"))]
    no_consent = arrival(personas.staff, consent=False, given="Rosa", surname="Tzul")
    arrival(personas.staff, flight="TA-200", given="Otro", surname="Vuelo")
    response = personas.client("staff").post(
        reverse("referrals:handoff_arrivals"), {"flight": "TA-102", "to_organization": ngo.pk}, follow=True
    )
    assert response.status_code == 200
    assert set(Handoff.objects.values_list("person_id", flat=True)) == {p.pk for p in on_board}
    page = response.content.decode()
    assert "Se traspasaron 2 personas a Asociación Caminos de Retorno." in page
    assert f"No se traspasó a {no_consent.full_name}" in page


def test_every_handoff_and_every_read_of_it_is_in_the_persons_access_report(personas, ngo, ngo_caseworker):
    person = arrival(personas.staff)
    handoff = services.handoff_send(membership=personas.staff, person=person, to_organization=ngo)
    client_for(ngo_caseworker).get(reverse("referrals:handoff", args=[handoff.pk]))
    actions = set(ActionLogEntry.objects.filter(person_id=person.pk).values_list("action", "organization_id"))
    assert ("incluye.handoff.sent", personas.org.pk) in actions
    assert ("incluye.handoff.viewed", ngo.pk) in actions
    report = personas.client("admin").get(reverse("people:access_report", args=[person.pk])).content.decode()
    assert "Abrió un traspaso" in report


def test_an_unanswered_handoff_is_overdue_in_both_organizations_inboxes(
    personas, ngo, ngo_caseworker, time_machine
):
    time_machine.move_to(local_moment("2026-11-25 09:00"))
    person = arrival(personas.staff)
    services.handoff_send(membership=personas.staff, person=person, to_organization=ngo)
    time_machine.move_to(local_moment("2026-11-30 09:00"))
    for client, text in (
        (client_for(ngo_caseworker), "Traspasada por Centro de Recepción La Aurora"),
        (personas.client("staff"), "Asociación Caminos de Retorno no ha respondido el traspaso"),
    ):
        home = client.get(reverse("home"))
        section = next(s for s in home.context["sections"] if "handoffs" in s.key)
        assert section.overdue == 1
        assert text in home.content.decode()
        assert "vencido desde el 27/11/2026" in home.content.decode()


def test_withdrawing_the_consent_ends_the_sharing_at_once(personas, ngo, ngo_caseworker):
    person = arrival(personas.staff)
    handoff = services.handoff_send(membership=personas.staff, person=person, to_organization=ngo)
    services.handoff_accept(
        membership=ngo_caseworker,
        handoff=handoff,
        caseworker=ngo_caseworker.user,
        expected_version=handoff.version,
    )
    assert people_visible_to(membership=ngo_caseworker).filter(pk=person.pk).exists()
    consent_record(
        membership=personas.staff,
        person=person,
        purpose="alliance_sharing",
        given=False,
        method="signed_form",
    )
    assert not people_visible_to(membership=ngo_caseworker).filter(pk=person.pk).exists()
    assert ActionLogEntry.objects.filter(action="incluye.person.access_ended", person_id=person.pk).exists()


# -- transfers --------------------------------------------------------------------------------------


@pytest.fixture
def case(personas):
    person = arrival(personas.staff)
    return case_open(membership=personas.caseworker, person=person)


def test_a_transfer_moves_the_case_itself_while_a_referral_does_not(personas, ngo, ngo_caseworker, case):
    transfer = services.transfer_send(
        membership=personas.caseworker, case=case, to_organization=ngo, note="Se muda a Quetzaltenango"
    )
    assert Case.objects.get(pk=case.pk).organization == personas.org  # until it is accepted
    services.transfer_accept(
        membership=ngo_caseworker,
        transfer=transfer,
        caseworker=ngo_caseworker.user,
        expected_version=transfer.version,
    )
    case.refresh_from_db()
    assert (case.organization, case.caseworker) == (ngo, ngo_caseworker.user)
    # The history travels; open tasks go to the new caseworker.
    assert not case.tasks.filter(done_at__isnull=True).exclude(assigned_to=ngo_caseworker.user).exists()
    assert personas.client("caseworker").get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client_for(ngo_caseworker).get(reverse("cases:detail", args=[case.pk])).status_code == 200
    # The registering organization keeps the person's record, the case is no longer its.
    assert personas.client("staff").get(reverse("people:detail", args=[case.person_id])).status_code == 200


def test_a_declined_transfer_leaves_the_case_where_it_was(personas, ngo, ngo_caseworker, case):
    transfer = services.transfer_send(
        membership=personas.caseworker, case=case, to_organization=ngo, note="Xela"
    )
    services.act_decline(
        membership=ngo_caseworker, act=transfer, reason="Sin cupo", expected_version=transfer.version
    )
    case.refresh_from_db()
    assert case.organization == personas.org
    assert Transfer.objects.get(pk=transfer.pk).decline_reason == "Sin cupo"


def test_a_transfer_is_refused_without_consent_and_for_a_closed_case(personas, ngo, ngo_caseworker, case):
    from incluye.cases.services import case_close

    person = arrival(personas.staff, consent=False, given="Sin", surname="Consentimiento")
    without_consent = case_open(membership=personas.caseworker, person=person)
    with pytest.raises(services.ReferralRefused) as refused:
        services.transfer_send(
            membership=personas.caseworker, case=without_consent, to_organization=ngo, note="x"
        )
    assert refused.value.message == services.consent_missing_message()
    case_close(
        membership=personas.caseworker,
        case=case,
        reason="withdrew",
        outcome="",
        expected_version=case.version,
    )
    with pytest.raises(services.ReferralRefused):
        services.transfer_send(membership=personas.caseworker, case=case, to_organization=ngo, note="x")
    assert not Transfer.objects.exists()


def test_only_the_case_team_may_offer_a_transfer(personas, ngo, ngo_caseworker, case):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.transfer_send(membership=personas.staff, case=case, to_organization=ngo, note="x")
    assert personas.client("staff").get(reverse("referrals:transfer_new", args=[case.pk])).status_code == 403


# -- access requests ---------------------------------------------------------------------------------


def test_the_holder_grants_an_access_request_and_the_record_opens(personas, ngo, ngo_caseworker):
    person = arrival(personas.staff)
    request = services.access_request_send(
        membership=ngo_caseworker, person=person, note="Su familia pidió apoyo"
    )
    assert request.to_organization == personas.org
    client = personas.client("staff")
    assert (
        "Su familia pidió apoyo"
        in client.get(reverse("referrals:access", args=[request.pk])).content.decode()
    )
    response = client.post(
        reverse("referrals:access_accept", args=[request.pk]), {"version": request.version}
    )
    assert response.status_code == 302
    assert client_for(ngo_caseworker).get(reverse("people:detail", args=[person.pk])).status_code == 200


def test_an_access_request_is_refused_for_a_record_already_seen_or_asked_twice(personas, ngo, ngo_caseworker):
    person = arrival(personas.staff)
    with pytest.raises(services.ReferralRefused):
        services.access_request_send(membership=personas.caseworker, person=person, note="Ya lo vemos")
    services.access_request_send(membership=ngo_caseworker, person=person, note="Primera vez")
    with pytest.raises(services.ReferralRefused):
        services.access_request_send(membership=ngo_caseworker, person=person, note="Otra vez")


def test_only_the_receiving_side_answers_and_only_the_sender_withdraws(personas, ngo, ngo_caseworker):
    person = arrival(personas.staff)
    handoff = services.handoff_send(membership=personas.staff, person=person, to_organization=ngo)
    sender, receiver = personas.client("staff"), client_for(ngo_caseworker)
    assert sender.post(reverse("referrals:handoff_accept", args=[handoff.pk]), {}).status_code == 403
    assert receiver.post(reverse("referrals:handoff_cancel", args=[handoff.pk]), {}).status_code == 403
    response = sender.post(
        reverse("referrals:handoff_cancel", args=[handoff.pk]), {"version": handoff.version}
    )
    assert response.status_code == 302
    assert Handoff.objects.get(pk=handoff.pk).status == ActStatus.CANCELLED


def test_the_organization_a_record_is_shared_with_acts_for_the_person_in_jobs(personas, ngo, ngo_caseworker):
    from incluye.core.models import Division
    from incluye.jobs.models import EMPLOYER_SIDE, PERSON_SIDE, Application, Vacancy
    from incluye.jobs.services import side_of
    from incluye.skills.models import Occupation

    person = arrival(personas.staff)
    vacancy = Vacancy.objects.create(
        employer=personas.employer_org,
        title="Techador",
        occupation=Occupation.objects.first(),
        municipality=Division.objects.filter(country_id="GT").last(),
    )
    application = Application.objects.create(vacancy=vacancy, person=person, status="invited")
    assert side_of(ngo_caseworker, application) is None  # not shared yet
    handoff = services.handoff_send(membership=personas.staff, person=person, to_organization=ngo)
    services.handoff_accept(
        membership=ngo_caseworker,
        handoff=handoff,
        caseworker=ngo_caseworker.user,
        expected_version=handoff.version,
    )
    assert side_of(ngo_caseworker, application) == PERSON_SIDE
    assert side_of(personas.caseworker, application) == PERSON_SIDE  # the registering organization too
    assert side_of(personas.employer, application) == EMPLOYER_SIDE
    assert side_of(personas.outsider, application) is None
