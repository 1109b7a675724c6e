"""Writes of case management. Each one logs what it did (never a note's text)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incluye.accounts.selectors import psychosocial_staff
from incluye.cases.models import (
    CASE_PIPELINE,
    DOCUMENT_PIPELINE,
    FOLLOW_UP_MONTHS,
    AlertStatus,
    Case,
    CaseDocument,
    CaseNote,
    CaseStageChange,
    CaseStatus,
    DocumentScan,
    FollowUp,
    Goal,
    RiskAlert,
    Screening,
    Sensitivity,
    Task,
    document_checklist,
    safety_plan_checklist,
)
from incluye.core.actionlog import log_action
from incluye.core.links import absolute_url
from incluye.core.pipeline import TransitionNotAllowed
from incluye.core.versioning import StaleRecord, check_current, save_versioned


def _version(record, expected_version):
    """The version the user read; a change made by the system within one request passes none and
    checks against the version it loaded."""
    return record.version if expected_version is None else expected_version


# A change made on an old copy of a record is refused (core.versioning), never silently lost.
StaleCase = StaleRecord


@transaction.atomic
def case_open(*, membership, person, caseworker=None) -> Case:
    if not membership.can("cases.manage"):
        raise PermissionDenied
    case = Case.objects.create(
        person=person, organization=membership.organization, caseworker=caseworker or membership.user
    )
    documents_ensure(case=case)
    follow_ups_schedule(membership=membership, case=case)
    CaseStageChange.objects.create(case=case, to_status=case.status, changed_by=membership.user)
    log_action(
        actor=membership.user, organization=membership.organization, action="incluye.case.opened", obj=case
    )
    return case


@transaction.atomic
def case_take_over(*, membership, case: Case, caseworker, expected_version: int) -> Case:
    """The membership's organization becomes the case's owner (a transfer it accepted): the case
    keeps its history, documents, plan and notes; its open tasks go to the new caseworker."""
    if not membership.can("transfers.handle"):
        raise PermissionDenied
    if not case.is_open:
        raise TransitionNotAllowed(_("The case is closed: it cannot be transferred."))
    if (
        Case.objects.filter(person_id=case.person_id, organization_id=membership.organization_id)
        .exclude(status=CaseStatus.CLOSED)
        .exists()
    ):
        raise TransitionNotAllowed(_("This person already has an open case here."))
    previous = case.organization_id
    saved = _save_versioned(
        case, expected_version, organization=membership.organization, caseworker=caseworker
    )
    open_tasks = case.tasks.filter(done_at__isnull=True)
    open_tasks.exclude(sensitivity=Sensitivity.PSYCHOSOCIAL).update(assigned_to=caseworker)
    psychologist = psychosocial_staff(organization=membership.organization).first()
    if psychologist is not None:  # a psychosocial task stays with psychosocial staff
        open_tasks.filter(sensitivity=Sensitivity.PSYCHOSOCIAL).update(assigned_to=psychologist)
    CaseStageChange.objects.create(
        case=case,
        from_status=case.status,
        to_status=case.status,
        note=_("Transferred from another organization"),
        changed_by=membership.user,
    )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.case.transferred",
        obj=case,
        data={"from_organization": previous, "caseworker": caseworker.pk, **saved},
    )
    return case


def _save_versioned(record, expected_version: int, **fields) -> dict:
    """Update a case (or its risk alert) only if nobody changed it since `expected_version`
    (optimistic locking, `core.versioning`): returns what the write changed, for the action log."""
    for name, value in fields.items():
        setattr(record, name, value)
    return save_versioned(record, expected_version=expected_version, fields=list(fields))


def _change_stage(
    *,
    membership,
    case: Case,
    to_status: str,
    expected_version: int,
    action: str,
    note="",
    data=None,
    **fields,
):
    """Move the case to `to_status` (optimistic locking), record the stage change and log it."""
    from_status = case.status
    saved = _save_versioned(case, expected_version, status=to_status, **fields)
    CaseStageChange.objects.create(
        case=case, from_status=from_status, to_status=to_status, note=note[:300], changed_by=membership.user
    )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action=action,
        obj=case,
        data={"from": from_status, "to": to_status, **(data or {}), **saved},
    )
    return case


@transaction.atomic
def case_move(*, membership, case: Case, to_status: str, expected_version: int, note: str = "") -> Case:
    if not membership.can("cases.manage"):
        raise PermissionDenied
    check_current(case, expected_version)
    if to_status == CaseStatus.CLOSED:
        raise TransitionNotAllowed(_("Close a case with a reason, from “Close the case”."))
    CASE_PIPELINE.check(case.status, to_status)
    return _change_stage(
        membership=membership,
        case=case,
        to_status=to_status,
        expected_version=expected_version,
        action="incluye.case.moved",
        note=note,
    )


@transaction.atomic
def case_close(*, membership, case: Case, reason: str, outcome: str, expected_version: int) -> Case:
    if not membership.can("cases.manage"):
        raise PermissionDenied
    check_current(case, expected_version)
    CASE_PIPELINE.check(case.status, CaseStatus.CLOSED)
    return _change_stage(
        membership=membership,
        case=case,
        to_status=CaseStatus.CLOSED,
        expected_version=expected_version,
        action="incluye.case.closed",
        data={"reason": reason},
        closed_at=timezone.now(),
        closure_reason=reason,
        closure_outcome=outcome,
    )


@transaction.atomic
def case_reopen(*, membership, case: Case, expected_version: int, note: str = "") -> Case:
    """Back to the stage it was closed from."""
    if not membership.can("cases.manage"):
        raise PermissionDenied
    check_current(case, expected_version)
    if case.is_open:
        raise TransitionNotAllowed(_("This case is open."))
    if (
        Case.objects.filter(person=case.person, organization=case.organization)
        .exclude(status=CaseStatus.CLOSED)
        .exists()
    ):
        raise TransitionNotAllowed(_("This person already has an open case here."))
    last_close = case.stage_changes.filter(to_status=CaseStatus.CLOSED).first()
    back_to = (last_close.from_status if last_close else "") or CaseStatus.RECEPTION
    return _change_stage(
        membership=membership,
        case=case,
        to_status=back_to,
        expected_version=expected_version,
        action="incluye.case.reopened",
        note=note,
        closed_at=None,
        closure_reason="",
        closure_outcome="",
    )


@transaction.atomic
def note_add(*, membership, case: Case, text: str, sensitivity: str) -> CaseNote:
    if not membership.can("notes.write"):
        raise PermissionDenied
    if sensitivity == Sensitivity.PSYCHOSOCIAL and not membership.can("notes.psychosocial"):
        raise PermissionDenied
    note = CaseNote.objects.create(case=case, author=membership.user, sensitivity=sensitivity, text=text)
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.case.note_added",
        obj=case,
        data={"note": note.pk, "sensitivity": sensitivity},
    )
    return note


@transaction.atomic
def task_create(
    *, membership, case: Case, title: str, due_on, assigned_to=None, sensitivity="general"
) -> Task:
    if not membership.can("notes.write"):
        raise PermissionDenied
    task = Task.objects.create(
        case=case,
        title=title,
        due_on=due_on,
        assigned_to=assigned_to or case.caseworker or membership.user,
        created_by=membership.user,
        sensitivity=sensitivity,
    )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.task.created",
        obj=case,
        data={"task": task.pk},
    )
    return task


@transaction.atomic
def task_done(*, membership, task: Task, expected_version=None) -> Task:
    task.done_at = timezone.now()
    saved = save_versioned(task, expected_version=_version(task, expected_version), fields=["done_at"])
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.task.done",
        obj=task.case,
        data={"task": task.pk, **saved},
    )
    return task


SCAN_MAX_BYTES = 10 * 1024 * 1024
# What a scan may be, recognized by reading all of it (a PDF that parses, a photo that decodes).
SCAN_TYPES = {"pdf", "jpeg", "png"}


class ScanRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def documents_ensure(*, case: Case) -> None:
    """Create the checklist items the case does not have yet: the country's list for a returned
    national; for someone who arrived, the list of their current migration status (a new status
    adds its items and keeps the others, with their progress)."""
    from incluye.people.selectors import current_status

    country = case.organization.country_id
    if case.person.nationality_id == country:
        status = None
    else:
        current = current_status(person=case.person)
        status = current.kind if current else "unknown"
    existing = set(case.documents.values_list("code", flat=True))
    CaseDocument.objects.bulk_create(
        [
            CaseDocument(case=case, code=item["code"], name=item["name"])
            for item in document_checklist(country, status)
            if item["code"] not in existing
        ]
    )


def documents_follow_status(*, person) -> None:
    """After a change of migration status: the person's open cases get that status's checklist."""
    for case in Case.objects.filter(person=person).exclude(status=CaseStatus.CLOSED).select_related("person"):
        documents_ensure(case=case)


@transaction.atomic
def document_update(
    *,
    membership,
    document: CaseDocument,
    status: str,
    appointment_at=None,
    appointment_place="",
    expected_version=None,
):
    if not membership.can("notes.write"):
        raise PermissionDenied
    check_current(document, expected_version)
    if status != document.status:
        DOCUMENT_PIPELINE.check(document.status, status)
    previous = document.status
    document.status, document.appointment_at, document.appointment_place = (
        status,
        appointment_at,
        appointment_place,
    )
    document.updated_by = membership.user
    saved = save_versioned(
        document,
        expected_version=_version(document, expected_version),
        fields=["status", "appointment_at", "appointment_place", "updated_by"],
    )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.document.updated",
        obj=document.case,
        data={"document": document.code, "from": previous, "to": status, **saved},
    )
    return document


@transaction.atomic
def scan_upload(*, membership, document: CaseDocument, upload) -> DocumentScan:
    """Store a scan privately after checking its size and its real type (PDF, JPEG or PNG)."""
    if not membership.can("notes.write"):
        raise PermissionDenied
    if upload.size > SCAN_MAX_BYTES:
        raise ScanRefused(
            _("The scan is larger than %(limit)d MB.") % {"limit": SCAN_MAX_BYTES // (1024 * 1024)}
        )
    from incluye.core.uploads import Refused, detect

    try:
        detected = detect(upload, allowed=SCAN_TYPES)
    except Refused as error:
        raise ScanRefused(_("Upload a PDF, JPEG or PNG file.")) from error
    scan = DocumentScan(
        document=document,
        original_name=upload.name[:255],
        content_type=detected.content_type,
        size=upload.size,
        uploaded_by=membership.user,
    )
    scan.file.save(detected.safe_name(), upload, save=False)  # no personal data in the name
    scan.save()
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.scan.uploaded",
        obj=document.case,
        data={"document": document.code, "scan": scan.pk},
    )
    return scan


def scan_viewed(*, membership, scan: DocumentScan) -> None:
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.scan.viewed",
        obj=scan.document.case,
        data={"document": scan.document.code, "scan": scan.pk},
    )


@transaction.atomic
def screening_record(*, membership, case: Case, instrument_code: str, answers: dict) -> Screening:
    """Score and keep a screening; a positive one creates a follow-up task for its author."""
    import datetime

    from incluye.cases.instruments import load_instrument, score

    if not membership.can("notes.psychosocial"):
        raise PermissionDenied
    instrument = load_instrument(instrument_code)
    result = score(instrument, answers)
    screening = Screening.objects.create(
        case=case,
        instrument=instrument.code,
        version=instrument.version,
        answers=answers,
        total=result.total,
        band=result.band,
        positive=result.positive,
        urgent=result.urgent,
        suggested_level=result.suggested_level,
        administered_by=membership.user,
    )
    if result.alert:
        alert_raise(membership=membership, case=case, screening=screening, rules=result.alerts)
    if result.positive:
        days = 1 if result.urgent else 7
        task_create(
            membership=membership,
            case=case,
            title=_("Follow up the %(instrument)s screening") % {"instrument": instrument.code},
            due_on=timezone.localdate() + datetime.timedelta(days=days),
            assigned_to=membership.user,
            sensitivity=Sensitivity.PSYCHOSOCIAL,
        )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.screening.recorded",
        obj=case,
        data={"screening": screening.pk, "instrument": instrument.code},
    )
    return screening


def follow_ups_schedule(*, membership, case: Case) -> list[FollowUp]:
    """Plan the 3, 6 and 12-month follow-ups from the person's latest return, each with a task for
    the caseworker so that it shows on their "my work" page when due. A person who comes to the
    program once the first follow-up's date has passed (a refugee who arrived years ago, a return
    long before the case) is followed from the day the case opens: the follow-ups keep their
    spacing instead of all falling due at once."""
    from incluye.core.dates import add_months

    today = timezone.localdate()
    latest = case.person.returns.order_by("-arrived_on").values_list("arrived_on", flat=True).first()
    start = latest or today
    if add_months(start, FOLLOW_UP_MONTHS[0]) <= today:
        start = today
    planned = []
    for months in FOLLOW_UP_MONTHS:
        if FollowUp.objects.filter(case=case, months=months).exists():
            continue
        due_on = add_months(start, months)
        task = task_create(
            membership=membership,
            case=case,
            title=_("Reintegration follow-up, %(months)d months") % {"months": months},
            due_on=due_on,
        )
        planned.append(FollowUp.objects.create(case=case, months=months, due_on=due_on, task=task))
    return planned


@transaction.atomic
def follow_up_record(*, membership, follow_up: FollowUp, answers: dict, expected_version=None) -> FollowUp:
    from incluye.cases.reintegration import load_survey, score_survey

    if not membership.can("notes.write"):
        raise PermissionDenied
    survey = load_survey()
    result = score_survey(survey, answers)
    follow_up.survey_version = survey.version
    follow_up.answers = answers
    follow_up.scores = result.as_dict()
    follow_up.conducted_at = timezone.now()
    follow_up.conducted_by = membership.user
    saved = save_versioned(
        follow_up,
        expected_version=_version(follow_up, expected_version),
        fields=["survey_version", "answers", "scores", "conducted_at", "conducted_by"],
    )
    if follow_up.task_id and follow_up.task.done_at is None:
        task_done(membership=membership, task=follow_up.task)
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.follow_up.recorded",
        obj=follow_up.case,
        data={"follow_up": follow_up.pk, "months": follow_up.months, **saved},
    )
    return follow_up


@transaction.atomic
def goal_set(
    *, membership, case: Case, title: str, due_on, owner=None, goal=None, status="open", expected_version=None
) -> Goal:
    """Add a goal to the plan, or change one (its status, date or owner)."""
    if not membership.can("notes.write"):
        raise PermissionDenied
    existing = goal is not None
    goal = goal or Goal(case=case)
    goal.title, goal.due_on, goal.owner, goal.status = (
        title,
        due_on,
        owner or case.caseworker or membership.user,
        status,
    )
    saved = {}
    if existing:
        saved = save_versioned(
            goal,
            expected_version=_version(goal, expected_version),
            fields=["title", "due_on", "owner", "status"],
        )
    else:
        goal.save()
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.goal.set",
        obj=case,
        data={"goal": goal.pk, "status": status, **saved},
    )
    return goal


def case_viewed(*, membership, case: Case, notes) -> None:
    """Opening a case is logged, with how many psychosocial notes were shown in full (reads of the
    most sensitive text are part of the person's "who saw my data" report)."""
    shown = [n for n in notes if not n.hidden and n.sensitivity == Sensitivity.PSYCHOSOCIAL]
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.case.viewed",
        obj=case,
        data={"psychosocial_notes_read": [n.pk for n in shown]} if shown else {},
    )


