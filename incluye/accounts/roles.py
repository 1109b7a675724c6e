"""Roles and what each may do, as data. Views and API endpoints ask `membership.can(permission)`;
a permission ending in `.view` is a read, any other is a change and is refused to read-only
memberships."""

from django.db import models
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    # The role's name in a gender-neutral form (Spanish: "Persona gestora de casos"): what a list of
    # roles shows, and what a person is called when their grammatical gender is not known.
    RECEPTION_OFFICER = "reception_officer", pgettext_lazy("role", "Reception officer")
    CASEWORKER = "caseworker", pgettext_lazy("role", "Caseworker")
    PSYCHOSOCIAL = "psychosocial", pgettext_lazy("role", "Psychosocial professional")
    DOCUMENTS_OFFICER = "documents_officer", pgettext_lazy("role", "Documents officer")
    ASSESSOR = "assessor", pgettext_lazy("role", "Assessor")
    EMPLOYER = "employer", pgettext_lazy("role", "Employer")
    COORDINATOR = "coordinator", pgettext_lazy("role", "Alliance coordinator")
    ADMINISTRATOR = "administrator", pgettext_lazy("role", "Administrator")


# A role as it names one person, agreeing with the grammatical gender they chose ("Gestora de
# casos" for María José); where they chose none, the neutral name above.
ROLE_FORMS = {
    "feminine": {
        Role.RECEPTION_OFFICER: pgettext_lazy("role, feminine", "Reception officer"),
        Role.CASEWORKER: pgettext_lazy("role, feminine", "Caseworker"),
        Role.PSYCHOSOCIAL: pgettext_lazy("role, feminine", "Psychosocial professional"),
        Role.DOCUMENTS_OFFICER: pgettext_lazy("role, feminine", "Documents officer"),
        Role.ASSESSOR: pgettext_lazy("role, feminine", "Assessor"),
        Role.EMPLOYER: pgettext_lazy("role, feminine", "Employer"),
        Role.COORDINATOR: pgettext_lazy("role, feminine", "Alliance coordinator"),
        Role.ADMINISTRATOR: pgettext_lazy("role, feminine", "Administrator"),
    },
    "masculine": {
        Role.RECEPTION_OFFICER: pgettext_lazy("role, masculine", "Reception officer"),
        Role.CASEWORKER: pgettext_lazy("role, masculine", "Caseworker"),
        Role.PSYCHOSOCIAL: pgettext_lazy("role, masculine", "Psychosocial professional"),
        Role.DOCUMENTS_OFFICER: pgettext_lazy("role, masculine", "Documents officer"),
        Role.ASSESSOR: pgettext_lazy("role, masculine", "Assessor"),
        Role.EMPLOYER: pgettext_lazy("role, masculine", "Employer"),
        Role.COORDINATOR: pgettext_lazy("role, masculine", "Alliance coordinator"),
        Role.ADMINISTRATOR: pgettext_lazy("role, masculine", "Administrator"),
    },
}


def role_label(role: str, grammatical_gender: str = "") -> str:
    """The role's name for one person: in their grammatical gender, else the neutral name."""
    forms = ROLE_FORMS.get(grammatical_gender or "")
    if forms and role in forms:
        return str(forms[role])
    return str(Role(role).label) if role in Role.values else role


