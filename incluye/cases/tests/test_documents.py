"""The document checklist of a case: per-country items, statuses as a pipeline, appointments,
scans in private storage (type and size checked, served only to the case team, every read logged)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incluye.cases import services
from incluye.cases.models import CaseDocument, DocumentScan
from incluye.core.models import ActionLogEntry
from incluye.core.testing import tiny_image, tiny_pdf
from incluye.people.services import person_register

pytestmark = pytest.mark.django_db
PDF = tiny_pdf("DPI")


@pytest.fixture
def case(personas):
    person = person_register(
        membership=personas.staff, given_names="Rosa", first_surname="Tzul", nationality_id="GT"
    )
    return services.case_open(membership=personas.caseworker, person=person)


def test_a_new_case_has_the_countrys_checklist(case):
    codes = list(case.documents.values_list("code", flat=True))
    assert codes == [
        "national_id",
        "birth_certificate",
        "school_certificates",
        "consular_documents",
        "criminal_record",
    ]
    assert case.documents.get(code="national_id").display_name == "DPI (RENAP)"


def test_an_appointment_needs_a_date_and_is_shown(personas, case):
    client = personas.client("caseworker")
    document = case.documents.get(code="national_id")
    url = reverse("cases:document_update", args=[document.pk])
    client.post(url, {f"doc{document.pk}-status": "appointment"})
    document.refresh_from_db()
    assert document.status == "missing"
    client.post(
        url,
        {
            f"doc{document.pk}-version": document.version,
            f"doc{document.pk}-status": "appointment",
            f"doc{document.pk}-appointment_at": "2026-12-02T09:30",
            f"doc{document.pk}-appointment_place": "RENAP zona 1",
        },
    )
    document.refresh_from_db()
    assert (document.status, document.appointment_place) == ("appointment", "RENAP zona 1")
    assert ActionLogEntry.objects.filter(action="incluye.document.updated").exists()


def test_a_status_the_pipeline_does_not_allow_is_refused(personas, case):
    document = case.documents.get(code="birth_certificate")
    services.document_update(membership=personas.caseworker, document=document, status="obtained")
    personas.client("caseworker").post(
        reverse("cases:document_update", args=[document.pk]), {f"doc{document.pk}-status": "appointment"}
    )
    document.refresh_from_db()
    assert document.status == "obtained"


def test_a_pdf_scan_is_stored_privately_and_served_only_to_the_case_team(personas, case, settings):
    document = case.documents.get(code="national_id")
    personas.client("caseworker").post(
        reverse("cases:scan_upload", args=[document.pk]),
        {f"scan{document.pk}-file": SimpleUploadedFile("dpi rosa tzul.pdf", PDF)},
    )
    scan = DocumentScan.objects.get()
    assert scan.content_type == "application/pdf"
    assert "rosa" not in scan.file.name.lower()  # no personal data in the stored name
    assert str(settings.MEDIA_ROOT) in scan.file.path
    response = personas.client("staff").get(reverse("cases:scan_download", args=[scan.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    assert ActionLogEntry.objects.filter(action="incluye.scan.viewed", actor=personas.staff.user).exists()
    assert (
        personas.client("outsider_admin").get(reverse("cases:scan_download", args=[scan.pk])).status_code
        == 404
    )
    assert personas.client("employer").get(reverse("cases:scan_download", args=[scan.pk])).status_code == 404


def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused_whatever_its_name(personas, case):
    document = case.documents.get(code="national_id")
    response = personas.client("caseworker").post(
        reverse("cases:scan_upload", args=[document.pk]),
        {f"scan{document.pk}-file": SimpleUploadedFile("dpi.pdf", b"MZ\x90\x00 an executable")},
        follow=True,
    )
    assert "Suba un archivo PDF, JPEG o PNG." in response.content.decode()
    assert not DocumentScan.objects.exists()


def test_a_scan_over_10_mb_is_refused(personas, case):
    document = case.documents.get(code="national_id")
    big = PDF + b"0" * (10 * 1024 * 1024)
    personas.client("caseworker").post(
        reverse("cases:scan_upload", args=[document.pk]),
        {f"scan{document.pk}-file": SimpleUploadedFile("dpi.pdf", big)},
    )
    assert not DocumentScan.objects.exists()


def test_media_files_have_no_public_url(client, case):
    assert client.get("/media/scans/x.pdf").status_code == 404
    assert CaseDocument.objects.filter(case=case).count() == 5


def test_a_refused_document_status_says_it_is_the_document_that_cannot_move(personas, case):
    from incluye.core.pipeline import TransitionNotAllowed

    document = case.documents.get(code="birth_certificate")
    services.document_update(membership=personas.caseworker, document=document, status="obtained")
    with pytest.raises(TransitionNotAllowed) as caught:
        services.document_update(membership=personas.caseworker, document=document, status="appointment")
    assert caught.value.message == "Un documento no puede pasar de “Obtenido” a “Cita programada”."


def _upload(personas, document, name, content):
    return personas.client("caseworker").post(
        reverse("cases:scan_upload", args=[document.pk]),
        {f"scan{document.pk}-file": SimpleUploadedFile(name, content)},
        follow=True,
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("poly.html", b"%PDF-<html><script>alert(1)</script></html>"),
        ("poly.pdf", b"%PDF-1.4\n<html><body onload=alert(1)>\n%%EOF\n"),
        ("roto.pdf", b"%PDF-1.4\nnot a pdf at all\n%%EOF\n"),
        ("foto.jpg", b"\xff\xd8\xff\xe0 only the first bytes of a JPEG"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
    ],
)
def test_a_scan_is_judged_by_all_its_content_not_its_first_bytes_or_its_name(personas, case, name, content):
    document = case.documents.get(code="national_id")
    response = _upload(personas, document, name, content)
    assert "Suba un archivo PDF, JPEG o PNG." in response.content.decode()
    assert not DocumentScan.objects.exists()


def test_a_pdf_with_a_script_inside_is_refused(personas, case):
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    content = io.BytesIO()
    writer.write(content)
    _upload(personas, case.documents.get(code="national_id"), "dpi.pdf", content.getvalue())
    assert not DocumentScan.objects.exists()


def test_a_photo_scan_is_stored_and_served_under_a_generated_name_with_its_real_type(personas, case):
    document = case.documents.get(code="national_id")
    _upload(personas, document, "dpi de rosa.html", tiny_image("JPEG"))
    scan = DocumentScan.objects.get()
    assert scan.content_type == "image/jpeg"
    assert scan.file.name.endswith(".jpg")
    response = personas.client("staff").get(reverse("cases:scan_download", args=[scan.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert f'filename="national_id-{scan.pk}.jpg"' in response["Content-Disposition"]
    assert "html" not in response["Content-Disposition"]