# Risk alerts ------------------------------------------------------------------------------------


def _alert_link(alert: RiskAlert) -> str:

    return absolute_url("cases:alert", alert.pk)


def alert_raise(*, membership, case: Case, screening: Screening, rules) -> RiskAlert:
    """Answers that signal risk: an alert on the case, the organization's psychosocial lead told
    at once (every psychosocial professional when it has no lead). The message says where to look,
    never who it is or what was answered."""
    from incluye.core.notify import notify_on_commit

    alert = RiskAlert.objects.create(
        case=case,
        screening=screening,
        rules=list(rules),
        raised_by=membership.user,
        plan_country=case.organization.country_id,
    )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.alert.raised",
        obj=case,
        data={"alert": alert.pk, "screening": screening.pk},
    )
    staff = psychosocial_staff(organization=case.organization)
    leads = list(staff.filter(lead=True)) or list(staff)
    notify_on_commit(
        to_users=leads, template="cases/email/alert_raised", context={"link": _alert_link(alert)}, urgent=True
    )
    return alert


def _require_alert_staff(membership, alert: RiskAlert) -> None:
    if not membership.can("alerts.handle") or alert.case.organization_id != membership.organization_id:
        raise PermissionDenied


@transaction.atomic
def alert_acknowledge(*, membership, alert: RiskAlert, expected_version: int) -> RiskAlert:
    """A psychosocial professional takes the alert: its safety plan starts."""
    _require_alert_staff(membership, alert)
    if alert.status != AlertStatus.OPEN:
        raise TransitionNotAllowed(_("This alert was already acknowledged."))
    saved = _save_versioned(
        alert,
        expected_version,
        status=AlertStatus.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
        acknowledged_by=membership.user,
    )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.alert.acknowledged",
        obj=alert.case,
        data={"alert": alert.pk, **saved},
    )
    return alert


