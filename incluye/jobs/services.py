"""Writes of the jobs app: employers' commitments and vacancies, the person's availability,
applications through their pipeline, placements with retention follow-ups, and businesses. Every
write is logged; the matching index is told which rows changed."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from incluye.accounts.models import OrganizationKind
from incluye.core.actionlog import log_action
from incluye.core.dates import add_months
from incluye.core.links import absolute_url
from incluye.core.notify import notify_on_commit
from incluye.core.pipeline import TransitionNotAllowed
from incluye.core.versioning import check_current, save_versioned
from incluye.jobs.index import mark_dirty
from incluye.jobs.models import (
    APPLICATION_PIPELINE,
    EMPLOYER_SIDE,
    PERSON_SIDE,
    RETENTION_MONTHS,
    STEP_SIDE,
    Application,
    ApplicationStatus,
    ApplicationStep,
    Availability,
    Business,
    BusinessStatus,
    BusinessStatusChange,
    Commitment,
    Funding,
    Placement,
    RetentionFollowUp,
    Vacancy,
    VacancyStatus,
)
from incluye.people.selectors import work_authorized_on

VACANCY_FIELDS = [
    "title",
    "description",
    "occupation",
    "min_years",
    "required_licences",
    "desired_licences",
    "english_level",
    "municipality",
    "pay_min",
    "pay_max",
    "currency",
    "schedule",
    "positions",
    "closes_on",
    "status",
]
VACANCY_SETS = ["required_skills", "desired_skills", "required_standards", "desired_standards"]


def _version(record, expected_version):
    """The version the user read; None (a change made by the system) checks the version loaded."""
    return record.version if expected_version is None else expected_version


def _require(membership, permission):
    if not membership.can(permission):
        raise PermissionDenied


def _log(membership, action, obj=None, data=None):
    log_action(actor=membership.user, organization=membership.organization, action=action, obj=obj, data=data)


def _employer(membership):
    _require(membership, "vacancies.manage")
    if membership.organization.kind != OrganizationKind.EMPLOYER:
        raise PermissionDenied


def pseudonym(*, person_id, vacancy_id) -> str:
    """A stable name for a candidate of one vacancy, that says nothing of who the person is and
    differs from vacancy to vacancy (no linking across vacancies). Django's keyed hash, with a key
    of its own derived from the secret key."""
    digest = salted_hmac(
        "incluye.jobs.candidate", f"{person_id}:{vacancy_id}", algorithm="sha256"
    ).hexdigest()
    return f"C-{digest[:4]}-{digest[4:8]}".upper()


def has_employer_consent(person) -> bool:
    from incluye.jobs.index import EMPLOYER_SHARING

    latest = person.consents.filter(purpose=EMPLOYER_SHARING).order_by("-recorded_at", "-id").first()
    return bool(
        latest and latest.given and (latest.expires_on is None or latest.expires_on >= timezone.localdate())
    )


def consent_refused_message() -> str:
    return _(
        "This person has not consented to show their profile to employers, or the consent expired "
        "or was withdrawn. Record the person's consent first."
    )


# Employers -----------------------------------------------------------------------------------


@transaction.atomic
def commitment_save(
    *, membership, statement, signed_on, signed_by_name, positions_per_year=None
) -> Commitment:
    _employer(membership)
    commitment, created = Commitment.objects.update_or_create(
        organization=membership.organization,
        defaults={
            "statement": statement,
            "signed_on": signed_on,
            "signed_by_name": signed_by_name,
            "positions_per_year": positions_per_year,
        },
    )
    _log(membership, "incluye.commitment.saved", commitment, {"created": created})
    return commitment


def _set_vacancy(vacancy, fields):
    for key in VACANCY_SETS:
        if key in fields:
            getattr(vacancy, key).set(fields[key])


def _check_pay(fields):
    low, high = fields.get("pay_min"), fields.get("pay_max")
    if low is not None and high is not None and high < low:
        raise ValidationError({"pay_max": [_("The pay cannot go down: “up to” is less than “from”.")]})


@transaction.atomic
def vacancy_create(*, membership, **fields) -> Vacancy:
    _employer(membership)
    _check_pay(fields)
    vacancy = Vacancy.objects.create(
        employer=membership.organization,
        created_by=membership.user,
        **{k: v for k, v in fields.items() if k in VACANCY_FIELDS},
    )
    _set_vacancy(vacancy, fields)
    _log(membership, "incluye.vacancy.created", vacancy, {"occupation": vacancy.occupation.code})
    mark_dirty(vacancies=[vacancy.pk])
    return vacancy


@transaction.atomic
def vacancy_update(*, membership, vacancy: Vacancy, expected_version=None, **fields) -> Vacancy:
    _employer(membership)
    if vacancy.employer_id != membership.organization_id:
        raise PermissionDenied
    _check_pay({**{k: getattr(vacancy, k) for k in ("pay_min", "pay_max")}, **fields})
    changed = [k for k, v in fields.items() if k in VACANCY_FIELDS and getattr(vacancy, k) != v]
    for key in changed:
        setattr(vacancy, key, fields[key])
    # Always saved (the index refreshes from updated_at: the skills may have changed), and only over
    # the version the employer read.
    saved = save_versioned(
        vacancy,
        expected_version=_version(vacancy, expected_version),
        fields=[k for k in fields if k in VACANCY_FIELDS],
    )
    _set_vacancy(vacancy, fields)
    _log(membership, "incluye.vacancy.updated", vacancy, {**saved, "fields": sorted(changed)})
    mark_dirty(vacancies=[vacancy.pk])
    return vacancy


# The person's side ---------------------------------------------------------------------------


@transaction.atomic
def availability_set(
    *, membership, person, available_from=None, schedules=(), looking_for_work=True, expected_version=None
):
    _require(membership, "applications.manage")
    values = {
        "available_from": available_from,
        "schedules": list(schedules),
        "looking_for_work": looking_for_work,
    }
    availability = Availability.objects.filter(person=person).first()
    saved = {}
    if availability is None:
        availability = Availability.objects.create(person=person, **values)
    else:
        for name, value in values.items():
            setattr(availability, name, value)
        saved = save_versioned(
            availability, expected_version=_version(availability, expected_version), fields=list(values)
        )
    _log(membership, "incluye.availability.set", person, {"looking_for_work": looking_for_work, **saved})
    mark_dirty(people=[person.pk])
    return availability


def _notify_person(person, template, context):
    if person.phone:
        notify_on_commit(to_phone=person.phone, template=template, context=context)


def _step(membership, application, from_status, to_status):
    ApplicationStep.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        organization=membership.organization,
        changed_by=membership.user,
    )


@transaction.atomic
def candidate_invite(*, membership, vacancy: Vacancy, person, score=0.0, reasons=()) -> Application:
    """The employer invites a matched candidate (known to the employer only by a pseudonym)."""
    _require(membership, "hiring.record")
    if vacancy.employer_id != membership.organization_id:
        raise PermissionDenied
    if vacancy.status != VacancyStatus.OPEN:
        raise ValidationError(_("The vacancy is not open."))
    if not has_employer_consent(person):
        raise ValidationError(consent_refused_message())
    application, created = Application.objects.get_or_create(
        vacancy=vacancy,
        person=person,
        defaults={
            "status": ApplicationStatus.INVITED,
            "score": score,
            "reasons": list(reasons),
            "created_by": membership.user,
            "answer_due_on": timezone.localdate()
            + datetime.timedelta(days=settings.INCLUYE_INVITATION_ANSWER_DAYS),
        },
    )
    if not created:
        raise ValidationError(_("This candidate already has an application for this vacancy."))
    _step(membership, application, "", ApplicationStatus.INVITED)
    _log(membership, "incluye.application.invited", application, {"vacancy": str(vacancy.pk)})
    _notify_person(person, "jobs/sms/invited", {})
    _notify_caseworkers(person, application)
    return application


def _notify_caseworkers(person, application) -> None:
    """The person answers through their caseworkers: tell those who follow the person (at the
    organization that registered them and those it is shared with) — where to look, not who."""

    from incluye.accounts.selectors import members_who_can
    from incluye.people.selectors import organizations_sharing

    recipients = []
    for organization in organizations_sharing(person=person):
        recipients += list(members_who_can(organization=organization, permission="applications.manage"))
    notify_on_commit(
        to_users=recipients,
        template="jobs/email/invitation",
        context={
            "employer": str(application.vacancy.employer),
            "link": absolute_url("jobs:application", application.pk),
        },
    )


@transaction.atomic
def vacancy_shortlist(*, membership, person, vacancy: Vacancy, score=0.0, reasons=(), pathway=None):
    """The caseworker puts a vacancy on the person's shortlist (nothing reaches the employer yet)."""
    _require(membership, "applications.manage")
    if vacancy.status != VacancyStatus.OPEN:
        raise ValidationError(_("The vacancy is not open."))
    application, created = Application.objects.get_or_create(
        vacancy=vacancy,
        person=person,
        defaults={
            "status": ApplicationStatus.SHORTLISTED,
            "score": score,
            "reasons": list(reasons),
            "created_by": membership.user,
            **({"pathway": pathway} if pathway else {}),
        },
    )
    if not created:
        raise ValidationError(_("This vacancy is already on the person's list."))
    _step(membership, application, "", ApplicationStatus.SHORTLISTED)
    _log(membership, "incluye.application.shortlisted", application, {"vacancy": str(vacancy.pk)})
    return application


