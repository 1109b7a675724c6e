"""Reads of the person's own door. Every read about a person in /me/ starts from `own_person`,
the signed-in account's person, and every record named in a URL is fetched with `own_or_404`,
scoped to that person: another person's id answers 404, exactly like an id that does not exist.
What the person sees comes from the other apps' selectors, each asked for this person only, and
never carries staff notes, psychosocial content or internal assessments."""

from dataclasses import dataclass

from django.utils import timezone

from incluye.core.access import get_scoped_or_404
from incluye.participants.models import AccountStatus, DataCopyRequest, ParticipantAccount


def active_account(account_id):
    """The account a session names, if it may still sign in (not revoked, person not erased)."""
    if not account_id:
        return None
    return (
        ParticipantAccount.objects.exclude(status=AccountStatus.REVOKED)
        .select_related("person", "person__organization")
        .filter(pk=account_id, person__erased_at__isnull=True, person__merged_into__isnull=True)
        .first()
    )


def own_person(account):
    return account.person


def own_or_404(queryset, *, account, pk, person_path: str = "person"):
    """One record of `queryset` that belongs to the signed-in person; anything else is a 404."""
    return get_scoped_or_404(queryset.filter(**{person_path: account.person_id}), pk=pk)


@dataclass
class Phase:
    code: str
    label: str
    state: str  # "done", "current", "next"


# The four phases of the pathway as the person reads them, in order, and the case stages in each.
PHASES = (
    ("psychosocial", ("reception", "psychosocial")),
    ("documents", ("documents",)),
    ("competencies", ("competencies",)),
    ("employment", ("employment", "entrepreneurship", "follow_up")),
)


def phases(case, *, certified: bool = False) -> list[Phase]:
    """The four phases and where the person stands: the case's stage, or further when what the
    person holds says so (a certificate means the certification phase is behind them, whatever
    stage the caseworker left the case in)."""
    from django.utils.translation import gettext as _

    labels = {
        "psychosocial": _("Welcome and support"),
        "documents": _("Identity documents"),
        "competencies": _("Certification of your experience"),
        "employment": _("Work or your own business"),
    }
    stage = case.status if case else ""
    if case and stage == "closed":
        stage = case.stage_changes.order_by("-changed_at").values_list("from_status", flat=True).first() or ""
    current = next((i for i, (_code, stages) in enumerate(PHASES) if stage in stages), -1)
    if case and certified:
        current = max(current, len(PHASES) - 1)
    result = []
    for i, (code, _stages) in enumerate(PHASES):
        state = "done" if i < current else "current" if i == current else "next"
        result.append(Phase(code=code, label=labels[code], state=state))
    return result


def pathway(*, account) -> dict:
    """The person's pathway: the phases and where they stand, what to bring and when, sessions,
    interviews, and the organizations working with them (names only)."""
    from incluye.cases.models import DocumentStatus
    from incluye.cases.selectors import cases_of_person
    from incluye.certification.models import Attendance
    from incluye.certification.selectors import enrollments_of_person, holds_valid_certificate
    from incluye.jobs.models import ApplicationStatus
    from incluye.jobs.selectors import applications_of_person
    from incluye.people.selectors import organizations_sharing

    person = own_person(account)
    today = timezone.localdate()
    cases = list(cases_of_person(person=person))
    case = next((c for c in cases if c.status != "closed"), cases[0] if cases else None)
    documents = [
        d
        for d in (case.documents.all() if case else [])
        if d.status in (DocumentStatus.MISSING, DocumentStatus.REQUESTED, DocumentStatus.APPOINTMENT)
    ]
    appointments = [
        {
            "kind": "document",
            "timed": True,
            "when": d.appointment_at,
            "what": d.display_name,
            "where": d.appointment_place,
        }
        for d in documents
        if d.appointment_at and timezone.localdate(d.appointment_at) >= today
    ]
    appointments += [
        {
            "kind": "assessment",
            "timed": False,
            "when": e.session.date,
            "what": e.session.standard.title,
            "where": e.session.place,
        }
        for e in enrollments_of_person(person=person)
        if e.session.date >= today and e.attendance == Attendance.EXPECTED  # not held yet
    ]
    appointments += [
        {
            "kind": "interview",
            "timed": True,
            "when": a.interview_at,
            "what": a.vacancy.title,
            "where": str(a.vacancy.employer),
        }
        for a in applications_of_person(person=person)
        if a.status == ApplicationStatus.INTERVIEW
        and a.interview_at
        and timezone.localdate(a.interview_at) >= today
    ]
    appointments.sort(key=lambda item: _sort_key(item["when"]))
    organizations = {o.pk: o.name for o in organizations_sharing(person=person)}
    if case:
        organizations.setdefault(case.organization_id, case.organization.name)
    return {
        "person": person,
        "case": case,
        "phases": phases(case, certified=holds_valid_certificate(person=person)),
        "to_bring": [d for d in documents if d.status != DocumentStatus.APPOINTMENT],
        "appointments": appointments,
        "organizations": sorted(organizations.values()),
    }


