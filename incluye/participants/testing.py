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


def certified_person(personas, *, phone="+50255507777"):
    """A person of `personas.org` (with a phone) holding a certificate of a new institute:
    assessed today, competent in every unit. Returns the certificate."""
    from django.utils import timezone

    from incluye.accounts.roles import Role
    from incluye.certification import services
    from incluye.certification.tests.conftest import assess, enrol_new_person
    from incluye.core.testing import make_member, make_organization
    from incluye.skills.standards import catalogue_load
    from incluye.skills.tests.conftest import DRYWALL

    body = make_organization("INTECAP", kind="certifying_body", sector="public")
    catalogue_load(body=body, standards=[DRYWALL])
    assessor = make_member(body, Role.ASSESSOR, mfa=False)
    session = services.session_create(
        membership=assessor,
        standard=body.standards.get(),
        date=timezone.localdate(),
        place="Zona 6",
        capacity=5,
        assessors=[assessor.user],
    )
    enrollment = enrol_new_person(
        personas, session, given_names="José Ángel", first_surname="Ordóñez", phone=phone
    )
    assess(assessor, enrollment, {"U1": "competent", "U2": "competent"})
    return services.certificate_issue(membership=assessor, enrollment=enrollment, public_fields="initials")