@transaction.atomic
def safety_plan_update(
    *, membership, alert: RiskAlert, done: list, note: str, expected_version: int, complete: bool = False
) -> RiskAlert:
    """Record the safety plan's checked items and its note; `complete` closes it, once every
    required item of the country's checklist is done."""
    _require_alert_staff(membership, alert)
    if alert.status != AlertStatus.ACKNOWLEDGED:
        raise TransitionNotAllowed(_("Acknowledge the alert before working on its safety plan."))
    checklist = safety_plan_checklist(alert.plan_country or alert.case.organization.country_id)
    codes = {item["code"] for item in checklist}
    now = timezone.now().isoformat()
    items = {}
    for code in codes:
        before = alert.plan_items.get(code) or {}
        if code in done:
            items[code] = (
                before if before.get("done") else {"done": True, "at": now, "by": membership.user_id}
            )
        elif before.get("done"):
            items[code] = {"done": False, "at": now, "by": membership.user_id}
    fields = {"plan_items": items, "plan_note": note}
    if complete:
        missing = [item for item in checklist if item.get("required") and item["code"] not in done]
        if missing:
            raise TransitionNotAllowed(
                _("The safety plan cannot be completed before every required step is done.")
            )
        fields.update(status=AlertStatus.RESOLVED, resolved_at=timezone.now(), resolved_by=membership.user)
    saved = _save_versioned(alert, expected_version, **fields)
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.alert.resolved" if complete else "incluye.alert.plan_updated",
        obj=alert.case,
        data={
            "alert": alert.pk,
            "steps_done": sorted(code for code, item in items.items() if item.get("done")),
            **saved,
        },
    )
    return alert


