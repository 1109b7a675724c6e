from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incluye.accounts import services
from incluye.accounts.forms import ActionLogFilterForm, MemberAddForm, MembershipForm, NotificationsForm
from incluye.accounts.selectors import memberships_of, organization_members, organizations_visible_to
from incluye.core.access import get_scoped_or_404, membership_required
from incluye.core.selectors import action_log_for


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


@membership_required("members.view")
def members(request):
    membership = request.membership
    form = MemberAddForm(request.POST or None)
    if request.method == "POST":
        if not membership.can("members.manage"):
            return render(request, "403.html", status=403)
        if form.is_valid():
            services.membership_add(
                actor=request.user, organization=membership.organization, **form.cleaned_data
            )
            messages.success(request, _("%(email)s was added.") % {"email": form.cleaned_data["email"]})
            return redirect("accounts:members")
    return render(
        request,
        "accounts/members.html",
        {"members": organization_members(organization=membership.organization), "form": form},
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
    )
    if request.method == "POST" and form.is_valid():
        services.membership_update(
            actor_membership=request.membership, membership=target, **form.cleaned_data
        )
        messages.success(request, _("The membership was saved."))
        return redirect("accounts:members")
    return render(
        request,
        "accounts/member_edit.html",
        {"form": form, "target": target},
        status=400 if form.errors else 200,
    )


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
