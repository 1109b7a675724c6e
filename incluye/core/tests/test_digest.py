"""Each user chooses immediate messages or a daily digest: a digest user's notifications wait, and
`send_digest` sends them one message listing everything, in their language, with no personal data;
a risk alert never waits."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from incluye.core.models import PendingNotification
from incluye.core.notify import notify, send_digest

pytestmark = pytest.mark.django_db
SENT = "referrals/email/act_sent"


def test_immediate_users_get_each_notification_at_once(personas):
    mail.outbox.clear()
    notify(
        to_users=[personas.caseworker.user],
        template=SENT,
        context={"kind": "handoff", "organization": "CRR", "link": "x"},
    )
    assert len(mail.outbox) == 1
    assert not PendingNotification.objects.exists()


def test_digest_users_get_one_message_a_day_with_everything(personas):
    user = personas.caseworker.user
    user.notification_mode = "digest"
    user.save()
    mail.outbox.clear()
    for org in ("CRR La Aurora", "INTECAP"):
        notify(to_users=[user], template=SENT, context={"kind": "handoff", "organization": org, "link": "x"})
    assert mail.outbox == []
    assert PendingNotification.objects.filter(user=user).count() == 2
    call_command("send_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Incluye: le llegaron 2 asuntos"
    assert "CRR La Aurora le traspasó a una persona" in message.body
    assert "INTECAP le traspasó a una persona" in message.body
    assert reverse("home") in message.body
    assert not PendingNotification.objects.exists()
    assert send_digest() == 0  # nothing twice


def test_an_urgent_notification_never_waits_for_the_digest(personas):
    user = personas.caseworker.user
    user.notification_mode = "digest"
    user.save()
    mail.outbox.clear()
    notify(to_users=[user], template="cases/email/alert_raised", context={"link": "x"}, urgent=True)
    assert len(mail.outbox) == 1
    assert not PendingNotification.objects.exists()


def test_each_user_chooses_on_the_notifications_page(personas):
    client = personas.client("caseworker")
    assert client.get(reverse("accounts:notifications")).status_code == 200
    assert client.post(reverse("accounts:notifications"), {"notification_mode": "digest"}).status_code == 302
    personas.caseworker.user.refresh_from_db()
    assert personas.caseworker.user.notification_mode == "digest"
    assert client.post(reverse("accounts:notifications"), {"notification_mode": "weekly"}).status_code == 400
