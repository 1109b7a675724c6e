"""Charts: markup that never depends on the language (every number in the SVG parses, in Spanish
and in English), text readable on a phone, and a chart that shows exactly what its table shows."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from incluye.impact import charts

NUMERIC = {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "font-size", "stroke-width"}
PHONE_WIDTH = 358  # a 390 px screen less the page's margins


def _charts():
    return [
        charts.bar_chart(
            "Por departamento",
            "Personas por departamento",
            [("Huehuetenango", 1534.39), ("Quetzaltenango", 81), ("Sacatepéquez", None, "<5"), ("Petén", 0)],
            slug="by-department",
        ),
        charts.funnel_chart(
            "La ruta", "Casos por etapa", [("Recepción", 344), ("Documentos", 15.39)], slug="funnel"
        ),
        charts.line_chart(
            "Mes a mes",
            "Personas por mes",
            [("2026-01", 12), ("2026-02", None, "*"), ("2026-03", 7.5), ("2026-04", 30)],
            slug="by-month",
        ),
    ]


def _render(chart, language):
    with translation.override(language):
        return render_to_string("impact/charts/chart.html", {"chart": chart})


def _svg(html):
    return html[html.index("<svg") : html.index("</svg>") + 6]


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_number_in_the_svg_markup_parses_in_both_languages(language):
    for chart in _charts():
        svg = _svg(_render(chart, language))
        attributes = re.findall(r'\s([a-zA-Z-]+)="([^"]*)"', svg)
        numbers = [(name, value) for name, value in attributes if name in NUMERIC]
        assert len(numbers) > 10
        for _name, value in numbers:
            float(value)  # "15,39" would raise: SVG reads it as two numbers
        view_box = re.search(r'viewBox="([^"]*)"', svg).group(1).split(" ")
        assert len(view_box) == 4 and all(float(v) >= 0 for v in view_box)
        for points in re.findall(r'points="([^"]*)"', svg):
            for pair in points.split(" "):
                x, y = pair.split(",")
                float(x), float(y)


def test_a_decimal_value_is_shown_the_local_way_in_text_and_the_dot_way_in_markup():
    rendered = {}
    for language in ("es", "en"):
        with translation.override(language):
            chart = charts.bar_chart("t", "d", [("A", 15.39), ("B", 1534)], slug="s")
        rendered[language] = _render(chart, language)
    assert ">15,39<" in rendered["es"] and ">15.39<" in rendered["en"]  # what a reader sees
    shapes = re.compile(r"<(?:rect|svg)[^>]*>")
    assert shapes.findall(_svg(rendered["es"])) == shapes.findall(_svg(rendered["en"]))  # the drawing itself


def test_chart_text_is_at_least_12_px_on_a_phone():
    for chart in _charts():
        scale = min(1, PHONE_WIDTH / float(chart.width))
        assert float(chart.font_size) * scale >= 12


def test_long_labels_have_their_own_line_above_their_bar():
    chart = charts.bar_chart("t", "d", [("Certificación de competencias laborales", 10)], slug="s")
    shape = chart.shapes[0]
    assert float(shape["label_y"]) <= float(shape["y"])  # above the bar, starting at the left edge
    assert "Certificación de competencias laborales" in _render(chart, "es")


def test_a_hidden_count_draws_no_bar_and_says_what_the_table_says():
    chart = charts.bar_chart(
        "t", "d", [("Mujeres", None, "<5"), ("Hombres", None, "*"), ("Otro", 81)], slug="s"
    )
    html = _render(chart, "es")
    assert [s["width"] for s in chart.shapes[:2]] == ["0", "0"]
    assert chart.rows == [("Mujeres", "<5"), ("Hombres", "*"), ("Otro", "81")]
    table, svg = html[html.index("<table") :], _svg(html)
    for part in (table, svg):  # the bar's value and the table's cell say the same
        assert ">&lt;5<" in part and ">*<" in part and ">81<" in part
    for label, _shown in chart.rows:
        assert label in table
