from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incluye.cases.selectors import case_for_page
from incluye.core.access import membership_required
from incluye.core.pipeline import TransitionNotAllowed
from incluye.core.versioning import StaleRecord, posted_version
from incluye.referrals import selectors, services
from incluye.referrals.forms import CompleteForm, DeclineForm, DirectoryFilterForm, ReferralForm, ServiceForm
from incluye.referrals.models import ReferralStatus

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
    consent_ok = selectors.person_allows_sharing(person=case.person)
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
    context = {
        "case": case,
        "form": form,
        "consent_ok": consent_ok,
        "consent_message": services.consent_missing_message(),
    }
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
