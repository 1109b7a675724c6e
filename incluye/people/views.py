from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incluye.cases.selectors import open_case_of
from incluye.core.access import get_scoped_or_404, membership_required
from incluye.core.versioning import field_labels
from incluye.people import selectors, services
from incluye.people.forms import (
    ConfirmNumberForm,
    ConsentForm,
    IntakeForm,
    PeopleSearchForm,
    PersonCorrectForm,
    date_widget,
)


@membership_required("people.view")
def person_list(request):
    form = PeopleSearchForm(request.GET or None, results_url=reverse("people:list"))
    query, born, known = form.criteria()
    stubs, crowded = [], False
    if query:
        found = selectors.alliance_search(
            membership=request.membership, query=query, birth_date=born, birth_precision=known
        )
        stubs, crowded = found.stubs, found.crowded
        services.stubs_viewed(membership=request.membership, stubs=stubs)
        page = Paginator(found.people, 25).get_page(1)
    else:
        people = selectors.people_list(membership=request.membership, today=bool(request.GET.get("today")))
        page = Paginator(people, 25).get_page(request.GET.get("page"))
    template = "people/_results.html" if request.htmx else "people/person_list.html"
    context = {"page": page, "query": query, "stubs": stubs, "form": form, "crowded": crowded, "born": born}
    return render(request, template, context)


def _protection_context(request, person) -> dict:
    """What the person's page shows of the protection-sensitive data, by role; a read of it by a
    protection role is logged when the person is not a national of the country served."""
    shown, protected = selectors.documents_for_page(membership=request.membership, person=person)
    see = selectors.can_see_protection(request.membership)
    context = {"documents_shown": shown + protected, "see_protection": see}
    foreign = person.nationality_id != person.organization.country_id
    if see:
        status = selectors.current_status(person=person)
        context["current_status"] = status
        if foreign or status is not None or protected:
            services.protection_viewed(
                membership=request.membership, person=person, shown=["nationality", "migration_status"]
            )
    return context


@membership_required()
def person_detail(request, pk):
    person = selectors.person_for_page(membership=request.membership, pk=pk)
    services.person_viewed(membership=request.membership, person=person)
    similar = None
    if request.GET.get("check") == "similar" and request.membership.can("people.correct"):
        similar = selectors.records_like(membership=request.membership, person=person)
        services.stubs_viewed(membership=request.membership, stubs=similar.stubs)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "consents": selectors.consent_state(person=person),
            "consent_form": ConsentForm(),
            "open_case": open_case_of(membership=request.membership, person=person),
            "shared_with": selectors.access_grants_of(person=person),
            **_protection_context(request, person),
            "household": selectors.household_of(person=person),
            "similar": similar,
        },
    )


def _corrected(person, changed: list[str]) -> str:
    """What the page says after a correction: the fields changed, by their names."""
    if not changed:
        return _("Nothing was changed in the details of %(name)s.") % {"name": person.full_name}
    return _("The details of %(name)s were corrected: %(fields)s.") % {
        "name": person.full_name,
        "fields": field_labels(person, changed),
    }


@membership_required("people.correct")
def person_correct(request, pk):
    """Correct the person's own details; a change saved by someone else meanwhile is not
    overwritten: the page says what changed and keeps what was typed."""
    person = selectors.person_to_correct(membership=request.membership, pk=pk)
    form = PersonCorrectForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        saved = {}

        def correct(**fields):
            saved.update(services.person_correct(membership=request.membership, person=person, **fields))

        if form.save_with(correct, **form.details()):
            messages.success(request, _corrected(person, saved["fields"]))
            if selectors.IDENTIFYING_FIELDS & set(saved["fields"]):
                # The person page then shows the records the corrected name now looks like.
                return redirect(
                    f"{reverse('people:detail', args=[person.pk])}?{urlencode({'check': 'similar'})}"
                )
            return redirect("people:detail", pk=person.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "people/person_correct.html", {"person": person, "form": form}, status=status)


class DayListFilter(forms.Form):
    """The day's list: which day, which flight or bus, only the urgent."""

    day = forms.DateField(label=_("Day"), required=False, widget=date_widget())
    flight = forms.ChoiceField(label=_("Flight or bus"), required=False)
    urgent = forms.BooleanField(label=_("Only urgent needs"), required=False)

    def __init__(self, *args, flights, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flight"].choices = [
            ("", _("All")),
            *(
                (reference or NO_REFERENCE, f"{reference or _('No reference')} ({people})")
                for reference, people in flights
            ),
        ]


NO_REFERENCE = "-"
DAY_LIST_PAGE = 50


