"""Rights of the person: a copy of everything held, and erasure that keeps anonymous counts."""

import datetime
import io
import json

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from incluye.accounts.roles import Role
from incluye.cases.models import CaseNote, DocumentScan, Screening
from incluye.cases.services import case_close, case_open, note_add, scan_upload
from incluye.core.models import ActionLogEntry
from incluye.core.testing import client_for, local_moment, make_member, tiny_pdf
from incluye.people.models import IdentityDocument, Person
from incluye.people.rights import ERASURE, person_erase, person_export
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return person_register(
        membership=personas.staff,
        given_names="María José",
        first_surname="Ñuñez",
        second_surname="Cojtí",
        nationality_id="GT",
        birth_date=datetime.date(1990, 6, 15),
        phone="+50255551234",
        documents=[
            (
                apps.get_model("core", "IdDocumentType").objects.get(country_id="GT", code="DPI"),
                "2746 13859 0901",
            )
        ],
        return_event={"arrived_on": datetime.date(2026, 11, 20), "transport_reference": "GUA-123"},
    )


@pytest.fixture
def history(personas, person):
    from incluye.cases.services import screening_record
    from incluye.skills.services import work_add

    psychologist = make_member(personas.org, Role.PSYCHOSOCIAL)
    case = case_open(membership=personas.caseworker, person=person)
    note_add(membership=psychologist, case=case, text="Refiere pesadillas.", sensitivity="psychosocial")
    scan = scan_upload(
        membership=personas.caseworker,
        document=case.documents.first(),
        upload=SimpleUploadedFile("dpi.pdf", tiny_pdf("escaneo")),
    )
    screening_record(
        membership=psychologist, case=case, instrument_code="WHO-5", answers={str(i): 3 for i in range(1, 6)}
    )
    work_add(
        membership=personas.caseworker, person=person, job_title="framer en Houston", employer="ACME Framing"
    )
    return {"case": case, "scan": scan, "psychologist": psychologist}


def test_the_export_holds_every_record_about_the_person_and_who_saw_it(personas, person, history):
    personas.client("staff").get(reverse("people:detail", args=[person.pk]))
    data = person_export(person, membership=history["psychologist"])
    assert data["person"]["given_names"] == "María José"
    records = data["records"]
    assert records["people.IdentityDocument"][0]["number"] == "2746138590901"
    assert records["people.ReturnEvent"][0]["transport_reference"] == "GUA-123"
    assert records["cases.CaseNote"][0]["text"] == "Refiere pesadillas."  # the person's own data
    assert records["cases.DocumentScan"][0]["original_name"] == "dpi.pdf"
    assert records["skills.WorkExperience"][0]["employer"] == "ACME Framing"
    assert any(e["what"] for e in data["access_log"])
    json.dumps(data)  # JSON-ready


