"""What a dashboard shows, for a filter: headline figures and four charts (time series, by
department, by sex and age group, pathway funnel). Read from the summary table when it has been
built (a handful of aggregate queries over pre-aggregated cells), else live from the records."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from incluye.impact import charts, indicators, registry
from incluye.impact.filters import IndicatorFilter

HEADLINES = [
    "people_reached_direct",
    "people_reached_indirect",
    "documents_obtained",
    "screenings",
    "referrals",
    "skills_profiles",
    "followups_conducted",
    "reintegration_score",
    "programs_institutionalized",
    "alliance_members",
    "assessments",
    "certificates",
    "vacancies",
    "placements",
    "retention_3m",
    "retention_6m",
    "businesses_started",
    "answered_within_days",
]
PATHWAY = [
    "reception",
    "psychosocial",
    "documents",
    "competencies",
    "employment",
    "entrepreneurship",
    "follow_up",
]


def headline(code: str, flt: IndicatorFilter, *, suppress: bool, threshold=None, source="auto") -> dict:
    table = indicators.table(code, flt, suppress=suppress, threshold=threshold, source=source)
    language = (get_language() or "es")[:2]
    return {
        "code": code,
        "name": indicators.name(table.definition, language),
        "formula": table.definition["formula"],
        "available": table.available,
        "shown": table.shown(table.total, table.means.get("total")) if table.available else None,
    }


def dashboard_data(flt: IndicatorFilter, *, suppress: bool, public: bool = False, threshold=None) -> dict:
    source = indicators.pick_source(flt.country)
    threshold_kw = {"suppress": suppress, "threshold": threshold, "source": source}
    hidden = f"<{indicators.threshold_setting() if threshold is None else threshold}"
    codes = (
        HEADLINES
        if not public
        else [
            "people_reached_direct",
            "people_reached_indirect",
            "programs_institutionalized",
            "alliance_members",
            "documents_obtained",
            "skills_profiles",
        ]
    )
    figures = [headline(code, flt, **threshold_kw) for code in codes]
    by_month = indicators.table("people_reached_direct", flt, "month", **threshold_kw)
    by_department = indicators.table("people_reached_direct", flt, "department", **threshold_kw)
    # Sex and age group come from one suppressed table (age groups × sex), whose margins both
    # charts and the published table show: a count hidden in one is hidden in all of them, so no
    # chart gives away what the table hides (and no bar says "<5" where the table says 81).
    sex_age = indicators.table("people_reached_direct", flt, "age_group", "sex", **threshold_kw)
    funnel = indicators.table("pathway_entries", flt, "category", **threshold_kw)
    # Protection-sensitive: suppressed whatever the dashboard (the table enforces it).
    by_population = indicators.table("people_reached_by_population", flt, "category", **threshold_kw)
    by_nationality = indicators.table("people_reached_by_nationality", flt, "category", **threshold_kw)
    funnel_series = dict(zip(funnel.row_keys, funnel.series(), strict=True))
    funnel_rows = [funnel_series[k] for k in PATHWAY if k in funnel_series]
    return {
        "figures": figures,
        "charts": [
            charts.line_chart(
                _("People reached, month by month"),
                _("People directly reached for the first time in each month of the period."),
                by_month.series(),
                slug="by-month",
                hidden_text=hidden,
            ),
            charts.bar_chart(
                _("People reached by department of residence"),
                _("People directly reached, by the department where they live."),
                by_department.series(),
                slug="by-department",
                hidden_text=hidden,
            ),
            charts.bar_chart(
                _("People reached by sex"),
                _("People directly reached, by sex."),
                sex_age.column_series(),
                slug="by-sex",
                hidden_text=hidden,
            ),
            charts.bar_chart(
                _("People reached by age group"),
                _("People directly reached, by their age when first served."),
                sex_age.series(),
                slug="by-age",
                hidden_text=hidden,
            ),
            charts.bar_chart(
                _("People reached by population"),
                _(
                    "Returnees, refugees, asylum seekers and other migrants directly reached (small numbers hidden)."
                ),
                by_population.series(),
                slug="by-population",
                hidden_text=hidden,
            ),
            charts.bar_chart(
                _("People reached by nationality of origin"),
                _("People directly reached, by nationality (small numbers hidden)."),
                by_nationality.series(),
                slug="by-nationality",
                hidden_text=hidden,
            ),
            charts.funnel_chart(
                _("The pathway"),
                _("Cases that reached each stage of the pathway."),
                funnel_rows,
                slug="funnel",
                hidden_text=hidden,
            ),
        ],
        "tables": {"sex_age": sex_age},
        "definitions": registry.definitions(),
    }
