"""The case of someone who arrived: the checklist of their migration status, documents only for the
roles that see migration status, and reminders before a card or permit lapses."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from incluye.cases import services
from incluye.cases.models import Task
from incluye.core.models import ActionLogEntry
from incluye.core.testing import AWKWARD_DAYS, local_moment
from incluye.people.services import migration_status_record
from incluye.people.testing import grant_work_permit, register_asylum_seeker

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def seeker(costa_rica):
    return register_asylum_seeker(costa_rica.reception)


def codes(case):
    return list(case.documents.values_list("code", flat=True))


def test_an_asylum_seekers_case_has_the_checklist_of_her_status_not_a_returnees(costa_rica, seeker):
    case = services.case_open(membership=costa_rica.caseworker, person=seeker)
    assert codes(case) == [
        "origin_id",
        "origin_records",
        "asylum_application",
        "doc:SOLICITANTE",
        "doc:PERMISO_LABORAL",
        "doc:CCSS",
    ]
    assert "national_id" not in codes(case) and "consular_documents" not in codes(case)
    assert (
        case.documents.get(code="doc:PERMISO_LABORAL").name["es"]
        == "Permiso laboral de persona solicitante de refugio"
    )


def test_a_returnees_case_keeps_the_countrys_checklist(costa_rica):
    from incluye.core.models import Country
    from incluye.people.services import person_register

    national = person_register(
        membership=costa_rica.reception,
        given_names="Andrea",
        first_surname="Solís",
        nationality=Country.objects.get(code="CR"),
    )
    case = services.case_open(membership=costa_rica.caseworker, person=national)
    assert codes(case)[0] == "national_id" and "consular_documents" in codes(case)


def test_her_recognition_as_refugee_adds_its_documents_and_keeps_the_progress_of_the_others(
    costa_rica, seeker
):
    case = services.case_open(membership=costa_rica.caseworker, person=seeker)
    card = case.documents.get(code="doc:SOLICITANTE")
    services.document_update(membership=costa_rica.caseworker, document=card, status="obtained")
    migration_status_record(
        membership=costa_rica.caseworker, person=seeker, kind="refugee", since=D(2026, 3, 1)
    )
    assert {"recognition_resolution", "doc:DIMEX"} <= set(codes(case))
    assert case.documents.get(code="doc:SOLICITANTE").status == "obtained"


def test_her_documents_on_the_case_page_are_only_for_the_roles_that_see_migration_status(costa_rica, seeker):
    case = services.case_open(membership=costa_rica.caseworker, person=seeker)
    psychosocial = costa_rica.client("psychosocial")
    page = psychosocial.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Carné de solicitante de refugio" not in page and "solo los ven los roles" in page
    document = case.documents.get(code="doc:SOLICITANTE")
    assert (
        psychosocial.post(
            reverse("cases:document_update", args=[document.pk]), {"status": "requested"}
        ).status_code
        == 403
    )
    page = costa_rica.client("documents").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Carné de solicitante de refugio" in page


def test_a_card_about_to_expire_becomes_a_task_for_her_caseworker_once_and_a_reminder(
    costa_rica, seeker, time_machine
):
    case = services.case_open(membership=costa_rica.caseworker, person=seeker)  # card expires 2026-07-12
    time_machine.move_to(local_moment("2026-06-11 07:00"))  # 31 days before: not yet
    call_command("send_reminders")
    assert not Task.objects.filter(case=case, key__startswith="document:").exists()
    time_machine.move_to(local_moment("2026-06-12 07:00"))  # 30 days before: the card's reminder
    mail.outbox.clear()
    call_command("send_reminders")
    call_command("send_reminders")
    [task] = Task.objects.filter(case=case, key__startswith="document:")
    assert task.title == "Renovar «Carné de solicitante de refugio» antes del 12/07/2026"
    assert (task.assigned_to, task.sensitivity, task.due_on) == (
        costa_rica.caseworker.user,
        "protection",
        D(2026, 6, 12),
    )
    reminders = [m for m in mail.outbox if m.to == [costa_rica.caseworker.user.email]]
    assert reminders and "Rondón" not in reminders[-1].body and "refugio" not in reminders[-1].body
    assert (
        ActionLogEntry.objects.filter(action="incluye.task.created", data__reason="document_expiry").count()
        == 1
    )


def test_the_renewal_task_is_hidden_from_roles_that_do_not_see_migration_status(
    costa_rica, seeker, time_machine
):
    case = services.case_open(membership=costa_rica.caseworker, person=seeker)
    time_machine.move_to(local_moment("2026-06-20 07:00"))
    call_command("send_reminders")
    from incluye.cases.selectors import tasks_of

    assert any("Renovar" in t.title for t in tasks_of(membership=costa_rica.caseworker, case=case))
    assert not any("Renovar" in t.title for t in tasks_of(membership=costa_rica.psychosocial, case=case))


@pytest.mark.parametrize("day", list(AWKWARD_DAYS.values()), ids=list(AWKWARD_DAYS))
def test_a_permit_reminder_comes_its_days_before_whatever_the_calendar(costa_rica, seeker, time_machine, day):
    time_machine.move_to(local_moment(f"{day.isoformat()} 06:00"), tick=False)
    services.case_open(membership=costa_rica.caseworker, person=seeker)
    expires = day + datetime.timedelta(days=30)  # the permit's reminder begins 30 days before
    grant_work_permit(
        costa_rica.documents, seeker, valid_from=day - datetime.timedelta(days=200), expires_on=expires
    )
    call_command("send_reminders")
    assert (
        Task.objects.filter(key__contains=expires.isoformat(), title__contains="Permiso laboral").count() == 1
    )
    time_machine.move_to(local_moment(f"{(day - datetime.timedelta(days=1)).isoformat()} 06:00"), tick=False)
    Task.objects.all().delete()
    call_command("send_reminders")
    assert not Task.objects.filter(title__contains="Permiso laboral").exists()
