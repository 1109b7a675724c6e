"""Helpers for tests: invite a person and open a participant's session."""

import re

from django.test import Client

from incluye.participants import access, services


def invite(membership, person):
    return services.participant_invite(membership=membership, person=person)


def participant_client(account, client: Client | None = None) -> Client:
    """A browser signed in at /me/ as `account` (the session the code sign-in leaves)."""
    client = client or Client()
    session = client.session
    session[access.SESSION_KEY] = account.pk
    session.save()
    return client


def last_code(outbox, phone: str) -> str:
    """The code in the last short message sent to `phone`."""
    body = next(m.body for m in reversed(outbox) if m.to == phone)
    return re.search(r"\b(\d{6})\b", body).group(1)
