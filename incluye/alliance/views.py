from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from incluye.alliance import forms, selectors, services
from incluye.alliance.models import COMMITMENT_PIPELINE, CommitmentStatus
from incluye.core.access import membership_required
from incluye.core.actionlog import log_action
from incluye.core.versioning import StaleRecord, posted_version


@membership_required("alliance.view")
def network(request):
    """The coordinator's view of the network: members by sector, referrals between them."""
    membership = request.membership
    return render(
        request,
        "alliance/network.html",
        {
            "council": selectors.council_of(membership=membership),
            "sectors": selectors.sector_summary(membership=membership),
            "members": selectors.members_of(membership=membership).order_by(
                "organization__sector", "organization__name"
            ),
            "matrix": selectors.referral_matrix(country=membership.organization.country_id),
            "agreements": selectors.agreements_of(membership=membership),
            "commitments": selectors.commitments_of(membership=membership),
            "meetings": selectors.meetings_of(membership=membership),
            "can_manage": membership.can("alliance.manage"),
            "status_choices": CommitmentStatus.choices,
        },
    )


@membership_required()
def agreement_file(request, pk):
    agreement = selectors.agreement_for_page(membership=request.membership, pk=pk)
    if not agreement.file:
        raise Http404
    log_action(
        actor=request.user,
        organization=request.membership.organization,
        action="incluye.alliance.agreement_downloaded",
        obj=agreement,
    )
    return FileResponse(
        agreement.file.open("rb"), as_attachment=True, filename=agreement.file.name.rsplit("/", 1)[-1]
    )


@membership_required()
@require_POST
def commitment_move(request, pk):
    commitment = selectors.commitment_for_page(membership=request.membership, pk=pk)
    if not request.membership.can("alliance.manage"):
        raise PermissionDenied
    to_status = request.POST.get("status", "")
    if to_status not in CommitmentStatus.values:
        raise Http404
    try:
        services.commitment_move(
            membership=request.membership,
            commitment=commitment,
            to_status=to_status,
            expected_version=posted_version(request.POST),
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except StaleRecord as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The commitment was updated."))
    return redirect("alliance:network")


@membership_required()
def meeting_detail(request, pk):
    meeting = selectors.meeting_for_page(membership=request.membership, pk=pk)
    return render(request, "alliance/meeting.html", {"meeting": meeting, "pipeline": COMMITMENT_PIPELINE})


def _council_or_404(request):
    council = selectors.council_of(membership=request.membership)
    if council is None:
        raise Http404
    if not request.membership.can("alliance.manage"):
        raise PermissionDenied
    return council


RECORD_FORMS = {
    "member": (forms.MemberForm, services.member_join, _lazy("Add an organization to the alliance")),
    "agreement": (forms.AgreementForm, services.agreement_add, _lazy("Record an agreement")),
    "commitment": (
        forms.CommitmentForm,
        services.commitment_add,
        _lazy("Add a commitment to the action plan"),
    ),
    "meeting": (forms.MeetingForm, services.meeting_add, _lazy("Record a meeting of the council")),
}


@membership_required("alliance.manage")
def record(request, kind):
    """One page per kind of record of the council: a member, an agreement, a commitment, a meeting."""
    if kind not in RECORD_FORMS:
        raise Http404
    council = _council_or_404(request)
    form_class, service, title = RECORD_FORMS[kind]
    form = form_class(request.POST or None, request.FILES or None, country_id=council.country_id)
    if request.method == "POST" and form.is_valid():
        try:
            created = service(membership=request.membership, council=council, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("Saved."))
            if kind == "meeting":
                return redirect("alliance:meeting", pk=created.pk)
            return redirect("alliance:network")
    return render(
        request, "alliance/record.html", {"form": form, "title": title}, status=400 if form.is_bound else 200
    )


@membership_required()
@require_POST
def decision_add(request, pk):
    meeting = selectors.meeting_for_page(membership=request.membership, pk=pk)
    if not request.membership.can("alliance.manage"):
        raise PermissionDenied
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        services.decision_add(membership=request.membership, meeting=meeting, text=form.cleaned_data["text"])
        messages.success(request, _("The decision was recorded."))
    else:
        messages.error(request, _("Write the decision."))
    return redirect("alliance:meeting", pk=meeting.pk)
