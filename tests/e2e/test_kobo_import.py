"""At the desk, in Spanish: a KoboToolbox labels export with two columns the import cannot know and
one value it cannot place. The officer maps them, imports, and finds the family on the person's page."""

import io
import re
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.test_registry import _es, officer  # noqa: F401  (the demo's reception officer)

FIXTURE = Path(__file__).resolve().parents[2] / "incluye/people/tests/data/kobo/labels-groups-ms_summary.xlsx"
RENAMED = {
    "Llegada/Número de vuelo": "Llegada/Pregunta 12",
    "Llegada/¿Cuántos meses estuvo fuera del país?": "Llegada/Pregunta 13",
}


def _export_with_unknown_columns(path: Path) -> Path:
    book = load_workbook(FIXTURE)
    for cell in book.worksheets[0][1]:
        cell.value = RENAMED.get(cell.value, cell.value)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_an_officer_maps_a_labels_export_imports_it_and_sees_the_family(officer, page, live_server, tmp_path):  # noqa: F811
    export = _export_with_unknown_columns(tmp_path / "registro-llegadas.xlsx")
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(officer["email"])
    page.locator("input[name=password]").fill(officer["password"])
    page.get_by_role("button", name="Iniciar sesión").click()
    page.get_by_role("navigation", name=_es("Main")).get_by_role("link", name=_es("Manifests")).click()
    page.get_by_label(_es("Manifest reference")).fill("GUA-ICE-2311")
    page.locator("input[type=file]").set_input_files(str(export))
    page.get_by_role("button", name=_es("Upload and check")).click()

    # Nothing imported yet: the two columns and the value are named.
    expect(page.get_by_test_id("manifest-status")).to_have_text(_es("Has errors"))
    expect(page.get_by_role("heading", name=_es("Data that would not be imported"))).to_be_visible()
    expect(page.get_by_text("Llegada/Pregunta 12").first).to_be_visible()
    expect(page.get_by_text("Otro / prefiere no decir").first).to_be_visible()

    page.get_by_role("link", name=_es("Map the columns and values")).first.click()
    page.get_by_label("Llegada/Pregunta 12").select_option(label=_es("Flight or bus"))
    page.get_by_label("Llegada/Pregunta 13").select_option(label=_es("Months abroad"))
    page.get_by_label(re.compile("Otro / prefiere no decir")).select_option(label=_es("Not recorded"))
    page.get_by_label(_es("Save this mapping as")).fill("Registro de llegadas La Aurora")
    page.get_by_role("button", name=_es("Save and check again")).click()

    expect(page.get_by_test_id("manifest-status")).to_have_text(_es("Ready to import"))
    expect(page.get_by_role("cell", name="Edgar Rolando Tzul Núñez")).to_be_visible()
    page.get_by_role("button", name=_es("Import"), exact=True).click()
    expect(page.get_by_test_id("manifest-status")).to_have_text(_es("Imported"))

    page.get_by_role("link", name=_es("See today's arrivals")).click()
    page.get_by_role("link", name="Cux, Mario").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mario Cux")
    household = page.locator("table.household")
    expect(household).to_contain_text("Ana Lucía Cux Xol")
    expect(household).to_contain_text(_es("Spouse or partner"))
    expect(household.locator("tbody tr")).to_have_count(3)  # Mario and the two who came with him
    # The mapped columns arrived too.
    expect(page.get_by_text("GUA-ICE-2311")).to_be_visible()
    expect(page.get_by_text(re.compile(r"34 meses"))).to_be_visible()
