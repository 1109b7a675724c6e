"""Records and object URLs of the person's own door for the access test
(accounts/tests/test_access.py). Two kinds of URL:

- staff pages about a person's door (the invitation, the requests for a copy): opened by
  `personas.org` like any person page;
- the person's own pages under /me/ that name a record (an invitation, a certificate):
  opened only by the participant whose record it is (`participant()` names that account); every
  member of every organization gets 404 there, and so does any other participant.
"""

from django.urls import reverse

PARTICIPANT_PREFIX = "/me/"


def make_records(personas, person) -> dict:
    from incluye.certification.models import Certificate
    from incluye.participants import services
    from incluye.people.services import person_register

    person.phone = "+50255501234"
    person.save(update_fields=["phone"])
    account = services.participant_invite(membership=personas.caseworker, person=person)
    other = person_register(
        membership=personas.caseworker,
        given_names="Lesbia",
        first_surname="Ajcot",
        nationality_id="GT",
        phone="+50255509876",
    )
    return {
        "participant_account": account,
        "other_participant_account": services.participant_invite(
            membership=personas.caseworker, person=other
        ),
        "copy_request": services.copy_request(account=account),
        "own_application": person.job_applications.order_by("created_at").first(),
        "own_certificate": Certificate.objects.filter(person=person).first(),
    }


def urls(personas, records) -> list[tuple[str, str]]:
    person = records["person"].pk
    application, certificate = records["own_application"].pk, records["own_certificate"].pk
    return [
        ("get", reverse("participants:person", args=[person])),
        ("post", reverse("participants:invite", args=[person])),
        ("post", reverse("participants:revoke", args=[person])),
        ("post", reverse("participants:copy_delivered", args=[records["copy_request"].pk])),
        ("get", reverse("me:job", args=[application])),
        ("post", reverse("me:job_answer", args=[application])),
        ("get", reverse("me:certificate_pdf", args=[certificate])),
        ("get", reverse("me:certificate_credential", args=[certificate])),
    ]


def participant(personas, records, url):
    """The participant account that opens `url` (the person's own pages), else None."""
    return records["participant_account"] if url.startswith(PARTICIPANT_PREFIX) else None
