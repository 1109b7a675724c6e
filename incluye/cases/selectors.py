from django.db.models import Prefetch

from incluye.cases.models import Case, CaseNote, CaseStageChange, Sensitivity


def cases_visible_to(*, membership):
    """Cases owned by the membership's organization, for roles that work on cases."""
    if membership is None or not membership.can("cases.view"):
        return Case.objects.none()
    return Case.objects.filter(organization_id=membership.organization_id, person__merged_into__isnull=True)


def caseload(*, membership, mine: bool = True, status: str = ""):
    qs = cases_visible_to(membership=membership).select_related("person", "caseworker")
    if mine:
        qs = qs.filter(caseworker_id=membership.user_id)
    qs = qs.filter(status=status) if status else qs.exclude(status="closed")
    return qs.order_by("person__name_key")


def case_for_page(*, membership, pk):
    from incluye.core.access import get_scoped_or_404

    return get_scoped_or_404(
        cases_visible_to(membership=membership)
        .select_related("person", "caseworker", "organization")
        .prefetch_related(
            Prefetch("stage_changes", queryset=CaseStageChange.objects.select_related("changed_by"))
        ),
        pk=pk,
    )


def notes_for(*, membership, case) -> list[CaseNote]:
    """The case's notes as this membership may see them. A psychosocial note's text is not even
    read from the database for someone who may not read it: those notes come with `text` deferred
    and `hidden = True`."""
    base = CaseNote.objects.filter(case=case).select_related("author")
    if membership.can("notes.psychosocial"):
        notes = list(base)
        for note in notes:
            note.hidden = False
        return notes
    readable = list(base.exclude(sensitivity=Sensitivity.PSYCHOSOCIAL))
    for note in readable:
        note.hidden = False
    hidden = list(base.filter(sensitivity=Sensitivity.PSYCHOSOCIAL).defer("text"))
    for note in hidden:
        note.hidden = True
        note.text = ""  # so that not even a template mistake can load it
    return sorted(readable + hidden, key=lambda n: (n.created_at, n.pk), reverse=True)


def open_case_of(*, membership, person):
    return cases_visible_to(membership=membership).filter(person=person).exclude(status="closed").first()


def my_work(*, membership):
    """The user's open tasks in this organization, overdue first (they are the earliest due)."""
    from incluye.cases.models import Task

    tasks = Task.objects.filter(
        assigned_to_id=membership.user_id,
        done_at__isnull=True,
        case__organization_id=membership.organization_id,
        case__person__merged_into__isnull=True,
    )
    if not membership.can("protection.view"):
        tasks = tasks.exclude(sensitivity=Sensitivity.PROTECTION)
    return tasks.select_related("case__person").order_by("due_on", "id")


def caseload_by_caseworker(*, membership):
    """Open cases per caseworker, for whoever supervises the organization's caseload."""
    from django.db.models import Count

    return (
        cases_visible_to(membership=membership)
        .exclude(status="closed")
        .values("caseworker__first_name", "caseworker__last_name", "caseworker__email")
        .annotate(open_cases=Count("id"))
        .order_by("-open_cases")
    )


def screenings_for(*, membership, case) -> list:
    """Screenings are psychosocial data: only psychosocial professionals see them at all."""
    if not membership.can("notes.psychosocial"):
        return []
    return list(case.screenings.select_related("administered_by"))


def tasks_of(*, membership, case):
    """The case's open tasks; psychosocial ones only for psychosocial staff."""
    tasks = case.tasks.select_related("assigned_to").filter(done_at__isnull=True)
    if not membership.can("notes.psychosocial"):
        tasks = tasks.exclude(sensitivity=Sensitivity.PSYCHOSOCIAL)
    if not membership.can("protection.view"):
        tasks = tasks.exclude(sensitivity=Sensitivity.PROTECTION)
    return tasks


def documents_visible(*, membership, case) -> bool:
    """The checklist of someone who arrived tells their migration status (an asylum seeker's card,
    a work permit): only the roles with `protection.view` see it."""
    return case.person.nationality_id == case.organization.country_id or membership.can("protection.view")
