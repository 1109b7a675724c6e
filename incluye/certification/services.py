"""Writes of the certification app: signing keys, assessment sessions, enrolments, results,
certificates and their revocation. Every change is logged in the action log."""

import re
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from incluye.accounts.models import Membership, OrganizationKind
from incluye.certification import credentials
from incluye.certification.models import (
    AssessmentSession,
    Attendance,
    Certificate,
    CertificateCounter,
    Enrollment,
    Outcome,
    PublicFields,
    SigningKey,
    StatusList,
    UnitResult,
)
from incluye.certification.selectors import (
    enrollment_is_pending,
    enrollment_progress,
    holds_valid_certificate,
    profile_leads_to,
    sharing_consent,
)
from incluye.core.actionlog import log_action
from incluye.core.links import absolute_url
from incluye.core.notify import notify_on_commit
from incluye.core.versioning import check_current, save_versioned
from incluye.people.selectors import person_is_visible_to
from incluye.skills.models import ProfileStatus


def _require(membership, permission):
    if not membership.can(permission):
        raise PermissionDenied


def _require_body(membership, body=None):
    """The membership works for a certifying body (and for `body`, when given)."""
    organization = membership.organization
    if organization.kind != OrganizationKind.CERTIFYING_BODY or (
        body is not None and body.pk != organization.pk
    ):
        raise PermissionDenied


def _log(membership, action, obj, data=None):
    log_action(actor=membership.user, organization=membership.organization, action=action, obj=obj, data=data)


# --- Signing keys ---------------------------------------------------------------------------------


@transaction.atomic
def signing_key_rotate(*, body, actor=None) -> SigningKey:
    """A new active ES256 key for the body; the previous one is retired but stays published (its key
    URL, JWKS, DID document), so every credential it signed still verifies."""
    if body.kind != OrganizationKind.CERTIFYING_BODY:
        raise ValidationError(_("Only a certifying body signs certificates."))
    now = timezone.now()
    retired = list(body.signing_keys.filter(active=True).values_list("kid", flat=True))
    body.signing_keys.filter(active=True).update(active=False, retired_at=now)
    key = credentials.generate_key()
    name = f"key-{now:%Y%m%d}-{secrets.token_hex(4)}"
    signing_key = SigningKey.objects.create(
        body=body,
        kid=credentials.key_url(body, name),
        algorithm=SigningKey.Algorithm.ES256,
        public_jwk=key.as_dict(private=False),
        private_jwk_encrypted=credentials.encrypt_private_key(key),
    )
    log_action(
        actor=actor,
        organization=body,
        action="incluye.signing_key.rotated",
        obj=signing_key,
        data={"kid": name, "retired": len(retired)},
    )
    return signing_key


def signing_key_rotate_by(*, membership) -> SigningKey:
    _require(membership, "signing_keys.manage")
    _require_body(membership)
    return signing_key_rotate(body=membership.organization, actor=membership.user)


def active_signing_key(body, *, actor=None) -> SigningKey:
    """The body's active ES256 key; a body whose active key is a legacy Ed25519 one gets a new key
    (the old one is retired and stays published)."""
    key = body.signing_keys.filter(active=True).first()
    if key is None or key.algorithm != credentials.ALGORITHM:
        key = signing_key_rotate(body=body, actor=actor)
    return key


# --- Sessions and enrolment ------------------------------------------------------------------------


def body_assessors(body):
    """Members of the body who may assess (their users)."""
    return [
        m.user
        for m in Membership.objects.filter(organization=body, is_active=True, read_only=False).select_related(
            "user"
        )
        if m.can("assessments.manage")
    ]


@transaction.atomic
def session_create(*, membership, standard, date, place, capacity, assessors=()) -> AssessmentSession:
    _require(membership, "assessments.manage")
    _require_body(membership)
    body = membership.organization
    if standard.body_id != body.pk:
        raise ValidationError(_("The standard is not one of your institute's."))
    allowed = {u.pk for u in body_assessors(body)}
    if any(user.pk not in allowed for user in assessors):
        raise ValidationError(_("Assessors must be assessors of your institute."))
    if capacity < 1:
        raise ValidationError(_("The session needs at least one seat."))
    session = AssessmentSession.objects.create(
        body=body, standard=standard, date=date, place=place, capacity=capacity, created_by=membership.user
    )
    session.assessors.set(assessors)
    _log(membership, "incluye.assessment_session.created", session, {"standard": standard.code})
    return session