def _sort_key(when):
    import datetime

    if isinstance(when, datetime.datetime):
        return timezone.localtime(when).replace(tzinfo=None)
    return datetime.datetime.combine(when, datetime.time())


def consents(*, account) -> list[dict]:
    """Each purpose with the person's latest decision (given or withdrawn, and when)."""
    from incluye.people.models import ConsentPurpose
    from incluye.people.selectors import consent_state

    state = consent_state(person=own_person(account))
    today = timezone.localdate()
    rows = []
    for purpose, label in ConsentPurpose.choices:
        latest = state.get(purpose)
        given = bool(latest and latest.given and (latest.expires_on is None or latest.expires_on >= today))
        rows.append({"purpose": purpose, "label": label, "latest": latest, "given": given})
    return rows


# What the log may say to the person word for word; every other entry is told only as "opened
# your record" or "updated your record", so that the report never reveals psychosocial work
# (screenings, risk alerts, notes), internal assessments or protection matters by its wording.
PLAIN_ACTIONS = {
    "incluye.person.registered",
    "incluye.person.access_granted",
    "incluye.person.access_ended",
    "incluye.consent.given",
    "incluye.consent.withdrawn",
    "incluye.case.opened",
    "incluye.case.closed",
    "incluye.case.transferred",
    "incluye.handoff.sent",
    "incluye.handoff.accepted",
    "incluye.referral.sent",
    "incluye.referral.accepted",
    "incluye.enrollment.created",
    "incluye.enrollment.withdrawn",
    "incluye.certificate.issued",
    "incluye.certificate.revoked",
    "incluye.certificate.printed",
    "incluye.certificate.credential_downloaded",
    "incluye.application.invited",
    "incluye.application.referred",
    "incluye.application.declined",
    "incluye.application.interview",
    "incluye.application.hired",
    "incluye.application.not_hired",
    "incluye.participant.invited",
    "incluye.participant.revoked",
    "incluye.participant.signed_in",
    "incluye.participant.copy_requested",
    "incluye.participant.copy_delivered",
}
BY_THE_PERSON = {"incluye.participant.signed_in", "incluye.participant.copy_requested"}


def plain_words(entry) -> str:
    from django.utils.translation import gettext as _

    if entry.action == "incluye.participant.signed_in":
        return _("Signed in to your page")
    if entry.action == "incluye.participant.copy_requested":
        return _("Asked for a copy of your data")
    if entry.action in PLAIN_ACTIONS:
        return entry.display
    if entry.action.endswith(("viewed", "exported", "printed", "downloaded")):
        return _("Opened your record")
    return _("Updated your record")


def who_saw(*, account, limit: int = 200) -> list[dict]:
    """The "who saw my data" report, for the person: newest first, in plain words — which
    organization, what, when — from the same entries staff read, without staff names."""
    from incluye.people.selectors import access_report

    return [
        {
            "when": entry.created_at,
            "by_person": entry.action in BY_THE_PERSON or (entry.data or {}).get("by") == "person",
            "organization": entry.organization.name if entry.organization else "",
            "what": plain_words(entry),
        }
        for entry in access_report(person=own_person(account))[:limit]
    ]


def open_copy_request(*, account):
    return DataCopyRequest.objects.filter(person_id=account.person_id, delivered_at__isnull=True).first()


def applications(*, account):
    from incluye.jobs.selectors import applications_of_person

    return applications_of_person(person=own_person(account))


def application_or_404(*, account, pk):
    return own_or_404(applications(account=account), account=account, pk=pk)


def certificates(*, account):
    from incluye.certification.selectors import certificates_held_by

    return certificates_held_by(person=own_person(account))


def certificate_or_404(*, account, pk):
    return own_or_404(certificates(account=account), account=account, pk=pk)


# Staff ------------------------------------------------------------------------------------------


def account_of(*, person):
    return ParticipantAccount.objects.filter(person=person).first()


def copy_requests_of(*, person):
    return DataCopyRequest.objects.filter(person=person)


def copy_requests_waiting(*, membership, today=None):
    """Requests for a copy waiting at the membership's organization (administrators)."""
    if membership is None or not membership.can("people.export"):
        return DataCopyRequest.objects.none()
    return DataCopyRequest.objects.filter(
        organization_id=membership.organization_id, delivered_at__isnull=True
    ).select_related("person")
