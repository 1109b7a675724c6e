"""Uploads are bounded by what they expand to (issue 15, items 5 and 6): rows are counted by
reading, never taken from the file's own header; a small file that unpacks to a million rows is
refused quickly with bounded memory; problems are capped in what is stored and shown, with a count
of the rest; list endpoints never carry unbounded data."""

import io
import json
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from incluye.people.models import ManifestImport, Person

pytestmark = pytest.mark.django_db


def upload(client, name, content, capture, reference="R-1"):
    with capture(execute=True):
        response = client.post(
            reverse("people:manifests"),
            {
                "reference": reference,
                "arrived_on": "2026-11-20",
                "mode": "air",
                "returned_from": "US",
                "file": SimpleUploadedFile(name, content),
            },
        )
    assert response.status_code == 302
    return ManifestImport.objects.latest("created_at")


def understated_workbook(rows: int) -> bytes:
    """An XLSX whose <dimension> says A1:B2 while the sheet holds `rows` rows."""
    book = Workbook()
    sheet = book.active
    sheet.append(["nombres", "primer_apellido"])
    for n in range(rows):
        sheet.append([f"Ana{n}", "Coc"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"\s*/>', b'<dimension ref="A1:B2"/>', data)
                assert b'<dimension ref="A1:B2"/>' in data
            target.writestr(item, data)
    return out.getvalue()


def million_row_workbook(rows: int = 1_000_000) -> bytes:
    """A few hundred KB that unpack to `rows` rows (shared strings, declared as A1:B2)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/sharedStrings.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">'
            "<si><t>nombres</t></si><si><t>primer_apellido</t></si><si><t>Ana</t></si><si><t>Coc</t></si></sst>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
            )
            # Rows without their (optional) numbers are all alike: they compress a thousandfold.
            row = b'<row><c t="s"><v>2</v></c><c t="s"><v>3</v></c></row>'
            for _ in range(rows // 10_000):
                sheet.write(row * 10_000)
            sheet.write(row * (rows % 10_000) + b"</sheetData></worksheet>")
    return out.getvalue()


def test_an_xlsx_whose_dimension_understates_its_rows_is_read_whole(
    personas, django_capture_on_commit_callbacks
):
    client = personas.client("staff")
    manifest = upload(client, "vuelo.xlsx", understated_workbook(400), django_capture_on_commit_callbacks)
    assert (manifest.status, manifest.total_rows) == ("ready", 400)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:manifest_import", args=[manifest.pk]))
    manifest.refresh_from_db()
    assert (manifest.status, manifest.created_count) == ("imported", 400)
    assert Person.objects.count() == 400


def test_a_small_xlsx_of_a_million_rows_is_refused_in_spanish_after_one_row_past_the_limit(settings):
    """Refused while reading, never after reading it all: the rows read stop one past the limit, so
    the time and the memory are those of the limit's rows, not of the file's million (their figures:
    `bench/import_limits.py`, at the default limit of 100 000 rows)."""
    from django.utils import translation

    from incluye.people.imports import ManifestFileError, read_source
    from incluye.people.imports.base import Budget

    settings.INCLUYE_IMPORT_MAX_ROWS = 1000  # the size of the limit is not the point: where it stops is
    content = million_row_workbook()
    assert len(content) < 1_000_000
    budget = Budget()
    with translation.override("es"), pytest.raises(ManifestFileError) as refused:
        read_source("bomb.xlsx", content, budget=budget)
    assert str(refused.value) == (
        "El archivo tiene más de 1 000 filas. Divídalo en archivos de 1 000 filas como máximo."
    )
    assert budget.raw_rows == 1001


def test_a_refused_bomb_stores_one_problem_and_answers_small(
    personas, django_capture_on_commit_callbacks, settings
):
    settings.INCLUYE_IMPORT_MAX_ROWS = 1000  # refused at any limit: reading 100 000 rows first adds nothing
    client = personas.client("staff")
    manifest = upload(client, "bomb.xlsx", million_row_workbook(), django_capture_on_commit_callbacks)
    assert manifest.status == "invalid"
    assert manifest.error_count == 1 and "más de 1 000 filas" in manifest.errors[0]["message"]
    report = client.get(reverse("people:manifest_errors", args=[manifest.pk])).content
    assert len(report) < 2000
    assert len(client.get(reverse("api:manifests")).content) < 5000


def test_a_million_identical_problems_are_counted_not_stored(
    personas, django_capture_on_commit_callbacks, settings
):
    rows = 3000
    content = ("nombres,primer_apellido\n" + "".join(f"Ana{n},\n" for n in range(rows))).encode()
    client = personas.client("staff")
    manifest = upload(client, "m.csv", content, django_capture_on_commit_callbacks)
    assert manifest.status == "invalid"
    assert manifest.error_count == rows
    assert len(manifest.errors) <= 500
    [problem] = manifest.error_summary
    assert problem["count"] == rows and problem["kept"] == len(manifest.errors)
    page = client.get(reverse("people:manifest", args=[manifest.pk])).content.decode()
    assert f"{rows} filas con este problema en total" in page
    report = client.get(reverse("people:manifest_errors", args=[manifest.pk])).content.decode("utf-8-sig")
    assert f"… y {rows - len(manifest.errors):,} filas más con el mismo problema".replace(",", " ") in report
    listing = client.get(reverse("api:manifests"))
    assert len(listing.content) < 5000
    [item] = listing.json()["results"] if "results" in listing.json() else listing.json()
    assert item["error_count"] == rows and "errors" not in item
    errors = client.get(reverse("api:manifest_errors", args=[manifest.pk]) + "?limit=10").json()
    assert errors["count"] == len(manifest.errors) and len(errors["results"]) == 10
    assert errors["next"]
    detail = client.get(reverse("api:manifest", args=[manifest.pk])).json()
    assert detail["problems"][0]["count"] == rows and len(detail["problems"][0]["rows"]) <= 5
    json.dumps(detail)


def test_too_many_rows_are_refused_with_the_limit(personas, settings):
    settings.INCLUYE_IMPORT_MAX_ROWS = 50
    content = ("nombres,primer_apellido\n" + "".join(f"Ana{n},Coc\n" for n in range(60))).encode()
    manifest = upload(personas.client("staff"), "m.csv", content, lambda execute: _nothing())
    assert manifest.status == "invalid"
    assert "más de 50 filas" in manifest.errors[0]["message"]


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False
