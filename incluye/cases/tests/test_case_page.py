"""The case page carries several forms at once (stage, goal, task, one per document, note): each
field has its own id and label, a task lands as a task, errors show at the top of their form with
a summary, and closing a case asks first."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from incluye.cases import services
from incluye.cases.models import Goal, Task
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    person = person_register(
        membership=personas.staff, given_names="Pedro", first_surname="Coc", nationality_id="GT"
    )
    return services.case_open(membership=personas.caseworker, person=person)


def _ids(html):
    return Counter(re.findall(r'\sid="([^"]+)"', html))


def test_every_element_of_the_case_page_has_its_own_id_and_every_label_its_own_field(personas, case):
    html = personas.client("caseworker").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert {i: n for i, n in _ids(html).items() if n > 1} == {}
    for target in re.findall(r'<label[^>]* for="([^"]+)"', html):
        assert f'id="{target}"' in html, target
    # The task's and the goal's fields are told apart.
    assert 'id="id_task-title"' in html and 'id="id_goal-title"' in html
    assert 'id="id_task-due_on"' in html and 'id="id_goal-due_on"' in html


def test_a_task_is_saved_as_a_task_and_never_as_a_goal(personas, case):
    response = personas.client("caseworker").post(
        reverse("cases:task_add", args=[case.pk]),
        {"task-title": "Llamar al RENAP", "task-due_on": "2026-12-03"},
    )
    assert response.status_code == 302
    assert Task.objects.filter(case=case, title="Llamar al RENAP").exists()
    assert not Goal.objects.filter(title="Llamar al RENAP").exists()


def test_a_refused_task_keeps_what_was_typed_and_leads_to_the_field_from_a_summary(personas, case):
    response = personas.client("caseworker").post(
        reverse("cases:task_add", args=[case.pk]), {"task-title": "Llamar al RENAP", "task-due_on": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.index('data-module="govuk-error-summary"') :]
    assert 'href="#id_task-due_on"' in summary
    assert "Hay un problema" in summary
    assert 'value="Llamar al RENAP"' in html
    assert 'class="govuk-form-group field-due_on govuk-form-group--error"' in html
    assert not Task.objects.filter(title="Llamar al RENAP").exists()


def test_closing_a_case_asks_first_and_says_what_it_does(personas, case):
    client = personas.client("caseworker")
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f'href="{reverse("cases:close", args=[case.pk])}"' in page
    assert 'name="close-reason"' not in page  # no closing from the case page itself
    confirm = client.get(reverse("cases:close", args=[case.pk]))
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "¿Cerrar el caso de Pedro Coc?" in html
    assert 'name="close-reason"' in html
    refused = client.post(reverse("cases:close", args=[case.pk]), {"close-version": case.version})
    assert refused.status_code == 400
    assert "Hay un problema" in refused.content.decode()
    case.refresh_from_db()
    assert case.status != "closed"


def test_a_reader_cannot_open_the_closing_page(personas, case):
    assert personas.client("staff").get(reverse("cases:close", args=[case.pk])).status_code == 403
