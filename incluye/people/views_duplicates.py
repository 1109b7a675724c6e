"""The review queue of possible duplicates, the side-by-side merge screen, and undoing a merge."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incluye.core.access import get_scoped_or_404, membership_required
from incluye.core.actionlog import log_action
from incluye.people import merge as merging
from incluye.people.forms import MergeForm
from incluye.people.models import DuplicateCandidate, DuplicateStatus, Person, PersonMerge
from incluye.people.selectors import people_visible_to


def candidates_of(membership):
    visible = people_visible_to(membership=membership)
    return DuplicateCandidate.objects.filter(
        organization_id=membership.organization_id, person_a__in=visible, person_b__in=visible
    ).select_related("person_a", "person_b")


def _display(person: Person, field: str) -> str:
    """A field's value as the reviewer reads it: dates the local way, choices and languages by name."""
    import datetime

    from django.utils import formats

    if field == "residence_id":
        return str(person.residence) if person.residence_id else ""
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


@membership_required("duplicates.review")
def queue(request):
    pending = candidates_of(request.membership).filter(status=DuplicateStatus.PENDING)[:100]
    merges = PersonMerge.objects.filter(organization_id=request.membership.organization_id).select_related(
        "survivor", "merged", "performed_by"
    )[:20]
    return render(request, "people/duplicates.html", {"pending": pending, "merges": merges})


@membership_required()
def review(request, pk):
    candidate = get_scoped_or_404(candidates_of(request.membership), pk=pk)
    if not request.membership.can("duplicates.review"):
        raise PermissionDenied
    a, b = candidate.person_a, candidate.person_b
    fields = [
        (
            f,
            str(Person._meta.get_field(f.removesuffix("_id")).verbose_name).capitalize(),
            _display(a, f),
            _display(b, f),
        )
        for f in merging.differing_fields(a, b)
    ]
    form = MergeForm(request.POST or None, fields=fields)
    if request.method == "POST":
        if request.POST.get("decision") == "distinct":
            candidate.status, candidate.reviewed_by, candidate.reviewed_at = (
                DuplicateStatus.DISTINCT,
                request.user,
                timezone.now(),
            )
            candidate.save(update_fields=["status", "reviewed_by", "reviewed_at"])
            log_action(
                actor=request.user,
                organization=request.membership.organization,
                action="incluye.duplicates.reviewed",
                obj=candidate,
                data={"decision": "distinct"},
            )
            messages.success(request, _("Marked as different people."))
            return redirect("people:duplicates")
        if form.is_valid():
            merging.person_merge(
                membership=request.membership, survivor=a, merged=b, choices=form.cleaned_data
            )
            messages.success(request, _("The records were merged. An administrator can undo it."))
            return redirect("people:detail", pk=a.pk)
    return render(
        request,
        "people/duplicate_review.html",
        {"candidate": candidate, "a": a, "b": b, "form": form, "same": _same_fields(a, b)},
    )


def _same_fields(a, b):
    return [
        (str(Person._meta.get_field(f.removesuffix("_id")).verbose_name).capitalize(), _display(a, f))
        for f in merging.MERGE_FIELDS
        if f not in merging.differing_fields(a, b) and _display(a, f)
    ]


@membership_required()
@require_POST
def unmerge(request, pk):
    merge = get_scoped_or_404(
        PersonMerge.objects.filter(
            organization_id=request.membership.organization_id, undone_at__isnull=True
        ),
        pk=pk,
    )
    if not request.membership.can("merges.undo"):
        raise PermissionDenied
    merging.person_unmerge(membership=request.membership, merge=merge)
    messages.success(request, _("The merge was undone: both records are back as they were."))
    return redirect("people:detail", pk=merge.survivor_id)
