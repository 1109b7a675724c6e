"""Who saw my data: every opening of a person's record, case, notes and scans is logged against the
person, and an administrator can list them."""

import pytest
from django.urls import reverse

from incluye.accounts.roles import Role
from incluye.cases.services import case_open, note_add
from incluye.core.models import ActionLogEntry
from incluye.core.testing import client_for, make_member
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(personas):
    return person_register(
        membership=personas.staff, given_names="Juana", first_surname="Pérez", nationality_id="GT"
    )


def test_opening_a_person_and_a_case_and_reading_psychosocial_notes_is_on_the_report(personas, person):
    psychologist = make_member(personas.org, Role.PSYCHOSOCIAL)
    case = case_open(membership=personas.caseworker, person=person)
    note = note_add(membership=psychologist, case=case, text="Duerme mal.", sensitivity="psychosocial")
    personas.client("staff").get(reverse("people:detail", args=[person.pk]))
    client_for(psychologist).get(reverse("cases:detail", args=[case.pk]))
    personas.client("caseworker").get(reverse("cases:detail", args=[case.pk]))  # cannot read the note

    entries = ActionLogEntry.objects.filter(person_id=person.pk)
    assert entries.filter(action="incluye.person.viewed", actor=personas.staff.user).exists()
    reads = entries.filter(action="incluye.case.viewed")
    assert reads.get(actor=psychologist.user).data == {"psychosocial_notes_read": [note.pk]}
    assert reads.get(actor=personas.caseworker.user).data == {}
    assert entries.filter(action="incluye.case.note_added").exists()

    page = personas.client("admin").get(reverse("people:access_report", args=[person.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert psychologist.user.get_full_name() in html or str(psychologist.user) in html
    assert html.count("<tr") >= 1 + entries.count()


def test_only_administrators_see_the_report_and_another_organization_gets_404(personas, person):
    url = reverse("people:access_report", args=[person.pk])
    assert personas.client("caseworker").get(url).status_code == 403
    assert personas.client("outsider_admin").get(url).status_code == 404
