"""Indicators by population (returnee, refugee, asylum seeker, other migrant) and by nationality:
protection-sensitive, so counted only through small-cell suppression, wherever they are shown."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from incluye.core.testing import client_for, make_member
from incluye.impact import indicators
from incluye.impact.filters import IndicatorFilter
from incluye.people.models import MigrationStatus, Person, ReturnEvent
from incluye.people.testing import canton

pytestmark = pytest.mark.django_db


def arrive(org, *, nationality, status=None, since=datetime.date(2026, 1, 5), until=None, sex="F"):
    person = Person.objects.create(
        organization=org,
        given_names="Persona",
        first_surname="Prueba",
        sex=sex,
        birth_date=datetime.date(1990, 1, 1),
        nationality_id=nationality,
        residence=canton("101"),
        household_size=2,
    )
    national = nationality == org.country_id
    ReturnEvent.objects.create(
        person=person,
        organization=org,
        arrived_on=datetime.date(2026, 1, 3),
        kind="return" if national else "arrival",
        origin_country_id=None if national else nationality,
    )
    if status:
        MigrationStatus.objects.create(
            person=person, organization=org, country_id=org.country_id, kind=status, since=since, until=until
        )
    return person


@pytest.fixture
def reached(costa_rica):
    """7 Venezuelan asylum seekers, 6 Nicaraguan refugees, 2 Cuban residents, 8 Costa Rican returnees,
    and a Nicaraguan whose asylum claim ended (now another migrant)."""
    for _ in range(7):
        arrive(costa_rica.org, nationality="VE", status="asylum_seeker")
    for _ in range(6):
        arrive(costa_rica.org, nationality="NI", status="refugee")
    for _ in range(2):
        arrive(costa_rica.org, nationality="CU", status="resident")
    for _ in range(8):
        arrive(costa_rica.org, nationality="CR")
    arrive(costa_rica.org, nationality="NI", status="asylum_seeker", until=datetime.date(2026, 2, 1))


def test_people_reached_are_counted_by_population_from_their_status_today(costa_rica, reached):
    counts = indicators.compute("people_reached_by_population", IndicatorFilter(country="CR"), ("category",))
    assert {key[0]: value for key, (value, _n) in counts.items()} == {
        "asylum_seeker": 7,
        "refugee": 6,
        "returnee": 8,
        "other_migrant": 3,
    }
    total = indicators.total("people_reached_direct", IndicatorFilter(country="CR"))[0]
    assert total == 24  # the populations add up to the people reached


def test_people_reached_are_counted_by_nationality_with_the_countrys_name(costa_rica, reached):
    table = indicators.table("people_reached_by_nationality", IndicatorFilter(country="CR"), "category")
    shown = dict(zip(table.row_labels, [table.shown(c) for c in table.row_totals], strict=True))
    assert shown["Costa Rica"] == 8
    assert shown["Cuba"] == "<5"  # two people: hidden
    # …and one more, so that the total does not give the two away
    assert list(shown.values()).count("*") == 1 and {shown["Venezuela"], shown["Nicaragua"]} <= {7, "*"}
    assert table.shown(table.total) == 24


def test_they_are_suppressed_even_where_the_dashboard_is_not(costa_rica, reached):
    flt = IndicatorFilter(country="CR", organization=costa_rica.org.pk)
    population = indicators.table("people_reached_by_population", flt, "category", suppress=False)
    assert population.suppressed
    sexes = indicators.table("people_reached_by_population", flt, "category", "sex", suppress=False)
    assert any(cell.hidden for row in sexes.cells for cell in row) or sexes.total.value >= 5
    page = client_for(costa_rica.admin).get(reverse("impact:dashboard")).content.decode()
    assert 'data-chart="by-population"' in page and 'data-chart="by-nationality"' in page
    assert "Cuba" in page and "&lt;5" in page


def test_the_public_page_shows_the_populations_with_suppression(costa_rica, reached, settings):
    settings.INCLUYE_COUNTRIES = ["CR"]
    page = Client().get(reverse("impact:public"), {"country": "CR"}).content.decode()
    assert "Personas alcanzadas por población" in page
    assert "Solicitante de refugio" in page and "Persona refugiada" in page
    assert "&lt;5" in page  # the Cubans


def test_the_indicator_export_of_populations_is_suppressed(costa_rica, reached):
    coordinator = make_member(costa_rica.org, "coordinator")
    response = client_for(coordinator).get(
        reverse("impact:export_indicator", args=["csv"]),
        {"indicator": "people_reached_by_nationality", "rows": "category"},
    )
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert "<5" in text and ",2," not in text


def test_the_export_of_records_never_has_status_or_nationality(costa_rica, reached):
    response = client_for(costa_rica.admin).get(reverse("impact:export_people", args=["csv"]))
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and len(text.splitlines()) == 25
    for secret in ("VE", "NI", "CU", "Venezuela", "Nicaragua", "refug", "asylum", "solicitante"):
        assert secret not in text, secret
