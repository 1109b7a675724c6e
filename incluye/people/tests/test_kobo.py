"""KoboToolbox data with nothing lost: every fixture exported by KoboToolbox, and every export style
generated from our own XLSForm, arrives value by value — or the check says so before anything is
imported. Submissions are known by their `_uuid` across exports."""

import datetime
import json
import random
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incluye.core.identity import dpi_check_digit
from incluye.core.models import Country, Division
from incluye.core.phones import clean_phone
from incluye.core.text import word_key
from incluye.people.imports import ARRIVALS
from incluye.people.imports.xlsform import build_xlsform
from incluye.people.models import (
    Consent,
    HouseholdMember,
    ImportedSubmission,
    ManifestImport,
    Person,
    ReturnEvent,
)
from incluye.people.tests.kobo_exports import export
from incluye.people.views_manifests import _mapping_specs

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "kobo"
FORM = json.loads((DATA / "form_and_submissions.json").read_text())
SUBMISSIONS = {s["_uuid"]: s for s in FORM["submissions"]}
FIXTURES = ["labels-groups-ms_summary.csv", "labels-groups-ms_summary.xlsx", "xml-groups-ms_summary.csv"]
FIXTURES += ["xml-groups-ms_summary.xlsx", "xml-groups-ms_details.xlsx", "api-v2-data.json"]
# The form's choice names, as the project's codes.
NEEDS = {
    "salud": "medical",
    "proteccion": "protection",
    "nna_no_acompanado": "unaccompanied_minor",
    "discapacidad": "disability",
    "embarazada": "pregnant",
    "indigena": "indigenous",
    "lgbtiq": "lgbtiq",
    "ninguna": None,
}
SEX = {"hombre": "M", "mujer": "F", "otro": "X"}  # "otro" only once the officer maps it
RELATIONSHIP = {"hijo_a": "child", "conyuge": "spouse", "hermano_a": "sibling", "otro": "other"}
ES, EN = "Español (es)", "English (en)"


def _es(text: str) -> str:
    from django.utils import translation

    with translation.override("es"):
        return translation.gettext(text)


def choice_label(list_name: str, name: str) -> str:
    return next(
        c["label"][0] for c in FORM["content"]["choices"] if c["list_name"] == list_name and c["name"] == name
    )


