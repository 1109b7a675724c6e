from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from incluye.cases.selectors import case_for_page
from incluye.core.access import get_scoped_or_404, membership_required
from incluye.core.forms import stale
from incluye.core.pipeline import TransitionNotAllowed
from incluye.core.versioning import StaleRecord, posted_version
from incluye.referrals import selectors, services
from incluye.referrals.forms import (
    AcceptForm,
    AccessRequestForm,
    ActDeclineForm,
    ArrivalsHandoffForm,
    CompleteForm,
    DeclineForm,
    DirectoryFilterForm,
    HandoffForm,
    ReferralForm,
    ServiceForm,
    TransferForm,
    VersionForm,
)
from incluye.referrals.models import AccessRequest, Handoff, ReferralStatus, Transfer


def _consent(person) -> dict:
    """Whether the person's consent allows sending them to another organization, and what to say
    when it does not (referrals, handoffs and transfers follow the same rule)."""
    return {
        "consent_ok": selectors.person_allows_sharing(person=person),
        "consent_message": services.consent_missing_message(),
    }


# Service directory ---------------------------------------------------------------------------


@membership_required("services.view")
def service_directory(request):
    membership = request.membership
    form = DirectoryFilterForm(
        request.GET, municipalities=selectors.directory_municipalities(membership=membership)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    directory = selectors.services_directory(
        membership=membership, kind=filters.get("kind", ""), municipality_code=filters.get("municipality", "")
    )
    return render(request, "referrals/service_directory.html", {"services": directory, "filter_form": form})


@membership_required("services.manage")
def our_services(request):
    return render(
        request,
        "referrals/our_services.html",
        {"services": selectors.services_of(membership=request.membership)},
    )


@membership_required("services.manage")
def service_new(request):
    form = ServiceForm(request.POST or None, organization=request.membership.organization)
    if request.method == "POST" and form.is_valid():
        services.service_create(membership=request.membership, **form.cleaned_data)
        messages.success(request, _("The service was added to the directory."))
        return redirect("referrals:our_services")
    status = 400 if request.method == "POST" else 200
    return render(request, "referrals/service_form.html", {"form": form}, status=status)


@membership_required()
def service_edit(request, pk):
    service = selectors.service_for_edit(membership=request.membership, pk=pk)
    if not request.membership.can("services.manage"):
        raise PermissionDenied
    form = ServiceForm(request.POST or None, organization=request.membership.organization, service=service)
    update = partial(services.service_update, membership=request.membership, service=service)
    if request.method == "POST" and form.is_valid() and form.save_with(update):
        messages.success(request, _("The service was saved."))
        return redirect("referrals:our_services")
    status = 400 if request.method == "POST" else 200
    return render(request, "referrals/service_form.html", {"form": form, "service": service}, status=status)


# Referrals -----------------------------------------------------------------------------------


@membership_required("referrals.view")
def referral_list(request):
    default = "sent" if request.membership.can("referrals.send") else "received"
    tab = request.GET.get("tab") if request.GET.get("tab") in ("sent", "received") else default
    page = selectors.referral_list(membership=request.membership, tab=tab, page=request.GET.get("page"))
    return render(
        request,
        "referrals/referral_list.html",
        {"tab": tab, "page": page, "overdue": selectors.overdue_counts(membership=request.membership)},
    )


@membership_required()
def referral_new(request, case_pk):
    membership = request.membership
    case = case_for_page(membership=membership, pk=case_pk)
    if not membership.can("referrals.send"):
        raise PermissionDenied
    form = ReferralForm(
        request.POST or None,
        services=selectors.services_to_refer_to(membership=membership),
        person=case.person,
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = services.referral_send(membership=membership, case=case, **form.cleaned_data)
            except services.ReferralRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    _("The referral was sent to “%(service)s”.") % {"service": referral.service.name},
                )
                return redirect("referrals:detail", pk=referral.pk)
        status = 400
    else:
        status = 200
    context = {"case": case, "form": form, **_consent(case.person)}
    return render(request, "referrals/referral_form.html", context, status=status)


def _detail(request, referral, *, status=200, **forms):
    membership = request.membership
    if not referral.snapshot_hidden:
        services.referral_viewed(membership=membership, referral=referral)
    steps = services.steps_for(membership=membership, referral=referral)
    context = {
        "referral": referral,
        "steps": steps,
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "complete_form": forms.get("complete_form") or CompleteForm(),
        "error": forms.get("error"),
    }
    return render(request, "referrals/referral_detail.html", context, status=status)


@membership_required()
def referral_detail(request, pk):
    return _detail(request, selectors.referral_for_page(membership=request.membership, pk=pk))


def _step(request, pk, to_status):
    membership = request.membership
    referral = selectors.referral_for_page(membership=membership, pk=pk)
    form_class = {ReferralStatus.DECLINED: DeclineForm, ReferralStatus.COMPLETED: CompleteForm}.get(to_status)
    form = form_class(request.POST) if form_class else None
    form_key = f"{'decline' if to_status == ReferralStatus.DECLINED else 'complete'}_form"
    if form is not None and not form.is_valid():
        return _detail(request, referral, status=400, **{form_key: form})
    version = posted_version(request.POST)
    try:
        if to_status == ReferralStatus.ACCEPTED:
            services.referral_accept(membership=membership, referral=referral, expected_version=version)
        elif to_status == ReferralStatus.DECLINED:
            services.referral_decline(
                membership=membership, referral=referral, expected_version=version, **form.cleaned_data
            )
        elif to_status == ReferralStatus.COMPLETED:
            services.referral_complete(
                membership=membership, referral=referral, expected_version=version, **form.cleaned_data
            )
        else:
            services.referral_cancel(membership=membership, referral=referral, expected_version=version)
    except (TransitionNotAllowed, StaleRecord) as error:
        # What was typed (a reason, an outcome) stays in its form, with what happened meanwhile.
        referral = selectors.referral_for_page(membership=membership, pk=pk)
        if form is not None:
            return _detail(request, referral, status=400, error=error.message, **{form_key: form})
        referral = selectors.referral_for_page(membership=membership, pk=pk)
        return _detail(request, referral, status=400, error=error.message)
    messages.success(
        request, _("The referral is now “%(status)s”.") % {"status": referral.get_status_display()}
    )
    return redirect("referrals:detail", pk=referral.pk)


@membership_required()
@require_POST
def referral_accept(request, pk):
    return _step(request, pk, ReferralStatus.ACCEPTED)


@membership_required()
@require_POST
def referral_decline(request, pk):
    return _step(request, pk, ReferralStatus.DECLINED)


@membership_required()
@require_POST
def referral_complete(request, pk):
    return _step(request, pk, ReferralStatus.COMPLETED)


@membership_required()
@require_POST
def referral_cancel(request, pk):
    return _step(request, pk, ReferralStatus.CANCELLED)


# Handoffs, transfers and access requests ----------------------------------------------------------

ACT_MODELS = {"handoff": Handoff, "transfer": Transfer, "access": AccessRequest}


@membership_required()
def handoff_person(request, person_pk):
    """Hand one person to a case-management organization, from the person's page."""
    from incluye.people.selectors import people_visible_to

    membership = request.membership
    person = get_scoped_or_404(people_visible_to(membership=membership), pk=person_pk)
    if not membership.can("handoffs.send"):
        raise PermissionDenied
    form = HandoffForm(
        request.POST or None,
        destinations=selectors.destinations(membership=membership, permission="handoffs.handle"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            handoff = services.handoff_send(
                membership=membership,
                person=person,
                to_organization=form.cleaned_data["to_organization"],
                note=form.cleaned_data["note"],
            )
        except services.ReferralRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("%(name)s was handed to %(org)s.")
                % {"name": person.full_name, "org": handoff.to_organization},
            )
            return redirect("people:detail", pk=person.pk)
    context = {
        "person": person,
        "form": form,
        "handoffs": selectors.handoffs_of_person(membership=membership, person=person),
        **_consent(person),
    }
    return render(request, "referrals/handoff_person.html", context, status=400 if form.errors else 200)


@membership_required("handoffs.send")
def handoff_arrivals(request):
    """The day's arrivals, to hand off one by one or a whole flight at a time."""
    from django.utils import timezone

    membership = request.membership
    day = timezone.localdate()
    arrivals = list(selectors.arrivals_to_hand_off(membership=membership, day=day))
    form = ArrivalsHandoffForm(
        request.POST or None,
        arrivals=arrivals,
        destinations=selectors.destinations(membership=membership, permission="handoffs.handle"),
    )
    if request.method == "POST" and form.is_valid():
        sent, refused = services.handoffs_send(
            membership=membership,
            people=form.chosen_people(),
            to_organization=form.cleaned_data["to_organization"],
            note=form.cleaned_data["note"],
        )
        if sent:
            messages.success(
                request,
                ngettext(
                    "%(count)d person was handed to %(org)s.",
                    "%(count)d people were handed to %(org)s.",
                    len(sent),
                )
                % {"count": len(sent), "org": form.cleaned_data["to_organization"]},
            )
        for person, why in refused:
            messages.error(
                request, _("%(name)s was not handed off: %(why)s") % {"name": person.full_name, "why": why}
            )
        return redirect("referrals:handoff_arrivals")
    return render(
        request,
        "referrals/handoff_arrivals.html",
        {"form": form, "arrivals": arrivals, "day": day},
        status=400 if form.errors else 200,
    )


def _act_page(request, kind, act, *, status=200, **forms):
    membership = request.membership
    if act.stub is not None and act.side == "receiver":
        services.act_viewed(membership=membership, act=act)
    can_answer = (
        act.side == "receiver" and act.is_open and membership.can(services.HANDLE_PERMISSION[type(act)])
    )
    can_withdraw = act.side == "sender" and membership.can(services.SEND_PERMISSION[type(act)])
    initial = {"version": act.version}
    context = {
        "act": act,
        "kind": kind,
        "can_answer": can_answer,
        "can_withdraw": can_withdraw and act.is_open,
        "can_close": can_withdraw and act.status == "declined" and act.sender_closed_at is None,
        "accept_form": forms.get("accept_form") or _accept_form(membership, kind, initial=initial),
        "decline_form": forms.get("decline_form") or ActDeclineForm(initial=initial, auto_id="decline_%s"),
        "cancel_form": VersionForm(initial=initial, auto_id="cancel_%s"),
        "error": forms.get("error"),
    }
    return render(request, "referrals/act_detail.html", context, status=status)


def _accept_form(membership, kind, data=None, initial=None):
    # Several forms on one page: each its own ids.
    if kind == "access":
        return VersionForm(data, initial=initial, auto_id="accept_%s")
    return AcceptForm(
        data,
        initial=initial,
        caseworkers=selectors.caseworkers_of(membership=membership),
        auto_id="accept_%s",
    )


def _act(request, kind, pk, *, side=None):
    """The act (404 for another organization's), then, for a step, the side and the role (403)."""
    act = selectors.act_for_page(ACT_MODELS[kind], membership=request.membership, pk=pk)
    permission = {"receiver": services.HANDLE_PERMISSION, "sender": services.SEND_PERMISSION}.get(side)
    if side is not None and (act.side != side or not request.membership.can(permission[type(act)])):
        raise PermissionDenied
    return act


@membership_required()
def act_detail(request, pk, kind):
    return _act_page(request, kind, _act(request, kind, pk))


def _answer(request, kind, pk, *, form, form_name, answer):
    """The receiving side answers an act (a handoff, a transfer, an access request) with `form`:
    `answer(act, cleaned_data)` returns where to go next. A form with errors, a stale version (what
    was chosen or typed is kept, with the version as it is now) or a refused step shows the act's
    page again."""
    act = _act(request, kind, pk, side="receiver")
    if not form.is_valid():
        return _act_page(request, kind, act, status=400, **{form_name: form})
    try:
        return answer(act, form.cleaned_data)
    except StaleRecord as error:
        stale(form, error)
        return _act_page(request, kind, _act(request, kind, pk), status=400, **{form_name: form})
    except (services.ReferralRefused, TransitionNotAllowed) as error:
        return _act_page(request, kind, _act(request, kind, pk), status=400, error=error.message)


def _accept_case(request, act, data):
    """A handoff or a transfer accepted: the case, given to the caseworker chosen, is the
    organization's now."""
    if isinstance(act, Handoff):
        accept, name, done = (
            services.handoff_accept,
            "handoff",
            _("The handoff was accepted and a case was opened."),
        )
    else:
        accept, name, done = services.transfer_accept, "transfer", _("The case is now your organization's.")
    accept(
        membership=request.membership,
        **{name: act},
        caseworker=data["caseworker"],
        expected_version=data["version"],
    )
    messages.success(request, done)
    return redirect("cases:detail", pk=act.case_id)


def _accept_access(request, act, data):
    services.access_request_accept(
        membership=request.membership, request=act, expected_version=data["version"]
    )
    messages.success(request, _("The record is now shared with %(org)s.") % {"org": act.from_organization})
    return redirect("referrals:access", pk=act.pk)


@membership_required()
@require_POST
def act_accept(request, pk, kind):
    accept = _accept_access if kind == "access" else _accept_case
    return _answer(
        request,
        kind,
        pk,
        form=_accept_form(request.membership, kind, request.POST),
        form_name="accept_form",
        answer=lambda act, data: accept(request, act, data),
    )


@membership_required()
@require_POST
def act_decline(request, pk, kind):
    def decline(act, data):
        services.act_decline(
            membership=request.membership, act=act, reason=data["reason"], expected_version=data["version"]
        )
        messages.success(request, _("It was declined; the other organization can read why."))
        return redirect("home")

    return _answer(
        request,
        kind,
        pk,
        form=ActDeclineForm(request.POST, auto_id="decline_%s"),
        form_name="decline_form",
        answer=decline,
    )


@membership_required()
@require_POST
def act_cancel(request, pk, kind):
    act = _act(request, kind, pk, side="sender")
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise TransitionNotAllowed(_("Reload the page and try again."))
        services.act_cancel(
            membership=request.membership, act=act, expected_version=form.cleaned_data["version"]
        )
    except (StaleRecord, TransitionNotAllowed) as error:
        return _act_page(request, kind, _act(request, kind, pk), status=400, error=error.message)
    messages.success(request, _("It was withdrawn."))
    return redirect(f"referrals:{kind}", pk=act.pk)


@membership_required()
@require_POST
def act_close(request, pk, kind):
    act = _act(request, kind, pk, side="sender")
    try:
        services.act_close(membership=request.membership, act=act)
    except TransitionNotAllowed as error:
        return _act_page(request, kind, act, status=400, error=error.message)
    messages.success(request, _("It left your inbox."))
    return redirect("home")


@membership_required()
def transfer_new(request, case_pk):
    membership = request.membership
    case = case_for_page(membership=membership, pk=case_pk)
    if not membership.can("transfers.send"):
        raise PermissionDenied
    form = TransferForm(
        request.POST or None,
        destinations=selectors.destinations(membership=membership, permission="transfers.handle"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.transfer_send(membership=membership, case=case, **form.cleaned_data)
        except services.ReferralRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("The case was offered to %(org)s. It stays yours until they accept.")
                % {"org": transfer.to_organization},
            )
            return redirect("cases:detail", pk=case.pk)
    context = {
        "case": case,
        "form": form,
        "transfers": selectors.transfers_of_case(membership=membership, case=case),
        **_consent(case.person),
    }
    return render(request, "referrals/transfer_form.html", context, status=400 if form.errors else 200)


@membership_required("access.request")
def access_new(request):
    """Ask the organization that holds a person's record for access, from the person's stub."""
    from incluye.people.selectors import stub_for_token

    membership = request.membership
    form = AccessRequestForm(request.POST or None, initial={"stub": request.GET.get("stub", "")})
    token = request.POST.get("stub") if request.method == "POST" else request.GET.get("stub", "")
    stub = stub_for_token(membership=membership, token=token)
    if stub is None:  # forged, too old, or the person's consent no longer allows a stub
        raise Http404
    if request.method == "POST" and form.is_valid():
        from incluye.people.models import Person

        try:
            services.access_request_send(
                membership=membership,
                person=Person.objects.select_related("organization").get(pk=stub.person_id),
                note=form.cleaned_data["note"],
            )
        except services.ReferralRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("You asked %(org)s for access. You will find the answer in your inbox.")
                % {"org": stub.registered_by},
            )
            return redirect("home")
    from incluye.people.services import stubs_viewed

    stubs_viewed(membership=membership, stubs=[stub])
    return render(
        request, "referrals/access_new.html", {"form": form, "stub": stub}, status=400 if form.errors else 200
    )
