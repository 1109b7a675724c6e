"""The employer's vacancy form: occupations by their title, found by typing; each skill, licence
and standard asked once, as not asked, desired or required (no long multi-selects, no licence
list twice); the occupation's own skills offered, with or without JavaScript."""

import re

import pytest
from django.urls import reverse

from incluye.jobs.models import Vacancy
from incluye.jobs.tests.conftest import COOK, municipality
from incluye.skills.models import Occupation, Skill, System

pytestmark = pytest.mark.django_db


def _form_page(client, **data):
    return client.get(reverse("jobs:vacancy_new"), data).content.decode()


def test_occupations_are_offered_by_title_and_long_lists_can_be_searched(personas):
    html = _form_page(personas.client("employer"))
    cook = Occupation.objects.get(system=System.ONET, code=COOK)
    assert f'<option value="{COOK}">{cook.title_es}</option>' in html
    assert not re.search(r"<option[^>]*>\s*\d{2}-\d{4}\.\d{2}", html)  # no "35-2014.00" to read
    assert re.search(r'<select[^>]*name="occupation"[^>]*data-autocomplete', html)
    assert "accessible-autocomplete.min.js" in html
    assert "multiple" not in re.findall(r"<select[^>]*>", html).__str__()


def test_each_licence_is_asked_once_with_three_choices(personas):
    html = _form_page(personas.client("employer"))
    assert html.count("ServSafe Manipulador de Alimentos") == 1
    assert 'name="licences-servsafe_food_handler" value="required"' in html
    assert 'name="licences-servsafe_food_handler" value="desired"' in html
    assert 'name="required_licences"' not in html and 'name="desired_licences"' not in html


def test_the_occupations_own_skills_are_offered_once_it_is_chosen(personas):
    employer = personas.client("employer")
    cook_skills = set(
        Skill.objects.filter(occupation_links__occupation__code=COOK).values_list("code", flat=True)
    )
    assert cook_skills
    before = _form_page(employer)
    assert not re.findall(r'name="skills-', before)
    # With JavaScript: htmx asks for the skills section when the occupation changes.
    fragment = employer.get(reverse("jobs:occupation_skills"), {"occupation": COOK}).content.decode()
    offered = set(re.findall(r'name="skills-([^"]+)" value="required"', fragment))
    assert offered == cook_skills
    assert 'id="vacancy-skills"' in fragment
    # Without JavaScript: "show the skills of this occupation" keeps what was typed, saves nothing.
    where = municipality(2)
    page = employer.post(
        reverse("jobs:vacancy_new"),
        {"title": "Cocinero", "occupation": COOK, "municipality": where.code, "refresh": "1"},
    )
    html = page.content.decode()
    assert page.status_code == 200 and not Vacancy.objects.exists()
    assert set(re.findall(r'name="skills-([^"]+)" value="required"', html)) == cook_skills
    assert 'value="Cocinero"' in html
    assert "govuk-error-summary" not in html


def test_a_vacancy_saves_what_is_required_and_what_is_desired(personas):
    employer = personas.client("employer")
    skill = Skill.objects.filter(occupation_links__occupation__code=COOK).order_by("code").first()
    where = municipality(2)
    response = employer.post(
        reverse("jobs:vacancy_new"),
        {
            "title": "Cocinero de línea",
            "occupation": COOK,
            "municipality": where.code,
            "positions": "2",
            "schedule": "full_time",
            "min_years": "1",
            "english_level": "none",
            f"skills-{skill.code}": "required",
            "licences-servsafe_food_handler": "required",
            "licences-first_aid_cpr": "desired",
            "licences-osha10": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 302, html[html.find("govuk-error-summary__list") :][:1500]
    vacancy = Vacancy.objects.get()
    assert list(vacancy.required_skills.all()) == [skill]
    assert vacancy.required_licences == ["servsafe_food_handler"]
    assert vacancy.desired_licences == ["first_aid_cpr"]
    assert vacancy.status == "open"
    edit = employer.get(reverse("jobs:vacancy_edit", args=[vacancy.pk])).content.decode()
    assert re.search(rf'name="skills-{re.escape(skill.code)}" value="required"[^>]*checked', edit)
    assert re.search(r'name="licences-first_aid_cpr" value="desired"[^>]*checked', edit)


def test_a_refused_vacancy_keeps_what_was_typed_and_summarizes_the_errors(personas):
    response = personas.client("employer").post(
        reverse("jobs:vacancy_new"),
        {
            "title": "Cocinero",
            "occupation": COOK,
            "licences-osha10": "required",
            "pay_min": "10",
            "pay_max": "5",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hay un problema" in html and 'href="#id_municipality"' in html and 'href="#id_pay_max"' in html
    assert re.search(r'name="licences-osha10" value="required"[^>]*checked', html)
