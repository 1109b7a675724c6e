"""Writes of the people registry. Each one logs what it did."""

from django.db import transaction

from incluye.core.actionlog import log_action
from incluye.people.models import IdentityDocument, Person


@transaction.atomic
def person_register(*, membership, documents=(), **fields) -> Person:
    """Register a person in the membership's organization.

    `documents` is a sequence of (IdDocumentType, number as typed); numbers are validated by the
    type's rule and stored normalized.
    """
    person = Person.objects.create(organization=membership.organization, created_by=membership.user, **fields)
    for document_type, number in documents:
        IdentityDocument.objects.create(
            person=person, document_type=document_type, number=document_type.clean_number(number)
        )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.person.registered",
        obj=person,
        data={"documents": [document_type.code for document_type, _ in documents]},
    )
    return person


def person_viewed(*, membership, person: Person) -> None:
    """A person's record holds identity documents: every opening is logged."""
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.person.viewed",
        obj=person,
    )