@transaction.atomic
def enrollment_create(*, membership, session, profile) -> Enrollment:
    """The person's organization enrols the person in a session, from a signed skills profile that
    leads to the session's standard, with the person's consent to share with the alliance."""
    _require(membership, "candidates.enroll")
    person = profile.person
    if not person_is_visible_to(membership=membership, person=person):
        raise PermissionDenied  # the person's organizations: the one that registered them, or one they share with
    if profile.status != ProfileStatus.SIGNED:
        raise ValidationError(_("Only a signed skills profile can be used to enrol."))
    if not profile_leads_to(profile, session.standard):
        raise ValidationError(_("The skills profile does not lead to this session's standard."))
    if holds_valid_certificate(person=person, standard=session.standard):
        raise ValidationError(_("The person already holds a certificate of this standard."))
    consent = sharing_consent(person)
    if consent is None:
        raise ValidationError(
            _("Record the person's consent to share their data with the alliance before enrolling them.")
        )
    session = AssessmentSession.objects.select_for_update().get(pk=session.pk)
    if session.date < timezone.localdate():
        raise ValidationError(_("This session has already taken place."))
    if session.enrollments.filter(person=person).exists():
        raise ValidationError(_("The person is already enrolled in this session."))
    if session.enrollments.count() >= session.capacity:
        raise ValidationError(_("The session is full."))
    enrollment = Enrollment.objects.create(
        session=session,
        person=person,
        profile=profile,
        consent=consent,
        organization=membership.organization,
        enrolled_by=membership.user,
    )
    _log(membership, "incluye.enrollment.created", enrollment, {"session": str(session.pk)})
    return enrollment


@transaction.atomic
def enrollment_withdraw(*, membership, enrollment) -> None:
    """The person's organization withdraws them from a session that has not begun, and the seat is
    free again. The action log keeps the session and who withdrew the candidate."""
    _require(membership, "candidates.enroll")
    if not person_is_visible_to(membership=membership, person=enrollment.person):
        raise PermissionDenied
    enrollment = (
        Enrollment.objects.select_for_update().select_related("session__standard").get(pk=enrollment.pk)
    )
    if not enrollment_is_pending(enrollment):
        raise ValidationError(
            _("The session has begun: the certifying body records whether the candidate attended.")
        )
    _withdraw(membership, enrollment, reason="withdrawn")


def _withdraw(membership, enrollment, *, reason: str) -> None:
    session = enrollment.session
    recipients = list(session.assessors.all()) or body_assessors(session.body)
    notify_on_commit(
        to_users=[user for user in recipients if user.pk != membership.user_id],
        template="certification/email/seat_freed",
        context={
            "standard": session.standard.code,
            "date": session.date.isoformat(),
            "place": session.place,
            "link": absolute_url("certification:session", session.pk),
        },
    )
    _log(
        membership,
        "incluye.enrollment.withdrawn",
        enrollment,
        {
            "session": str(enrollment.session_id),
            "standard": enrollment.session.standard.code,
            "reason": reason,
        },
    )
    enrollment.delete()


def _require_assessor(membership, enrollment):
    _require(membership, "assessments.manage")
    _require_body(membership, enrollment.session.body)


def _session_has_begun(session) -> bool:
    """Attendance, results and certificates belong to the day of the session or later (the
    deployment's date, not UTC's)."""
    return timezone.localdate() >= session.date


def not_before_session_message(session) -> str:
    return _(
        "The session is on %(date)s: attendance, results and certificates are recorded from that day on."
    ) % {"date": date_format(session.date, "DATE_FORMAT")}


def _not_before_session(session):
    return ValidationError(not_before_session_message(session))


@transaction.atomic
def enrollment_attendance(*, membership, enrollment, attendance: str, expected_version=None) -> Enrollment:
    _require_assessor(membership, enrollment)
    if attendance not in Attendance.values:
        raise ValidationError(_("Choose whether the candidate came."))
    if attendance != Attendance.EXPECTED and not _session_has_begun(enrollment.session):
        raise _not_before_session(enrollment.session)
    if attendance != Attendance.PRESENT and enrollment.results.exists():
        raise ValidationError(_("Results were recorded: the candidate was present."))
    enrollment.attendance = attendance
    expected = enrollment.version if expected_version is None else expected_version
    saved = save_versioned(enrollment, expected_version=expected, fields=["attendance"])
    if saved["fields"]:
        _log(membership, "incluye.enrollment.attendance", enrollment, {"attendance": attendance, **saved})
    return enrollment


