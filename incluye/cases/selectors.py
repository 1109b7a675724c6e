from django.db.models import Exists, OuterRef, Prefetch

from incluye.accounts.roles import Role
from incluye.cases.models import AlertStatus, Case, CaseNote, CaseStageChange, RiskAlert, Sensitivity

# The stage whose cases wait for each role: the psychologist's work is the organization's cases in
# "Psychosocial support", the documents officer's those in "Documents", a caseworker's the new
# cases given to them (still at "Reception").
ROLE_STAGES = {
    Role.PSYCHOSOCIAL: ("psychosocial",),
    Role.DOCUMENTS_OFFICER: ("documents",),
    Role.CASEWORKER: ("reception",),
}


def cases_visible_to(*, membership):
    """Cases owned by the membership's organization, for roles that work on cases."""
    if membership is None or not membership.can("cases.view"):
        return Case.objects.none()
    return Case.objects.filter(organization_id=membership.organization_id, person__merged_into__isnull=True)


def caseload(*, membership, mine: bool = True, status: str = ""):
    """The open cases of the organization, or the membership's own: a caseworker's are the cases
    given to them; a psychologist's or a documents officer's, those waiting in their stage."""
    qs = with_attention_flag(cases_visible_to(membership=membership).select_related("person", "caseworker"))
    if mine and membership.role in (Role.PSYCHOSOCIAL, Role.DOCUMENTS_OFFICER):
        qs = qs.filter(status__in=ROLE_STAGES[membership.role])
    elif mine:
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


# --- The same rules for every copy of the data (the person's export, see people/rights.py) ----------


def reads_psychosocial_of(*, membership, case_organization_id) -> bool:
    """Psychosocial content of a case is read by the psychosocial professionals of the
    organization that owns the case, and by nobody else."""
    return membership.can("notes.psychosocial") and membership.organization_id == case_organization_id


def _case_org(record):
    return record.case.organization_id


def note_withheld(note, membership):
    if note.sensitivity == Sensitivity.PSYCHOSOCIAL and not reads_psychosocial_of(
        membership=membership, case_organization_id=_case_org(note)
    ):
        return {"text"}
    return set()


def screening_withheld(screening, membership):
    from incluye.people.rights import WITHHOLD_ALL

    if reads_psychosocial_of(membership=membership, case_organization_id=_case_org(screening)):
        return set()
    return WITHHOLD_ALL  # a screening's very existence is psychosocial (the pages show none)


def task_withheld(task, membership):
    from incluye.people.rights import WITHHOLD_ALL

    if task.sensitivity == Sensitivity.PSYCHOSOCIAL and not reads_psychosocial_of(
        membership=membership, case_organization_id=_case_org(task)
    ):
        return WITHHOLD_ALL
    return set()


def alert_withheld(alert, membership):
    """A risk alert (which answers fired it, its safety plan) is read by the case's psychosocial
    professionals only: other roles see no more than the case's flag."""
    from incluye.people.rights import WITHHOLD_ALL

    if reads_psychosocial_of(membership=membership, case_organization_id=_case_org(alert)):
        return set()
    return WITHHOLD_ALL


EXPORT_RULES = {
    "cases.CaseNote": note_withheld,
    "cases.Screening": screening_withheld,
    "cases.Task": task_withheld,
    "cases.RiskAlert": alert_withheld,
}
# Risk alerts ------------------------------------------------------------------------------------


def with_attention_flag(cases):
    """Annotate `needs_attention`: the case has a risk alert whose safety plan is not completed.
    All that roles other than psychosocial staff ever learn of an alert."""
    active = RiskAlert.objects.filter(case_id=OuterRef("pk")).exclude(status=AlertStatus.RESOLVED)
    return cases.annotate(needs_attention=Exists(active))


def case_needs_attention(*, case) -> bool:
    return case.alerts.exclude(status=AlertStatus.RESOLVED).exists()


def alerts_visible_to(*, membership):
    """Risk alerts of the organization's cases, for psychosocial staff only."""
    if membership is None or not membership.can("alerts.handle"):
        return RiskAlert.objects.none()
    return RiskAlert.objects.filter(case__in=cases_visible_to(membership=membership))


def alert_for_page(*, membership, pk):
    """One alert: another organization's is a 404 (as for the case); for someone of the case's
    organization who is not psychosocial staff, a 403 (they see the case's flag, not the alert)."""
    from django.core.exceptions import PermissionDenied

    from incluye.core.access import get_scoped_or_404

    alert = get_scoped_or_404(
        RiskAlert.objects.filter(case__in=cases_visible_to(membership=membership)).select_related(
            "case__person", "case__organization", "screening", "acknowledged_by", "raised_by", "resolved_by"
        ),
        pk=pk,
    )
    if not membership.can("alerts.handle"):
        raise PermissionDenied
    return alert


def alerts_of_case(*, membership, case):
    return alerts_visible_to(membership=membership).filter(case=case).select_related("screening")


def documents_visible(*, membership, case) -> bool:
    """The checklist of someone who arrived tells their migration status (an asylum seeker's card,
    a work permit): only the roles with `protection.view` see it."""
    return case.person.nationality_id == case.organization.country_id or membership.can("protection.view")


# --- The person's own view (/me/) ---------------------------------------------------------------


def cases_of_person(*, person):
    """The person's cases, newest first, for their own page: the stage and the organization, and
    their documents (what to bring, appointments). Never notes, screenings, alerts or staff tasks."""
    from incluye.cases.models import CaseDocument

    return (
        Case.objects.filter(person=person)
        .select_related("organization")
        .prefetch_related(
            Prefetch("documents", queryset=CaseDocument.objects.order_by("appointment_at", "pk"))
        )
        .order_by("-opened_at")
    )
