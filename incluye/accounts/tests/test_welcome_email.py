from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from incluye.accounts.models import User

pytestmark = pytest.mark.django_db


def add_member(personas, email="nuevo@ejemplo.org"):
    return personas.client("admin").post(
        reverse("accounts:members"), {"email": email, "first_name": "Selvin", "role": "caseworker"}
    )


def test_a_new_member_gets_a_spanish_welcome_with_a_link_to_choose_a_password(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_member(personas)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nuevo@ejemplo.org"]
    assert message.subject == "Su cuenta de Incluye en Centro de Recepción La Aurora"
    assert "Hola, Selvin" in message.body
    link = next(line for line in message.body.splitlines() if "/accounts/password/reset/key/" in line)
    # The link (once) lets the person choose a password.
    client = Client()
    response = client.get(urlsplit(link).path, follow=True)
    form_url = response.redirect_chain[-1][0]  # allauth moves the key into the session
    client.post(form_url, {"password1": "Una-Clave-Nueva-2026", "password2": "Una-Clave-Nueva-2026"})
    assert User.objects.get(email="nuevo@ejemplo.org").check_password("Una-Clave-Nueva-2026")


def test_adding_an_existing_user_to_another_role_sends_no_welcome(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_member(personas, email=personas.staff.user.email)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens database connections
def test_the_welcome_waits_in_the_database_queue_until_a_worker_runs_it(settings):
    from django_tasks_db.models import DBTaskResult

    from incluye.core.testing import make_personas

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    personas = make_personas()
    add_member(personas)
    assert mail.outbox == []
    assert DBTaskResult.objects.get().status == "READY"
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert len(mail.outbox) == 1