@transaction.atomic
def results_record(*, membership, enrollment, results: dict, expected_version=None) -> Enrollment:
    """`results`: {unit id: {"outcome": "competent" | "not_yet" | "", "evidence": str,
    "assessed_on": date}}. An empty outcome clears the unit's result."""
    _require_assessor(membership, enrollment)
    check_current(enrollment, expected_version)
    session = enrollment.session
    if not _session_has_begun(session):
        raise _not_before_session(session)
    if enrollment.attendance != Attendance.PRESENT:
        raise ValidationError(_("Mark the candidate present before recording results."))
    if Certificate.objects.filter(enrollment=enrollment).exists():
        raise ValidationError(_("A certificate was issued: the results cannot change."))
    units = {u.pk: u for u in session.standard.units.all()}
    changed = 0
    for unit_id, values in results.items():
        unit = units.get(unit_id)
        if unit is None:
            raise ValidationError(_("That unit is not part of the session's standard."))
        outcome = values.get("outcome") or ""
        if not outcome:
            changed += enrollment.results.filter(unit=unit).delete()[0]
            continue
        if outcome not in Outcome.values:
            raise ValidationError(_("Choose competent or not yet competent."))
        assessed_on = values.get("assessed_on") or session.date
        if assessed_on > timezone.localdate():
            raise ValidationError(_("A result cannot be dated in the future."))
        if assessed_on < session.date:
            raise ValidationError(
                _("A result cannot be dated before the session (%(date)s).")
                % {"date": date_format(session.date, "DATE_FORMAT")}
            )
        defaults = {"outcome": outcome, "assessed_on": assessed_on, "assessor": membership.user}
        if "evidence" in values:  # a page that does not show the evidence keeps what was written
            defaults["evidence"] = values.get("evidence") or ""
        UnitResult.objects.update_or_create(enrollment=enrollment, unit=unit, defaults=defaults)
        changed += 1
    # The results are the enrollment's: two assessors saving at once cannot overwrite each other.
    # (Checked last, under the row lock, once every unit was accepted.)
    saved = save_versioned(
        enrollment,
        expected_version=enrollment.version if expected_version is None else expected_version,
        fields=[],
    )
    competent = enrollment.results.filter(outcome=Outcome.COMPETENT).count()
    _log(
        membership,
        "incluye.results.recorded",
        enrollment,
        {"units": changed, "competent": competent, **saved, "fields": ["results"]},
    )
    return enrollment


@transaction.atomic
def session_results_record(*, membership, session, rows: dict) -> list[Enrollment]:
    """Attendance and results of a whole session at once, all or nothing. `rows`: {enrolment id:
    {"attendance": str, "assessed_on": date | None, "outcomes": {unit id: "competent" | "not_yet" |
    ""}}}. Per candidate, attendance comes before results: a candidate marked present gets results in
    the same save; a candidate no longer present has their results cleared first. Candidates with a
    certificate are left as they are. Raises ValidationError({enrolment id: message}) and changes
    nothing when any candidate is refused."""
    _require(membership, "assessments.manage")
    _require_body(membership, session.body)
    enrollments = {
        e.pk: e for e in session.enrollments.select_related("session__standard", "session__body", "person")
    }
    certified = set(
        Certificate.objects.filter(enrollment__session=session).values_list("enrollment_id", flat=True)
    )
    errors, saved = {}, []
    for pk, row in rows.items():
        enrollment = enrollments.get(pk)
        if enrollment is None:
            raise ValidationError(_("That candidate is not enrolled in this session."))
        if pk in certified:
            continue
        try:
            _record_row(membership, enrollment, row)
        except ValidationError as error:
            errors[str(pk)] = error.messages[0]
        else:
            saved.append(enrollment)
    if errors:
        raise ValidationError(errors)
    return saved


def _record_row(membership, enrollment, row):
    check_current(enrollment, row.get("version"))
    existing = {r.unit_id: (r.outcome, r.assessed_on) for r in enrollment.results.all()}
    assessed_on = row.get("assessed_on") or enrollment.session.date
    changes = {}
    for unit_id, outcome in row.get("outcomes", {}).items():
        if outcome and existing.get(unit_id) != (outcome, assessed_on):
            changes[unit_id] = {"outcome": outcome, "assessed_on": assessed_on}
        elif not outcome and unit_id in existing:
            changes[unit_id] = {"outcome": ""}
    attendance = row.get("attendance") or enrollment.attendance
    if attendance == Attendance.PRESENT:
        enrollment_attendance(membership=membership, enrollment=enrollment, attendance=attendance)
        if changes:
            results_record(membership=membership, enrollment=enrollment, results=changes)
        return
    if any(change["outcome"] for change in changes.values()):
        raise ValidationError(_("Mark the candidate present before recording results."))
    if changes and enrollment.attendance == Attendance.PRESENT:
        results_record(membership=membership, enrollment=enrollment, results=changes)
    enrollment_attendance(membership=membership, enrollment=enrollment, attendance=attendance)


# --- Certificates -----------------------------------------------------------------------------------