R = Role
PERMISSIONS: dict[str, set[str]] = {
    # The registry of people: who may see and register participants of their organization.
    "people.view": {R.RECEPTION_OFFICER, R.CASEWORKER, R.PSYCHOSOCIAL, R.DOCUMENTS_OFFICER, R.ADMINISTRATOR},
    "people.register": {R.RECEPTION_OFFICER, R.CASEWORKER, R.ADMINISTRATOR},
    "people.correct": {R.RECEPTION_OFFICER, R.CASEWORKER, R.DOCUMENTS_OFFICER, R.ADMINISTRATOR},
    "consents.record": {
        R.RECEPTION_OFFICER,
        R.CASEWORKER,
        R.PSYCHOSOCIAL,
        R.DOCUMENTS_OFFICER,
        R.ADMINISTRATOR,
    },
    "manifests.import": {R.RECEPTION_OFFICER, R.ADMINISTRATOR},
    # Where arrivals are pulled from (a KoboToolbox server and its API token).
    "manifests.configure": {R.ADMINISTRATOR},
    "duplicates.review": {R.RECEPTION_OFFICER, R.CASEWORKER, R.ADMINISTRATOR},
    "merges.undo": {R.ADMINISTRATOR},
    # Groups of records of one person registered by several organizations of a country's alliance:
    # an administrator of an organization holding one of the records reviews and merges them.
    "duplicates.review_alliance": {R.ADMINISTRATOR},
    # Protection-sensitive data of people who arrive (migration status, nationality, country of
    # origin, asylum claim, documents for foreigners and of the country of origin): as sensitive as
    # psychosocial notes. Reception registers arrivals with their status; the caseworker and the
    # documents officer work with it (documents checklist, permits, renewals); the administrator
    # produces the person's copy of their data. Psychosocial staff, assessors, employers and the
    # coordinator do not need it: they never see it (indicators count it only with suppression).
    "protection.view": {R.RECEPTION_OFFICER, R.CASEWORKER, R.DOCUMENTS_OFFICER, R.ADMINISTRATOR},
    "protection.record": {R.RECEPTION_OFFICER, R.CASEWORKER, R.DOCUMENTS_OFFICER, R.ADMINISTRATOR},
    # Rights of the person: a copy of everything held about them, and erasure.
    "people.export": {R.ADMINISTRATOR, R.PSYCHOSOCIAL},  # psychosocial staff: the copy of their content
    "people.erase": {R.ADMINISTRATOR},
    # Cases: the team sees them; caseworkers run them; psychosocial notes are for psychosocial staff.
    "cases.view": {R.CASEWORKER, R.PSYCHOSOCIAL, R.DOCUMENTS_OFFICER, R.RECEPTION_OFFICER, R.ADMINISTRATOR},
    "cases.manage": {R.CASEWORKER, R.ADMINISTRATOR},
    "notes.write": {R.CASEWORKER, R.PSYCHOSOCIAL, R.DOCUMENTS_OFFICER, R.ADMINISTRATOR},
    "notes.psychosocial": {R.PSYCHOSOCIAL},
    # Referrals across the alliance: caseworkers send them; the receiving organization's case team
    # handles them. Everyone in the country's alliance may browse the service directory.
    # A certifying body's assessors receive referrals to its programmes (and answer them).
    "referrals.view": {R.CASEWORKER, R.PSYCHOSOCIAL, R.DOCUMENTS_OFFICER, R.ASSESSOR, R.ADMINISTRATOR},
    "referrals.send": {R.CASEWORKER, R.ADMINISTRATOR},
    "referrals.handle": {R.CASEWORKER, R.PSYCHOSOCIAL, R.DOCUMENTS_OFFICER, R.ASSESSOR, R.ADMINISTRATOR},
    # The person moves between organizations of one country's alliance. A handoff gives an
    # arrival to a case-management organization (reception → NGO); a transfer moves a case's
    # ownership; an access request asks the organization that holds a record to share it.
    "handoffs.send": {R.RECEPTION_OFFICER, R.CASEWORKER, R.ADMINISTRATOR},
    "handoffs.handle": {R.CASEWORKER, R.ADMINISTRATOR},
    "transfers.send": {R.CASEWORKER, R.ADMINISTRATOR},
    "transfers.handle": {R.CASEWORKER, R.ADMINISTRATOR},
    "access.request": {R.RECEPTION_OFFICER, R.CASEWORKER, R.ADMINISTRATOR},
    "access.handle": {R.RECEPTION_OFFICER, R.CASEWORKER, R.ADMINISTRATOR},
    # Risk alerts raised by screenings: psychosocial staff acknowledge them and keep the safety
    # plan; everyone else on the case sees only that the person needs psychosocial attention.
    "alerts.handle": {R.PSYCHOSOCIAL},
    # Recognition of experience abroad: the work history, the occupation coder and the skills
    # profile a counsellor signs; the catalogue of competency standards is open to the alliance.
    "skills.view": {R.RECEPTION_OFFICER, R.CASEWORKER, R.DOCUMENTS_OFFICER, R.ADMINISTRATOR},
    "skills.record": {R.RECEPTION_OFFICER, R.CASEWORKER, R.ADMINISTRATOR},
    "profiles.sign": {R.CASEWORKER, R.ADMINISTRATOR},
    "standards.view": set(Role.values),
    "standards.manage": {R.ASSESSOR, R.ADMINISTRATOR},
    # Certification: a certifying body's assessors run assessment sessions, record results, issue
    # and revoke certificates; its administrators also keep the signing keys. Caseworkers enrol the
    # people of their organization from a signed skills profile (with the person's consent).
    "assessments.view": {R.ASSESSOR, R.ADMINISTRATOR},
    "assessments.manage": {R.ASSESSOR, R.ADMINISTRATOR},
    "candidates.enroll": {R.CASEWORKER, R.ADMINISTRATOR},
    "certificates.issue": {R.ASSESSOR, R.ADMINISTRATOR},
    "certificates.revoke": {R.ASSESSOR, R.ADMINISTRATOR},
    "signing_keys.manage": {R.ADMINISTRATOR},
    # Employment: employers post vacancies and see anonymized candidates of their own vacancies
    # (never the registry); the person's caseworkers answer invitations on the person's behalf,
    # record placements' follow-ups and follow the person's business.
    "vacancies.view": {
        R.EMPLOYER,
        R.CASEWORKER,
        R.RECEPTION_OFFICER,
        R.DOCUMENTS_OFFICER,
        R.COORDINATOR,
        R.ADMINISTRATOR,
    },
    "vacancies.manage": {R.EMPLOYER, R.ADMINISTRATOR},
    "candidates.view": {R.EMPLOYER, R.ADMINISTRATOR},
    "applications.view": {R.EMPLOYER, R.CASEWORKER, R.ADMINISTRATOR},
    "applications.manage": {R.CASEWORKER, R.ADMINISTRATOR},
    "hiring.record": {R.EMPLOYER, R.ADMINISTRATOR},
    "businesses.view": {R.CASEWORKER, R.ADMINISTRATOR},
    "businesses.manage": {R.CASEWORKER, R.ADMINISTRATOR},
    # The alliance and its impact: the coordinator runs the council (members, agreements, action
    # plan, meetings) and reads the country's indicators; an organization's administrator reads
    # its own and exports its records (non-sensitive columns); caseworkers write consented stories.
    "alliance.view": {R.COORDINATOR, R.ADMINISTRATOR},
    "alliance.manage": {R.COORDINATOR},
    "indicators.view": {R.COORDINATOR, R.ADMINISTRATOR},
    "exports.records": {R.ADMINISTRATOR},
    "stories.manage": {R.CASEWORKER, R.ADMINISTRATOR},
    "services.view": set(Role.values),
    "services.manage": {R.ADMINISTRATOR},
    # The organization itself: its members and its action log.
    "organization.view": set(Role.values),
    "members.view": {R.ADMINISTRATOR, R.COORDINATOR},
    "members.manage": {R.ADMINISTRATOR},
    "actionlog.view": {R.ADMINISTRATOR},
    # Everyone lands on an inbox of their own work.
    "inbox.view": set(Role.values),
    # The person's own door (/me/): staff invite a person to sign in with their registered phone,
    # and see the person's requests for a copy of their data.
    "participants.invite": {R.RECEPTION_OFFICER, R.CASEWORKER, R.ADMINISTRATOR},
}

