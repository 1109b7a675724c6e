"""The dates a person knows by heart, typed as day, month and year at the desk: a birth date known
only roughly, the errors that say which box is wrong, and the values that never pass through the
locale. Imports and the API still give a date as one value."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from incluye.people.forms import IntakeForm
from incluye.people.models import Person
from incluye.people.services import person_register
from incluye.people.tests.test_intake import arrival

pytestmark = pytest.mark.django_db


def typed(day="", month="", year="", **overrides):
    """The intake's data as the page sends it: the birth date in three boxes."""
    data = arrival(birth_date=None, birth_date_precision=None, **overrides)
    return {**data, "birth_date_day": day, "birth_date_month": month, "birth_date_year": year}


def box(page, part):
    """The <input> tag of one box of the birth date."""
    return next(t.split(">")[0] for t in page.split("<input") if f'name="birth_date_{part}"' in t)


def register(personas, data):
    return personas.client("staff").post(reverse("people:intake"), data)


def test_a_birth_date_typed_in_three_boxes_is_registered_as_an_exact_date(personas):
    register(personas, typed("3", "7", "1992"))
    person = Person.objects.get()
    assert (person.birth_date, person.birth_date_precision) == (datetime.date(1992, 7, 3), "day")


def test_a_person_who_knows_only_the_year_is_registered_as_born_about_that_year(personas):
    response = register(personas, typed(year="1985"))
    person = Person.objects.get()
    assert (person.birth_date, person.birth_date_precision) == (datetime.date(1985, 1, 1), "year")
    page = personas.client("staff").get(response["Location"]).content.decode()
    assert "alrededor de 1985" in page


def test_a_month_and_a_year_register_a_birth_month(personas):
    register(personas, typed(month="11", year="1979"))
    person = Person.objects.get()
    assert (person.birth_date, person.birth_date_precision) == (datetime.date(1979, 11, 1), "month")


def test_no_birth_date_at_all_is_allowed(personas):
    register(personas, typed())
    assert Person.objects.get().birth_date is None


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "wrong_box"),
    [
        ("31", "", "1985", "Escriba el mes como un número del 1 al 12.", "month"),
        ("31", "5", "", "Escriba el año con cuatro cifras.", "year"),
        ("31", "5", "85", "Escriba el año con cuatro cifras.", "year"),
        ("31", "2", "1985", "Escriba una fecha que exista, por ejemplo 27 3 1985.", None),
        ("3l", "5", "1985", "Escriba una fecha que exista, por ejemplo 27 3 1985.", None),
    ],
)
def test_a_birth_date_that_cannot_be_read_says_which_box_and_keeps_what_was_typed(
    personas, day, month, year, message, wrong_box
):
    response = register(personas, typed(day, month, year))
    page = response.content.decode()
    assert response.status_code == 400
    assert not Person.objects.exists()
    assert message in page
    assert 'value="María José"' in page  # the rest of the form too
    for part, value in (("day", day), ("month", month), ("year", year)):
        tag = box(page, part)
        assert f'value="{value}"' in tag if value else "value=" not in tag
        assert ("govuk-input--error" in tag) == (wrong_box in (part, None)), part


def test_the_error_summary_leads_to_the_birth_dates_first_box(personas):
    page = register(personas, typed("31", "", "1985")).content.decode()
    assert 'href="#id_birth_date_day"' in page
    assert 'id="id_birth_date_day"' in page


def test_a_birth_date_in_the_future_is_refused(personas):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = register(personas, typed(str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)))
    assert response.status_code == 400
    assert "no puede estar en el futuro" in response.content.decode()


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_the_year_typed_comes_back_without_a_thousands_separator(personas):
    form = IntakeForm(initial={"birth_date": datetime.date(1985, 7, 3)}, organization=personas.org)
    html = str(form["birth_date"])
    assert 'value="1985"' in html
    assert 'value="3"' in html and 'value="7"' in html


def test_a_document_expiry_needs_the_whole_date(personas):
    response = register(
        personas,
        typed(
            "3",
            "7",
            "1992",
            document_expires_on_month="3",
            document_expires_on_year="2031",
        ),
    )
    assert response.status_code == 400
    assert "Escriba el día." in response.content.decode()


def test_an_import_row_still_gives_the_birth_date_and_its_precision_as_values(personas):
    form = IntakeForm(
        arrival(birth_date="1960-01-01", birth_date_precision="year"), organization=personas.org
    )
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["birth_date"], form.cleaned_data["birth_date_precision"]) == (
        datetime.date(1960, 1, 1),
        "year",
    )


def test_a_birth_year_alone_survives_the_check_for_people_already_registered(personas):
    known = person_register(
        membership=personas.staff,
        given_names="María José",
        first_surname="Ajú",
        second_surname="Núñez",
        birth_date=datetime.date(1992, 7, 3),
        nationality_id="GT",
    )
    data = typed(year="1992", document_number="")
    page = register(personas, data).content.decode()
    assert "puede estar registrada" in page
    assert 'value="1992"' in box(page, "year")
    register(personas, {**data, "confirm_new": "1"})
    newcomer = Person.objects.exclude(pk=known.pk).get()
    assert (newcomer.birth_date, newcomer.birth_date_precision) == (datetime.date(1992, 1, 1), "year")
