"""Daily reminders: each person with tasks due today or overdue gets one e-mail, in their
language, with how many and a link to "my work" — never a name or a case detail."""

from collections import Counter

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from incluye.accounts.models import User
from incluye.cases.models import Task


def send_task_reminders(*, today=None) -> int:
    today = today or timezone.localdate()
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
    link = settings.SITE_URL.rstrip("/") + reverse("cases:my_work")
    sent = 0
    for user in User.objects.filter(pk__in=due, is_active=True):
        context = {"user": user, "due": due[user.pk], "overdue": overdue[user.pk], "link": link}
        with translation.override(user.preferred_language):
            subject = render_to_string("cases/email/reminder_subject.txt", context).strip()
            body = render_to_string("cases/email/reminder_body.txt", context)
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent
