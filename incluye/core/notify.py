"""Notifications, in one place: e-mail through Django's mail, short messages (SMS, WhatsApp)
through a pluggable backend.

A notification is a template name, e.g. "referrals/email/referral_sent", rendered as
`<template>_subject.txt` and `<template>_body.txt` for an e-mail and `<template>_sms.txt` for a
phone. Each e-mail is rendered in its recipient's preferred language.

Messages travel outside Incluye: never put sensitive values in the context (no person's name,
no reason, no note), only what tells the recipient where to look — a service's name and a link.

Each user chooses immediate messages or a daily digest (`User.notification_mode`). For a user who
chose the digest, an e-mail notification is kept as a `PendingNotification` and `send_digest`
(`manage.py send_digest`, daily) sends them one message listing everything that arrived. An
`urgent` notification (a risk alert) is always sent at once.

The short-message backend is chosen by the setting `INCLUYE_SMS_BACKEND` (a dotted path; default
`ConsoleSMSBackend`, which writes to the console). A gateway (an SMS provider, the WhatsApp Business
API) is a subclass of `BaseSMSBackend` implementing `send_messages`.
"""

import logging
import sys
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string

from incluye.core.links import absolute_url

logger = logging.getLogger(__name__)

DEFAULT_SMS_BACKEND = "incluye.core.notify.ConsoleSMSBackend"


@dataclass(frozen=True)
class ShortMessage:
    to: str
    body: str


class BaseSMSBackend:
    """Sends short messages. Subclasses implement `send_messages` and return how many were sent."""

    def send_messages(self, messages: list[ShortMessage]) -> int:
        raise NotImplementedError


class ConsoleSMSBackend(BaseSMSBackend):
    """For development: writes each message to standard output instead of sending it."""

    def __init__(self, stream=None):
        self.stream = stream

    def send_messages(self, messages: list[ShortMessage]) -> int:
        stream = self.stream or sys.stdout  # looked up now, so that a captured stdout gets it
        for message in messages:
            stream.write(f"SMS to {message.to}\n{message.body}\n{'-' * 40}\n")
        stream.flush()
        logger.info("Wrote %d short message(s) to the console", len(messages))
        return len(messages)


# The messages LocmemSMSBackend "sent", for tests (like django.core.mail.outbox).
outbox: list[ShortMessage] = []


class LocmemSMSBackend(BaseSMSBackend):
    """For tests: keeps the messages in `incluye.core.notify.outbox`."""

    def send_messages(self, messages: list[ShortMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def get_sms_backend(path: str | None = None) -> BaseSMSBackend:
    path = path or getattr(settings, "INCLUYE_SMS_BACKEND", DEFAULT_SMS_BACKEND)
    return import_string(path)()


def _render_email(user, template: str, context: dict) -> EmailMessage:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {**context, "recipient": user}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    return EmailMessage(subject, body, to=[user.email])


def notify(
    *,
    to_users=(),
    to_phone: str | None = None,
    template: str,
    context: dict,
    language=None,
    urgent: bool = False,
) -> int:
    """Send the notification `template` to users by e-mail (each in their preferred language) and,
    when `to_phone` is given, as a short message in `language` (default: the site's language).
    Users who chose a daily digest get it in their next digest instead, unless it is `urgent`.

    Returns how many messages were sent. Inactive users and users without an address are skipped.
    """
    from incluye.core.models import PendingNotification

    recipients = [user for user in to_users if user.is_active and user.email]
    if not urgent:
        later = [user for user in recipients if getattr(user, "notification_mode", "") == "digest"]
        PendingNotification.objects.bulk_create(
            PendingNotification(user=user, template=template, context=context) for user in later
        )
        recipients = [user for user in recipients if user not in later]
    emails = [_render_email(user, template, context) for user in recipients]
    sent = mailers.default.send_messages(emails) if emails else 0
    if to_phone:
        with translation.override(language or settings.LANGUAGE_CODE):
            body = render_to_string(f"{template}_sms.txt", context).strip()
        sent += get_sms_backend().send_messages([ShortMessage(to=to_phone, body=body)])
    return sent or 0


@task()
def send_notification(
    *,
    user_ids: list,
    to_phone: str | None,
    template: str,
    context: dict,
    language: str | None,
    urgent: bool = False,
) -> int:
    """`notify` as a background task (run by `manage.py db_worker`)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=user_ids)
    return notify(
        to_users=users,
        to_phone=to_phone,
        template=template,
        context=context,
        language=language,
        urgent=urgent,
    )


def notify_on_commit(
    *, to_users=(), to_phone=None, template: str, context: dict, language=None, urgent: bool = False
) -> None:
    """Queue the notification once the current transaction commits: a change that is rolled back
    notifies nobody, and a slow mail server never holds up the page. `context` must be JSON-ready."""
    user_ids = list(dict.fromkeys(user.pk for user in to_users))
    if not user_ids and not to_phone:
        return
    transaction.on_commit(
        lambda: send_notification.enqueue(
            user_ids=user_ids,
            to_phone=to_phone,
            template=template,
            context=context,
            language=language,
            urgent=urgent,
        )
    )


def send_digest() -> int:
    """One e-mail per user with everything kept for their digest since the last one (each line the
    subject the notification would have had, in the user's language), then forget them. Returns
    how many digests were sent."""
    from django.contrib.auth import get_user_model

    from incluye.core.models import PendingNotification

    pending: dict = {}
    for item in PendingNotification.objects.order_by("user_id", "created_at", "id"):
        pending.setdefault(item.user_id, []).append(item)
    users = get_user_model().objects.filter(pk__in=pending, is_active=True).exclude(email="")
    link = absolute_url("home")
    emails = []
    for user in users:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            lines = [
                " ".join(
                    render_to_string(
                        f"{item.template}_subject.txt", {**item.context, "recipient": user}
                    ).split()
                )
                for item in pending[user.pk]
            ]
            context = {"recipient": user, "lines": lines, "link": link}
            subject = " ".join(render_to_string("core/email/digest_subject.txt", context).split())
            body = render_to_string("core/email/digest_body.txt", context)
        emails.append(EmailMessage(subject, body, to=[user.email]))
    sent = mailers.default.send_messages(emails) if emails else 0
    PendingNotification.objects.filter(pk__in=[i.pk for items in pending.values() for i in items]).delete()
    return sent or 0
