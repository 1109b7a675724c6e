"""What the person sees and does on their own pages, and what they never see."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incluye.accounts.roles import Role
from incluye.core.models import ActionLogEntry
from incluye.core.testing import make_member, page_text

pytestmark = pytest.mark.django_db


def test_the_pathway_shows_the_phase_the_documents_to_bring_and_the_organizations(personas, person, me):
    from incluye.cases.services import case_move, case_open, document_update

    case = case_open(membership=personas.caseworker, person=person)
    case_move(membership=personas.caseworker, case=case, to_status="documents", expected_version=case.version)
    documents = list(case.documents.all())
    when = timezone.now() + datetime.timedelta(days=3)
    document_update(
        membership=personas.caseworker,
        document=documents[0],
        status="appointment",
        appointment_at=when,
        appointment_place="RENAP zona 1",
    )
    page = me.get(reverse("me:home")).content.decode()
    assert 'class="current">Documentos de identidad' in page
    assert "RENAP zona 1" in page
    assert documents[1].display_name in page  # still to bring
    assert personas.org.name in page


def test_the_person_never_sees_notes_screenings_or_staff_tasks(personas, person, me):
    from incluye.cases.services import case_open, note_add, screening_record, task_create

    case = case_open(membership=personas.caseworker, person=person)
    psychologist = make_member(personas.org, Role.PSYCHOSOCIAL)
    note_add(
        membership=psychologist, case=case, text="Relata insomnio persistente", sensitivity="psychosocial"
    )
    note_add(
        membership=personas.caseworker,
        case=case,
        text="Parece desconfiado del proceso",
        sensitivity="general",
    )
    task_create(
        membership=personas.caseworker,
        case=case,
        title="Preguntar por la recaída",
        due_on=timezone.localdate(),
    )
    screening_record(
        membership=psychologist,
        case=case,
        instrument_code="PHQ-9",
        answers={"1": 3, "2": 3, "3": 3, "4": 3, "5": 3, "6": 3, "7": 3, "8": 3, "9": 2},
    )
    pages = "".join(
        page_text(me.get(reverse(name)))
        for name in ("me:home", "me:consents", "me:data", "me:jobs", "me:certificates")
    )
    for secret in ("insomnio", "desconfiado", "recaída", "phq", "riesgo", "alerta"):
        assert secret not in pages.lower(), secret


def test_withdrawing_a_consent_goes_through_the_consent_service_and_counts_everywhere(personas, person, me):
    from incluye.jobs.services import has_employer_consent
    from incluye.people.services import consent_record

    consent_record(
        membership=personas.caseworker,
        person=person,
        purpose="employer_profile",
        given=True,
        method="signed_form",
    )
    assert has_employer_consent(person)
    url = reverse("me:consent_withdraw", args=["employer_profile"])
    assert "Los empleadores dejan de ver" in me.get(url).content.decode()
    assert me.post(url).status_code == 302
    assert not has_employer_consent(person)
    latest = person.consents.filter(purpose="employer_profile").first()
    assert (latest.given, latest.method, latest.recorded_by) == (False, "digital", None)
    entry = ActionLogEntry.objects.get(action="incluye.consent.withdrawn", person_id=person.pk)
    assert entry.data["by"] == "person" and entry.actor is None
    assert "Retirado" in me.get(reverse("me:consents")).content.decode()


def test_withdrawing_sharing_ends_what_other_organizations_see_at_once(personas, person, me):
    from incluye.core.testing import make_organization
    from incluye.people.models import PersonAccess
    from incluye.people.services import consent_record, person_access_grant

    consent_record(
        membership=personas.caseworker,
        person=person,
        purpose="alliance_sharing",
        given=True,
        method="signed_form",
    )
    partner = make_organization("Fundación Puentes", country="GT")
    person_access_grant(membership=personas.caseworker, person=person, organization=partner, reason="handoff")
    me.post(reverse("me:consent_withdraw", args=["alliance_sharing"]))
    assert not PersonAccess.objects.filter(person=person, revoked_at__isnull=True).exists()


def test_asking_for_a_copy_tells_the_administrators_and_lands_in_their_inbox(
    personas, person, me, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert me.post(reverse("me:copy_request")).status_code == 302
    assert personas.admin.user.email in [m.to[0] for m in mail.outbox]
    assert person.full_name not in "".join(m.body + m.subject for m in mail.outbox)
    inbox = personas.client("admin").get(reverse("home")).content.decode()
    assert person.full_name in inbox
    # Asked twice, one request.
    me.post(reverse("me:copy_request"))
    assert person.copy_requests.count() == 1
    admin = personas.client("admin")
    request = person.copy_requests.get()
    admin.post(reverse("participants:copy_delivered", args=[request.pk]))
    request.refresh_from_db()
    assert request.delivered_at is not None


def test_who_saw_my_data_names_the_organizations_in_plain_words(personas, person, me):
    personas.client("caseworker").get(reverse("people:detail", args=[person.pk]))
    page = me.get(reverse("me:data")).content.decode()
    assert personas.org.name in page
    assert personas.caseworker.user.email not in page


def test_staff_never_use_the_persons_door(personas):
    for name in ("caseworker", "admin", "employer"):
        client = personas.client(name)
        assert client.get(reverse("me:home")).status_code == 404
        assert client.get(reverse("me:sign_in")).status_code == 404


def test_a_participant_is_nobody_on_staff_pages_the_api_and_the_admin(person, me):
    assert me.get(reverse("people:detail", args=[person.pk]))["Location"].startswith(reverse("account_login"))
    assert me.get(reverse("home")).status_code == 302
    assert me.get(reverse("api:people")).status_code in (401, 403)
    assert me.get("/admin/").status_code == 302
    assert me.get(reverse("participants:person", args=[person.pk])).status_code == 302


def test_every_person_page_stays_under_100_kb_with_what_it_loads(personas, person, me):
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static" / "css" / "me.css").stat().st_size
    for name in ("me:home", "me:consents", "me:data", "me:jobs", "me:certificates"):
        html = me.get(reverse(name)).content
        assert b"<script" not in html
        assert b"incluye.css" not in html
        assert len(html) + css < 100_000, name
    assert len(Client().get(reverse("me:sign_in")).content) + css < 100_000