def upload(
    client, name: str, content: bytes, reference="GUA-ICE-2311", arrived_on="2026-11-20"
) -> ManifestImport:
    response = client.post(
        reverse("people:manifests"),
        {
            "reference": reference,
            "arrived_on": arrived_on,
            "mode": "air",
            "returned_from": "US",
            "file": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ManifestImport.objects.latest("created_at")


def map_and_check(
    client, manifest, values: dict[tuple[str, str], str], columns: dict | None = None, name="Kobo"
):
    """Post the mapping page as the officer would: every column as recognised (or as `columns`
    says, by header), and the values given as {(field, value): code}."""
    column_specs, value_specs = _mapping_specs(manifest)
    data = {"name": name}
    for i, spec in enumerate(column_specs):
        data[f"column_{i}"] = (columns or {}).get(spec["header"], spec["initial"])
    for i, spec in enumerate(value_specs):
        for (field, value), code in values.items():
            if spec["field"] == field and spec["key"] == word_key(value):
                data[f"value_{i}"] = code
    response = client.post(reverse("people:manifest_mapping", args=[manifest.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    manifest.refresh_from_db()
    return manifest


def import_(client, manifest, confirm=False):
    client.post(
        reverse("people:manifest_import", args=[manifest.pk]), {"confirm_unmapped": "1"} if confirm else {}
    )
    manifest.refresh_from_db()
    return manifest


def expected_residence(submission) -> str:
    department = Division.objects.get(
        country_id="GT", level=1, name=choice_label("departamentos", submission["llegada/departamento"])
    )
    return Division.objects.get(
        parent=department, name=choice_label("municipios", submission["llegada/municipio"])
    ).code


def assert_fixture_submission_arrived(submission: dict, *, family: bool) -> None:
    imported = ImportedSubmission.objects.get(key="uuid:" + submission["_uuid"])
    person = Person.objects.select_related("residence").get(pk=imported.person_id)
    event = ReturnEvent.objects.get(pk=imported.return_event_id)
    assert person.given_names == submission["datos_personales/nombres"]
    assert person.first_surname == submission["datos_personales/primer_apellido"]
    assert person.second_surname == submission.get("datos_personales/segundo_apellido", "")
    assert person.birth_date.isoformat() == submission["datos_personales/fecha_nacimiento"]
    assert person.sex == SEX[submission["datos_personales/sexo"]]
    documents = [d.number for d in person.documents.all()]
    dpi = submission.get("datos_personales/numero_dpi", "").replace(" ", "")
    assert documents == ([dpi] if dpi else [])
    phone = submission.get("datos_personales/telefono", "")
    assert person.phone == (clean_phone(phone, region="GT") if phone else "")
    assert person.residence.code == expected_residence(submission)
    assert person.household_size == int(submission["llegada/personas_hogar"])
    assert event.transport_reference == submission["llegada/vuelo"]
    assert event.months_abroad == int(submission["llegada/meses_fuera"])
    needs = [NEEDS[n] for n in submission.get("llegada/necesidades", "").split() if NEEDS[n]]
    assert sorted(event.vulnerabilities) == sorted(needs)
    consent = Consent.objects.get(person=person, purpose="case_management")
    assert consent.given == (submission["llegada/consentimiento"] == "si")
    members = list(HouseholdMember.objects.filter(listed_by=person).order_by("id"))
    given = submission.get("familiares", []) if family else []
    assert [(m.name, m.relationship, m.birth_date.isoformat()) for m in members] == [
        (
            f["familiares/nombre_familiar"],
            RELATIONSHIP[f["familiares/parentesco"]],
            f["familiares/fecha_nac_familiar"],
        )
        for f in given
    ]


@pytest.mark.parametrize("name", FIXTURES)
def test_every_submitted_value_of_a_kobo_export_arrives_in_its_field(personas, name):
    client = personas.client("staff")
    manifest = upload(client, name, (DATA / name).read_bytes())
    # Before anything is imported, the check names the one value it cannot place.
    assert manifest.status == "invalid"
    otro = next(s for s in SUBMISSIONS.values() if s["datos_personales/sexo"] == "otro")
    written = "otro" if name.startswith("xml") or name.endswith(".json") else choice_label("sexo", "otro")
    assert [(e["row"], e["message"]) for e in manifest.errors] == [
        (FORM["submissions"].index(otro) + 2, manifest.errors[0]["message"])
    ]
    assert written in manifest.errors[0]["message"]
    assert not manifest.columns_report["unrecognised"]
    assert Person.objects.count() == 0
    manifest = map_and_check(client, manifest, {("sex", written): "X"})
    assert manifest.status == "ready"
    manifest = import_(client, manifest)
    assert manifest.status == "imported"
    assert Person.objects.count() == 20
    family = not name.endswith(".csv")
    for submission in SUBMISSIONS.values():
        assert_fixture_submission_arrived(submission, family=family)
    assert manifest.household_count == (7 if family else 0)


def test_a_saved_mapping_is_used_again_for_the_same_kobo_form_version(personas):
    client = personas.client("staff")
    first = upload(client, "a.xlsx", (DATA / "labels-groups-ms_summary.xlsx").read_bytes())
    map_and_check(client, first, {("sex", choice_label("sexo", "otro")): "X"}, name="Recepción Aurora")
    assert first.mapping.kobo_form == FORM["submissions"][0]["__version__"]
    # Another export style of the same form version: the saved mapping applies by itself.
    second = upload(client, "b.json", (DATA / "api-v2-data.json").read_bytes(), reference="otra")
    assert second.mapping == first.mapping
    map_and_check(client, second, {("sex", "otro"): "X"}, name="Recepción Aurora")
    assert second.status == "ready"
    third = upload(client, "c.xlsx", (DATA / "xml-groups-ms_details.xlsx").read_bytes(), reference="tercera")
    assert third.status == "ready"


# -- idempotency ---------------------------------------------------------------------------------
def _import_fixture(client, name, reference, values=(("sex", "Otro / prefiere no decir"), "X")):
    manifest = upload(client, name, (DATA / name).read_bytes(), reference=reference)
    if manifest.status == "invalid":
        manifest = map_and_check(client, manifest, {values[0]: values[1]})
    assert manifest.status == "ready", manifest.errors
    return manifest


def test_a_later_export_imports_exactly_the_new_submissions_whatever_the_reference(personas):
    client = personas.client("staff")
    first = import_(client, _import_fixture(client, "labels-groups-ms_summary.xlsx", "GUA-ICE-2311"))
    assert first.created_count == 20
    later = _import_fixture(client, "labels-groups-ms_summary-25rows.xlsx", "otra referencia")
    assert (later.review["new"], later.review["known"], later.review["deleted"]) == (5, 20, [])
    later = import_(client, later)
    assert (later.created_count, later.skipped_count) == (5, 20)
    assert Person.objects.count() == 25 and ReturnEvent.objects.count() == 25
    # The same export again, under yet another reference: nothing new.
    again = import_(client, _import_fixture(client, "labels-groups-ms_summary-25rows.xlsx", "tercera"))
    assert (again.created_count, again.skipped_count) == (0, 25)
    assert ReturnEvent.objects.count() == 25


def test_a_submission_deleted_in_kobo_is_reported_and_kept(personas):
    client = personas.client("staff")
    import_(client, _import_fixture(client, "labels-groups-ms_summary-25rows.xlsx", "A"))
    later = _import_fixture(client, "labels-groups-ms_summary-24rows-deleted3.xlsx", "B")
    assert (later.review["new"], later.review["known"]) == (0, 24)
    [deleted] = later.review["deleted"]
    person = Person.objects.get(pk=deleted["person"])
    assert person.full_name == deleted["name"]
    page = client.get(reverse("people:manifest", args=[later.pk])).content.decode()
    assert person.full_name in page and "KoboToolbox" in page
    later = import_(client, later)
    assert Person.objects.filter(pk=person.pk).exists()  # never silently removed


def test_an_edited_submission_is_shown_as_a_change_to_review_not_applied(personas):
    client = personas.client("staff")
    import_(client, _import_fixture(client, "api-v2-data.json", "A", (("sex", "otro"), "X")))
    page = json.loads((DATA / "api-v2-data.json").read_text())
    edited = page["results"][2]
    edited["datos_personales/telefono"] = "4999 0000"
    random.Random(3).shuffle(page["results"])  # another order
    manifest = upload(client, "data.json", json.dumps(page).encode(), reference="B")
    assert manifest.status == "ready"
    [change] = manifest.review["changed"]
    assert change["fields"] == ["phone"]
    person = Person.objects.get(pk=change["person"])
    assert person.phone != clean_phone("4999 0000", region="GT")
    import_(client, manifest)
    assert Person.objects.count() == 20
    person.refresh_from_db()
    assert person.phone == clean_phone(SUBMISSIONS[edited["_uuid"]]["datos_personales/telefono"], region="GT")


# -- exports of our own form, in every style ---------------------------------------------------------
def dpi(seed: int, place: str) -> str:
    n = seed
    while True:
        first = f"{20_000_000 + n * 7919:08d}"[-8:]
        if dpi_check_digit(first) is not None:
            return f"{first}{dpi_check_digit(first)}{place}"
        n += 1


def our_submissions(version: str) -> list[dict]:
    def meta(n):
        uuid = f"00000000-0000-4000-8000-{n:012d}"
        return {
            "_id": 900 + n,
            "_uuid": uuid,
            "meta/instanceID": f"uuid:{uuid}",
            "_submission_time": f"2026-11-18T1{n}:00:00",
            "__version__": version,
            "_xform_id_string": "incluye_arrivals_gt",
            "start": "2026-11-18T09:00:00.000-06:00",
            "end": "2026-11-18T09:05:00.000-06:00",
            "today": "2026-11-18",
            "deviceid": "collect:abc",
            "_attachments": [],
            "_geolocation": [None, None],
            "_tags": [],
            "_notes": [],
            "_validation_status": {},
            "_status": "submitted_via_web",
            "_submitted_by": "frontera",
        }

    return [
        {
            **meta(1),
            "person/given_names": "María José",
            "person/first_surname": "Ajú",
            "person/second_surname": "Núñez",
            "person/sex": "F",
            "person/birth_date": "1990-04-12",
            "person/document_type": "DPI",
            "person/document_number": dpi(1, "0109"),
            "person/phone": "5555 1234",
            "person/languages": "es quc",
            "person/preferred_language": "quc",
            "person/education": "primary",
            "arrival/mode": "air",
            "arrival/returned_from": "US",
            "arrival/arrived_on": "2026-11-17",
            "arrival/department": "01",
            "arrival/residence": "0109",
            "arrival/household_size": "3",
            "arrival/transport_reference": "GUA-ICE-2311",
            "arrival/months_abroad": "48",
            "arrival/needs": "medical protection",
            "consent/consent_case_management": "1",
            "consent/consent_alliance_sharing": "0",
            "consent/consent_method": "signed_form",
            "household": [
                {
                    "household/member_name": "Carlos Ajú",
                    "household/member_relationship": "spouse",
                    "household/member_birth_date": "1988-01-02",
                },
                {
                    "household/member_name": "Ana Lucía Ajú",
                    "household/member_relationship": "child",
                    "household/member_birth_date": "2015-06-30",
                },
            ],
        },
        {
            **meta(2),
            "person/given_names": "Juan Carlos",
            "person/first_surname": "Xol",
            "person/sex": "M",
            "person/languages": "kek",
            "arrival/mode": "air",
            "arrival/returned_from": "US",
            "arrival/arrived_on": "2026-11-18",
            "arrival/department": "12",
            "arrival/residence": "1202",
            "arrival/needs": "none",
            "consent/consent_case_management": "1",
            "consent/consent_method": "verbal_witness",
            "consent/consent_witness": "Ana Pérez",
        },
        {
            **meta(3),
            "person/given_names": "Glenda",
            "person/first_surname": "Choc",
            "person/second_surname": "Pop",
            "person/sex": "X",
            "person/birth_date": "1999-12-31",
            "person/document_type": "PASSPORT",
            "person/document_number": "A1234567",
            "person/education": "university",
            "arrival/mode": "land",
            "arrival/returned_from": "MX",
            "arrival/arrived_on": "2026-11-16",
            "arrival/department": "05",
            "arrival/residence": "0509",
            "arrival/household_size": "1",
            "arrival/months_abroad": "7",
            "arrival/needs": "indigenous pregnant lgbtiq disability family_unit unaccompanied_minor",
            "consent/consent_case_management": "0",
            "household": [
                {
                    "household/member_name": "Rosa Choc",
                    "household/member_relationship": "sibling",
                    "household/member_birth_date": "2001-03-03",
                },
            ],
        },
    ]


def assert_our_submission_arrived(submission: dict, *, family: bool) -> None:
    imported = ImportedSubmission.objects.get(key="uuid:" + submission["_uuid"])
    person = Person.objects.select_related("residence").get(pk=imported.person_id)
    event = ReturnEvent.objects.get(pk=imported.return_event_id)
    get = submission.get
    assert (person.given_names, person.first_surname, person.second_surname) == (
        get("person/given_names"),
        get("person/first_surname", ""),
        get("person/second_surname", ""),
    )
    assert person.sex == get("person/sex")
    assert (person.birth_date.isoformat() if person.birth_date else None) == get("person/birth_date")
    assert [(d.document_type.code, d.number) for d in person.documents.all()] == (
        [(get("person/document_type"), get("person/document_number"))]
        if get("person/document_number")
        else []
    )
    assert person.phone == (clean_phone(get("person/phone"), region="GT") if get("person/phone") else "")
    assert person.languages == get("person/languages", "").split()
    assert person.preferred_language == get("person/preferred_language", "")
    assert person.education == get("person/education", "unknown")
    assert person.residence.code == get("arrival/residence")
    assert person.household_size == (
        int(get("arrival/household_size")) if get("arrival/household_size") else None
    )
    assert (event.mode, event.returned_from, event.arrived_on.isoformat()) == (
        get("arrival/mode"),
        get("arrival/returned_from"),
        get("arrival/arrived_on"),
    )
    assert event.transport_reference == get("arrival/transport_reference", "")
    assert event.months_abroad == (
        int(get("arrival/months_abroad")) if get("arrival/months_abroad") else None
    )
    assert sorted(event.vulnerabilities) == sorted(n for n in get("arrival/needs", "").split() if n != "none")
    consents = {c.purpose: c for c in Consent.objects.filter(person=person)}
    case = get("consent/consent_case_management")
    assert consents["case_management"].given == (case == "1")
    assert ("alliance_sharing" in consents) == (get("consent/consent_alliance_sharing") is not None)
    assert consents["case_management"].method == get("consent/consent_method", "signed_form")
    assert consents["case_management"].witness == get("consent/consent_witness", "")
    members = HouseholdMember.objects.filter(listed_by=person).order_by("id")
    assert [(m.name, m.relationship, m.birth_date.isoformat()) for m in members] == (
        [
            (m["household/member_name"], m["household/member_relationship"], m["household/member_birth_date"])
            for m in get("household", [])
        ]
        if family
        else []
    )


STYLES = [
    {"lang": None, "groups": True, "sep": "/", "multiple": "summary", "fmt": "xlsx"},
    {"lang": None, "groups": True, "sep": "/", "multiple": "details", "fmt": "xlsx"},
    {"lang": None, "groups": True, "sep": "/", "multiple": "both", "fmt": "csv"},
    {"lang": None, "groups": False, "sep": "/", "multiple": "summary", "fmt": "csv"},
    {"lang": None, "groups": True, "sep": ".", "multiple": "details", "fmt": "csv", "hxl": True},
    {"lang": ES, "groups": True, "sep": "/", "multiple": "summary", "fmt": "xlsx"},
    {"lang": ES, "groups": True, "sep": "/", "multiple": "details", "fmt": "xlsx", "hxl": True},
    {"lang": ES, "groups": False, "sep": "/", "multiple": "both", "fmt": "xlsx"},
    {"lang": ES, "groups": True, "sep": ".", "multiple": "summary", "fmt": "csv"},
    {"lang": ES, "groups": True, "sep": ":", "multiple": "both", "fmt": "xlsx"},
    {"lang": EN, "groups": True, "sep": "/", "multiple": "summary", "fmt": "xlsx"},
    {"lang": EN, "groups": False, "sep": "/", "multiple": "details", "fmt": "csv", "hxl": True},
    {"lang": EN, "groups": True, "sep": "__", "multiple": "both", "fmt": "xlsx", "hxl": True},
    {"fmt": "json"},
]


def _style_id(style):
    return "-".join(f"{k}={v}" for k, v in style.items()).replace(" ", "").replace("/", "slash")


@pytest.mark.parametrize("style", STYLES, ids=[_style_id(s) for s in STYLES])
def test_an_export_of_our_own_form_in_any_style_imports_with_no_mapping(personas, style):
    form = build_xlsform(ARRIVALS, Country.objects.get(code="GT"))
    submissions = our_submissions(form["settings"][0]["version"])
    name, content = export(form, submissions, **style)
    client = personas.client("staff")
    manifest = upload(client, name, content)
    assert manifest.status == "ready", (manifest.errors, manifest.columns_report)
    assert not manifest.columns_report["unrecognised"]
    assert manifest.mapping is None
    manifest = import_(client, manifest)
    assert manifest.created_count == 3
    for submission in submissions:
        assert_our_submission_arrived(submission, family=style["fmt"] != "csv")


def test_a_column_nobody_recognises_is_reported_and_import_waits_for_the_officer(personas):
    form = build_xlsform(ARRIVALS, Country.objects.get(code="GT"))
    submissions = our_submissions(form["settings"][0]["version"])
    for s in submissions:
        s["consent/pregunta_7"] = "dato de campo"
    after = next(i for i, row in enumerate(form["survey"]) if row.get("name") == "consent_witness")
    form["survey"].insert(
        after + 1, {"type": "text", "name": "pregunta_7", "label::Español (es)": "Pregunta 7"}
    )
    name, content = export(form, submissions, lang=ES)
    client = personas.client("staff")
    manifest = upload(client, name, content)
    assert manifest.status == "ready"
    unrecognised = [
        c["header"]
        for t in manifest.columns_report["tables"]
        for c in t["columns"]
        if not c["target"] and c["filled"]
    ]
    assert unrecognised == [f"{_es('Consent')}/Pregunta 7"]
    page = client.get(reverse("people:manifest", args=[manifest.pk])).content.decode()
    assert "Pregunta 7" in page
    # Without the officer's word, nothing is imported.
    assert import_(client, manifest).status == "ready"
    assert Person.objects.count() == 0
    assert import_(client, manifest, confirm=True).status == "imported"


# -- values as officers write them -----------------------------------------------------------------
def test_choices_are_accepted_by_code_spanish_or_english_label_and_kobo_name(personas):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["nombres", "primer_apellido", "sexo", "necesidades", "municipio", "departamento", "parentesco"]
    )
    rows = [
        ["Ana", "Coc", "mujer", "atención médica", "Mixco", "", ""],
        ["Luis", "Coc", "MASCULINO", "menor no acompañado, Protección", "0108", "", ""],
        ["Eva", "Coc", "Female", "Needs medical care; Pregnant", "san_pedro_sacatepequez", "San Marcos", ""],
        ["Rut", "Coc", "F", "INDIGENA embarazada", "San José", "escuintla", ""],
    ]
    writer.writerows(rows)
    client = personas.client("staff")
    manifest = upload(client, "m.csv", out.getvalue().encode())
    assert manifest.status == "ready", manifest.errors
    import_(client, manifest, confirm=True)
    people = {p.given_names: p for p in Person.objects.select_related("residence")}
    needs = {p: ReturnEvent.objects.get(person=people[p]).vulnerabilities for p in people}
    assert needs == {
        "Ana": ["medical"],
        "Luis": ["unaccompanied_minor", "protection"],
        "Eva": ["medical", "pregnant"],
        "Rut": ["indigenous", "pregnant"],
    }
    assert {p: people[p].residence.code for p in people} == {
        "Ana": "0108",
        "Luis": "0108",
        "Eva": "1202",
        "Rut": "0509",
    }
    assert {p: people[p].sex for p in people} == {"Ana": "F", "Luis": "M", "Eva": "F", "Rut": "F"}


def test_a_coded_sex_is_reported_never_stored_as_not_recorded(personas):
    content = b"nombres,primer_apellido,sexo\nAna,Coc,2\nLuis,Coc,1\n"
    client = personas.client("staff")
    manifest = upload(client, "m.csv", content)
    assert manifest.status == "invalid"
    assert [e["row"] for e in manifest.errors] == [2, 3]
    manifest = map_and_check(client, manifest, {("sex", "1"): "M", ("sex", "2"): "F"})
    import_(client, manifest)
    assert dict(Person.objects.values_list("given_names", "sex")) == {"Ana": "F", "Luis": "M"}


@pytest.mark.parametrize(
    ("name", "department", "code"),
    [
        ("San Pedro Sacatepéquez", "Guatemala", "0109"),
        ("San Pedro Sacatepéquez", "San Marcos", "1202"),
        ("La Democracia", "Escuintla", "0503"),
        ("La Democracia", "Huehuetenango", "1312"),
        ("San José", "Escuintla", "0509"),
        ("San Lorenzo", "Suchitepéquez", "1007"),
        ("Santa Bárbara", "Suchitepéquez", "1015"),
        ("La Libertad", "Huehuetenango", "1311"),
        ("La Libertad", "Petén", "1705"),
    ],
)
def test_a_municipality_name_shared_by_two_is_resolved_within_its_department(
    personas, name, department, code
):
    content = f"nombres,primer_apellido,municipio,departamento\nAna,Coc,{name},{department}\n".encode()
    client = personas.client("staff")
    import_(client, upload(client, "m.csv", content))
    assert Person.objects.get().residence.code == code


def test_an_ambiguous_municipality_without_department_names_both_candidates(personas):
    content = b"nombres,primer_apellido,municipio\nAna,Coc,San Lorenzo\n"
    manifest = upload(personas.client("staff"), "m.csv", content)
    assert manifest.status == "invalid"
    message = manifest.errors[0]["message"]
    assert "1007" in message and "1229" in message and "Suchitepéquez" in message and "San Marcos" in message


def test_a_report_fixed_and_uploaded_again_loses_its_protecting_apostrophe(personas):
    content = b"nombres,primer_apellido,sexo\n=Ana,Coc,F\nLuis,Coc,9\n"
    client = personas.client("staff")
    manifest = upload(client, "m.csv", content)
    report = client.get(reverse("people:manifest_errors", args=[manifest.pk])).content.decode("utf-8-sig")
    assert "'=Ana" in report
    fixed = report.replace(",9,", ",M,")
    manifest = upload(client, "fixed.csv", fixed.encode(), reference="fixed")
    assert manifest.status == "ready", manifest.errors
    import_(client, manifest, confirm=True)
    assert set(Person.objects.values_list("given_names", flat=True)) == {"=Ana", "Luis"}


def test_a_checked_manifest_can_be_discarded_and_its_file_goes(personas):
    import os

    client = personas.client("staff")
    manifest = upload(client, "m.csv", b"nombres,primer_apellido\nAna,Coc\n")
    stored = [manifest.file.path, manifest.checked_rows.path]
    response = client.post(reverse("people:manifest_discard", args=[manifest.pk]))
    assert response.status_code == 302
    manifest.refresh_from_db()
    assert manifest.status == "discarded"
    assert not any(os.path.exists(p) for p in stored)
    assert import_(client, manifest).status == "discarded"
    assert Person.objects.count() == 0


def test_the_page_and_the_template_list_the_accepted_values_in_spanish(personas):
    from openpyxl import load_workbook

    client = personas.client("staff")
    page = client.get(reverse("people:manifests")).content.decode()
    assert "Menor no acompañado" in page and "Necesita atención médica" in page
    response = client.get(reverse("people:manifest_template"))
    book = load_workbook(__import__("io").BytesIO(response.content))
    values = [c for row in book.worksheets[2].iter_rows(values_only=True) for c in row if c]
    assert "Menor no acompañado" in values and "unaccompanied_minor" in values
    places = [row[0] for row in book.worksheets[3].iter_rows(values_only=True)]
    assert "0109" in places and "1202" in places


def test_the_preview_shows_spanish_labels_and_local_dates(personas):
    content = b"nombres,primer_apellido,sexo,fecha_nacimiento,necesidades\nAna,Coc,F,1990-04-12,medical\n"
    client = personas.client("staff")
    manifest = upload(client, "m.csv", content)
    page = client.get(reverse("people:manifest", args=[manifest.pk])).content.decode()
    assert "Femenino" in page and "Necesita atención médica" in page and "12/04/1990" in page
    assert "medical" not in page.split("<main")[-1].split("</main>")[0].replace("medical-", "")


def test_family_members_are_shown_on_the_persons_page(personas):
    client = personas.client("staff")
    manifest = _import_fixture(client, "xml-groups-ms_details.xlsx", "A", (("sex", "otro"), "X"))
    import_(client, manifest)
    head = ImportedSubmission.objects.get(key="uuid:" + FORM["submissions"][3]["_uuid"]).person
    page = client.get(reverse("people:detail", args=[head.pk])).content.decode()
    assert "Ana Lucía Cux Xol" in page and "Cónyuge o pareja" in page


def test_an_organization_downloads_our_xlsform_and_pyxform_accepts_it_for_every_country(personas, tmp_path):
    from pyxform import xls2xform

    from incluye.people.imports.xlsform import xlsform_workbook

    response = personas.client("staff").get(reverse("people:manifest_xlsform"))
    assert response.status_code == 200
    from incluye.core.selectors import country_list

    for country in country_list():  # the countries served (the others are nationalities only)
        path = tmp_path / f"{country.code}.xlsx"
        path.write_bytes(response.content if country.code == "GT" else xlsform_workbook(ARRIVALS, country))
        warnings: list = []
        result = xls2xform.convert(xlsform=str(path), validate=False, warnings=warnings)
        assert warnings == []
        assert "choice_filter" not in result.xform and "instance('residence')" in result.xform
        municipalities = Division.objects.filter(
            country=country,
            level=max(Division.objects.filter(country=country).values_list("level", flat=True)),
        )
        assert result.xform.count("<item>") >= municipalities.count()


def test_an_arrival_date_in_the_file_wins_over_the_manifests(personas):
    content = b"nombres,primer_apellido,fecha de llegada\nAna,Coc,14/11/2026\n"
    client = personas.client("staff")
    import_(client, upload(client, "m.csv", content))
    assert ReturnEvent.objects.get().arrived_on == datetime.date(2026, 11, 14)


def test_the_intake_api_resolves_a_municipality_name_within_its_department(personas):
    client = personas.client("staff")
    body = {"given_names": "Ana", "first_surname": "Coc", "arrived_on": "2026-11-20"}
    response = client.post(
        reverse("api:people"),
        {**body, "residence": "San Pedro Sacatepéquez", "department": "San Marcos"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["residence"] == "1202"
    refused = client.post(
        reverse("api:people"),
        {**body, "residence": "San Pedro Sacatepéquez"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    message = json.dumps(refused.json(), ensure_ascii=False)
    assert "0109" in message and "1202" in message


def test_our_xlsform_offers_the_languages_its_countrys_desks_ask_about(personas):
    def languages(code):
        form = build_xlsform(ARRIVALS, Country.objects.get(code=code))
        return [row["name"] for row in form["choices"] if row["list_name"] == "languages"]

    assert languages("CR") == ["es", "en", "fr", "ht", "pt", "miq", "gym", "bzd", "cjp", "other"]
    assert "quc" in languages("GT") and "ht" not in languages("GT")


def test_our_xlsform_asks_which_language_the_person_prefers_among_those_ticked(personas):
    form = build_xlsform(ARRIVALS, Country.objects.get(code="GT"))
    question = next(row for row in form["survey"] if row["name"] == "preferred_language")
    assert question["type"] == "select_one preferred_language"
    assert question["choice_filter"] == "selected(${languages}, name)"
    assert question["relevant"] == "count-selected(${languages}) > 1"
    offered = [row["name"] for row in form["choices"] if row["list_name"] == "preferred_language"]
    assert offered == [row["name"] for row in form["choices"] if row["list_name"] == "languages"]
