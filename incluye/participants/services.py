"""Writes of the person's own door: invitations by staff, one-time codes, sign-in, and what the
person does on their own record. Everything is logged with `log_action`; what the person does is
logged with no staff actor, under the organization that registered them (the log says "the person
themselves")."""

import datetime
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from incluye.core.actionlog import log_action
from incluye.core.links import absolute_url
from incluye.core.notify import ShortMessage, get_sms_backend, notify_on_commit
from incluye.participants.models import AccountStatus, DataCopyRequest, ParticipantAccount, SignInCode

CODE_DIGITS = 6


def _require(membership, permission):
    if membership is None or not membership.can(permission):
        raise PermissionDenied


def code_hash(*, account_id, code: str) -> str:
    """A keyed hash: the database alone never tells a code (a million codes are easy to try)."""
    return salted_hmac("incluye.participants.code", f"{account_id}:{code}", algorithm="sha256").hexdigest()


def _send_sms(*, phone: str, template: str, context: dict, language: str) -> None:
    with translation.override(language or settings.LANGUAGE_CODE):
        body = render_to_string(template, context).strip()
    get_sms_backend().send_messages([ShortMessage(to=phone, body=body)])


def _sign_in_link() -> str:
    return absolute_url("me:sign_in")


# Staff ---------------------------------------------------------------------------------------


@transaction.atomic
def participant_invite(*, membership, person) -> ParticipantAccount:
    """Staff invite the person to sign in at /me/ with the phone their organization registered.
    Only a registered phone can be invited, so nobody claims a record by typing a number; inviting
    again (a new phone on the record, access withdrawn before) replaces the earlier invitation."""
    from incluye.people.selectors import person_is_visible_to

    _require(membership, "participants.invite")
    if not person_is_visible_to(membership=membership, person=person) or person.erased_at:
        raise PermissionDenied
    if not person.phone:
        raise ValidationError(
            _("Record the person's mobile phone first: the invitation and the codes go there.")
        )
    now = timezone.now()
    account = ParticipantAccount.objects.select_for_update().filter(person=person).first()
    if account is None:
        account = ParticipantAccount(person=person)
    account.phone = person.phone
    account.status = AccountStatus.INVITED if account.activated_at is None else AccountStatus.ACTIVE
    account.organization = membership.organization
    account.invited_by = membership.user
    account.invited_at = now
    account.revoked_at = None
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("Another person's access already uses this phone. Each phone opens one person's record.")
        ) from exc
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.participant.invited",
        obj=account,
        person=person,
    )
    transaction.on_commit(
        lambda: _send_sms(
            phone=account.phone,
            template="participants/sms/invited.txt",
            context={"link": _sign_in_link()},
            language=settings.LANGUAGE_CODE,
        )
    )
    return account


@transaction.atomic
def participant_revoke(*, membership, account: ParticipantAccount) -> ParticipantAccount:
    """Staff withdraw the person's access (a lost phone): no code is sent to it any more."""
    from incluye.people.selectors import person_is_visible_to

    _require(membership, "participants.invite")
    if not person_is_visible_to(membership=membership, person=account.person):
        raise PermissionDenied
    account.status = AccountStatus.REVOKED
    account.revoked_at = timezone.now()
    account.save(update_fields=["status", "revoked_at"])
    account.codes.filter(used_at__isnull=True).update(used_at=account.revoked_at)
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.participant.revoked",
        obj=account,
        person=account.person_id,
    )
    return account


@transaction.atomic
def copy_request_deliver(*, membership, copy_request: DataCopyRequest) -> DataCopyRequest:
    """An administrator gave the person their copy (made with the person's export)."""
    _require(membership, "people.export")
    if copy_request.organization_id != membership.organization_id:
        raise PermissionDenied
    if copy_request.delivered_at is None:
        copy_request.delivered_at = timezone.now()
        copy_request.delivered_by = membership.user
        copy_request.save(update_fields=["delivered_at", "delivered_by"])
        log_action(
            actor=membership.user,
            organization=membership.organization,
            action="incluye.participant.copy_delivered",
            obj=copy_request,
        )
    return copy_request


# Signing in ----------------------------------------------------------------------------------


def account_for_phone(phone: str) -> ParticipantAccount | None:
    return (
        ParticipantAccount.objects.exclude(status=AccountStatus.REVOKED)
        .select_related("person")
        .filter(phone=phone, person__erased_at__isnull=True)
        .first()
    )