def number_prefix(body) -> str:
    return re.sub(r"[^A-Z0-9]", "", (body.short_name or "").upper()) or f"ORG{body.pk}"


def _next_number(body, year: int) -> tuple[int, str]:
    """Gap-free per body and year: the counter row is locked until the transaction ends, and a
    failed issue rolls the counter back with it."""
    CertificateCounter.objects.get_or_create(body=body, year=year)
    counter = CertificateCounter.objects.select_for_update().get(body=body, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{number_prefix(body)}-{year}-{counter.last:06d}"


def _status_slot(body) -> tuple[StatusList, int]:
    """A random free index in the body's current status list (a new list when it is 3/4 used)."""
    status_list = StatusList.objects.select_for_update().filter(body=body).order_by("-id").first()
    if status_list is None or status_list.certificates.count() >= status_list.size * 3 // 4:
        status_list = StatusList.objects.create(body=body)
    used = set(status_list.certificates.values_list("status_index", flat=True))
    while True:
        index = secrets.randbelow(status_list.size)
        if index not in used:
            return status_list, index


@transaction.atomic
def certificate_issue(*, membership, enrollment, public_fields: str = PublicFields.INITIALS) -> Certificate:
    """Issue the certificate of a candidate competent in every required unit: numbered per body and
    year, with its verifiable credential signed by the body's active key."""
    _require(membership, "certificates.issue")
    _require_body(membership, enrollment.session.body)
    if public_fields not in PublicFields.values:
        raise ValidationError(_("Choose what the verification page may show about the person."))
    if Certificate.objects.filter(enrollment=enrollment).exists():
        raise ValidationError(_("A certificate was already issued for this enrolment."))
    if not _session_has_begun(enrollment.session):
        raise _not_before_session(enrollment.session)
    if enrollment.attendance != Attendance.PRESENT:
        raise ValidationError(_("Mark the candidate present before issuing the certificate."))
    progress = enrollment_progress(enrollment)
    if not progress.eligible:
        raise ValidationError(_("The candidate is not yet competent in every required unit."))
    body, standard = membership.organization, enrollment.session.standard
    now = timezone.now()
    year = timezone.localdate(now).year
    sequence, number = _next_number(body, year)
    signing_key = active_signing_key(body, actor=membership.user)
    status_list, index = _status_slot(body)
    certificate = Certificate.objects.create(
        number=number,
        body=body,
        year=year,
        sequence=sequence,
        enrollment=enrollment,
        person=enrollment.person,
        standard=standard,
        units=[
            {
                "code": u.code,
                "title": {"es": u.title_es, "en": u.title_en or u.title_es},
                "required": u.required,
            }
            for u in progress.achieved
        ],
        holder_name=enrollment.person.full_name,
        public_fields=public_fields,
        issued_at=now,
        issued_by=membership.user,
        signing_key=signing_key,
        status_list=status_list,
        status_index=index,
    )
    certificate.credential = credentials.sign(credentials.certificate_credential(certificate), signing_key)
    certificate.save(update_fields=["credential"])
    _log(membership, "incluye.certificate.issued", certificate, {"number": number, "standard": standard.code})
    # The person now holds the standard: a seat they hold in a session of it yet to come is set free.
    others = (
        Enrollment.objects.select_for_update()
        .filter(person=enrollment.person, session__standard=standard)
        .exclude(pk=enrollment.pk)
        .select_related("session__standard")
    )
    for other in others:
        if enrollment_is_pending(other):
            _withdraw(membership, other, reason="certified")
    return certificate


@transaction.atomic
def certificate_revoke(*, membership, certificate, reason: str) -> Certificate:
    """Revoke: the bit of the certificate in its status list is set from now on."""
    _require(membership, "certificates.revoke")
    _require_body(membership, certificate.body)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the certificate is revoked."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked:
        raise ValidationError(_("The certificate is already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = membership.user
    certificate.revocation_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    _log(membership, "incluye.certificate.revoked", certificate, {"number": certificate.number})
    return certificate


def certificate_printed(*, membership, certificate, language: str) -> None:
    _log(membership, "incluye.certificate.printed", certificate, {"language": language})


def credential_downloaded(*, membership, certificate) -> None:
    _log(membership, "incluye.certificate.credential_downloaded", certificate)


def certificate_downloaded_by_person(*, certificate, what: str) -> None:
    """The holder took their own certificate from their page (the PDF or the credential)."""
    log_action(
        actor=None,
        organization=certificate.body,
        action="incluye.certificate.printed"
        if what == "pdf"
        else "incluye.certificate.credential_downloaded",
        obj=certificate,
        data={"by": "person"},
    )
