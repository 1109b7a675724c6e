from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incluye.cases import selectors, services
from incluye.cases.forms import (
    CloseForm,
    DocumentForm,
    FollowUpForm,
    GoalForm,
    MoveForm,
    NoteForm,
    ScanForm,
    ScreeningForm,
    TaskForm,
)
from incluye.cases.instruments import all_instruments
from incluye.cases.models import CASE_PIPELINE, CaseStatus
from incluye.core.access import get_scoped_or_404, membership_required
from incluye.core.pipeline import TransitionNotAllowed
from incluye.core.versioning import StaleRecord, posted_version
from incluye.people.selectors import people_visible_to
from incluye.referrals import selectors as referral_selectors


@membership_required("cases.view")
def caseload(request):
    mine = request.GET.get("all") != "1"
    cases = selectors.caseload(membership=request.membership, mine=mine)
    by_caseworker = [] if mine else selectors.caseload_by_caseworker(membership=request.membership)
    return render(
        request, "cases/caseload.html", {"cases": cases, "mine": mine, "by_caseworker": by_caseworker}
    )


@membership_required("cases.view")
def my_work(request):
    return render(request, "cases/my_work.html", {"tasks": selectors.my_work(membership=request.membership)})


@membership_required()
@require_POST
def task_add(request, pk):
    case = selectors.case_for_page(membership=request.membership, pk=pk)
    if not request.membership.can("notes.write"):
        raise PermissionDenied
    form = TaskForm(request.POST)
    if not form.is_valid():
        return _page(request, case, task_form=form)
    services.task_create(membership=request.membership, case=case, **form.cleaned_data)
    messages.success(request, _("The task was added."))
    return redirect("cases:detail", pk=case.pk)


@membership_required()
@require_POST
def task_done(request, pk):
    task = get_scoped_or_404(selectors.my_work(membership=request.membership), pk=pk)
    try:
        services.task_done(
            membership=request.membership, task=task, expected_version=request.POST.get("version")
        )
    except StaleRecord as error:
        messages.error(request, error.message)
    return redirect("cases:my_work")


def _page(request, case, **forms):
    context = {
        "case": case,
        "stages": [(s, label) for s, label in CaseStatus.choices if s != CaseStatus.CLOSED],
        "next_stages": CASE_PIPELINE.allowed(case.status),
        "notes": selectors.notes_for(membership=request.membership, case=case),
        "move_form": forms.get("move_form") or MoveForm(case=case),
        "note_form": forms.get("note_form") or NoteForm(membership=request.membership),
        "task_form": forms.get("task_form") or TaskForm(),
        "tasks": selectors.tasks_of(membership=request.membership, case=case),
        "documents": [
            (
                document,
                forms.get(f"document_form_{document.pk}") or DocumentForm(document=document),
                ScanForm(prefix=f"scan{document.pk}"),
            )
            for document in case.documents.prefetch_related("scans")
        ]
        if selectors.documents_visible(membership=request.membership, case=case)
        else None,
        "screenings": selectors.screenings_for(membership=request.membership, case=case),
        "instruments": all_instruments(),
        "follow_ups": case.follow_ups.all(),
        "goals": case.goals.select_related("owner"),
        "referrals": referral_selectors.referrals_of_case(membership=request.membership, case=case),
        "transfers": referral_selectors.transfers_of_case(membership=request.membership, case=case),
        "needs_attention": selectors.case_needs_attention(case=case),
        "alerts": selectors.alerts_of_case(membership=request.membership, case=case),
        "goal_form": forms.get("goal_form") or GoalForm(),
    }
    response = render(request, "cases/case_detail.html", context, status=400 if forms else 200)
    response.notes_shown = context["notes"]
    return response


@membership_required()
def case_detail(request, pk):
    case = selectors.case_for_page(membership=request.membership, pk=pk)
    response = _page(request, case)
    services.case_viewed(membership=request.membership, case=case, notes=response.notes_shown)
    return response


@membership_required()
@require_POST
def case_open(request, person_pk):
    person = get_scoped_or_404(people_visible_to(membership=request.membership), pk=person_pk)
    if not request.membership.can("cases.manage"):
        raise PermissionDenied
    existing = (
        selectors.cases_visible_to(membership=request.membership)
        .filter(person=person)
        .exclude(status="closed")
        .first()
    )
    if existing:
        return redirect("cases:detail", pk=existing.pk)
    case = services.case_open(membership=request.membership, person=person)
    messages.success(request, _("The case was opened."))
    return redirect("cases:detail", pk=case.pk)


