"""The HXL exports pass libhxl's default schema (HXL's reference library): every indicator, by every
breakdown the export accepts (none, one dimension, two dimensions), with small-cell suppression.
Suppressed cells are marked in a column of their own, totals are marked rows, hashtags are core HXL
or `#x_`, values are `+num`, and the HXL file has no byte-order mark."""

import csv
import io

import hxl
import pytest
from django.urls import reverse
from django.utils import translation

from incluye.core.testing import client_for, make_member
from incluye.impact import exports, indicators, registry
from incluye.impact.filters import IndicatorFilter
from incluye.impact.tests.test_indicators import make_person

pytestmark = pytest.mark.django_db

CORE_HASHTAGS = {"#country", "#date", "#indicator", "#org", "#adm1", "#reached", "#output", "#meta"}


def breakdowns(definition):
    """(rows, cols) the export view accepts for this indicator."""
    allowed = definition["disaggregations"]
    return [
        (None, None),
        *((d, None) for d in allowed),
        *((r, c) for r in allowed for c in allowed if r != c),
    ]


def hxl_errors(body: bytes) -> list[str]:
    issues = []
    schema = hxl.schema(None, callback=issues.append)
    valid = schema.validate(hxl.data(io.BytesIO(body)))
    errors = [
        f"{i.column.display_tag if i.column else ''} {i.message}: {i.value!r}"
        for i in issues
        if i.rule.severity == "error"
    ]
    assert valid or errors
    return errors


@pytest.fixture
def records(personas):
    """A small country: 14 people (2 women, so small cells are suppressed), some in other months."""
    for i in range(14):
        make_person(
            personas.org,
            sex="F" if i < 2 else "M",
            born=(1990, 1, 1) if i % 2 else (1960, 1, 1),
            arrived=(2025, 3 + i % 3, 10),
        )


def test_every_indicator_export_validates_with_libhxls_default_schema(personas, records):
    flt = IndicatorFilter(country=personas.org.country_id)
    withheld = totals = exported = 0
    failures = {}
    with translation.override("es"):
        for definition in registry.definitions():
            for rows_dim, cols_dim in breakdowns(definition):
                table = indicators.table(definition["code"], flt, rows_dim, cols_dim, suppress=True)
                headers, tags, rows = exports.table_rows(table, flt, language="es")
                body = exports.to_csv(headers, rows, tags)
                assert not body.startswith(b"\xef\xbb\xbf")
                errors = hxl_errors(body)
                if errors:
                    failures[(definition["code"], rows_dim, cols_dim)] = errors[:3]
                exported += 1
                withheld += sum(1 for row in rows if row[-2] in ("<5", "*"))
                totals += sum(1 for row in rows if row[-1])
    assert failures == {}
    assert exported > 400  # every indicator by every breakdown
    assert withheld and totals  # the cases the schema used to reject are there


def test_the_dashboards_hxl_export_validates_and_marks_what_it_hides(personas, records):
    coordinator = make_member(personas.org, "coordinator")
    response = client_for(coordinator).get(
        reverse("impact:export_indicator", args=["hxl"]),
        {"indicator": "people_reached_direct", "rows": "age_group", "cols": "sex"},
    )
    assert response.status_code == 200
    assert not response.content.startswith(b"\xef\xbb\xbf")
    assert hxl_errors(response.content) == []
    headers, tags, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert tags[-3:] == ["#reached+ind+direct+num", "#meta+suppressed", "#meta+total"]
    assert "#x_sex" in tags and "#x_age_group" in tags and "#sex" not in tags
    for tag in tags:
        base = tag.split("+")[0]
        assert base in CORE_HASHTAGS or base.startswith("#x_"), tag
    value, withheld, total = len(headers) - 3, len(headers) - 2, len(headers) - 1
    hidden = [row for row in rows if row[withheld]]
    assert hidden and all(row[value] == "" for row in hidden)
    assert all(row[value] == "" or row[value].isdigit() for row in rows)
    marked = [row for row in rows if row[total]]
    assert marked and rows[-1] is marked[-1]  # the margins come after the cells
    grand = [row for row in marked if row[5] == "" and row[6] == ""]
    assert len(grand) == 1 and grand[0][value] == "14"


def test_the_plain_csv_keeps_the_byte_order_mark_for_excel(personas, records):
    coordinator = make_member(personas.org, "coordinator")
    response = client_for(coordinator).get(
        reverse("impact:export_indicator", args=["csv"]),
        {"indicator": "people_reached_direct", "rows": "sex"},
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