def test_an_administrator_downloads_the_copy_as_json_and_pdf_and_it_is_logged(personas, person, history):
    from pypdf import PdfReader

    client = personas.client("admin")
    response = client.get(reverse("people:export_json", args=[person.pk]))
    assert response.status_code == 200
    assert response.json()["person"]["first_surname"] == "Ñuñez"
    pdf = client.get(reverse("people:export_pdf", args=[person.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "María José Ñuñez Cojtí" in text
    assert ActionLogEntry.objects.filter(action="incluye.person.exported", person_id=person.pk).count() == 2
    assert (
        personas.client("caseworker").get(reverse("people:export_json", args=[person.pk])).status_code == 403
    )


def test_an_administrators_copy_leaves_out_psychosocial_notes_and_screenings(personas, person, history):
    data = personas.client("admin").get(reverse("people:export_json", args=[person.pk])).json()
    note = data["records"]["cases.CaseNote"][0]
    assert note["text"] is None and note["withheld"] == ["text"]
    assert data["records"]["cases.Screening"] == [{"id": str(Screening.objects.get().pk), "withheld": True}]
    assert data["withheld"] == {"cases.CaseNote": 1, "cases.Screening": 1}
    assert "Refiere pesadillas" not in json.dumps(data, ensure_ascii=False)
    assert data["records"]["skills.WorkExperience"][0]["employer"] == "ACME Framing"  # the rest is all there


def test_the_psychosocial_professional_produces_the_persons_copy_of_psychosocial_content(
    personas, person, history
):
    data = client_for(history["psychologist"]).get(reverse("people:export_json", args=[person.pk])).json()
    assert data["records"]["cases.CaseNote"][0]["text"] == "Refiere pesadillas."
    screening = data["records"]["cases.Screening"][0]
    assert screening["instrument"] == "WHO-5" and screening["answers"] == {str(i): 3 for i in range(1, 6)}
    assert data["withheld"] == {}


def test_a_psychologist_of_another_organization_reads_no_psychosocial_content_in_a_copy(
    personas, person, history
):
    from incluye.core.testing import make_organization

    other = make_member(make_organization("Clínica Otra"), Role.PSYCHOSOCIAL)
    data = person_export(person, membership=other)
    assert data["records"]["cases.CaseNote"][0]["text"] is None
    assert data["records"]["cases.Screening"][0] == {"id": str(Screening.objects.get().pk), "withheld": True}


def test_the_pdf_copy_says_what_it_leaves_out(personas, person, history):
    from pypdf import PdfReader

    pdf = personas.client("admin").get(reverse("people:export_pdf", args=[person.pk]))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "pesadillas" not in text
    assert "No está en esta copia" in text


def test_erasure_removes_what_identifies_the_person_and_keeps_anonymous_counts(personas, person, history):
    scan_path = history["scan"].file.path
    person_erase(person=person, actor=personas.admin.user, organization=personas.org, reason="solicitud")
    person.refresh_from_db()
    assert person.erased_at and person.given_names == "—" and not person.first_surname and not person.phone
    assert person.birth_date.isoformat() == "1990-01-01" and person.birth_date_precision == "year"
    assert person.sex and person.nationality_id == "GT"  # kept for indicators
    assert not IdentityDocument.objects.filter(person=person).exists()
    assert not CaseNote.objects.filter(case__person=person).exists()
    assert not DocumentScan.objects.filter(document__case__person=person).exists()
    assert not __import__("os").path.exists(scan_path)
    screening = Screening.objects.get(case__person=person)
    assert screening.answers == {} and screening.total is not None  # still counts, without answers
    assert person.cases.get().status == history["case"].status
    job = person.work_history.get()
    assert job.job_title == "" and job.employer == ""
    assert person.returns.get().transport_reference == ""
    entry = ActionLogEntry.objects.get(action="incluye.person.erased")
    assert entry.data["reason"] == "solicitud"
    assert "María" not in json.dumps(person_export(person, membership=personas.admin), ensure_ascii=False)


def test_the_erase_page_asks_for_the_surname_and_keeps_the_reason_typed(personas, person):
    client = personas.client("admin")
    url = reverse("people:erase", args=[person.pk])
    wrong = client.post(url, {"reason": "pidió borrar", "confirm_name": "Pérez"})
    assert wrong.status_code == 400 and "pidió borrar" in wrong.content.decode()
    assert client.post(url, {"reason": "pidió borrar", "confirm_name": "nuñez"}).status_code == 302
    assert Person.objects.get(pk=person.pk).erased_at


def test_retention_erases_only_people_without_activity_and_without_an_open_case(personas, person, history):
    old = person_register(
        membership=personas.staff, given_names="Viejo", first_surname="Caso", nationality_id="GT"
    )
    open_case_person = person_register(membership=personas.staff, given_names="Abierto", nationality_id="GT")
    case_open(membership=personas.caseworker, person=open_case_person)
    long_ago = timezone.now() - timezone.timedelta(days=365 * 11)
    Person.objects.filter(pk__in=[old.pk, open_case_person.pk]).update(updated_at=long_ago)
    from incluye.cases.models import Case

    Case.objects.filter(person=open_case_person).update(updated_at=long_ago)
    call_command("apply_retention", years=10, stdout=io.StringIO())
    assert Person.objects.get(pk=old.pk).erased_at
    assert not Person.objects.get(pk=open_case_person.pk).erased_at
    assert not Person.objects.get(pk=person.pk).erased_at


def test_every_model_that_holds_personal_data_has_an_erasure_policy():
    """A model that depends on a person (through foreign keys that cascade) must say what erasure
    does to it in `incluye.people.rights.ERASURE` (or with `register_erasure`)."""
    dependent = {Person}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in dependent:
                continue
            for field in model._meta.concrete_fields:
                if (
                    isinstance(field, models.ForeignKey)
                    and field.related_model in dependent
                    and field.remote_field.on_delete in (models.CASCADE, models.PROTECT)
                ):
                    dependent.add(model)
                    changed = True
                    break
    missing = sorted(m._meta.label for m in dependent - {Person} if m._meta.label not in ERASURE)
    assert not missing, f"No erasure policy for: {', '.join(missing)}"


def test_a_closed_case_does_not_block_retention(personas, person):
    case = case_open(membership=personas.caseworker, person=person)
    case_close(
        membership=personas.caseworker,
        case=case,
        reason="goals_met",
        outcome="",
        expected_version=case.version,
    )
    long_ago = timezone.now() - timezone.timedelta(days=365 * 11)
    Person.objects.filter(pk=person.pk).update(updated_at=long_ago)
    from incluye.cases.models import Case
    from incluye.people.models import ReturnEvent

    Case.objects.filter(pk=case.pk).update(updated_at=long_ago)
    ReturnEvent.objects.filter(person=person).update(created_at=long_ago)
    from incluye.people.rights import due_for_retention

    assert list(due_for_retention(years=10)) == [person]


@pytest.mark.parametrize(
    ("last_activity", "still_kept", "erased_from"),
    [
        # Ten years after a leap day, the period ends on 28 February: the person goes on 1 March.
        ("2028-02-29 12:00", "2038-02-28 23:00", "2038-03-01 00:30"),
        ("2026-12-31 22:00", "2036-12-31 23:30", "2037-01-01 00:30"),
        ("2027-01-31 09:00", "2037-01-31 20:00", "2037-02-01 08:00"),
    ],
)
def test_retention_erases_a_person_on_the_first_local_day_after_the_period(
    personas, time_machine, last_activity, still_kept, erased_from
):
    time_machine.move_to(local_moment(last_activity), tick=False)
    person = person_register(
        membership=personas.staff, given_names="Marta", first_surname="Coj", nationality_id="GT"
    )
    time_machine.move_to(local_moment(still_kept), tick=False)
    call_command("apply_retention", years=10, stdout=io.StringIO())
    assert not Person.objects.get(pk=person.pk).erased_at
    time_machine.move_to(local_moment(erased_from), tick=False)
    call_command("apply_retention", years=10, stdout=io.StringIO())
    assert Person.objects.get(pk=person.pk).erased_at


def test_someone_else_cannot_erase(personas, person):
    assert personas.client("caseworker").post(reverse("people:erase", args=[person.pk])).status_code == 403
    assert (
        client_for(personas.outsider_admin).post(reverse("people:erase", args=[person.pk])).status_code == 404
    )