def alert_viewed(*, membership, alert: RiskAlert) -> None:
    """Reading an alert (which answers fired it) is reading psychosocial data: logged."""
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.alert.viewed",
        obj=alert.case,
        data={"alert": alert.pk},
    )


def alerts_escalate(*, now=None) -> int:
    """Alerts nobody acknowledged within INCLUYE_ALERT_ESCALATION_HOURS go to the organization's
    administrators and, again, to all its psychosocial professionals (each alert once). Returns how
    many escalated."""
    import datetime

    from django.conf import settings

    from incluye.accounts.selectors import members_who_can
    from incluye.core.notify import notify_on_commit

    now = now or timezone.now()
    limit = now - datetime.timedelta(hours=settings.INCLUYE_ALERT_ESCALATION_HOURS)
    escalated = 0
    for alert in RiskAlert.objects.filter(
        status=AlertStatus.OPEN, escalated_at__isnull=True, raised_at__lte=limit
    ).select_related("case__organization"):
        with transaction.atomic():
            if not RiskAlert.objects.filter(pk=alert.pk, escalated_at__isnull=True).update(escalated_at=now):
                continue
            organization = alert.case.organization
            recipients = [*members_who_can(organization=organization, permission="members.manage")]
            recipients += list(psychosocial_staff(organization=organization))
            log_action(
                actor=None,
                organization=organization,
                action="incluye.alert.escalated",
                obj=alert.case,
                data={"alert": alert.pk, "hours": settings.INCLUYE_ALERT_ESCALATION_HOURS},
            )
            notify_on_commit(
                to_users=recipients,
                template="cases/email/alert_escalated",
                context={"link": _alert_link(alert), "hours": settings.INCLUYE_ALERT_ESCALATION_HOURS},
                urgent=True,
            )
            escalated += 1
    return escalated
