"""At the desk, in Spanish: register one arrival with the keyboard, then import a small manifest."""

import csv
import io
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from incluye.core.identity import dpi_check_digit


def _es(text):
    with translation.override("es"):
        return gettext(text)


@pytest.fixture
def officer(live_server, settings):
    """A reception officer of a demo reception center (the second factor is covered elsewhere)."""
    from incluye.workspace.demo import demo_load

    settings.INCLUYE_REQUIRE_MFA = False
    result = demo_load(people=0)
    return {"email": "recepcion@demo.incluye.org", "password": result["password"]}


def _sign_in(page, live_server, officer):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(officer["email"])
    page.locator("input[name=password]").fill(officer["password"])
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(live_server.url + "/")


def test_an_officer_registers_an_arrival_in_spanish(officer, page, live_server):
    _sign_in(page, live_server, officer)
    page.get_by_role("navigation", name=_es("Main")).get_by_role("link", name=_es("Register")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_es("Register an arrival"))
    # The first field has the focus: the officer types, tabbing from question to question.
    expect(page.get_by_label(_es("Given names"))).to_be_focused()
    page.keyboard.type("María José")
    page.keyboard.press("Tab")
    page.keyboard.type("Ajú")
    page.keyboard.press("Tab")
    page.keyboard.type("Núñez")
    page.get_by_label(_es("Identity document")).select_option("DPI")
    first = "27461385"
    page.get_by_label(_es("Document number")).fill(f"{first[:4]} {first[4:]}{dpi_check_digit(first)} 0901")
    page.get_by_label(_es("Municipality where the person will live")).select_option("0901")
    page.get_by_label(_es("Needs medical care")).check()
    page.get_by_label(_es("Agrees to case management")).check()
    page.get_by_role("button", name=_es("Register"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("María José Ajú Núñez")
    expect(page.get_by_text("2746 13859 0901")).to_be_visible()
    page.get_by_role("navigation", name=_es("Main")).get_by_role("link", name=_es("Today")).click()
    # Marked urgent on the day's list (the demo's own arrivals of the day are there too).
    expect(page.locator("tr.urgent", has_text="Ajú Núñez, María José")).to_have_count(1)


def test_an_officer_imports_a_small_manifest_in_spanish(officer, page, live_server, tmp_path):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nombres", "primer_apellido", "segundo_apellido", "sexo", "necesidades"])
    writer.writerow(["Pedro", "Coc", "Caal", "M", ""])
    writer.writerow(["Rosa", "Tzul", "", "F", "protection"])
    writer.writerow(["Luis", "Xol", "Pop", "M", ""])
    path = tmp_path / "vuelo-TA102.csv"
    path.write_text(out.getvalue(), encoding="utf-8")

    _sign_in(page, live_server, officer)
    page.get_by_role("navigation", name=_es("Main")).get_by_role("link", name=_es("Manifests")).click()
    page.get_by_label(_es("Manifest reference")).fill("TA-102 2026-11-20")
    # The file field speaks the page's language, not the browser's; sent without a file, the form
    # comes back saying so (a hidden required input would have stopped it without a word).
    chooser = page.locator(".govuk-file-upload-button")
    expect(chooser).to_contain_text(_es("No file chosen"))
    expect(chooser).to_contain_text(_es("Choose file"))
    page.get_by_role("button", name=_es("Upload and check")).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_label(_es("Manifest reference"))).to_have_value("TA-102 2026-11-20")
    page.locator("input[type=file]").set_input_files(str(path))
    expect(page.locator(".govuk-file-upload-button")).to_contain_text("vuelo-TA102.csv")
    page.get_by_role("button", name=_es("Upload and check")).click()
    expect(page).to_have_url(re.compile(r"/people/manifests/[0-9a-f-]+/$"))
    expect(page.get_by_test_id("manifest-status")).to_have_text(_es("Ready to import"))
    expect(page.get_by_role("cell", name="Rosa Tzul")).to_be_visible()
    page.get_by_role("button", name=_es("Import"), exact=True).click()
    expect(page.get_by_test_id("manifest-status")).to_have_text(_es("Imported"))
    page.get_by_role("navigation", name=_es("Main")).get_by_role("link", name=_es("Today")).click()
    # The three of the manifest are on the day's list (beside the demo's own arrivals of the day),
    # the one with a protection need among the urgent ones, before the others.
    rows = page.locator("tbody tr")
    for name in ("Coc Caal, Pedro", "Tzul, Rosa", "Xol Pop, Luis"):
        expect(rows.filter(has_text=name)).to_have_count(1)
    expect(page.locator("tr.urgent", has_text="Tzul, Rosa")).to_have_count(1)
    names = rows.all_inner_texts()
    rosa = next(i for i, row in enumerate(names) if "Tzul, Rosa" in row)
    assert rosa < min(i for i, row in enumerate(names) if "Coc Caal, Pedro" in row or "Xol Pop, Luis" in row)


def test_an_officer_corrects_a_misspelt_surname_and_a_new_phone_on_a_phone(officer, new_page, live_server):
    import datetime

    from incluye.accounts.models import Membership
    from incluye.people.models import Person

    center = Membership.objects.get(user__email=officer["email"]).organization
    person = Person.objects.create(
        organization=center,
        given_names="Marta Elena",
        first_surname="Ajo",
        second_surname="Tzoc",
        nationality_id="GT",
        birth_date=datetime.date(1990, 1, 1),
        birth_date_precision="year",
        phone="+50255551234",
    )
    first = Person.objects.create(  # her first registration, spelt right
        organization=center,
        given_names="Marta Elena",
        first_surname="Ajú",
        second_surname="Tzoc",
        nationality_id="GT",
        birth_date=datetime.date(1990, 4, 2),
    )
    page = new_page(viewport={"width": 390, "height": 800})
    _sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.get_by_role("link", name=_es("Correct the details")).click()
    # What is stored is what the boxes show: the year alone, the phone as people read it.
    expect(page.locator("#id_birth_date_year")).to_have_value("1990")
    expect(page.locator("#id_birth_date_day")).to_have_value("")
    expect(page.get_by_label(_es("Phone"))).to_have_value("+502 5555 1234")
    page.get_by_label(_es("First surname")).fill("Ajú")
    page.get_by_label(_es("Phone")).fill("12")
    page.get_by_role("button", name=_es("Save the corrections")).click()
    expect(page.get_by_test_id("error-summary")).to_contain_text(_es("Phone"))
    expect(page.get_by_label(_es("First surname"))).to_have_value("Ajú")  # kept while the phone is fixed
    page.get_by_label(_es("Phone")).fill("5555 9876")
    page.get_by_role("button", name=_es("Save the corrections")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marta Elena Ajú Tzoc")
    expect(page.get_by_text("+502 5555 9876")).to_be_visible()
    # Spelt right, she is plainly the person registered before: the page says so at once.
    similar = page.get_by_test_id("similar-records")
    expect(similar).to_contain_text(_es("With the corrected details, this person looks like other records"))
    expect(page.get_by_test_id("check-duplicates")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    similar.get_by_role("link", name="Marta Elena Ajú Tzoc").click()
    expect(page).to_have_url(f"{live_server.url}/people/{first.pk}/")


def test_an_officer_finds_one_of_many_namesakes_by_typing_the_birth_year(officer, page, live_server):
    import datetime

    from incluye.accounts.models import Membership
    from incluye.people.models import Person
    from incluye.people.testing import make_namesakes

    center = Membership.objects.get(user__email=officer["email"]).organization
    make_namesakes(center)
    Person.objects.create(
        organization=center,
        given_names="Marta",
        first_surname="Ruiz",
        second_surname="Tzoc",
        nationality_id="GT",
        birth_date=datetime.date(1998, 7, 9),
    )
    _sign_in(page, live_server, officer)
    page.goto(live_server.url + "/people/")
    page.get_by_label(_es("Search by name or identity number")).fill("Marta Ruiz")
    expect(page.get_by_test_id("crowded")).to_be_visible()
    page.get_by_label(_es("Year")).fill("1998")
    first_row = page.locator("#results tbody tr").first
    expect(first_row).to_contain_text("Tzoc")
    expect(first_row).to_contain_text(_es("same birth year"))
    expect(page.get_by_test_id("crowded")).to_have_count(0)
