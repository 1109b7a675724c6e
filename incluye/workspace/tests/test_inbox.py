"""Every user lands on their own work: the inbox assembles what each app registered — referrals
and handoffs received, cases waiting in the user's stage, tasks and follow-ups due, invitations
waiting for the person's answer, enrolments waiting for results, agreements about to expire —
with counts in the navigation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from incluye.accounts.roles import Role
from incluye.cases import services as cases
from incluye.core.inbox import SOURCES
from incluye.core.models import Division
from incluye.core.testing import client_for, local_moment, make_member, make_organization
from incluye.people.services import consent_record, person_register

pytestmark = pytest.mark.django_db


def sections(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {s.key: s for s in response.context["sections"]}, response.content.decode()


def person(membership, given="Dina Marisol", surname="Chen", consent=True):
    found = person_register(
        membership=membership, given_names=given, first_surname=surname, nationality_id="GT"
    )
    if consent:
        consent_record(
            membership=membership, person=found, purpose="alliance_sharing", given=True, method="signed_form"
        )
    return found


def vacancy(personas, title):
    from incluye.jobs.models import Vacancy
    from incluye.skills.models import Occupation

    return Vacancy.objects.create(
        employer=personas.employer_org,
        title=title,
        occupation=Occupation.objects.first(),
        municipality=Division.objects.filter(country_id="GT").last(),
    )


def test_the_psychologist_finds_her_organizations_cases_in_psychosocial_support(personas):
    psychologist = make_member(personas.org, Role.PSYCHOSOCIAL)
    case = cases.case_open(membership=personas.caseworker, person=person(personas.staff))
    cases.case_move(
        membership=personas.caseworker, case=case, to_status="psychosocial", expected_version=case.version
    )
    found, page = sections(client_for(psychologist))
    assert [i.title for i in found["stage_cases"].items] == ["Dina Marisol Chen"]
    assert "Casos que esperan en su etapa" in page
    # "My cases" of a psychologist are those waiting in her stage, not those assigned to her.
    caseload = client_for(psychologist).get(reverse("cases:caseload")).content.decode()
    assert "Chen, Dina Marisol" in caseload


def test_a_caseworker_sees_the_new_case_given_to_her_and_her_tasks_due(personas, time_machine):
    time_machine.move_to(local_moment("2026-11-25 09:00"))
    case = cases.case_open(membership=personas.caseworker, person=person(personas.staff))
    cases.task_create(
        membership=personas.caseworker,
        case=case,
        title="Llamar a la familia",
        due_on=datetime.date(2026, 11, 24),
    )
    cases.task_create(
        membership=personas.caseworker, case=case, title="Más adelante", due_on=datetime.date(2026, 12, 30)
    )
    found, page = sections(personas.client("caseworker"))
    assert [i.title for i in found["new_cases"].items] == ["Dina Marisol Chen"]
    assert [i.detail for i in found["tasks"].items] == ["Llamar a la familia"]
    assert found["tasks"].overdue == 1
    assert "vencido desde el 24/11/2026" in page


def test_an_employers_invitation_reaches_the_persons_caseworker(personas):
    from incluye.jobs.models import Application, ApplicationStatus

    who = person(personas.caseworker, given="Byron", surname="Xitumul")
    Application.objects.create(
        vacancy=vacancy(personas, "Instalador de tablayeso"),
        person=who,
        status=ApplicationStatus.INVITED,
        answer_due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    found, page = sections(personas.client("caseworker"))
    assert [i.title for i in found["invitations"].items] == ["Byron Xitumul"]
    assert "Instalador de tablayeso" in page


def test_the_institutes_assessor_receives_referrals_to_its_programmes(personas):
    from incluye.referrals.models import Service
    from incluye.referrals.services import referral_send

    institute = make_organization("INTECAP", kind="certifying_body", sector="public")
    assessor = make_member(institute, Role.ASSESSOR)
    service = Service.objects.create(
        organization=institute, name="Certificación de competencias", kind="training"
    )
    case = cases.case_open(
        membership=personas.caseworker, person=person(personas.staff, given="Marvin", surname="Cux")
    )
    referral = referral_send(
        membership=personas.caseworker,
        case=case,
        service=service,
        shared_fields=["given_names"],
        reason="Carpintería",
    )
    found, _page = sections(client_for(assessor))
    assert [i.url for i in found["referrals_received"].items] == [
        reverse("referrals:detail", args=[referral.pk])
    ]
    assert client_for(assessor).get(reverse("referrals:detail", args=[referral.pk])).status_code == 200


def test_the_coordinator_sees_agreements_about_to_expire(personas, time_machine):
    from incluye.alliance.models import Agreement, Council

    time_machine.move_to(local_moment("2026-11-25 09:00"))
    coordinator = make_member(
        make_organization("MINTRAB", kind="ministry", sector="public"), Role.COORDINATOR
    )
    council = Council.objects.create(country_id="GT", name="Consejo", founded_on=datetime.date(2020, 1, 1))
    for title, ends in (
        ("Vence pronto", datetime.date(2026, 12, 5)),
        ("Vence en un año", datetime.date(2027, 11, 1)),
    ):
        Agreement.objects.create(
            council=council, title=title, signed_on=datetime.date(2021, 1, 1), ends_on=ends, scope="x"
        )
    found, _page = sections(client_for(coordinator))
    assert [i.title for i in found["agreements_expiring"].items] == ["Vence pronto"]
    assert found["agreements_expiring"].overdue == 1  # within two weeks


def test_the_navigation_counts_what_waits_and_what_is_overdue(personas, time_machine):
    time_machine.move_to(local_moment("2026-11-25 09:00"))
    case = cases.case_open(membership=personas.caseworker, person=person(personas.staff))
    cases.task_create(
        membership=personas.caseworker, case=case, title="Tarde", due_on=datetime.date(2026, 11, 20)
    )
    client = personas.client("caseworker")
    total = sum(s.count for s in sections(client)[0].values())
    page = client.get(reverse("people:list")).content.decode()  # any page
    assert (
        f'Mi bandeja <span class="app-badge app-badge--late">{total}<span class="govuk-visually-hidden"> pendientes, 1 vencida'
        in page
    )


def badge(page: str) -> str:
    return page.split('Mi bandeja <span class="app-badge', 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_the_navigation_counts_once_a_minute_and_at_once_after_the_home_page_or_a_change_of_ones_own(
    personas, time_machine
):
    time_machine.move_to(local_moment("2026-11-25 09:00"), tick=False)
    case = cases.case_open(membership=personas.caseworker, person=person(personas.staff))
    cases.task_create(
        membership=personas.caseworker, case=case, title="Una", due_on=datetime.date(2026, 11, 30)
    )
    client = personas.client("caseworker")
    before = badge(client.get(reverse("people:list")).content.decode())
    cases.task_create(
        membership=personas.caseworker, case=case, title="Otra", due_on=datetime.date(2026, 11, 30)
    )
    # Within the minute, the other pages show the count they had (no count on each page)...
    assert badge(client.get(reverse("people:list")).content.decode()) == before
    # ... the home page counts afresh, and the navigation follows it at once ...
    after = sum(s.count for s in sections(client)[0].values())
    assert after == int(before) + 1
    assert badge(client.get(reverse("people:list")).content.decode()) == str(after)
    # ... a task the caseworker adds herself shows on the next page ...
    added = client.post(
        reverse("cases:task_add", args=[case.pk]), {"task-title": "Suya", "task-due_on": "2026-11-30"}
    )
    assert added.status_code == 302
    after += 1
    assert badge(client.get(reverse("people:list")).content.decode()) == str(after)
    # ... and a minute later any page counts again what arrived meanwhile.
    cases.task_create(
        membership=personas.caseworker, case=case, title="Otra más", due_on=datetime.date(2026, 11, 30)
    )
    time_machine.shift(datetime.timedelta(seconds=61))
    assert badge(client.get(reverse("people:list")).content.decode()) == str(after + 1)


def test_a_section_opens_in_full_a_page_at_a_time(personas, time_machine):
    time_machine.move_to(local_moment("2026-11-25 09:00"))
    case = cases.case_open(membership=personas.caseworker, person=person(personas.staff))
    for n in range(30):
        cases.task_create(
            membership=personas.caseworker,
            case=case,
            title=f"Tarea {n:02d}",
            due_on=datetime.date(2026, 11, 26),
        )
    client = personas.client("caseworker")
    home, page = sections(client)
    assert len(home["tasks"].items) == 5 and home["tasks"].count == 30
    assert f"{reverse('inbox')}?section=tasks" in page
    first = client.get(reverse("inbox"), {"section": "tasks"})
    assert len(first.context["section"].items) == 25
    second = client.get(reverse("inbox"), {"section": "tasks", "page": 2})
    assert len(second.context["section"].items) == 5
    # A section the membership has not (or that does not exist) is a 404.
    assert client.get(reverse("inbox"), {"section": "enrolments"}).status_code == 404
    assert client.get(reverse("inbox"), {"section": "nope"}).status_code == 404


def test_an_employer_never_sees_a_candidates_name_before_the_person_accepts(personas, time_machine):
    from incluye.jobs.models import Application, ApplicationStatus
    from incluye.jobs.services import pseudonym

    time_machine.move_to(local_moment("2026-11-25 09:00"))
    who = person(personas.caseworker, given="Byron", surname="Xitumul")
    roof = vacancy(personas, "Techador")
    Application.objects.create(
        vacancy=roof, person=who, status=ApplicationStatus.INVITED, answer_due_on=datetime.date(2026, 11, 20)
    )
    found, page = sections(personas.client("employer"))
    assert [i.title for i in found["employer_applications"].items] == [
        pseudonym(person_id=who.pk, vacancy_id=roof.pk)
    ]
    assert "Xitumul" not in page and "Byron" not in page


def test_every_source_has_a_unique_key_and_a_translated_title():
    from django.utils import translation

    assert len(SOURCES) >= 15
    with translation.override("es"):
        titles = {str(source.title) for source in SOURCES.values()}
    assert len(titles) == len(SOURCES)
    with translation.override("en"):
        english = {str(source.title) for source in SOURCES.values()}
    assert not titles & english  # every title has its Spanish
