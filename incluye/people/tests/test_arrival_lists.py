"""The manifest import accepts both kinds of lists: returnees, and foreigners arriving (a border
post's list of asylum seekers), each row with its nationality, documents and declared status."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incluye.core.models import ActionLogEntry
from incluye.people.models import ManifestImport, MigrationStatus, Person, ReturnEvent

pytestmark = pytest.mark.django_db

BORDER_LIST = """nombres,primer apellido,segundo apellido,sexo,nacionalidad,tipo de documento,número de documento,vence,población,fecha de solicitud,expediente,puesto fronterizo,con quién llegó,municipio
Yusleidy,Marcano,Rivas,F,Venezuela,Carné de solicitante de refugio,186212345601,2026-08-31,solicitante de refugio,2026-02-20,SR-2026-00101,Paso Canoas,con sus hijos,San José
José Gregorio,Quintero,,M,VE,cédula,V-14.567.890,,solicitante,2026-02-21,,Paso Canoas,solo,Escazú
Marbelis,Obando,Téllez,F,Nicaragua,cédula,001-010190-0001N,,refugiada,2026-01-15,,Peñas Blancas,familia,Desamparados
Kervens,Pierre,,M,Haití,pasaporte,HT1234567,,migrante,,,Peñas Blancas,,San José
"""


def upload(
    client,
    content: str,
    population="asylum_seeker",
    arrived_on="2026-02-27",
    reference="PASO-CANOAS 2026-02-27",
):
    response = client.post(
        reverse("people:manifests"),
        {
            "reference": reference,
            "population": population,
            "arrived_on": arrived_on,
            "mode": "land",
            "returned_from": "other",
            "file": SimpleUploadedFile("lista.csv", content.encode()),
        },
    )
    assert response.status_code == 302, response.context["form"].errors.as_json()
    return ManifestImport.objects.filter(reference=reference).latest("created_at")


def test_a_border_posts_list_of_asylum_seekers_is_checked_and_imported_with_their_status(costa_rica):
    client = costa_rica.client("reception")
    manifest = upload(client, BORDER_LIST)
    assert manifest.status == "ready", manifest.errors
    client.post(reverse("people:manifest_import", args=[manifest.pk]), {"confirm_unmapped": "1"})
    manifest.refresh_from_db()
    assert manifest.status == "imported", manifest.errors
    people = {p.first_surname: p for p in Person.objects.filter(organization=costa_rica.org)}
    assert {p.nationality_id for p in people.values()} == {"VE", "NI", "HT"}
    yusleidy = people["Marcano"]
    card = yusleidy.documents.get()
    assert (card.document_type.code, card.document_type.country_id, card.expires_on) == (
        "SOLICITANTE",
        "CR",
        datetime.date(2026, 8, 31),
    )
    assert people["Quintero"].documents.get().document_type.country_id == "VE"  # "cédula": of her nationality
    assert people["Obando"].documents.get().number == "0010101900001N"
    assert people["Pierre"].documents.get().document_type.country_id == "HT"
    statuses = {s.person.first_surname: s for s in MigrationStatus.objects.select_related("person")}
    assert statuses["Marcano"].kind == "asylum_seeker" and statuses["Marcano"].since == datetime.date(
        2026, 2, 20
    )
    assert statuses["Marcano"].reference == "SR-2026-00101"
    assert statuses["Obando"].kind == "refugee"
    assert "Pierre" not in statuses  # another migrant whose status is not known yet
    assert ActionLogEntry.objects.get(action="incluye.manifest.imported").data["statuses"] == 3
    events = ReturnEvent.objects.filter(person__organization=costa_rica.org)
    assert set(events.values_list("kind", flat=True)) == {"arrival"}
    assert (
        events.get(person=yusleidy).origin_country_id == "VE"
        and events.get(person=yusleidy).reception_point == "Paso Canoas"
    )


def test_a_row_with_an_unknown_nationality_or_a_wrong_cedula_is_reported_and_nothing_imported(costa_rica):
    bad = BORDER_LIST.replace("Venezuela,Carné", "Venezuelaa,Carné").replace("0001N", "0001A")
    manifest = upload(costa_rica.client("reception"), bad)
    assert manifest.status == "invalid"
    messages = " ".join(e["message"] for e in manifest.errors)
    assert "Venezuelaa no es un país" in messages
    assert "letra de la cédula nicaragüense" in messages
    assert not Person.objects.filter(organization=costa_rica.org).exists()


def test_a_list_of_returnees_still_imports_as_returns(costa_rica):
    content = "nombres,primer apellido,cédula\nAndrea,Solís,1-0234-0567\n"
    client = costa_rica.client("reception")
    manifest = upload(client, content, population="returnee")
    client.post(reverse("people:manifest_import", args=[manifest.pk]), {"confirm_unmapped": "1"})
    person = Person.objects.get(organization=costa_rica.org)
    assert person.nationality_id == "CR" and person.returns.get().kind == "return"
    assert not MigrationStatus.objects.exists()


def test_the_checked_list_of_arrivals_shows_its_rows_and_its_unknown_values_to_map(costa_rica):
    bad = BORDER_LIST.replace("solicitante de refugio,2026-02-20", "pidió refugio,2026-02-20")
    client = costa_rica.client("reception")
    manifest = upload(client, bad)
    assert manifest.status == "invalid"
    page = client.get(reverse("people:manifest", args=[manifest.pk]))
    assert page.status_code == 200
    assert "pidió refugio" in page.content.decode()
    mapping = client.get(reverse("people:manifest_mapping", args=[manifest.pk]))
    assert mapping.status_code == 200
    assert "Solicitante de refugio" in mapping.content.decode()  # the population's choices to map it to


def test_the_template_for_a_list_of_arrivals_has_the_nationality_and_status_columns(costa_rica):
    import io

    from openpyxl import load_workbook

    client = costa_rica.client("reception")
    arrivals = client.get(reverse("people:manifest_template"), {"population": "asylum_seeker"})
    returnees = client.get(reverse("people:manifest_template"))
    header = [c.value for c in load_workbook(io.BytesIO(arrivals.content)).worksheets[0][1]]
    assert {"nationality", "population", "status_since", "border_point"} <= set(header)
    assert "returned_from" not in header
    assert "nationality" not in [
        c.value for c in load_workbook(io.BytesIO(returnees.content)).worksheets[0][1]
    ]


def import_list(client, content: str, reference: str, arrived_on="2026-02-27"):
    manifest = upload(client, content, arrived_on=arrived_on, reference=reference)
    client.post(reverse("people:manifest_import", args=[manifest.pk]), {"confirm_unmapped": "1"})
    manifest.refresh_from_db()
    assert manifest.status == "imported", manifest.errors
    return manifest


def test_a_status_declared_for_someone_already_registered_is_added_to_her_history(costa_rica, time_machine):
    from incluye.core.testing import local_moment

    client = costa_rica.client("reception")
    import_list(client, BORDER_LIST, "PASO-CANOAS 2026-02-27")
    time_machine.move_to(local_moment("2026-10-02 10:00"))
    client = costa_rica.client("reception")  # a new day, a new session
    # Months later the same woman is on a list again, now recognized as a refugee; her first status
    # comes again too: what is already recorded is not recorded twice.
    later = (
        BORDER_LIST.splitlines()[0]
        + "\n"
        + BORDER_LIST.splitlines()[1].replace("solicitante de refugio,2026-02-20", "refugiada,2026-09-01")
    )
    import_list(client, later + "\n", "PASO-CANOAS 2026-09-03", arrived_on="2026-09-03")
    again = "\n".join(BORDER_LIST.splitlines()[:2]) + "\n"  # her first status, on a later list
    import_list(client, again, "PASO-CANOAS 2026-10-01", arrived_on="2026-10-01")
    yusleidy = Person.objects.get(organization=costa_rica.org, first_surname="Marcano")
    history = list(MigrationStatus.objects.filter(person=yusleidy).order_by("since"))
    assert [(s.kind, s.since, s.until) for s in history] == [
        ("asylum_seeker", datetime.date(2026, 2, 20), datetime.date(2026, 8, 31)),
        ("refugee", datetime.date(2026, 9, 1), None),
    ]
    assert Person.objects.filter(organization=costa_rica.org, first_surname="Marcano").count() == 1


# -- the upload page and our form follow the kind of list ---------------------------------------------


def manifests_page(client, **query):
    response = client.get(reverse("people:manifests"), query)
    assert response.status_code == 200
    return response, response.content.decode()


def test_the_upload_form_of_a_list_of_people_arriving_never_asks_where_they_returned_from(costa_rica):
    response, page = manifests_page(costa_rica.client("reception"), population="asylum_seeker")
    form = response.context["form"]
    assert "returned_from" not in form.fields
    assert "Retorna desde" not in page
    assert "Referencia de la lista" in page and "puesto fronterizo" in page
    assert [value for value, _label in form.fields["population"].choices] == [
        "asylum_seeker",
        "refugee",
        "other_migrant",
    ]


def test_the_upload_form_of_a_list_of_returnees_asks_where_they_returned_from(costa_rica):
    response, page = manifests_page(costa_rica.client("reception"), population="returnee")
    assert "returned_from" in response.context["form"].fields
    assert "Retorna desde" in page and "Referencia del manifiesto" in page


def test_the_page_opens_on_the_kind_of_the_organizations_last_list(costa_rica):
    client = costa_rica.client("reception")
    assert "returned_from" in manifests_page(client)[0].context["form"].fields
    upload(client, BORDER_LIST)
    response, page = manifests_page(client)
    assert "returned_from" not in response.context["form"].fields
    assert 'aria-current="page">Una lista de personas que llegan' in page


def test_a_list_of_people_arriving_is_uploaded_without_a_returned_from(costa_rica):
    response = costa_rica.client("reception").post(
        reverse("people:manifests"),
        {
            "reference": "PASO-CANOAS 2026-02-28",
            "population": "refugee",
            "arrived_on": "2026-02-28",
            "mode": "land",
            "file": SimpleUploadedFile("lista.csv", BORDER_LIST.encode()),
        },
    )
    assert response.status_code == 302, response.context["form"].errors.as_json()
    manifest = ManifestImport.objects.get(reference="PASO-CANOAS 2026-02-28")
    assert (manifest.population, manifest.returned_from) == ("refugee", "other")


def test_the_accepted_values_describe_the_list_of_people_arriving(costa_rica):
    response, page = manifests_page(costa_rica.client("reception"), population="asylum_seeker")
    fields = {row["name"] for row in response.context["accepted"]}
    assert {"nationality", "population", "origin_country", "border_point", "status_since"} <= fields
    assert "returned_from" not in fields
    assert "Columnas y valores aceptados de una lista de personas que llegan" in page
    assert "Solicitante de refugio" in page  # the population's accepted values
    returnees = {row["name"] for row in manifests_page(costa_rica.client("reception"))[0].context["accepted"]}
    assert "returned_from" in returnees and "nationality" not in returnees


def test_our_form_for_a_list_of_people_arriving_passes_pyxform_with_its_own_questions(costa_rica, tmp_path):
    import io

    from openpyxl import load_workbook
    from pyxform import xls2xform

    client = costa_rica.client("reception")
    response = client.get(reverse("people:manifest_xlsform"), {"population": "asylum_seeker"})
    assert response.status_code == 200
    assert "incluye-llegadas-cr" in response["Content-Disposition"]
    path = tmp_path / "llegadas.xlsx"
    path.write_bytes(response.content)
    book = load_workbook(path)
    names = {row[1] for row in book["survey"].iter_rows(min_row=2, values_only=True)}
    assert {"nationality", "population", "origin_country", "border_point", "status_since"} <= names
    assert "returned_from" not in names and "months_abroad" not in names
    settings = dict(zip(*book["settings"].iter_rows(values_only=True), strict=True))
    assert settings["form_id"] == "incluye_foreign_arrivals_cr"
    assert settings["form_title"].startswith("Registro de personas que llegan al país")
    warnings: list = []
    result = xls2xform.convert(xlsform=str(path), validate=False, warnings=warnings)
    assert warnings == []
    assert "solicitante" in result.xform.lower()
    # The returnees' form stays as it was: its projects keep their mappings.
    returnees = load_workbook(io.BytesIO(client.get(reverse("people:manifest_xlsform")).content))
    assert dict(zip(*returnees["settings"].iter_rows(values_only=True), strict=True))["form_id"] == (
        "incluye_arrivals_cr"
    )
