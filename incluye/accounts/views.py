from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incluye.accounts import services
from incluye.accounts.forms import (
    ActionLogFilterForm,
    ApiTokenForm,
    MemberAddForm,
    MembershipForm,
    NotificationsForm,
)
from incluye.accounts.models import RoleGrant
from incluye.accounts.selectors import (
    api_tokens_of,
    has_second_factor,
    memberships_of,
    organization_members,
    organizations_visible_to,
    pending_grants,
)
from incluye.core.access import get_scoped_or_404, membership_required
from incluye.core.selectors import action_log_for
from incluye.core.versioning import StaleRecord


@login_required
def no_membership(request):
    if request.membership is not None:
        return redirect("home")
    return render(request, "accounts/no_membership.html")


@login_required
@require_POST
def switch_membership(request):
    membership = get_scoped_or_404(memberships_of(user=request.user), pk=request.POST.get("membership"))
    services.membership_switch(request=request, membership=membership)
    messages.success(request, _("You are now working as %(membership)s.") % {"membership": membership})
    return redirect("home")


@membership_required("organization.view")
def organization_detail(request, pk):
    organization = get_scoped_or_404(organizations_visible_to(membership=request.membership), pk=pk)
    return render(request, "accounts/organization_detail.html", {"organization": organization})


def _granted_message(result, email) -> str:
    if isinstance(result, RoleGrant):
        return _(
            "The role waits for another administrator's approval: the administrators of the "
            "organization were notified."
        )
    return _("%(email)s was added.") % {"email": email}


@membership_required("members.view")
def members(request):
    membership = request.membership
    form = MemberAddForm(request.POST or None)
    if request.method == "POST":
        if not membership.can("members.manage"):
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                result = services.membership_add(
                    actor=request.user, organization=membership.organization, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                messages.success(request, _granted_message(result, form.cleaned_data["email"]))
                return redirect("accounts:members")
    return render(
        request,
        "accounts/members.html",
        {
            "members": organization_members(organization=membership.organization),
            "grants": pending_grants(organization=membership.organization),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@membership_required()
def member_edit(request, pk):
    target = get_scoped_or_404(organization_members(organization=request.membership.organization), pk=pk)
    if not request.membership.can("members.manage"):
        raise PermissionDenied
    form = MembershipForm(
        request.POST or None,
        initial={
            "role": target.role,
            "read_only": target.read_only,
            "is_active": target.is_active,
            "grammatical_gender": target.user.grammatical_gender,
            "is_psychosocial_lead": target.is_psychosocial_lead,
        },
        record=target,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            result = services.membership_update(
                actor_membership=request.membership,
                membership=target,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        except StaleRecord as error:
            form.stale(error)
        else:
            if isinstance(result, RoleGrant):
                messages.success(request, _granted_message(result, target.user.email))
            else:
                messages.success(request, _("The membership was saved."))
            return redirect("accounts:members")
    return render(
        request,
        "accounts/member_edit.html",
        {"form": form, "target": target, "is_self": target.user_id == request.user.pk},
        status=400 if form.errors else 200,
    )


@membership_required()
@require_POST
def role_grant_decide(request, pk, decision):
    grant = get_scoped_or_404(pending_grants(organization=request.membership.organization), pk=pk)
    if not request.membership.can("members.manage"):
        raise PermissionDenied
    decide = {"approve": services.role_grant_approve, "reject": services.role_grant_reject}.get(decision)
    if decide is None:
        raise Http404
    try:
        decide(actor_membership=request.membership, grant=grant)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The role change was approved.")
            if decision == "approve"
            else _("The role change was rejected."),
        )
    return redirect("accounts:members")


@membership_required("actionlog.view")
def action_log(request):
    form = ActionLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = action_log_for(
        organization=request.membership.organization,
        action_prefix=filters.get("action") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/action_log.html", {"form": form, "page": page})


@membership_required()
def security(request):
    """The user's own security page: the second factor, and their API tokens (create, revoke)."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = services.api_token_create(membership=request.membership, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("The token “%(name)s” was created.") % {"name": token.name})
            form = ApiTokenForm()
    context = {
        "form": form,
        "new_key": new_key,  # shown once, in this answer only
        "tokens": api_tokens_of(user=request.user),
        "has_second_factor": has_second_factor(request.user),
        "now": timezone.now(),
    }
    return render(request, "accounts/security.html", context, status=400 if form.errors else 200)


@membership_required()
@require_POST
def api_token_revoke(request, pk):
    token = get_scoped_or_404(api_tokens_of(user=request.user), pk=pk)
    services.api_token_revoke(user=request.user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:security")


@login_required
def notifications(request):
    """Each user chooses how they hear about work that arrives: at once or in a daily digest."""
    form = NotificationsForm(
        request.POST or None, initial={"notification_mode": request.user.notification_mode}
    )
    if request.method == "POST" and form.is_valid():
        services.user_notifications_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your choice was saved."))
        return redirect("accounts:notifications")
    return render(request, "accounts/notifications.html", {"form": form}, status=400 if form.errors else 200)