def side_of(membership, application) -> str | None:
    """Which side of the application the membership acts for: the employer, or the person's
    organization; None: neither."""
    from incluye.people.selectors import person_is_visible_to

    if application.vacancy.employer_id == membership.organization_id:
        return EMPLOYER_SIDE
    if membership.can("people.view") and person_is_visible_to(
        membership=membership, person=application.person
    ):
        return PERSON_SIDE  # the organization that registered the person, or one it is shared with
    return None


def steps_for(membership, application) -> list[str]:
    side = side_of(membership, application)
    permission = {EMPLOYER_SIDE: "hiring.record", PERSON_SIDE: "applications.manage"}.get(side)
    if permission is None or not membership.can(permission):
        return []
    return [s for s in APPLICATION_PIPELINE.allowed(application.status) if STEP_SIDE[s] == side]


@transaction.atomic
def application_step(
    *,
    membership,
    application: Application,
    to_status: str,
    interview_at=None,
    reason: str = "",
    note: str = "",
    pathway: str | None = None,
    started_on=None,
    expected_version=None,
) -> Application:
    """Move an application. The person (through the caseworker) accepts — only with consent, and
    from then on the employer sees the person's name and contact —, declines or withdraws; the
    employer records the interview and the outcome. A hire opens a placement with follow-ups."""
    application = (
        Application.objects.select_for_update().select_related("vacancy", "person").get(pk=application.pk)
    )
    side = side_of(membership, application)
    if side is None:
        raise PermissionDenied
    _require(membership, "hiring.record" if side == EMPLOYER_SIDE else "applications.manage")
    expected = application.version if expected_version is None else expected_version
    check_current(application, expected)
    APPLICATION_PIPELINE.check(application.status, to_status)
    if STEP_SIDE[to_status] != side:
        raise TransitionNotAllowed(_("This step is for the other side of the application."))
    if to_status == ApplicationStatus.REFERRED and not has_employer_consent(application.person):
        raise TransitionNotAllowed(consent_refused_message())
    if to_status == ApplicationStatus.INTERVIEW and interview_at is None:
        raise ValidationError({"interview_at": [_("Give the date and time of the interview.")]})
    if to_status == ApplicationStatus.NOT_HIRED and not reason:
        raise ValidationError({"reason": [_("Give the reason.")]})
    if to_status == ApplicationStatus.HIRED:
        start = started_on or timezone.localdate()
        if not work_authorized_on(person=application.person, day=start):
            raise ValidationError({"started_on": [not_authorized_message(start)]})
    previous = application.status
    application.status = to_status
    fields = ["status"]
    if previous == ApplicationStatus.INVITED and side == PERSON_SIDE:
        application.answered_at = timezone.now()
        fields.append("answered_at")
    if interview_at is not None:
        application.interview_at = interview_at
        fields.append("interview_at")
    if reason:
        application.not_hired_reason = reason
        fields.append("not_hired_reason")
    if note:
        application.note = note
        fields.append("note")
    if pathway and side == PERSON_SIDE:
        application.pathway = pathway
        fields.append("pathway")
    saved = save_versioned(application, expected_version=expected, fields=fields)
    _step(membership, application, previous, to_status)
    _log(membership, f"incluye.application.{to_status}", application, {"from": previous, **saved})
    if to_status == ApplicationStatus.INTERVIEW:
        _notify_person(
            application.person,
            "jobs/sms/interview",
            {"when": timezone.localtime(interview_at).strftime("%Y-%m-%d %H:%M")},
        )
    if to_status == ApplicationStatus.HIRED:
        placement_open(membership=membership, application=application, started_on=started_on)
    return application


