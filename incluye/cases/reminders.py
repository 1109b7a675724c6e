"""Daily reminders: each person with tasks due today or overdue gets one e-mail, in their
language, with how many and a link to "my work" — never a name or a case detail. Before counting,
documents about to expire become tasks (the caseworker renews them before they lapse)."""

from collections import Counter

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from incluye.accounts.models import User
from incluye.cases.models import Task
from incluye.core.actionlog import log_action
from incluye.core.links import absolute_url
from incluye.core.text import pick_language


def document_expiry_tasks(*, today=None) -> int:
    """A task for the caseworker of each open case of a person whose card, permit or residence
    document enters its reminder period (its type's `remind_days` before it expires): renew it.
    One task per document and expiry date, created the first day (idempotent); a protection task,
    since the document tells the migration status. Returns how many were created."""
    from incluye.cases.models import Case, CaseStatus, Sensitivity
    from incluye.people.selectors import documents_expiring

    today = today or timezone.localdate()
    created = 0
    for document, _left in documents_expiring(today=today):
        if document.expires_on < today:
            continue  # expired: the task made before it lapsed is overdue, and says so every day
        cases = Case.objects.filter(person_id=document.person_id).exclude(status=CaseStatus.CLOSED)
        for case in cases.select_related("organization"):
            key = f"document:{document.pk}:{document.expires_on.isoformat()}"
            if Task.objects.filter(case=case, key=key).exists():
                continue
            assignee = case.caseworker
            if assignee is None:
                continue
            with translation.override(assignee.preferred_language):
                title = _("Renew “%(document)s” before %(date)s") % {
                    "document": pick_language(document.document_type.names),
                    "date": formats.date_format(document.expires_on, "SHORT_DATE_FORMAT"),
                }
            Task.objects.create(
                case=case,
                title=title[:200],
                key=key,
                due_on=today,
                assigned_to=assignee,
                sensitivity=Sensitivity.PROTECTION,
            )
            log_action(
                actor=None,
                organization=case.organization,
                action="incluye.task.created",
                obj=case,
                data={"reason": "document_expiry", "document": document.pk},
            )
            created += 1
    return created


def send_task_reminders(*, today=None) -> int:
    today = today or timezone.localdate()
    document_expiry_tasks(today=today)
    due = Counter(
        Task.objects.filter(
            done_at__isnull=True, due_on__lte=today, case__person__merged_into__isnull=True
        ).values_list("assigned_to_id", flat=True)
    )
    overdue = Counter(
        Task.objects.filter(
            done_at__isnull=True, due_on__lt=today, case__person__merged_into__isnull=True
        ).values_list("assigned_to_id", flat=True)
    )
    link = absolute_url("cases:my_work")
    sent = 0
    for user in User.objects.filter(pk__in=due, is_active=True):
        context = {"user": user, "due": due[user.pk], "overdue": overdue[user.pk], "link": link}
        with translation.override(user.preferred_language):
            subject = render_to_string("cases/email/reminder_subject.txt", context).strip()
            body = render_to_string("cases/email/reminder_body.txt", context)
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent
