"""People who arrive in the country served: the intake adapts to the population, nationality and
status are recorded apart from the country served, and only the roles that need them see them."""

import datetime

import pytest
from django.urls import reverse

from incluye.core.models import ActionLogEntry
from incluye.core.testing import navigation_counted
from incluye.people.models import MigrationStatus, Person, ReturnEvent
from incluye.people.testing import register_asylum_seeker

pytestmark = pytest.mark.django_db


def an_arrival(**overrides):
    data = {
        "population": "asylum_seeker",
        "given_names": "María Alejandra",
        "first_surname": "Rondón",
        "second_surname": "Pérez",
        "sex": "F",
        "birth_date": "1990-05-14",
        "birth_date_precision": "day",
        "nationality": "VE",
        "document_type": "VE:CEDULA",
        "document_number": "V-18.234.567",
        "phone": "8888 1234",
        "residence": "101",
        "education": "university",
        "arrived_on": "2026-02-27",
        "mode": "land",
        "returned_from": "US",
        "border_point": "Peñas Blancas",
        "accompanied_by": "children",
        "status_since": "2026-02-28",
        "status_reference": "EXP-2026-0042",
        "consent_case_management": "on",
        "consent_method": "signed_form",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_an_officer_registers_a_venezuelan_asylum_seeker_with_her_arrival_and_status(costa_rica):
    response = costa_rica.client("reception").post(reverse("people:intake"), an_arrival())
    person = Person.objects.get()
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert (person.nationality_id, person.organization.country_id) == ("VE", "CR")
    assert person.documents.get().number == "V18234567"
    event = ReturnEvent.objects.get(person=person)
    assert (event.kind, event.origin_country_id, event.reception_point, event.accompanied_by) == (
        "arrival",
        "VE",
        "Peñas Blancas",
        "children",
    )
    status = MigrationStatus.objects.get(person=person)
    assert (status.kind, status.since, status.until, status.country_id) == (
        "asylum_seeker",
        datetime.date(2026, 2, 28),
        None,
        "CR",
    )
    assert status.reference == "EXP-2026-0042"
    entry = ActionLogEntry.objects.get(action="incluye.person.registered", object_id=str(person.pk))
    assert entry.data["migration_status"] == str(status.pk)
    assert "asylum" not in str(entry.data) and "VE" not in str(entry.data)  # ids, never values


def test_an_asylum_seeker_must_say_when_she_applied(costa_rica):
    response = costa_rica.client("reception").post(reverse("people:intake"), an_arrival(status_since=""))
    assert response.status_code == 400
    assert "fecha de la solicitud de refugio" in response.content.decode()
    assert not Person.objects.exists()


def test_a_national_coming_home_is_a_returnee_not_an_arrival(costa_rica):
    response = costa_rica.client("reception").post(
        reverse("people:intake"), an_arrival(nationality="CR", document_type="", document_number="")
    )
    assert response.status_code == 400
    assert "es una persona retornada" in response.content.decode()


def test_a_document_of_another_country_than_her_nationality_is_refused_and_nothing_typed_is_lost(costa_rica):
    response = costa_rica.client("reception").post(
        reverse("people:intake"), an_arrival(document_type="NI:CEDULA", document_number="001-010190-0001N")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "otro país" in page
    assert 'value="María Alejandra"' in page and 'value="Peñas Blancas"' in page


def test_a_nicaraguan_cedula_is_checked_at_the_desk(costa_rica):
    response = costa_rica.client("reception").post(
        reverse("people:intake"),
        an_arrival(nationality="NI", document_type="NI:CEDULA", document_number="001-010190-0001A"),
    )
    assert response.status_code == 400
    assert "letra de la cédula nicaragüense" in response.content.decode()


def test_the_passport_of_the_nationality_is_found_for_any_country(costa_rica):
    costa_rica.client("reception").post(
        reverse("people:intake"),
        an_arrival(
            nationality="HT",
            population="other_migrant",
            document_type="*:PASSPORT",
            document_number="HT1234567",
        ),
    )
    person = Person.objects.get()
    assert person.documents.get().document_type.country_id == "HT"
    assert not MigrationStatus.objects.exists()  # status not known yet


def test_the_form_shows_the_returnee_questions_to_a_returnee_and_the_status_to_an_arrival(costa_rica):
    client = costa_rica.client("reception")
    returnee = client.get(reverse("people:intake")).content.decode()
    arrival = client.get(reverse("people:intake") + "?population=asylum_seeker").content.decode()
    assert 'app-fields-grid" data-population="returnee">' in returnee
    assert 'app-fields-grid" data-population="arrival" hidden>' in returnee
    assert 'app-fields-grid" data-population="returnee" hidden>' in arrival
    assert 'app-fields-grid" data-population="arrival">' in arrival


def test_without_javascript_choosing_the_population_shows_its_questions_keeping_what_was_typed(costa_rica):
    response = costa_rica.client("reception").post(
        reverse("people:intake"), {"action": "population", "population": "refugee", "given_names": "Yusleidy"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Yusleidy"' in page
    assert 'app-fields-grid" data-population="arrival">' in page
    assert "govuk-error-message" not in page  # nothing is checked yet
    assert not Person.objects.exists()


def test_a_returnee_registered_at_a_costa_rican_desk_keeps_the_countrys_nationality(costa_rica):
    costa_rica.client("reception").post(
        reverse("people:intake"),
        an_arrival(
            population="returnee", nationality="VE", document_type="CEDULA", document_number="1-0234-0567"
        ),
    )
    person = Person.objects.get()
    assert person.nationality_id == "CR"
    assert ReturnEvent.objects.get().kind == "return"
    assert not MigrationStatus.objects.exists()


@pytest.mark.parametrize("role", ["reception", "caseworker", "documents", "admin"])
def test_the_roles_that_work_with_it_see_her_nationality_and_status_and_the_read_is_logged(costa_rica, role):
    person = register_asylum_seeker(costa_rica.reception)
    page = costa_rica.client(role).get(reverse("people:detail", args=[person.pk])).content.decode()
    assert (
        "Venezuela" in page and "Solicitante de refugio" in page and "Carné de solicitante de refugio" in page
    )
    assert ActionLogEntry.objects.filter(
        action="incluye.protection.viewed", person_id=person.pk, actor=getattr(costa_rica, role).user
    ).exists()


def test_a_psychosocial_professional_sees_neither_her_nationality_nor_her_status_nor_her_documents(
    costa_rica,
):
    person = register_asylum_seeker(costa_rica.reception)
    client = costa_rica.client("psychosocial")
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert person.full_name in page
    main = page.split("<main", 1)[1].split("</main>", 1)[0]  # the footer names the program for refugees
    # nor the border point, which tells where she comes from
    for secret in (
        "Venezuela",
        "Solicitante",
        "solicitante",
        "Refugi",
        "refugi",
        "18.234.567",
        "186212345678",
        "Peñas",
    ):
        assert secret not in main, secret
    assert "Llegada" in main  # that she arrived (rather than returned) is on the page
    assert client.get(reverse("people:status", args=[person.pk])).status_code == 403
    assert not ActionLogEntry.objects.filter(action="incluye.protection.viewed").exists()


def test_another_organization_gets_a_404_for_her_status_page(costa_rica, personas):
    person = register_asylum_seeker(costa_rica.reception)
    assert personas.client("admin").get(reverse("people:status", args=[person.pk])).status_code == 404


def test_the_status_page_shows_when_she_may_work_and_logs_the_read(costa_rica):
    person = register_asylum_seeker(costa_rica.reception)
    page = costa_rica.client("caseworker").get(reverse("people:status", args=[person.pk])).content.decode()
    assert "No puede trabajar hoy" in page
    assert "EXP-2026-0042" in page
    assert ActionLogEntry.objects.filter(action="incluye.protection.viewed", person_id=person.pk).exists()


def test_recording_her_recognition_as_refugee_ends_the_asylum_claim_the_day_before(costa_rica):
    person = register_asylum_seeker(costa_rica.reception)
    response = costa_rica.client("caseworker").post(
        reverse("people:status_add", args=[person.pk]),
        {"status-kind": "refugee", "status-since": "2026-03-01"},
    )
    assert response.status_code == 302
    claim, recognition = MigrationStatus.objects.filter(person=person).order_by("since")
    assert claim.until == datetime.date(2026, 2, 28)
    assert (recognition.kind, recognition.until) == ("refugee", None)
    page = costa_rica.client("caseworker").get(reverse("people:status", args=[person.pk])).content.decode()
    assert "Puede trabajar hoy" in page  # a refugee in Costa Rica works by her status
    entry = ActionLogEntry.objects.filter(action="incluye.migration_status.recorded").latest("created_at")
    assert entry.data == {} and entry.person_id == person.pk


def test_a_residence_needs_its_category_and_a_status_cannot_be_in_the_future(costa_rica):
    person = register_asylum_seeker(costa_rica.reception)
    client = costa_rica.client("caseworker")
    response = client.post(
        reverse("people:status_add", args=[person.pk]),
        {"status-kind": "resident", "status-since": "2026-03-01"},
    )
    assert response.status_code == 400 and "categoría de residencia" in response.content.decode()
    response = client.post(
        reverse("people:status_add", args=[person.pk]),
        {"status-kind": "refugee", "status-since": "2026-04-01"},
    )
    assert response.status_code == 400 and "futuro" in response.content.decode()


def test_renewing_her_card_replaces_its_dates_and_says_so_in_the_log(costa_rica):
    person = register_asylum_seeker(costa_rica.reception)
    card = person.documents.get(document_type__code="SOLICITANTE")
    response = costa_rica.client("documents").post(
        reverse("people:status_document", args=[person.pk]),
        {
            "document-document_type": card.document_type_id,
            "document-number": "186212345678",
            # typed as printed on the card, day, month and year, as the page asks
            "document-issued_on_day": "1",
            "document-issued_on_month": "7",
            "document-issued_on_year": "2026",
            "document-expires_on_day": "12",
            "document-expires_on_month": "1",
            "document-expires_on_year": "2027",
        },
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.issued_on, card.expires_on) == (datetime.date(2026, 7, 1), datetime.date(2027, 1, 12))
    assert ActionLogEntry.objects.filter(action="incluye.document.renewed", person_id=person.pk).exists()


def test_a_card_that_expires_needs_its_date(costa_rica):
    person = register_asylum_seeker(costa_rica.reception)
    card = person.documents.get(document_type__code="SOLICITANTE")
    response = costa_rica.client("documents").post(
        reverse("people:status_document", args=[person.pk]),
        {"document-document_type": card.document_type_id, "document-number": "186212345678"},
    )
    assert response.status_code == 400
    assert "Este documento vence" in response.content.decode()


def test_the_list_of_documents_about_to_expire_shows_her_card_a_month_before(costa_rica, time_machine):
    person = register_asylum_seeker(costa_rica.reception, card_expires_on=datetime.date(2026, 3, 20))
    page = costa_rica.client("documents").get(reverse("people:expiring")).content.decode()
    assert person.sortable_name in page and "Carné de solicitante de refugio" in page
    assert costa_rica.client("psychosocial").get(reverse("people:expiring")).status_code == 403


def test_the_api_gives_her_nationality_and_status_only_to_the_roles_that_see_them(costa_rica):
    person = register_asylum_seeker(costa_rica.reception)
    url = f"/api/v1/people/{person.pk}/"
    full = costa_rica.client("caseworker").get(url).json()
    assert full["nationality"] == "VE" and full["migration_statuses"][0]["kind"] == "asylum_seeker"
    assert {d["document_type"] for d in full["documents"]} == {"CEDULA", "SOLICITANTE"}
    assert full["returns"][0]["origin_country"] == "VE"
    limited = costa_rica.client("psychosocial").get(url)
    text = limited.content.decode()
    assert limited.status_code == 200
    data = limited.json()
    assert data["nationality"] is None and data["documents"] == [] and "migration_statuses" not in data
    assert data["returns"][0]["origin_country"] is None and data["returns"][0]["kind"] == "arrival"
    assert "VE" not in text and "186212345678" not in text and "asylum" not in text


def test_the_api_registers_an_arrival_with_her_status_like_the_form(costa_rica):
    response = costa_rica.client("reception").post(
        "/api/v1/people/",
        {
            "given_names": "Yusleidy",
            "first_surname": "Marcano",
            "population": "refugee",
            "nationality": "VE",
            "arrived_on": "2026-02-27",
            "status_since": "2026-03-01",
            "document_type": "*:PASSPORT",
            "document_number": "123456789",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["nationality"] == "VE" and data["migration_statuses"][0]["kind"] == "refugee"
    bad = costa_rica.client("reception").post(
        "/api/v1/people/",
        {
            "given_names": "Ana",
            "first_surname": "Mora",
            "population": "asylum_seeker",
            "nationality": "VE",
            "arrived_on": "2026-02-27",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "status_since" in bad.content.decode()


def test_the_list_of_documents_about_to_expire_issues_a_constant_number_of_queries(costa_rica):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def grow(count, start):
        for i in range(count):
            register_asylum_seeker(
                costa_rica.reception,
                given_names=f"Persona {start + i}",
                card_expires_on=datetime.date(2026, 3, 10),
            )

    client = navigation_counted(costa_rica.client("documents"))
    grow(3, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("people:expiring")).status_code == 200
    grow(15, 3)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("people:expiring")).content.decode()
    assert page.count("Carné de solicitante de refugio") == 18
    assert len(many) == len(few)


def test_her_copy_of_her_data_has_her_status_and_a_role_without_protection_gets_it_withheld(costa_rica):
    from incluye.people import rights

    person = register_asylum_seeker(costa_rica.reception)
    copy = costa_rica.client("admin").get(reverse("people:export_json", args=[person.pk])).json()
    assert copy["person"]["nationality"] == "VE"
    assert copy["records"]["people.MigrationStatus"][0]["kind"] == "asylum_seeker"
    assert len(copy["records"]["people.IdentityDocument"]) == 2
    limited = rights.person_export(person, membership=costa_rica.psychosocial)
    text = str(limited)
    assert limited["person"]["nationality"] is None and "people.MigrationStatus" not in limited["records"]
    assert limited["withheld"] == {"people.MigrationStatus": 1, "people.IdentityDocument": 2}
    assert "asylum_seeker" not in text and "186212345678" not in text and "Peñas" not in text


def test_a_costa_rican_desk_asks_about_the_languages_of_the_people_it_receives(costa_rica, personas):
    costa_rican = costa_rica.client("reception").get(reverse("people:intake")).content.decode()
    for name in ("Criollo haitiano", "Francés", "Portugués", "Ngäbere", "Bribri", "Cabécar", "Miskito"):
        assert f"> {name}</label>" in costa_rican or f">{name}</label>" in costa_rican, name
    assert "K&#x27;iche&#x27;" not in costa_rican and "Mam</label>" not in costa_rican
    guatemalan = personas.client("staff").get(reverse("people:intake")).content.decode()
    assert "K&#x27;iche&#x27;" in guatemalan and "Criollo haitiano" not in guatemalan


def a_haitian_arrival(**overrides):
    """Wisline Jean-Baptiste, Haitian, one surname, no document at hand."""
    return an_arrival(
        given_names="Wisline",
        first_surname="Jean-Baptiste",
        second_surname="",
        nationality="HT",
        document_type="",
        document_number="",
        **overrides,
    )


def test_a_haitian_arrival_who_speaks_creole_and_french_is_registered_with_both(costa_rica):
    costa_rica.client("reception").post(reverse("people:intake"), a_haitian_arrival(languages=["ht", "fr"]))
    person = Person.objects.get(given_names="Wisline")
    assert person.languages == ["ht", "fr"]
    assert person.language_labels() == ["Criollo haitiano", "Francés"]


def test_the_desk_records_the_language_a_person_prefers_among_those_they_speak(costa_rica):
    client = costa_rica.client("reception")
    page = client.get(reverse("people:intake")).content.decode()
    assert 'name="preferred_language"' in page and "Criollo haitiano</option>" in page
    client.post(reverse("people:intake"), a_haitian_arrival(languages=["es", "fr"], preferred_language="ht"))
    person = Person.objects.get(given_names="Wisline")
    assert (person.languages, person.preferred_language) == (["es", "fr", "ht"], "ht")
    detail = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Español, Francés, Criollo haitiano · prefiere Criollo haitiano" in detail


def test_a_language_no_desk_of_the_country_asks_about_cannot_be_the_preferred_one(costa_rica):
    response = costa_rica.client("reception").post(
        reverse("people:intake"),
        a_haitian_arrival(languages=["es"], preferred_language="quc"),
    )
    assert response.status_code == 400 and not Person.objects.filter(given_names="Wisline").exists()
    assert "Escoja una opción válida" in response.content.decode()


def test_every_language_a_country_asks_about_is_one_incluye_knows():
    import json
    from pathlib import Path

    from incluye.people.models import Language

    folder = Path(__file__).resolve().parents[2] / "core" / "data" / "countries"
    for path in folder.glob("[a-z][a-z].json"):
        codes = json.loads(path.read_text(encoding="utf-8"))["languages"]
        assert set(codes) <= set(Language.values), path.name