@transaction.atomic
def application_answer_by_person(*, person, application: Application, accept: bool, expected_version=None):
    """The person answers an employer's invitation themselves, from their own page: accepting
    refers them to the employer (who from then on sees their name and contact, only with the
    consent to show the profile to employers), declining ends it. The same pipeline, version
    check and log as when a caseworker answers on the person's behalf."""
    application = (
        Application.objects.select_for_update().select_related("vacancy", "person").get(pk=application.pk)
    )
    if application.person_id != person.pk:
        raise PermissionDenied
    to_status = ApplicationStatus.REFERRED if accept else ApplicationStatus.DECLINED
    expected = application.version if expected_version is None else expected_version
    check_current(application, expected)
    if application.status != ApplicationStatus.INVITED:
        raise TransitionNotAllowed(_("This invitation was already answered."))
    APPLICATION_PIPELINE.check(application.status, to_status)
    if accept and not has_employer_consent(person):
        raise TransitionNotAllowed(
            _(
                "To accept, your consent to show your profile to employers is needed, and it is not "
                "given now. Your caseworker can record it with you."
            )
        )
    previous = application.status
    application.status = to_status
    application.answered_at = timezone.now()
    saved = save_versioned(application, expected_version=expected, fields=["status", "answered_at"])
    ApplicationStep.objects.create(
        application=application,
        from_status=previous,
        to_status=to_status,
        organization=person.organization,
        changed_by=None,
    )
    log_action(
        actor=None,
        organization=person.organization,
        action=f"incluye.application.{to_status}",
        obj=application,
        data={"from": previous, "by": "person", **saved},
    )
    return application


