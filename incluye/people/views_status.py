"""Migration status, documents for foreigners and work authorization of a person who arrived:
protection-sensitive, for the roles with `protection.view` only, every opening logged."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incluye.core.access import get_scoped_or_404, membership_required
from incluye.core.versioning import StaleRecord
from incluye.people import selectors, services
from incluye.people.forms import ForeignDocumentForm, MigrationStatusForm, StatusEndForm

# The page holds several forms: each has its prefix so that their ids stay unique.
STATUS_PREFIX = "status"
DOCUMENT_PREFIX = "document"


def _person(request, pk, permission="protection.view"):
    """The person (a foreign id is a 404), then the role (403): existence never leaks."""
    from django.core.exceptions import PermissionDenied

    person = selectors.person_for_page(membership=request.membership, pk=pk)
    if not request.membership.can(permission):
        raise PermissionDenied
    return person


def _page(request, person, *, status_form=None, document_form=None, status=200):
    today = timezone.localdate()
    statuses = list(selectors.statuses_of(person=person))
    for entry in statuses:  # one small form per open status, prefixed: ids stay unique on the page
        if entry.until is None:
            entry.end_form = StatusEndForm(record=entry, prefix=f"end{entry.pk}", initial={"until": today})
    _shown, protected_documents = selectors.documents_for_page(membership=request.membership, person=person)
    periods = selectors.work_periods_by_person([person.pk]).get(person.pk, [])
    services.protection_viewed(
        membership=request.membership,
        person=person,
        shown=["migration_status", "nationality", "documents", "work_authorization"],
    )
    return render(
        request,
        "people/status.html",
        {
            "person": person,
            "today": today,
            "statuses": statuses,
            "current": next((s for s in statuses if s.is_current(today)), None),
            "documents": protected_documents,
            "periods": periods,
            "authorized_today": any(p.covers(today) for p in periods),
            "status_form": status_form
            or MigrationStatusForm(country=person.organization.country, prefix=STATUS_PREFIX),
            "document_form": document_form or ForeignDocumentForm(person=person, prefix=DOCUMENT_PREFIX),
            "can_record": request.membership.can("protection.record"),
        },
        status=status,
    )


@membership_required()
def status_page(request, pk):
    person = _person(request, pk)
    return _page(request, person)


@membership_required()
@require_POST
def status_add(request, pk):
    person = _person(request, pk, "protection.record")
    form = MigrationStatusForm(request.POST, country=person.organization.country, prefix=STATUS_PREFIX)
    if not form.is_valid():
        return _page(request, person, status_form=form, status=400)
    services.migration_status_record(membership=request.membership, person=person, **form.cleaned_data)
    messages.success(request, _("The migration status was recorded."))
    return redirect("people:status", pk=person.pk)


@membership_required()
@require_POST
def status_end(request, pk, status_pk):
    person = _person(request, pk, "protection.record")
    status = get_scoped_or_404(selectors.statuses_of(person=person), pk=status_pk)
    form = StatusEndForm(request.POST, record=status, prefix=f"end{status.pk}")
    if form.is_valid():
        try:
            services.migration_status_end(
                membership=request.membership,
                status=status,
                until=form.cleaned_data["until"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleRecord as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The end of the status was recorded."))
    else:
        messages.error(request, _("Write the date on which the status ended."))
    return redirect("people:status", pk=person.pk)


@membership_required()
@require_POST
def document_add(request, pk):
    person = _person(request, pk, "protection.record")
    form = ForeignDocumentForm(request.POST, person=person, prefix=DOCUMENT_PREFIX)
    if not form.is_valid():
        return _page(request, person, document_form=form, status=400)
    services.identity_document_set(membership=request.membership, person=person, **form.cleaned_data)
    messages.success(request, _("The document was recorded."))
    return redirect("people:status", pk=person.pk)


@membership_required("protection.view")
def expiring(request):
    """Documents of the organization's people that expire soon (or expired this month)."""
    today = timezone.localdate()
    rows = selectors.expiring_for(membership=request.membership, today=today)
    return render(request, "people/expiring.html", {"rows": rows, "today": today})
