"""Catalogues of competency standards: the demo ones and the CSV/XLSX import of real ones."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incluye.accounts.roles import Role
from incluye.core.testing import client_for, make_member
from incluye.skills.models import CompetencyStandard, PerformanceCriterion
from incluye.skills.standards import COLUMNS, TEMPLATE, demo_catalogue, parse_catalogue

pytestmark = pytest.mark.django_db


def _row(**values):
    base = {
        "standard_code": "NTC-SOL-001",
        "standard_title_es": "Soldadura de estructuras metálicas con proceso SMAW",
        "standard_title_en": "Welding of steel structures with SMAW",
        "level": "2",
        "sector": "metalwork",
        "isco": "7212",
        "soc": "51-4121",
        "migrant_route": "sí",
        "assessment_method_es": "Prueba práctica",
        "assessment_method_en": "Practical test",
        "evidence": "photos|references",
        "unit_code": "U1",
        "unit_title_es": "Preparar las piezas",
        "unit_title_en": "Prepare the parts",
        "unit_required": "sí",
        "unit_keywords": "soldar|welder|electrodo",
        "criterion_code": "C1",
        "criterion_kind": "performance",
        "criterion_es": "Las piezas se limpian y biselan según el procedimiento.",
        "criterion_en": "Parts are cleaned and bevelled.",
    }
    return {**base, **values}


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def assessor(institute):
    return make_member(institute, Role.ASSESSOR)


def test_a_clean_catalogue_is_imported_with_units_and_criteria(assessor):
    content = _csv(
        [
            _row(),
            _row(
                criterion_code="C2", criterion_es="El cordón no presenta porosidad.", criterion_kind="product"
            ),
            _row(
                unit_code="U2",
                unit_title_es="Soldar en posición plana",
                unit_required="no",
                criterion_code="C1",
            ),
        ]
    )
    client = client_for(assessor)
    response = client.post(
        reverse("skills:catalogue_import"), {"file": SimpleUploadedFile("catalogo.csv", content)}
    )
    assert response.status_code == 302
    standard = CompetencyStandard.objects.get(code="NTC-SOL-001")
    assert (
        standard.migrant_route
        and standard.soc == ["51-4121"]
        and standard.evidence == ["photos", "references"]
    )
    assert [(u.code, u.required) for u in standard.units.all()] == [("U1", True), ("U2", False)]
    assert PerformanceCriterion.objects.filter(unit__standard=standard).count() == 3


def test_a_catalogue_with_bad_rows_imports_nothing_and_lists_every_problem(assessor):
    content = _csv(
        [
            _row(),
            _row(level="9", criterion_code="C2"),
            _row(isco="72", soc="51-41", unit_code="U2", criterion_code="C1"),
            _row(migrant_route="quizás", criterion_es="", criterion_code="C3"),
        ]
    )
    response = client_for(assessor).post(
        reverse("skills:catalogue_import"), {"file": SimpleUploadedFile("catalogo.csv", content)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    for text in ("del 1 al 5", "CIUO-08", "SOC", "sí", "obligatoria"):
        assert text in html, text
    assert not CompetencyStandard.objects.filter(code="NTC-SOL-001").exists()


def test_the_problems_name_their_row_and_column():
    _standards, report = parse_catalogue("c.csv", _csv([_row(), _row(level="0", criterion_code="C2")]))
    assert report.errors == [(3, "level", report.errors[0][2])]


def test_an_excel_catalogue_is_read_too(assessor):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    sheet.append([_row()[c] for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    standards, report = parse_catalogue("catalogo.xlsx", buffer.getvalue())
    assert report.ok, report.errors
    assert standards[0]["code"] == "NTC-SOL-001"


@pytest.mark.parametrize(
    "content,message",
    [(b"", "vac"), (b"codigo,titulo\nX,Y\n", "faltan"), (b"\x00\x01\x02binary", "no es un archivo de texto")],
)
def test_a_wrong_file_gets_a_clear_error(content, message):
    _standards, report = parse_catalogue("c.csv", content)
    assert not report.ok
    assert message in report.errors[0][2].lower()


def test_only_a_certifying_body_imports_catalogues(personas):
    admin = personas.client("admin")  # administrator of a reception center
    assert admin.get(reverse("skills:catalogue_import")).status_code == 403
    assert personas.client("caseworker").get(reverse("skills:catalogue_import")).status_code == 403


def test_the_template_parses_and_every_demo_catalogue_loads():
    standards, report = parse_catalogue("template.csv", TEMPLATE.read_bytes())
    assert report.ok, report.errors
    assert standards
    # The seed's institutionalized programs for returned migrants: GT 5, SV 2, CR 2, HN none yet.
    for country, routes in (("GT", 5), ("SV", 2), ("HN", 0), ("CR", 2)):
        catalogue = demo_catalogue(country)
        assert catalogue["standards"], country
        assert sum(s["migrant_route"] for s in catalogue["standards"]) == routes, country


def test_the_catalogue_page_lists_the_country_standards_and_opens_one(personas, institute):
    client = personas.client("caseworker")
    page = client.get(reverse("skills:standards"))
    assert "GT-CON-0012" in page.content.decode()
    standard = CompetencyStandard.objects.get(code="GT-CON-0012")
    detail = client.get(reverse("skills:standard", args=[standard.pk])).content.decode()
    assert "Los paneles quedan a plomo." in detail