@transaction.atomic
def sign_in_code_send(*, phone: str) -> bool:
    """Send a fresh one-time code to an invited phone; earlier codes stop working. A phone that was
    never invited gets nothing (the caller answers the same either way). True when sent."""
    account = account_for_phone(phone)
    if account is None:
        return False
    now = timezone.now()
    account.codes.filter(used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    SignInCode.objects.create(
        account=account,
        code_hash=code_hash(account_id=account.pk, code=code),
        created_at=now,
        expires_at=now + datetime.timedelta(minutes=settings.INCLUYE_PARTICIPANT_CODE_MINUTES),
    )
    minutes = settings.INCLUYE_PARTICIPANT_CODE_MINUTES
    transaction.on_commit(
        lambda: _send_sms(
            phone=account.phone,
            template="participants/sms/code.txt",
            context={"code": code, "minutes": minutes},
            language=settings.LANGUAGE_CODE,
        )
    )
    return True


@transaction.atomic
def sign_in_code_check(*, phone: str, code: str) -> ParticipantAccount | None:
    """The account when `code` is the phone's current code (unexpired, unused, fewer than the
    allowed attempts); it is then spent. None otherwise (the attempt counts against the code)."""
    account = account_for_phone(phone)
    if account is None:
        return None
    now = timezone.now()
    current = (
        SignInCode.objects.select_for_update()
        .filter(account=account, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at", "-id")
        .first()
    )
    if current is None:
        return None
    given = "".join(ch for ch in (code or "") if ch.isdigit())
    if not hmac.compare_digest(current.code_hash, code_hash(account_id=account.pk, code=given)):
        current.attempts += 1
        if current.attempts >= settings.INCLUYE_PARTICIPANT_CODE_ATTEMPTS:
            current.used_at = now  # too many wrong tries: this code is spent
        current.save(update_fields=["attempts", "used_at"])
        return None
    current.used_at = now
    current.save(update_fields=["used_at"])
    fields = ["last_sign_in_at"]
    account.last_sign_in_at = now
    if account.activated_at is None:
        account.activated_at = now
        account.status = AccountStatus.ACTIVE
        fields += ["activated_at", "status"]
    account.save(update_fields=fields)
    log_action(
        actor=None,
        organization=account.person.organization,
        action="incluye.participant.signed_in",
        obj=account,
        person=account.person_id,
    )
    return account


# The person, on their own record ---------------------------------------------------------------


def consent_withdraw(*, account: ParticipantAccount, purpose: str):
    """The person withdraws a consent themselves: the people app's consent service records it (so
    it counts everywhere at once: sharing, the employer profile, stories) and logs it."""
    from incluye.people.services import consent_withdraw_by_person

    return consent_withdraw_by_person(person=account.person, purpose=purpose)


@transaction.atomic
def copy_request(*, account: ParticipantAccount) -> DataCopyRequest:
    """The person asks for a copy of their data: one open request at a time; the administrators of
    the organization that registered them are told (where to look, never who)."""
    from incluye.accounts.selectors import members_who_can

    person = account.person
    open_request = DataCopyRequest.objects.filter(person=person, delivered_at__isnull=True).first()
    if open_request is not None:
        return open_request
    request = DataCopyRequest.objects.create(
        person=person, organization=person.organization, requested_at=timezone.now()
    )
    log_action(
        actor=None, organization=person.organization, action="incluye.participant.copy_requested", obj=request
    )
    notify_on_commit(
        to_users=members_who_can(organization=person.organization, permission="people.export"),
        template="participants/email/copy_requested",
        context={"link": absolute_url("participants:person", person.pk)},
    )
    return request


def invitation_answer(*, account: ParticipantAccount, application, accept: bool, expected_version=None):
    """The person accepts (the employer then learns who they are) or declines an employer's
    invitation themselves, through the jobs app's service (versioned, logged)."""
    from incluye.jobs.services import application_answer_by_person

    return application_answer_by_person(
        person=account.person, application=application, accept=accept, expected_version=expected_version
    )


def certificate_opened(*, account: ParticipantAccount, certificate, what: str) -> None:
    from incluye.certification.services import certificate_downloaded_by_person

    certificate_downloaded_by_person(certificate=certificate, what=what)
