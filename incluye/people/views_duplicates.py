"""The review queue of possible duplicates (groups of records that may be one person), the review
of a group side by side, "check duplicates now", and undoing a merge."""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incluye.core.access import get_scoped_or_404, membership_required
from incluye.core.phones import display_phone
from incluye.people import merge as merging
from incluye.people import selectors, services
from incluye.people.duplicates import describe
from incluye.people.forms import GroupMergeForm
from incluye.people.models import DuplicateStatus, Person


def _display(person: Person, field: str) -> str:
    """A field's value as the reviewer reads it: dates the local way, choices and languages by name."""
    import datetime

    from django.utils import formats

    if field == "residence_id":
        return str(person.residence) if person.residence_id else ""
    if field == "phone":
        return display_phone(person.phone)
    if field == "languages":
        return ", ".join(person.language_labels())
    value = getattr(person, field)
    display = getattr(person, f"get_{field}_display", None)
    if display:
        return str(display())
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _label(field: str) -> str:
    return str(Person._meta.get_field(field.removesuffix("_id")).verbose_name).capitalize()


@membership_required("duplicates.review")
def queue(request):
    membership = request.membership
    groups = list(
        selectors.duplicate_groups(membership=membership)
        .filter(status=DuplicateStatus.PENDING)
        .prefetch_related(
            Prefetch(
                "members", queryset=Person.objects.filter(merged_into__isnull=True).order_by("created_at")
            )
        )[:100]
    )
    for group in groups:
        group.explained = describe(group.reasons, _)
    merges = selectors.merges_of(membership=membership).select_related("survivor", "merged", "performed_by")[
        :40
    ]
    # One line per action: a group's merge is several merges sharing a batch.
    actions = [list(items) for _key, items in groupby(merges, key=lambda m: m.batch or m.pk)][:20]
    return render(
        request,
        "people/duplicates.html",
        {
            "groups": groups,
            "actions": actions,
            "search": selectors.duplicate_search_state(membership=membership),
            "can_undo": membership.can("merges.undo"),
            "can_review_alliance": membership.can("duplicates.review_alliance"),
        },
    )


@membership_required("duplicates.review")
@require_POST
def check_now(request):
    _search, started = services.duplicate_search_request(membership=request.membership)
    if started:
        messages.success(request, _("The check has started. New groups appear here when it finishes."))
    else:
        messages.info(request, _("A check is already under way for your organization."))
    return redirect("people:duplicates")


@membership_required()
def review(request, pk):
    group = get_scoped_or_404(selectors.duplicate_groups(membership=request.membership), pk=pk)
    if not request.membership.can("duplicates.review"):
        raise PermissionDenied
    return _review(request, group, merge=merging.group_merge, template="people/duplicate_review.html")


def _review(request, group, *, merge, template, queue_url="people:duplicates", on_show=None):
    """A group side by side, and its decision: merge (`merge`) or different people."""
    members = merging.group_members(group)
    differing = [f for f in merging.MERGE_FIELDS if len({repr(getattr(p, f)) for p in members}) > 1]
    fields = [(f, _label(f), [_display(p, f) for p in members]) for f in differing]
    same = [
        (_label(f), _display(members[0], f))
        for f in merging.MERGE_FIELDS
        if f not in differing and members and _display(members[0], f)
    ]
    pending = group.status == DuplicateStatus.PENDING and len(members) >= 2
    form = GroupMergeForm(request.POST or None, members=members, fields=fields) if pending else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("This group was already reviewed."))
            return redirect(queue_url)
        if request.POST.get("decision") == "distinct":
            merging.group_distinct(membership=request.membership, cluster=group)
            messages.success(request, _("Marked as different people."))
            return redirect(queue_url)
        if form.is_valid():
            by_pk = {str(p.pk): p for p in members}
            survivor = by_pk[form.cleaned_data["keep"]]
            try:
                merge(
                    membership=request.membership,
                    cluster=group,
                    survivor=survivor,
                    same=[by_pk[pk] for pk in form.cleaned_data["same"]],
                    choices=form.choices(),
                )
            except ValidationError as error:
                messages.error(request, error.messages[0])
                return redirect(request.path)
            messages.success(request, _("The records were merged. An administrator can undo it."))
            return redirect("people:detail", pk=survivor.pk)
    if on_show is not None:
        on_show(members)
    return render(
        request,
        template,
        {
            "group": group,
            "members": members,
            "form": form,
            "same": same,
            "explained": describe(group.reasons, _),
        },
        status=400 if form is not None and form.is_bound and not form.is_valid() else 200,
    )


# Groups spanning organizations of the country, for the administrators of the organizations involved.


@membership_required("duplicates.review_alliance")
def alliance_queue(request):
    membership = request.membership
    shown, hidden = selectors.alliance_duplicate_groups(membership=membership, status=DuplicateStatus.PENDING)
    groups = list(
        shown.prefetch_related(
            Prefetch(
                "members",
                queryset=Person.objects.filter(merged_into__isnull=True)
                .select_related("organization")
                .order_by("created_at"),
            )
        )[:100]
    )
    for group in groups:
        group.explained = describe(group.reasons, _)
    services.duplicate_records_viewed(
        membership=membership,
        people=[person for group in groups for person in group.members.all()],
        where="queue",
    )
    return render(
        request,
        "people/duplicates_alliance.html",
        {"groups": groups, "hidden": hidden, "own": membership.organization_id},
    )


@membership_required()
def alliance_review(request, pk):
    shown, _hidden = selectors.alliance_duplicate_groups(membership=request.membership)
    group = get_scoped_or_404(shown, pk=pk)

    def shown_to(members):
        services.duplicate_records_viewed(membership=request.membership, people=members, where="review")

    return _review(
        request,
        group,
        merge=merging.alliance_group_merge,
        template="people/duplicate_review_alliance.html",
        queue_url="people:duplicates_alliance",
        on_show=shown_to,
    )


@membership_required()
@require_POST
def unmerge(request, pk):
    merge = get_scoped_or_404(
        selectors.merges_of(membership=request.membership).filter(undone_at__isnull=True), pk=pk
    )
    if not request.membership.can("merges.undo"):
        raise PermissionDenied
    merging.person_unmerge(membership=request.membership, merge=merge)
    messages.success(request, _("The merge was undone: the records are back as they were."))
    return redirect("people:detail", pk=merge.survivor_id)
