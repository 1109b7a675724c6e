from django.db.models import Prefetch, Q
from django.utils import timezone

from incluye.core.text import fold
from incluye.people.models import IdentityDocument, Person


def people_visible_to(*, membership):
    """People a membership may see: those its organization registered (consented sharing comes
    with the Registry issue). Roles without `people.view` see nobody."""
    if membership is None or not membership.can("people.view"):
        return Person.objects.none()
    return Person.objects.filter(organization_id=membership.organization_id, merged_into__isnull=True)


def people_list(*, membership, query: str = "", today: bool = False):
    qs = people_visible_to(membership=membership).select_related("residence", "nationality")
    if today:
        qs = qs.filter(created_at__date=timezone.localdate())
    for term in query.split():
        qs = qs.filter(Q(name_key__contains=fold(term)) | Q(documents__number=term.replace("-", "")))
    return qs.distinct().order_by("name_key")


def person_for_page(*, membership, pk):
    from incluye.core.access import get_scoped_or_404

    return get_scoped_or_404(
        people_visible_to(membership=membership)
        .select_related("nationality", "residence__parent", "organization", "created_by")
        .prefetch_related(
            Prefetch("documents", queryset=IdentityDocument.objects.select_related("document_type"))
        ),
        pk=pk,
    )