def not_authorized_message(day) -> str:
    """Said to the employer too: the date only, never why (status, nationality)."""
    from django.utils import formats

    return _(
        "The person is not authorized to work on %(date)s: agree on another start date with their caseworker."
    ) % {"date": formats.date_format(day, "SHORT_DATE_FORMAT")}


def placement_open(*, membership, application, started_on=None) -> Placement:
    """A placement starts only on a day the person may work (work authorization)."""
    started_on = started_on or timezone.localdate()
    if not work_authorized_on(person=application.person, day=started_on):
        raise ValidationError({"started_on": [not_authorized_message(started_on)]})
    placement = Placement.objects.create(
        application=application,
        person=application.person,
        employer=application.vacancy.employer,
        started_on=started_on,
        pathway=application.pathway,
    )
    RetentionFollowUp.objects.bulk_create(
        RetentionFollowUp(placement=placement, months=months, due_on=add_months(started_on, months))
        for months in RETENTION_MONTHS
    )
    _log(membership, "incluye.placement.opened", placement, {"pathway": placement.pathway})
    return placement


@transaction.atomic
def follow_up_record(
    *, membership, follow_up: RetentionFollowUp, still_employed: bool, note: str = "", expected_version=None
):
    _require(membership, "applications.manage")
    follow_up.still_employed = still_employed
    follow_up.note = note
    follow_up.done_at = timezone.now()
    follow_up.done_by = membership.user
    saved = save_versioned(
        follow_up,
        expected_version=_version(follow_up, expected_version),
        fields=["still_employed", "note", "done_at", "done_by"],
    )
    _log(
        membership,
        "incluye.retention.recorded",
        follow_up.placement,
        {"months": follow_up.months, "still_employed": still_employed, **saved},
    )
    return follow_up


# Entrepreneurship ----------------------------------------------------------------------------

BUSINESS_FIELDS = ["name", "idea", "sector", "municipality", "training", "plan_done_on"]


@transaction.atomic
def business_create(*, membership, person, **fields) -> Business:
    _require(membership, "businesses.manage")
    business = Business.objects.create(
        person=person,
        organization=membership.organization,
        **{k: v for k, v in fields.items() if k in BUSINESS_FIELDS},
    )
    BusinessStatusChange.objects.create(
        business=business, status=business.status, on=timezone.localdate(), changed_by=membership.user
    )
    _log(membership, "incluye.business.created", business, {"person": str(person.pk)})
    return business


@transaction.atomic
def business_update(
    *, membership, business: Business, status=None, on=None, note="", expected_version=None, **fields
) -> Business:
    """Changes the business's details; a new status is kept with its date (status over time)."""
    _require(membership, "businesses.manage")
    changed = [k for k, v in fields.items() if k in BUSINESS_FIELDS and getattr(business, k) != v]
    for key in changed:
        setattr(business, key, fields[key])
    if status and status != business.status:
        if status not in BusinessStatus.values:
            raise ValidationError({"status": [_("Unknown status.")]})
        business.status = status
        changed.append("status")
        BusinessStatusChange.objects.create(
            business=business,
            status=status,
            on=on or timezone.localdate(),
            note=note,
            changed_by=membership.user,
        )
    saved = save_versioned(business, expected_version=_version(business, expected_version), fields=changed)
    if changed:
        _log(membership, "incluye.business.updated", business, saved)
    return business


@transaction.atomic
def funding_add(*, membership, business: Business, kind, amount, currency, source, obtained_on) -> Funding:
    _require(membership, "businesses.manage")
    if amount is None or amount <= 0:
        raise ValidationError({"amount": [_("The amount must be more than zero.")]})
    funding = Funding.objects.create(
        business=business, kind=kind, amount=amount, currency=currency, source=source, obtained_on=obtained_on
    )
    _log(membership, "incluye.business.funded", business, {"kind": kind})
    return funding


def candidates_exported(*, membership, vacancy, count: int) -> None:
    _log(membership, "incluye.candidates.exported", vacancy, {"count": count})
