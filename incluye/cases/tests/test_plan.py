import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from incluye.cases import services
from incluye.cases.models import Goal
from incluye.core.models import ActionLogEntry
from incluye.core.testing import local_moment
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    person = person_register(
        membership=personas.staff, given_names="Rosa", first_surname="Tzul", nationality_id="GT"
    )
    return services.case_open(membership=personas.caseworker, person=person)


def test_a_goal_is_added_to_the_plan_and_marked_achieved(personas, case):
    client = personas.client("caseworker")
    client.post(
        reverse("cases:goal_add", args=[case.pk]),
        {"goal-title": "Obtener el DPI", "goal-due_on": "2026-12-15"},
    )
    goal = Goal.objects.get()
    assert (goal.owner, goal.status) == (personas.caseworker.user, "open")
    client.post(reverse("cases:goal_status", args=[goal.pk]), {"status": "achieved", "version": goal.version})
    goal.refresh_from_db()
    assert goal.status == "achieved"
    assert ActionLogEntry.objects.filter(action="incluye.goal.set").count() == 2
    assert "Obtener el DPI" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_a_goal_without_a_date_keeps_the_title_typed(personas, case):
    response = personas.client("caseworker").post(
        reverse("cases:goal_add", args=[case.pk]), {"goal-title": "Curso de soldadura"}
    )
    assert response.status_code == 400
    assert 'value="Curso de soldadura"' in response.content.decode()


def test_the_daily_reminder_tells_each_person_how_many_tasks_are_due_without_names(personas, case):
    services.task_create(
        membership=personas.caseworker,
        case=case,
        title="Llamar a Rosa Tzul",
        due_on=datetime.date(2026, 1, 1),
    )
    call_command("send_reminders")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [personas.caseworker.user.email]
    assert message.subject == "Incluye: 1 tarea pendiente"
    assert "Rosa" not in message.body and "Tzul" not in message.body
    assert "/cases/my-work/" in message.body
    assert "vencida" in message.body


@pytest.mark.parametrize(
    ("moment", "due", "overdue"),
    [
        # 21:00 on New Year's Eve in Guatemala is already 1 January in UTC: the 1st is not due yet.
        ("2026-12-31 21:00", 2, 1),
        ("2027-01-01 00:30", 3, 2),
        ("2028-02-29 22:00", 5, 4),
        ("2028-03-01 08:00", 6, 5),
    ],
)
def test_reminders_count_what_is_due_on_the_local_day(personas, time_machine, moment, due, overdue):
    time_machine.move_to(local_moment(moment), tick=False)
    person = person_register(
        membership=personas.staff, given_names="Rosa", first_surname="Tzul", nationality_id="GT"
    )
    case = services.case_open(membership=personas.caseworker, person=person)  # follow-ups months ahead
    for day in ("2026-12-30", "2026-12-31", "2027-01-01", "2028-02-28", "2028-02-29", "2028-03-01"):
        services.task_create(
            membership=personas.caseworker, case=case, title="Llamar", due_on=datetime.date.fromisoformat(day)
        )
    call_command("send_reminders")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == f"Incluye: {due} tareas pendientes"
    assert f"({overdue} vencida{'s' if overdue > 1 else ''})" in mail.outbox[0].body