# The participant: a returnee or refugee who signs in at /me/ with a code sent to their phone. Not
# a member of any organization (never in `Role`, never holds a membership): each permission below
# is about the signed-in person's own record only, and no staff permission is ever theirs.
PARTICIPANT = "participant"
PARTICIPANT_PERMISSIONS: set[str] = {
    "own.pathway.view",  # phases, appointments, sessions, organizations working with them (names)
    "own.consents.view",
    "own.consents.withdraw",  # giving a consent again is done with staff, who explain it
    "own.data.request_copy",
    "own.access_report.view",  # "who saw my data"
    "own.invitations.answer",  # employers' invitations: accept or decline
    "own.certificates.view",  # PDF, verification link and QR, the Open Badges credential
}


def participant_can(permission: str) -> bool:
    if permission not in PARTICIPANT_PERMISSIONS and permission not in PERMISSIONS:
        raise KeyError(f"Unknown permission {permission!r}")
    return permission in PARTICIPANT_PERMISSIONS


# Separation of duties: granting these roles (to a new member, by a change of role, or by
# reactivating a membership) takes a second administrator's approval, and nobody grants any role
# to themselves.
APPROVAL_ROLES = {R.PSYCHOSOCIAL, R.ADMINISTRATOR}

# Roles that read sensitive data (psychosocial notes, deportation history, identity documents):
# they must sign in with a second factor.
SENSITIVE_ROLES = {R.RECEPTION_OFFICER, R.CASEWORKER, R.PSYCHOSOCIAL, R.DOCUMENTS_OFFICER, R.ADMINISTRATOR}


def role_can(role: str, permission: str, *, read_only: bool = False) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"Unknown permission {permission!r}")
    if read_only and not permission.endswith(".view"):
        return False
    return role in PERMISSIONS[permission]
