"""Dashboards, exports, the public page and stories."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from incluye.accounts.roles import Role
from incluye.core.actionlog import ACTIONS  # noqa: F401
from incluye.core.models import ActionLogEntry
from incluye.core.testing import client_for, make_member
from incluye.impact.tests.test_indicators import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(personas):
    return make_member(personas.org, Role.COORDINATOR)


@pytest.fixture
def reached(personas):
    """14 people: 2 women (one 35-44, one 60+), 12 men."""
    for i in range(14):
        make_person(personas.org, sex="F" if i < 2 else "M", born=(1990, 1, 1) if i % 2 else (1960, 1, 1))


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_it_shows_the_coordinator_a_suppressed_country_dashboard(personas, coordinator, reached):
    response = client_for(coordinator).get(reverse("impact:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "<title" in page and "<desc" in page  # accessible charts
    assert 'data-chart="funnel"' in page and 'data-chart="by-month"' in page
    assert "&lt;5" in page  # the two women: hidden


def test_an_organization_manager_sees_their_own_organization_unsuppressed(personas, reached):
    page = personas.client("admin").get(reverse("impact:dashboard"), {"period": "2025"}).content.decode()
    assert 'data-indicator="people_reached_direct"' in page
    assert "&lt;5" not in page


def test_other_roles_cannot_open_the_dashboard(personas):
    for name in ("staff", "caseworker", "employer"):
        assert personas.client(name).get(reverse("impact:dashboard")).status_code == 403, name


def test_a_bad_period_is_a_400_not_a_500(personas):
    assert personas.client("admin").get(reverse("impact:dashboard"), {"period": "pronto"}).status_code == 400


def test_the_indicator_export_is_suppressed_and_logged(personas, coordinator, reached):
    client = client_for(coordinator)
    url = reverse("impact:export_indicator", args=["csv"])
    response = client.get(url, {"indicator": "people_reached_direct", "rows": "age_group", "cols": "sex"})
    assert response.status_code == 200
    rows = rows_of(response)
    values = {(r[5], r[6]): (r[7], r[8]) for r in rows[1:]}
    assert values[("35-44", gettext("Female"))] == ("", "<5")  # hidden, and marked in its own column
    assert values[("", "")] == ("14", "")  # the grand total, a marked row
    assert [r[9] for r in rows[1:] if r[5] == "" and r[6] == ""] == [gettext("Total")]
    assert not any(v.isdigit() and 0 < int(v) < 5 for v, _withheld in values.values())
    assert ActionLogEntry.objects.filter(action="incluye.impact.exported", actor=coordinator.user).exists()


def test_the_hxl_export_has_a_row_of_hashtags(personas, coordinator, reached):
    response = client_for(coordinator).get(
        reverse("impact:export_indicator", args=["hxl"]),
        {"indicator": "people_reached_direct", "rows": "sex"},
    )
    _header, tags, *_rest = rows_of(response)
    assert tags[:4] == ["#country+code", "#date+start", "#date+end", "#indicator+code"]
    assert "#x_sex" in tags and tags[-3:] == ["#reached+ind+direct+num", "#meta+suppressed", "#meta+total"]


def test_the_xlsx_export_opens(personas, coordinator, reached):
    from openpyxl import load_workbook

    response = client_for(coordinator).get(
        reverse("impact:export_indicator", args=["xlsx"]),
        {"indicator": "people_reached_direct", "rows": "sex"},
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4  # header, two sexes, total


def test_an_export_refuses_a_breakdown_the_indicator_does_not_offer(personas, coordinator):
    client = client_for(coordinator)
    url = reverse("impact:export_indicator", args=["csv"])
    assert client.get(url, {"indicator": "alliance_members", "rows": "sex"}).status_code == 400
    assert client.get(url, {"indicator": "nope"}).status_code == 404


def test_the_people_export_has_only_non_sensitive_columns(personas, reached):
    response = personas.client("admin").get(reverse("impact:export_people", args=["csv"]))
    rows = rows_of(response)
    assert len(rows) == 15
    assert "Persona" not in response.content.decode()  # no names
    assert ActionLogEntry.objects.filter(action="incluye.impact.records_exported").exists()
    assert personas.client("caseworker").get(reverse("impact:export_people", args=["csv"])).status_code == 403


def test_the_public_page_needs_no_sign_in_and_speaks_both_languages(personas, reached):
    response = Client().get(reverse("impact:public"), {"country": "GT"})
    assert response.status_code == 200
    assert '<html lang="es" class="govuk-template">' in response.content.decode()
    english = Client().get(reverse("impact:public"), {"country": "GT", "lang": "en"})
    page = english.content.decode()
    assert '<html lang="en" class="govuk-template">' in page
    assert "People directly reached" in page
    assert 'data-indicator="people_reached_direct"' in page


def test_the_public_page_suppresses_small_counts(personas):
    for _ in range(3):
        make_person(personas.org)
    page = Client().get(reverse("impact:public"), {"country": "GT"}).content.decode()
    assert "&lt;5" in page


# -- stories -------------------------------------------------------------------------------------


@pytest.fixture
def story(personas):
    from incluye.impact.services import story_create

    person = make_person(personas.org)
    return story_create(
        membership=personas.caseworker,
        person=person,
        title_es="Mi historia",
        text_es="Volví y trabajo.",
        signature="Ana",
    )


def consent(personas, person, given):
    from incluye.people.services import consent_record

    consent_record(
        membership=personas.caseworker, person=person, purpose="stories", given=given, method="signed_form"
    )


def test_a_story_cannot_be_published_without_consent(personas, story):
    client = personas.client("caseworker")
    client.post(reverse("impact:story_step", args=[story.pk, "publish"]), {"version": story.version})
    story.refresh_from_db()
    assert story.status == "draft"


def test_a_published_story_disappears_when_consent_is_withdrawn(personas, story):
    consent(personas, story.person, True)
    client = personas.client("caseworker")
    client.post(reverse("impact:story_step", args=[story.pk, "publish"]), {"version": story.version})
    story.refresh_from_db()
    assert story.status == "published"
    assert "Volví y trabajo." in Client().get(reverse("impact:public")).content.decode()
    consent(personas, story.person, False)  # withdrawn: effective on the next page view
    assert "Volví y trabajo." not in Client().get(reverse("impact:public")).content.decode()
    consent(personas, story.person, True)
    assert "Volví y trabajo." in Client().get(reverse("impact:public")).content.decode()


def test_an_expired_consent_hides_the_story(personas, story):
    from incluye.people.services import consent_record

    consent(personas, story.person, True)
    from incluye.impact.services import story_publish

    story_publish(membership=personas.caseworker, story=story)
    consent_record(
        membership=personas.caseworker,
        person=story.person,
        purpose="stories",
        given=True,
        method="signed_form",
        expires_on=datetime.date(2020, 1, 1),
    )
    assert "Volví y trabajo." not in Client().get(reverse("impact:public")).content.decode()


def test_the_story_is_shown_in_english_when_it_has_an_english_text(personas, story):
    from incluye.impact.services import story_publish, story_update

    consent(personas, story.person, True)
    story_update(membership=personas.caseworker, story=story, text_en="I came back and I work.")
    story_publish(membership=personas.caseworker, story=story)
    page = Client().get(reverse("impact:public"), {"lang": "en"}).content.decode()
    assert "I came back and I work." in page


def test_story_pages_and_their_log(personas, story):
    client = personas.client("caseworker")
    assert client.get(reverse("impact:stories")).status_code == 200
    assert client.get(reverse("impact:story", args=[story.pk])).status_code == 200
    response = client.post(
        reverse("impact:story", args=[story.pk]),
        {"title_es": "Nuevo", "text_es": "Texto", "signature": "A", "version": story.version},
    )
    assert response.status_code == 302
    assert ActionLogEntry.objects.filter(action="incluye.story.updated").exists()
    assert personas.client("staff").get(reverse("impact:stories")).status_code == 403
    with translation.override("es"):
        assert client.get(reverse("impact:story_new", args=[story.person.pk])).status_code == 200


def test_the_public_page_shows_each_headline_figure_once(personas, reached, settings):
    settings.INCLUYE_COUNTRIES = ["GT"]
    page = Client().get(reverse("impact:public"), {"country": "GT"}).content.decode()
    assert page.count('data-indicator="people_reached_direct"') == 1
    assert page.count('data-indicator="people_reached_indirect"') == 1
    assert 'data-testid="region"' not in page  # one country: the region's totals are the country's


def test_the_region_line_appears_only_beside_the_country_cards_when_there_are_several(personas, reached):
    page = Client().get(reverse("impact:public"), {"country": "GT"}).content.decode()
    assert page.count('data-indicator="people_reached_direct"') == 1
    assert page.count('data-indicator="region-people_reached_direct"') == 1


def test_charts_by_sex_and_by_age_agree_with_the_published_table(personas, coordinator):
    """3 women and 81 men: the women are hidden, and the men with them (else the total reveals the
    women); the chart by sex must hide the men too, not show 81 beside a table that hides it."""
    from incluye.impact.dashboard import dashboard_data
    from incluye.impact.filters import IndicatorFilter

    for i in range(84):
        make_person(personas.org, sex="F" if i < 3 else "M", born=(1990, 1, 1))
    data = dashboard_data(IndicatorFilter(country="GT"), suppress=True)
    table = data["tables"]["sex_age"]
    by_sex = next(c for c in data["charts"] if c.slug == "by-sex")
    by_age = next(c for c in data["charts"] if c.slug == "by-age")
    column_totals, _total = table.totals_row()
    assert [shown for _label, shown in by_sex.rows] == [str(c) for c in column_totals]
    assert [shown for _label, shown in by_age.rows] == [str(total) for _l, _c, total in table.grid()]
    assert "81" not in [shown for _label, shown in by_sex.rows]


def test_the_period_is_picked_with_month_pickers_that_keep_iso_values_in_spanish(personas, reached):
    client = personas.client("admin")
    page = client.get(reverse("impact:dashboard"), {"month_from": "2026-01", "month_to": "2026-03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="month" name="month_from" value="2026-01"' in html
    assert 'value="2026-03"' in html
    refused = client.get(reverse("impact:dashboard"), {"month_from": "2026-05", "month_to": "2026-03"})
    assert refused.status_code == 400
    assert "El último mes es anterior al primero." in refused.content.decode()
    # A browser without a month picker sends what the person typed: "03/2026" works too.
    assert client.get(reverse("impact:dashboard"), {"month_from": "03/2026"}).status_code == 200


def test_the_month_filter_counts_only_the_months_picked(personas):
    from incluye.impact.forms import IndicatorFilterForm

    form = IndicatorFilterForm({"month_from": "2026-02", "month_to": "2026-04"}, country="GT")
    flt = form.indicator_filter()
    assert (flt.start.isoformat(), flt.end.isoformat()) in {
        ("2026-02-01", "2026-04-30"),
        ("2026-02-01", "2026-05-01"),
    }