def _change(request, pk, form_class, action):
    case = selectors.case_for_page(membership=request.membership, pk=pk)
    if not request.membership.can("cases.manage"):
        raise PermissionDenied
    form = form_class(request.POST, case=case)
    if not form.is_valid():
        return _refused(request, case, action, form)
    try:
        if action == "move":
            services.case_move(
                membership=request.membership,
                case=case,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        else:
            services.case_close(
                membership=request.membership,
                case=case,
                reason=form.cleaned_data["reason"],
                outcome=form.cleaned_data["outcome"],
                expected_version=form.cleaned_data["version"],
            )
    except TransitionNotAllowed as error:
        form.add_error(None, error.message)
        return _refused(request, case, action, form)
    except StaleRecord as error:
        form.stale(error)
        return _refused(request, case, action, form)
    messages.success(request, _("The case is now at “%(stage)s”.") % {"stage": case.get_status_display()})
    return redirect("cases:detail", pk=case.pk)


def _refused(request, case, action, form):
    """A refused change comes back on the page it was made from, with the error summary."""
    if action == "close":
        return render(request, "cases/case_close.html", {"case": case, "form": form}, status=400)
    return _page(request, case, **{f"{action}_form": form})


@membership_required()
@require_POST
def case_move(request, pk):
    return _change(request, pk, MoveForm, "move")


@membership_required()
def case_close(request, pk):
    """Closing asks first: a page that says what closing does, with the reason and the outcome."""
    if request.method == "POST":
        return _change(request, pk, CloseForm, "close")
    case = selectors.case_for_page(membership=request.membership, pk=pk)
    if not request.membership.can("cases.manage"):
        raise PermissionDenied
    return render(request, "cases/case_close.html", {"case": case, "form": CloseForm(case=case)})


@membership_required()
@require_POST
def case_reopen(request, pk):
    case = selectors.case_for_page(membership=request.membership, pk=pk)
    try:
        services.case_reopen(
            membership=request.membership, case=case, expected_version=posted_version(request.POST)
        )
    except (TransitionNotAllowed, StaleRecord) as error:
        messages.error(request, error.message)
    return redirect("cases:detail", pk=case.pk)


@membership_required()
@require_POST
def note_add(request, pk):
    case = selectors.case_for_page(membership=request.membership, pk=pk)
    if not request.membership.can("notes.write"):
        raise PermissionDenied
    form = NoteForm(request.POST, membership=request.membership)
    if not form.is_valid():
        return _page(request, case, note_form=form)
    services.note_add(membership=request.membership, case=case, **form.cleaned_data)
    messages.success(request, _("The note was saved."))
    return redirect("cases:detail", pk=case.pk)


def _document(request, pk):
    from incluye.cases.models import CaseDocument

    document = get_scoped_or_404(
        CaseDocument.objects.filter(
            case__in=selectors.cases_visible_to(membership=request.membership)
        ).select_related("case__organization", "case__person"),
        pk=pk,
    )
    if not selectors.documents_visible(membership=request.membership, case=document.case):
        raise PermissionDenied
    return document


@membership_required()
@require_POST
def document_update(request, pk):
    document = _document(request, pk)
    if not request.membership.can("notes.write"):
        raise PermissionDenied
    form = DocumentForm(request.POST, document=document)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.document_update(
                membership=request.membership,
                document=document,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        except StaleRecord as error:
            form.stale(error)
        else:
            messages.success(request, _("“%(document)s” was updated.") % {"document": document.display_name})
            return redirect(f"{reverse('cases:detail', args=[document.case_id])}#documents")
    # What was typed stays in the document's row, with what is wrong.
    return _page(request, document.case, **{f"document_form_{document.pk}": form})


@membership_required()
@require_POST
def scan_upload(request, pk):
    document = _document(request, pk)
    if not request.membership.can("notes.write"):
        raise PermissionDenied
    form = ScanForm(request.POST, request.FILES, prefix=f"scan{document.pk}")
    if form.is_valid():
        try:
            services.scan_upload(
                membership=request.membership, document=document, upload=form.cleaned_data["file"]
            )
            messages.success(request, _("The scan was saved."))
        except services.ScanRefused as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect(f"{reverse('cases:detail', args=[document.case_id])}#documents")


@membership_required()
def scan_download(request, pk):
    from django.http import FileResponse

    from incluye.cases.models import DocumentScan

    scan = get_scoped_or_404(
        DocumentScan.objects.filter(
            document__case__in=selectors.cases_visible_to(membership=request.membership)
        ).select_related("document__case__person", "document__case__organization"),
        pk=pk,
    )
    if not selectors.documents_visible(membership=request.membership, case=scan.document.case):
        raise PermissionDenied
    services.scan_viewed(membership=request.membership, scan=scan)
    # The name the browser saves it under is generated with the detected type's extension: never
    # the uploaded name (a "poly.html" would open as a page).
    extension = scan.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        scan.file.open("rb"),
        content_type=scan.content_type,
        as_attachment=True,
        filename=f"{scan.document.code}-{scan.pk}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@membership_required()
def screening_new(request, pk, instrument):
    from incluye.cases.instruments import UnknownInstrument, load_instrument

    case = selectors.case_for_page(membership=request.membership, pk=pk)
    if not request.membership.can("notes.psychosocial"):
        raise PermissionDenied
    try:
        loaded = load_instrument(instrument)
    except UnknownInstrument as exc:
        from django.http import Http404

        raise Http404 from exc
    form = ScreeningForm(request.POST or None, instrument=loaded)
    if request.method == "POST" and form.is_valid():
        screening = services.screening_record(
            membership=request.membership, case=case, instrument_code=loaded.code, answers=form.answers()
        )
        result = screening.result()
        if result.alert:
            # Not a "saved" banner: the answers signal risk, and the protocol starts now.
            messages.error(
                request,
                _(
                    "%(instrument)s: the answers signal risk. A risk alert was raised: acknowledge it and start the safety plan."
                )
                % {"instrument": loaded.code},
            )
            return redirect("cases:alert", pk=screening.alert.pk)
        messages.success(
            request,
            _("%(instrument)s: %(band)s. Suggested support: %(level)s.")
            % {"instrument": loaded.code, "band": result.band_label, "level": result.suggested_level_label},
        )
        return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/screening_form.html",
        {"case": case, "instrument": loaded, "form": form},
        status=400 if form.errors else 200,
    )


@membership_required()
def follow_up(request, pk):
    from incluye.cases.models import FollowUp
    from incluye.cases.reintegration import load_survey

    follow_up = get_scoped_or_404(
        FollowUp.objects.filter(
            case__in=selectors.cases_visible_to(membership=request.membership)
        ).select_related("case__person", "task"),
        pk=pk,
    )
    if not request.membership.can("notes.write"):
        raise PermissionDenied
    survey = load_survey(follow_up.survey_version or "1")
    initial = {f"q_{k}": v for k, v in follow_up.answers.items()}
    form = FollowUpForm(request.POST or None, survey=survey, initial=initial, record=follow_up)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record(
                membership=request.membership,
                follow_up=follow_up,
                answers=form.answers(),
                expected_version=form.cleaned_data["version"],
            )
        except StaleRecord as error:
            form.stale(error)
        else:
            messages.success(request, _("The follow-up was saved."))
            return redirect("cases:detail", pk=follow_up.case_id)
    return render(
        request,
        "cases/follow_up_form.html",
        {"follow_up": follow_up, "survey": survey, "form": form},
        status=400 if form.errors else 200,
    )


@membership_required()
@require_POST
def goal_add(request, pk):
    case = selectors.case_for_page(membership=request.membership, pk=pk)
    if not request.membership.can("notes.write"):
        raise PermissionDenied
    form = GoalForm(request.POST)
    if not form.is_valid():
        return _page(request, case, goal_form=form)
    services.goal_set(membership=request.membership, case=case, **form.cleaned_data)
    messages.success(request, _("The goal was added to the plan."))
    return redirect("cases:detail", pk=case.pk)


@membership_required()
@require_POST
def goal_status(request, pk):
    from incluye.cases.models import Goal, GoalStatus

    goal = get_scoped_or_404(
        Goal.objects.filter(case__in=selectors.cases_visible_to(membership=request.membership)), pk=pk
    )
    status = request.POST.get("status")
    if status not in GoalStatus.values:
        messages.error(request, _("Choose a valid status."))
    else:
        try:
            services.goal_set(
                membership=request.membership,
                case=goal.case,
                goal=goal,
                title=goal.title,
                due_on=goal.due_on,
                owner=goal.owner,
                status=status,
                expected_version=posted_version(request.POST),
            )
        except StaleRecord as error:
            messages.error(request, error.message)
    return redirect("cases:detail", pk=goal.case_id)


def _alert_page(request, alert, *, status=200, plan_form=None, error=None):
    from incluye.cases.forms import AlertAcknowledgeForm, SafetyPlanForm
    from incluye.cases.instruments import alert_labels, load_instrument
    from incluye.cases.models import safety_plan_checklist
    from incluye.core.text import pick_language

    checklist = safety_plan_checklist(alert.plan_country or alert.case.organization.country_id)
    done = [code for code, item in alert.plan_items.items() if item.get("done")]
    instrument = load_instrument(alert.screening.instrument)
    emergency_kinds = {item["directory_kind"] for item in checklist if item.get("directory_kind")}
    services_for_plan = [
        service
        for kind in sorted(emergency_kinds)
        for service in referral_selectors.services_directory(membership=request.membership, kind=kind)
    ]
    services.alert_viewed(membership=request.membership, alert=alert)
    context = {
        "alert": alert,
        "case": alert.case,
        "instrument": instrument,
        "rules": alert_labels(instrument, alert.rules),
        "result": alert.screening.result(),
        "checklist": [
            {**item, "text": pick_language(item["label"]), "done": item["code"] in done} for item in checklist
        ],
        "ack_form": AlertAcknowledgeForm(initial={"version": alert.version}, auto_id="ack_%s"),
        "plan_form": plan_form
        or SafetyPlanForm(
            initial={"done": done, "note": alert.plan_note, "version": alert.version},
            checklist=checklist,
            auto_id="plan_%s",
        ),
        "emergency_services": services_for_plan,
        "error": error,
    }
    return render(request, "cases/alert.html", context, status=status)


@membership_required()
def alert_detail(request, pk):
    return _alert_page(request, selectors.alert_for_page(membership=request.membership, pk=pk))


@membership_required()
@require_POST
def alert_acknowledge(request, pk):
    from incluye.cases.forms import AlertAcknowledgeForm

    alert = selectors.alert_for_page(membership=request.membership, pk=pk)
    form = AlertAcknowledgeForm(request.POST)
    try:
        if not form.is_valid():
            raise TransitionNotAllowed(_("Reload the page and try again."))
        services.alert_acknowledge(
            membership=request.membership, alert=alert, expected_version=form.cleaned_data["version"]
        )
    except (TransitionNotAllowed, services.StaleCase) as error:
        fresh = selectors.alert_for_page(membership=request.membership, pk=pk)
        return _alert_page(request, fresh, status=400, error=error.message)
    messages.success(request, _("You acknowledged the alert. Go through the safety plan with the person."))
    return redirect("cases:alert", pk=alert.pk)


@membership_required()
@require_POST
def alert_plan(request, pk):
    from incluye.cases.forms import SafetyPlanForm
    from incluye.cases.models import safety_plan_checklist
    from incluye.core.forms import stale

    alert = selectors.alert_for_page(membership=request.membership, pk=pk)
    checklist = safety_plan_checklist(alert.plan_country or alert.case.organization.country_id)
    form = SafetyPlanForm(request.POST, checklist=checklist, auto_id="plan_%s")
    if not form.is_valid():
        return _alert_page(request, alert, status=400, plan_form=form)
    complete = request.POST.get("action") == "complete"
    try:
        services.safety_plan_update(
            membership=request.membership,
            alert=alert,
            done=form.cleaned_data["done"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
            complete=complete,
        )
    except services.StaleCase as error:
        stale(form, error)  # what was ticked and written is kept, with the current version
        fresh = selectors.alert_for_page(membership=request.membership, pk=pk)
        return _alert_page(request, fresh, status=400, plan_form=form)
    except TransitionNotAllowed as error:
        return _alert_page(request, alert, status=400, plan_form=form, error=error.message)
    messages.success(
        request, _("The safety plan was completed.") if complete else _("The safety plan was saved.")
    )
    return redirect("cases:alert", pk=alert.pk)
