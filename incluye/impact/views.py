from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incluye.core.access import membership_required
from incluye.core.middleware import public_page
from incluye.core.versioning import StaleRecord, posted_version
from incluye.impact import exports, indicators, registry, selectors, services
from incluye.impact.dashboard import dashboard_data
from incluye.impact.filters import DIMENSIONS, IndicatorFilter
from incluye.impact.forms import IndicatorFilterForm
from incluye.impact.models import StoryStatus

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "hxl": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _filter_form(request, scope):
    from incluye.accounts.models import Organization

    organizations = None
    if scope["organization"] is None:
        organizations = Organization.objects.filter(country_id=scope["country"], is_active=True).order_by(
            "name"
        )
    return IndicatorFilterForm(request.GET or None, country=scope["country"], organizations=organizations)


@membership_required("indicators.view")
def dashboard(request):
    scope = selectors.dashboard_scope(membership=request.membership)
    form = _filter_form(request, scope)
    if form.is_bound and not form.is_valid():
        flt = IndicatorFilter(country=scope["country"], organization=scope["organization"])
    else:
        flt = form.indicator_filter(organization=scope["organization"])
    data = dashboard_data(flt, suppress=scope["suppress"])
    from incluye.impact.models import CellRefresh

    return render(
        request,
        "impact/dashboard.html",
        {
            **data,
            "form": form,
            "scope": scope,
            "filter": flt,
            "query": request.GET.urlencode(),
            "refresh": CellRefresh.objects.filter(country_id=scope["country"]).first(),
            "threshold": indicators.threshold_setting(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@membership_required("indicators.view")
def export_indicator(request, fmt):
    """An indicator table (?indicator=&rows=&cols= and the dashboard's filters), always with
    small-cell suppression: the file may leave the organization."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    scope = selectors.dashboard_scope(membership=request.membership)
    form = _filter_form(request, scope)
    try:
        definition = registry.definition(request.GET.get("indicator", "people_reached_direct"))
    except KeyError as exc:
        raise Http404 from exc
    rows_dim, cols_dim = request.GET.get("rows") or None, request.GET.get("cols") or None
    allowed = set(definition["disaggregations"])
    if (
        any(d and (d not in DIMENSIONS or d not in allowed) for d in (rows_dim, cols_dim))
        or (cols_dim and not rows_dim)
        or (rows_dim and rows_dim == cols_dim)
        or (form.is_bound and not form.is_valid())
    ):
        return HttpResponse(_("These filters or breakdowns are not valid for this indicator."), status=400)
    flt = form.indicator_filter(organization=scope["organization"])
    table = indicators.table(definition["code"], flt, rows_dim, cols_dim, suppress=True)
    language = translation.get_language()[:2]
    headers, tags, rows = exports.table_rows(table, flt, language=language)
    if fmt == "xlsx":
        body = exports.to_xlsx(headers, rows, title=definition["code"])
    else:
        body = exports.to_csv(headers, rows, tags if fmt == "hxl" else None)
    services.export_logged(
        membership=request.membership,
        what="indicator",
        data={
            "indicator": definition["code"],
            "format": fmt,
            "rows": rows_dim,
            "cols": cols_dim,
            "filter": flt.label,
        },
    )
    suffix = "-hxl.csv" if fmt == "hxl" else f".{fmt}"
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{definition["code"]}-{flt.country}{suffix}"'
    return response


@membership_required("exports.records")
def export_people(request, fmt):
    """The organization's people list, non-sensitive columns only (inside the organization)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    headers = [
        _("Record"),
        _("Registered on"),
        _("Sex"),
        _("Birth year"),
        _("Department"),
        _("Municipality"),
        _("Household size"),
    ]
    rows = [
        [str(r[0]), r[1].isoformat() if r[1] else "", *r[2:]]
        for r in selectors.people_export_rows(membership=request.membership)
    ]
    services.export_logged(
        membership=request.membership,
        what="records",
        data={"list": "people", "format": fmt, "rows": len(rows)},
    )
    body = exports.to_xlsx(headers, rows, title="people") if fmt == "xlsx" else exports.to_csv(headers, rows)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="people.{fmt}"'
    return response


@public_page()
def public(request):
    """The public impact page: no sign-in; Spanish or English (?lang=en, or the language switch);
    every figure computed from the records with small-cell suppression."""
    lang = request.GET.get("lang")
    if lang in dict(settings.LANGUAGES):
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
    countries = list(settings.INCLUYE_COUNTRIES)
    country = request.GET.get("country", countries[0])
    if country not in countries:
        country = countries[0]
    flt = IndicatorFilter(country=country)
    language = translation.get_language()[:2]
    # The region's totals, when this deployment serves more than one country (else they are the
    # country's own figures, already in the cards).
    region = []
    for code in ("people_reached_direct", "people_reached_indirect") if len(countries) > 1 else ():
        totals = [indicators.total(code, IndicatorFilter(country=c)) for c in countries]
        value = sum(t[0] for t in totals if t)
        from incluye.impact.suppression import suppress_value

        cell = suppress_value(int(value))
        region.append(
            {
                "code": code,
                "name": indicators.name(registry.definition(code), language),
                "shown": cell.shown(indicators.threshold_setting()),
            }
        )
    from incluye.core.models import Country

    response = render(
        request,
        "impact/public.html",
        {
            **dashboard_data(flt, suppress=True, public=True),
            "region": region,
            "country": country,
            "countries": Country.objects.filter(code__in=countries),
            "country_name": Country.objects.get(code=country).name,
            "stories": [
                {"title": s.title(language), "text": s.text(language), "signature": s.signature}
                for s in selectors.public_stories(country=country)
            ],
            "language": language,
            "threshold": indicators.threshold_setting(),
        },
    )
    response["Content-Language"] = language
    return response


# -- stories ------------------------------------------------------------------------------------


@membership_required("stories.manage")
def stories(request):
    return render(
        request,
        "impact/stories.html",
        {
            "stories": selectors.stories_visible_to(membership=request.membership)
            .select_related("person")
            .order_by("-created_at")
        },
    )


@membership_required()
def story_new(request, pk):
    from incluye.core.access import get_scoped_or_404
    from incluye.impact.forms_stories import StoryForm
    from incluye.people.selectors import people_visible_to

    person = get_scoped_or_404(people_visible_to(membership=request.membership), pk=pk)
    if not request.membership.can("stories.manage"):
        raise PermissionDenied
    form = StoryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        story = services.story_create(membership=request.membership, person=person, **data)
        messages.success(request, _("The story was saved as a draft."))
        return redirect("impact:story", pk=story.pk)
    return render(
        request,
        "impact/story_form.html",
        {"form": form, "person": person},
        status=400 if form.is_bound else 200,
    )


@membership_required()
def story_detail(request, pk):
    from incluye.impact.forms_stories import StoryForm

    story = selectors.story_for_page(membership=request.membership, pk=pk)
    form = StoryForm(request.POST or None, request.FILES or None, instance=story)
    update = partial(services.story_update, membership=request.membership, story=story)
    if request.method == "POST" and form.is_valid() and form.save_with(update):
        messages.success(request, _("The story was saved."))
        return redirect("impact:story", pk=story.pk)
    return render(
        request,
        "impact/story_form.html",
        {
            "form": form,
            "story": story,
            "person": story.person,
            "published": story.status == StoryStatus.PUBLISHED,
        },
        status=400 if form.is_bound else 200,
    )


@membership_required()
@require_POST
def story_step(request, pk, step):
    story = selectors.story_for_page(membership=request.membership, pk=pk)
    action = {"publish": services.story_publish, "withdraw": services.story_withdraw}.get(step)
    if action is None:
        raise Http404
    try:
        action(membership=request.membership, story=story, expected_version=posted_version(request.POST))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except StaleRecord as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The story was published.") if step == "publish" else _("The story was withdrawn.")
        )
    return redirect("impact:story", pk=story.pk)
