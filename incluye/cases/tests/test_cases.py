"""A case through the pathway: stages as data, optimistic locking, closing and reopening, notes
whose psychosocial text only psychosocial professionals read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incluye.accounts.roles import Role
from incluye.cases import services
from incluye.cases.models import CASE_PIPELINE, Case, CaseStatus
from incluye.core.models import ActionLogEntry
from incluye.core.pipeline import TransitionNotAllowed
from incluye.core.testing import client_for, make_member, navigation_counted, page_text
from incluye.people.generate import PeopleGenerator
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db
SECRET = "Refiere pesadillas desde la detención en Texas."


@pytest.fixture
def case(personas):
    person = person_register(
        membership=personas.staff, given_names="Pedro", first_surname="Coc", nationality_id="GT"
    )
    return services.case_open(membership=personas.caseworker, person=person)


@pytest.fixture
def psychologist(personas):
    return make_member(personas.org, Role.PSYCHOSOCIAL)


def test_the_pathway_allows_only_its_transitions():
    assert CASE_PIPELINE.allowed(CaseStatus.RECEPTION) == ["psychosocial", "documents", "closed"]
    with pytest.raises(TransitionNotAllowed) as caught:
        CASE_PIPELINE.check(CaseStatus.RECEPTION, CaseStatus.EMPLOYMENT)
    assert caught.value.message == "Un caso no puede pasar de “Recepción” a “Empleo”."


def test_a_caseworker_opens_a_case_from_the_person_page_and_moves_it(personas):
    person = person_register(
        membership=personas.staff, given_names="Ana", first_surname="Caal", nationality_id="GT"
    )
    client = personas.client("caseworker")
    response = client.post(reverse("cases:open", args=[person.pk]))
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert (case.status, case.caseworker) == ("reception", personas.caseworker.user)
    client.post(
        reverse("cases:move", args=[case.pk]), {"move-to_status": "documents", "move-version": case.version}
    )
    case.refresh_from_db()
    assert case.status == "documents"
    assert [c.to_status for c in case.stage_changes.all()] == ["documents", "reception"]
    assert ActionLogEntry.objects.filter(
        action="incluye.case.moved", data__from="reception", data__to="documents"
    ).exists()


def test_a_move_the_pathway_does_not_allow_is_refused_with_a_message(personas, case):
    response = personas.client("caseworker").post(
        reverse("cases:move", args=[case.pk]), {"move-to_status": "employment", "move-version": case.version}
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "reception"


def test_a_change_made_on_an_old_copy_is_refused_not_lost(personas, case):
    old_version = case.version
    services.case_move(
        membership=personas.caseworker, case=case, to_status="psychosocial", expected_version=old_version
    )
    response = personas.client("caseworker").post(
        reverse("cases:move", args=[case.pk]), {"move-to_status": "documents", "move-version": old_version}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Alguien más cambió este registro (caso) mientras usted lo editaba: etapa." in page
    assert 'name="move-version" value="2"' in page  # saving again is a deliberate choice
    case.refresh_from_db()
    assert case.status == "psychosocial"


def test_closing_needs_a_reason_and_reopening_returns_to_the_stage_it_had(personas, case):
    client = personas.client("caseworker")
    services.case_move(
        membership=personas.caseworker, case=case, to_status="documents", expected_version=case.version
    )
    assert (
        client.post(
            reverse("cases:close", args=[case.pk]), {"close-outcome": "x", "close-version": case.version}
        ).status_code
        == 400
    )
    client.post(
        reverse("cases:close", args=[case.pk]),
        {"close-reason": "withdrew", "close-outcome": "Se mudó.", "close-version": case.version},
    )
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == ("closed", "withdrew")
    client.post(reverse("cases:reopen", args=[case.pk]), {"version": case.version})
    case.refresh_from_db()
    assert case.status == "documents"
    assert ActionLogEntry.objects.filter(action="incluye.case.reopened").exists()


def test_a_person_has_one_open_case_per_organization(personas, case):
    response = personas.client("caseworker").post(reverse("cases:open", args=[case.person.pk]))
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert Case.objects.count() == 1


@pytest.mark.parametrize("name", ["caseworker", "staff", "admin", "readonly"])
def test_psychosocial_note_text_never_reaches_other_roles(personas, case, psychologist, name):
    services.note_add(membership=psychologist, case=case, text=SECRET, sensitivity="psychosocial")
    page = personas.client(name).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert SECRET not in page
    assert "Nota psicosocial: solo los profesionales psicosociales pueden leerla." in page


def test_a_psychosocial_professional_reads_the_note_and_the_log_never_holds_its_text(
    personas, case, psychologist
):
    services.note_add(membership=psychologist, case=case, text=SECRET, sensitivity="psychosocial")
    page = client_for(psychologist).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert SECRET in page
    assert all(SECRET not in str(entry.data) for entry in ActionLogEntry.objects.all())


def test_only_psychosocial_professionals_can_write_a_psychosocial_note(personas, case):
    response = personas.client("caseworker").post(
        reverse("cases:note_add", args=[case.pk]), {"note-sensitivity": "psychosocial", "note-text": SECRET}
    )
    assert response.status_code == 400
    assert not case.notes.exists()


def test_another_organization_gets_404_on_the_case(personas, case):
    outsider = personas.client("outsider_admin")
    assert outsider.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert (
        outsider.post(
            reverse("cases:move", args=[case.pk]), {"move-to_status": "documents", "move-version": 1}
        ).status_code
        == 404
    )


def test_an_employer_cannot_see_cases(personas, case):
    assert personas.client("employer").get(reverse("cases:caseload")).status_code == 403
    assert personas.client("employer").get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_the_caseload_issues_the_same_queries_whatever_its_length(personas):
    client = navigation_counted(personas.client("caseworker"))

    def open_cases(count, seed):
        people = PeopleGenerator(seed=seed)
        people.create(organization=personas.org, count=count)
        for person in personas.org.people.filter(cases__isnull=True):
            services.case_open(membership=personas.caseworker, person=person)

    open_cases(3, 1)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:caseload"))
    open_cases(20, 2)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("cases:caseload")).content.decode()
    assert len(many) == len(few)
    assert page.count('href="/cases/') >= 23


def test_my_work_lists_my_open_tasks_overdue_first(personas, case):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    later = services.task_create(
        membership=personas.caseworker,
        case=case,
        title="Cita en RENAP",
        due_on=today + datetime.timedelta(days=3),
    )
    overdue = services.task_create(
        membership=personas.caseworker,
        case=case,
        title="Llamar a la familia",
        due_on=today - datetime.timedelta(days=2),
    )
    services.task_create(
        membership=personas.admin,
        case=case,
        title="Tarea de otra persona",
        due_on=today,
        assigned_to=personas.admin.user,
    )
    page = personas.client("caseworker").get(reverse("cases:my_work")).content.decode()
    assert page.index(overdue.title) < page.index(later.title)
    assert "vencida" in page
    assert "Tarea de otra persona" not in page


def test_marking_a_task_done_removes_it_from_my_work_and_only_the_assignee_can(personas, case):
    import datetime

    task = services.task_create(
        membership=personas.caseworker, case=case, title="Cita", due_on=datetime.date(2026, 1, 1)
    )
    assert personas.client("admin").post(reverse("cases:task_done", args=[task.pk])).status_code == 404
    personas.client("caseworker").post(reverse("cases:task_done", args=[task.pk]), {"version": task.version})
    task.refresh_from_db()
    assert task.done_at is not None
    assert "Cita" not in page_text(personas.client("caseworker").get(reverse("cases:my_work")))


def test_my_work_issues_the_same_queries_whatever_its_length(personas, case):
    import datetime

    client = navigation_counted(personas.client("caseworker"))
    services.task_create(
        membership=personas.caseworker, case=case, title="t0", due_on=datetime.date(2026, 1, 1)
    )
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:my_work"))
    for n in range(15):
        services.task_create(
            membership=personas.caseworker, case=case, title=f"t{n + 1}", due_on=datetime.date(2026, 1, 2)
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("cases:my_work"))
    assert len(many) == len(few)


def test_searching_the_registry_for_words_of_a_psychosocial_note_finds_nothing(personas, case, psychologist):
    services.note_add(
        membership=psychologist, case=case, text="Pesadillas Texas detención", sensitivity="psychosocial"
    )
    for name in ("caseworker", "staff"):
        page = personas.client(name).get(reverse("people:list"), {"q": "pesadillas texas"}).content.decode()
        assert "Pesadillas" not in page
        assert case.person.first_surname not in page
