"""What the cases app has waiting in people's inboxes: risk alerts (in full for psychosocial staff,
as "requires psychosocial attention" for everyone else), cases waiting in the user's stage, and
tasks and follow-ups due. Registered from `CasesConfig.ready()`."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incluye.accounts.roles import Role
from incluye.cases.models import AlertStatus, CaseStatus, RiskAlert, Task
from incluye.cases.selectors import ROLE_STAGES, alerts_visible_to, cases_visible_to
from incluye.core.inbox import InboxItem, InboxSource, register_inbox_source

TASKS_AHEAD_DAYS = 7  # tasks due within a week are in the inbox, overdue ones first


def _escalation_limit():
    return timezone.now() - datetime.timedelta(hours=settings.INCLUYE_ALERT_ESCALATION_HOURS)


# Alerts -----------------------------------------------------------------------------------------


def _alerts(membership, today):
    return (
        alerts_visible_to(membership=membership)
        .exclude(status=AlertStatus.RESOLVED)
        .select_related("case__person", "screening")
        .order_by("status", "raised_at")
    )


def _alert_item(alert, today):
    waiting = alert.status == AlertStatus.OPEN
    return InboxItem(
        title=alert.case.person.full_name,
        detail=(
            _("Risk alert from the %(instrument)s: acknowledge it")
            if waiting
            else _("Safety plan in progress (%(instrument)s)")
        )
        % {"instrument": alert.screening.instrument},
        url=reverse("cases:alert", args=[alert.pk]),
        overdue=waiting and alert.raised_at < _escalation_limit(),
        urgent=True,
    )


def _attention(membership, today):
    """Cases of the user (all the organization's for an administrator) with an active alert —
    the fact only, nothing of the answers."""
    active = RiskAlert.objects.filter(case_id=OuterRef("pk")).exclude(status=AlertStatus.RESOLVED)
    qs = cases_visible_to(membership=membership).exclude(status=CaseStatus.CLOSED).filter(Exists(active))
    if membership.role != Role.ADMINISTRATOR:
        qs = qs.filter(caseworker_id=membership.user_id)
    return qs.select_related("person").order_by("person__name_key")


def _attention_item(case, today):
    return InboxItem(
        title=case.person.full_name,
        detail=_("Requires psychosocial attention"),
        url=reverse("cases:detail", args=[case.pk]),
        urgent=True,
    )


def _escalated(membership, today):
    return (
        RiskAlert.objects.filter(
            case__in=cases_visible_to(membership=membership),
            status=AlertStatus.OPEN,
            escalated_at__isnull=False,
        )
        .select_related("case__person")
        .order_by("raised_at")
    )


def _escalated_item(alert, today):
    return InboxItem(
        title=alert.case.person.full_name,
        detail=_("Nobody acknowledged a risk alert in %(hours)d hours: find a psychosocial professional")
        % {"hours": settings.INCLUYE_ALERT_ESCALATION_HOURS},
        url=reverse("cases:detail", args=[alert.case_id]),
        overdue=True,
        urgent=True,
    )


# Cases waiting in the user's stage --------------------------------------------------------------


def _stage_cases(membership, today):
    qs = cases_visible_to(membership=membership).filter(status__in=ROLE_STAGES[membership.role])
    if membership.role == Role.CASEWORKER:
        qs = qs.filter(caseworker_id=membership.user_id)
    return qs.select_related("person").order_by("updated_at")


def _stage_item(case, today):
    return InboxItem(
        title=case.person.full_name,
        detail=_("Waiting in “%(stage)s” since %(day)s")
        % {
            "stage": case.get_status_display(),
            "day": date_format(timezone.localdate(case.updated_at), "SHORT_DATE_FORMAT"),
        },
        url=reverse("cases:detail", args=[case.pk]),
    )


# Tasks and follow-ups due -----------------------------------------------------------------------


def _tasks(membership, today):
    return (
        Task.objects.filter(
            assigned_to_id=membership.user_id,
            done_at__isnull=True,
            due_on__lte=today + datetime.timedelta(days=TASKS_AHEAD_DAYS),
            case__organization_id=membership.organization_id,
            case__person__merged_into__isnull=True,
        )
        .select_related("case__person")
        .order_by("due_on", "id")
    )


def _task_item(task, today):
    return InboxItem(
        title=task.case.person.full_name,
        detail=task.title,
        url=reverse("cases:detail", args=[task.case_id]),
        due_on=task.due_on,
        overdue=task.due_on < today,
    )


def register() -> None:
    register_inbox_source(
        InboxSource(
            key="alerts",
            title=gettext_lazy("Risk alerts"),
            order=1,
            applies=lambda m: m.can("alerts.handle"),
            queryset=_alerts,
            item=_alert_item,
            overdue=lambda today: Q(status=AlertStatus.OPEN, raised_at__lt=_escalation_limit()),
        )
    )
    register_inbox_source(
        InboxSource(
            key="alerts_escalated",
            title=gettext_lazy("Risk alerts nobody acknowledged in time"),
            order=2,
            applies=lambda m: m.can("members.manage") and m.can("cases.view"),
            queryset=_escalated,
            item=_escalated_item,
            overdue=lambda today: Q(pk__isnull=False),
        )
    )
    register_inbox_source(
        InboxSource(
            key="attention",
            title=gettext_lazy("Requires psychosocial attention"),
            order=3,
            applies=lambda m: (
                m.can("cases.view") and not m.can("alerts.handle") and m.role != Role.RECEPTION_OFFICER
            ),
            queryset=_attention,
            item=_attention_item,
        )
    )
    register_inbox_source(
        InboxSource(
            key="stage_cases",
            title=gettext_lazy("Cases waiting in your stage"),
            order=20,
            applies=lambda m: m.role in (Role.PSYCHOSOCIAL, Role.DOCUMENTS_OFFICER) and m.can("cases.view"),
            queryset=_stage_cases,
            item=_stage_item,
        )
    )
    register_inbox_source(
        InboxSource(
            key="new_cases",
            title=gettext_lazy("New cases given to you"),
            order=20,
            applies=lambda m: m.role == Role.CASEWORKER and m.can("cases.view"),
            queryset=_stage_cases,
            item=_stage_item,
        )
    )
    register_inbox_source(
        InboxSource(
            key="tasks",
            title=gettext_lazy("Tasks and follow-ups due"),
            order=21,
            applies=lambda m: m.can("cases.view"),
            queryset=_tasks,
            item=_task_item,
            overdue=lambda today: Q(due_on__lt=today),
        )
    )