def _day_list(request):
    """The filtered day's list and the filter form, from the query string."""
    day = timezone.localdate()
    probe = DayListFilter(request.GET or None, flights=[])
    if probe.is_bound and probe.is_valid() and probe.cleaned_data.get("day"):
        day = probe.cleaned_data["day"]
    flights = selectors.flights_of_the_day(membership=request.membership, day=day)
    form = DayListFilter(request.GET or None, flights=flights, initial={"day": day})
    flight = urgent = None
    if form.is_bound and form.is_valid():
        flight = form.cleaned_data["flight"] or None
        urgent = form.cleaned_data["urgent"]
    if flight == NO_REFERENCE:
        flight = ""
    returns = selectors.returns_of_the_day(
        membership=request.membership, day=day, flight=flight, urgent_only=bool(urgent)
    )
    return form, day, flight, returns


@membership_required("people.view")
def today(request):
    """The day's arrivals: urgent needs first, filtered by flight, a page at a time (a whole
    flight on one page, to print it), printable and exportable."""
    form, day, flight, returns = _day_list(request)
    per_page = 500 if flight is not None else DAY_LIST_PAGE
    page = Paginator(returns, per_page).get_page(request.GET.get("page"))
    return render(
        request,
        "people/today.html",
        {
            "form": form,
            "day": day,
            "flight": flight,
            "page": page,
            "returns": page.object_list,
            "total": page.paginator.count,
            "urgent_count": returns.filter(is_urgent=True).count(),
            "query": request.GET.urlencode(),
        },
    )


@membership_required("people.register")
def today_export(request):
    """The day's list as it is filtered on screen (the same query string), as CSV or XLSX
    (?format=xlsx); logged, since names leave Incluye."""
    from django.http import Http404, HttpResponse

    from incluye.core.actionlog import log_action
    from incluye.core.spreadsheets import safe_row

    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, day, flight, returns = _day_list(request)
    header = [_("Urgent"), _("Surnames, names"), _("Flight or bus"), _("Needs"), _("Registered at")]
    rows = [
        safe_row(
            [
                _("Yes") if r.is_urgent else "",
                r.person.sortable_name,
                r.transport_reference,
                ", ".join(r.vulnerability_labels()),
                timezone.localtime(r.created_at).strftime("%H:%M"),
            ]
        )
        for r in returns
    ]
    log_action(
        actor=request.user,
        organization=request.membership.organization,
        action="incluye.arrivals.exported",
        data={"day": day.isoformat(), "flight": flight, "rows": len(rows), "format": fmt},
    )
    name = f"llegadas-{day.isoformat()}{'-' + flight if flight else ''}.{fmt}"
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        import io

        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = day.isoformat()
        sheet.append([str(h) for h in header])
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _intake_form(request, data=None, initial=None):
    population = request.GET.get("population")
    if population:
        initial = {**(initial or {}), "population": population}
    return IntakeForm(data, organization=request.membership.organization, initial=initial)


@membership_required("people.register")
def intake(request):
    membership = request.membership
    draft = None
    if request.GET.get("draft"):
        draft = get_scoped_or_404(selectors.drafts_of(membership=membership), pk=request.GET["draft"])
    if request.method != "POST":
        data = QueryDict(mutable=True)
        if draft:
            for key, values in draft.data.items():
                data.setlist(key, values)
        form = _intake_form(request, data or None)
        return render(
            request,
            "people/intake.html",
            {"form": form, "draft": draft, "drafts": selectors.drafts_of(membership=membership)},
        )

    action = request.POST.get("action", "register")
    if action == "save_draft":
        saved = services.intake_draft_save(
            membership=membership, draft_id=request.POST.get("draft"), data=request.POST
        )
        messages.success(
            request, _("The form was saved. You can finish it later from “Register an arrival”.")
        )
        return redirect(f"{request.path}?draft={saved.pk}")

    form = _intake_form(request, request.POST)
    if action == "population":  # without JavaScript: show the fields of the population chosen
        form.is_valid()
        form.errors.clear()
        return render(
            request,
            "people/intake.html",
            {"form": form, "draft": draft, "drafts": selectors.drafts_of(membership=membership)},
        )
    if not form.is_valid():
        return render(
            request,
            "people/intake.html",
            {"form": form, "draft": draft, "drafts": selectors.drafts_of(membership=membership)},
            status=400,
        )

    if request.POST.get("ask_access"):  # a stub of another organization: ask, do not register again
        saved = services.intake_draft_save(
            membership=membership, draft_id=request.POST.get("draft"), data=request.POST
        )
        return redirect(
            f"{reverse('referrals:access_new')}?{urlencode({'stub': request.POST['ask_access'], 'draft': saved.pk})}"
        )

    if request.POST.get("attach"):  # "same person": the officer chose an existing record
        person = get_scoped_or_404(
            selectors.people_visible_to(membership=membership), pk=request.POST["attach"]
        )
        event = services.intake_attach(membership=membership, person=person, form=form)
        services.intake_draft_discard(membership=membership, draft_id=request.POST.get("draft"))
        message = (
            _("A new arrival was recorded for %(name)s.")
            if event.is_arrival
            else _("A new return was recorded for %(name)s.")
        )
        messages.success(request, message % {"name": person.full_name})
        return redirect("people:detail", pk=person.pk)

    matches = selectors.intake_matches(
        membership=membership, person_fields=form.person_fields(), documents=form.documents()
    )
    confirmed = request.POST.get("confirm_new") and (
        not matches.number_match or request.POST.get("confirm_number") == "1"
    )
    if matches and not confirmed:
        if not request.POST.get("confirm_new"):
            services.stubs_viewed(membership=membership, stubs=matches.stubs)
        return render(
            request,
            "people/intake.html",
            {
                "form": form,
                "matches": matches,
                "confirm_number_form": ConfirmNumberForm(),
                "draft": draft,
                "drafts": selectors.drafts_of(membership=membership),
            },
        )
    person = services.person_register(
        membership=membership,
        documents=form.documents(with_dates=True),
        return_event=form.return_event_fields(),
        migration_status=form.migration_status_fields(),
        consents=form.consents(),
        **form.person_fields(),
    )
    if matches.number_match:
        services.person_registered_over_match(
            membership=membership,
            person=person,
            stubs=matches.stubs,
            number_held_elsewhere=matches.number_held_elsewhere,
        )
    services.intake_draft_discard(membership=membership, draft_id=request.POST.get("draft"))
    messages.success(request, _("%(name)s was registered.") % {"name": person.full_name})
    if request.POST.get("next") == "another":
        return redirect("people:intake")
    return redirect("people:detail", pk=person.pk)


