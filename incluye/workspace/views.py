from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from incluye.core.access import membership_required
from incluye.workspace.home import home_cards_for
from incluye.workspace.inbox import inbox_for, navigation_counts_renew, section_page, totals_of


@login_required
def home(request):
    """Every user lands on their own work: the inbox, then what they can start."""
    membership = request.membership
    if membership is None:
        return redirect("accounts:no_membership")
    sections = inbox_for(membership=membership)
    # The navigation shows the same counts: not counted twice.
    request.inbox_totals = totals_of(sections)
    navigation_counts_renew(membership, request.inbox_totals)
    return render(
        request, "workspace/home.html", {"sections": sections, "cards": home_cards_for(membership=membership)}
    )


@membership_required("inbox.view")
def inbox(request):
    """One section of the inbox in full (?section=key), a page at a time."""
    found = section_page(
        membership=request.membership, key=request.GET.get("section", ""), page=request.GET.get("page")
    )
    if found is None:
        if not request.GET.get("section"):
            return redirect("home")
        raise Http404
    section, page = found
    return render(request, "workspace/section.html", {"section": section, "page": page})
