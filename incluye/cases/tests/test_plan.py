import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from incluye.cases import services
from incluye.cases.models import Goal
from incluye.core.models import ActionLogEntry
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
        reverse("cases:goal_add", args=[case.pk]), {"title": "Obtener el DPI", "due_on": "2026-12-15"}
    )
    goal = Goal.objects.get()
    assert (goal.owner, goal.status) == (personas.caseworker.user, "open")
    client.post(reverse("cases:goal_status", args=[goal.pk]), {"status": "achieved"})
    goal.refresh_from_db()
    assert goal.status == "achieved"
    assert ActionLogEntry.objects.filter(action="incluye.goal.set").count() == 2
    assert "Obtener el DPI" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_a_goal_without_a_date_keeps_the_title_typed(personas, case):
    response = personas.client("caseworker").post(
        reverse("cases:goal_add", args=[case.pk]), {"title": "Curso de soldadura"}
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