@membership_required("people.register")
@require_POST
def draft_discard(request, pk):
    draft = get_scoped_or_404(selectors.drafts_of(membership=request.membership), pk=pk)
    services.intake_draft_discard(membership=request.membership, draft_id=draft.pk)
    messages.success(request, _("The saved form was discarded."))
    return redirect("people:intake")


@membership_required()
@require_POST
def consent_add(request, pk):
    person = get_scoped_or_404(selectors.people_visible_to(membership=request.membership), pk=pk)
    if not request.membership.can("consents.record"):
        raise PermissionDenied
    form = ConsentForm(request.POST)
    if form.is_valid():
        services.consent_record(membership=request.membership, person=person, **form.cleaned_data)
        messages.success(request, _("The decision was recorded."))
        return redirect("people:detail", pk=person.pk)
    person = selectors.person_for_page(membership=request.membership, pk=pk)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "consents": selectors.consent_state(person=person),
            "consent_form": form,
            **_protection_context(request, person),
        },
        status=400,
    )


@membership_required()
def access_report(request, pk):
    """Who saw this person's data: every logged read and change about them (administrators)."""
    person = selectors.person_for_page(membership=request.membership, pk=pk)
    if not request.membership.can("actionlog.view"):
        raise PermissionDenied
    entries = selectors.access_report(person=person)
    return render(
        request,
        "people/access_report.html",
        {"person": person, "page": Paginator(entries, 50).get_page(request.GET.get("page"))},
    )


def _person_for_right(request, pk, permission):
    person = selectors.person_for_page(membership=request.membership, pk=pk)
    if not request.membership.can(permission):
        raise PermissionDenied
    return person


@membership_required()
def person_export_json(request, pk):
    """Everything held about the person (the right of access), every field the membership's role
    may read on the pages: psychosocial staff produce the copy of psychosocial content."""
    from django.http import JsonResponse

    from incluye.people import rights

    person = _person_for_right(request, pk, "people.export")
    services.person_exported(membership=request.membership, person=person, form="json")
    response = JsonResponse(
        rights.person_export(person, membership=request.membership),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Content-Disposition"] = f'attachment; filename="datos-{person.pk}.json"'
    return response


@membership_required()
def person_export_pdf(request, pk):
    from django.http import HttpResponse

    from incluye.people import rights

    person = _person_for_right(request, pk, "people.export")
    services.person_exported(membership=request.membership, person=person, form="pdf")
    response = HttpResponse(
        rights.render_export_pdf(person, rights.person_export(person, membership=request.membership)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="datos-{person.pk}.pdf"'
    return response


@membership_required()
def person_erase(request, pk):
    """Erase (anonymize) on the person's request: an administrator confirms with the reason."""
    from incluye.people.forms import EraseForm

    person = _person_for_right(request, pk, "people.erase")
    form = EraseForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        services.person_erase(
            membership=request.membership, person=person, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The person's data was erased. Anonymous counts remain."))
        return redirect("people:list")
    return render(
        request,
        "people/person_erase.html",
        {"person": person, "form": form},
        status=400 if form.is_bound else 200,
    )
