"""Writes of the service directory and of referrals. Each one logs what it did (ids, statuses and
field names, never a person's values) and notifies whoever must act next."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from incluye.core.actionlog import log_action
from incluye.core.notify import notify_on_commit
from incluye.core.versioning import check_current, save_versioned
from incluye.referrals import selectors
from incluye.referrals.models import (
    RECEIVER,
    REFERRAL_PIPELINE,
    SENDER,
    SHAREABLE_FIELDS,
    STEP_SIDE,
    Referral,
    ReferralStatus,
    Service,
)

SERVICE_FIELDS = (
    "name",
    "kind",
    "description",
    "municipality",
    "address",
    "audience",
    "outcome_due_days",
    "is_active",
)


class ReferralRefused(Exception):
    """A referral that cannot be sent, with a message for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def consent_missing_message() -> str:
    return _(
        "This person has not consented to share their data with alliance members, or the consent "
        "expired or was withdrawn. Record the person's consent before referring them."
    )


# Service directory ---------------------------------------------------------------------------


@transaction.atomic
def service_create(*, membership, **fields) -> Service:
    if not membership.can("services.manage"):
        raise PermissionDenied
    service = Service.objects.create(
        organization=membership.organization, **{k: v for k, v in fields.items() if k in SERVICE_FIELDS}
    )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.service.created",
        obj=service,
        data={"kind": service.kind},
    )
    return service


@transaction.atomic
def service_update(*, membership, service: Service, expected_version=None, **fields) -> Service:
    if not membership.can("services.manage") or service.organization_id != membership.organization_id:
        raise PermissionDenied
    names = [k for k in SERVICE_FIELDS if k in fields]
    for name in names:
        setattr(service, name, fields[name])
    expected = service.version if expected_version is None else expected_version
    saved = save_versioned(service, expected_version=expected, fields=names)
    if not saved["fields"]:
        return service
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.service.changed",
        obj=service,
        data=saved,
    )
    return service


# Referrals -----------------------------------------------------------------------------------


def _link(referral: Referral) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("referrals:detail", args=[referral.pk])


def _mail_context(referral: Referral) -> dict:
    """What a notification may say: the service's name and a link. Never the person or the reason."""
    return {"service": referral.service.name, "link": _link(referral), "status": referral.status}


def _snapshot(person, shared_fields) -> dict:
    values = {
        "given_names": person.given_names,
        "surnames": person.surnames,
        "phone": person.phone,
        "municipality": person.residence,
        "preferred_language": (person.languages or [""])[0],
    }
    return {key: values[key] for key in shared_fields}


@transaction.atomic
def referral_send(*, membership, case, service: Service, shared_fields, reason: str) -> Referral:
    """Refer the person of `case` to `service`, sharing only `shared_fields` (from the allow-list)
    and the reason. Refused without the person's consent to share with alliance members."""
    if not membership.can("referrals.send") or case.organization_id != membership.organization_id:
        raise PermissionDenied
    unknown = set(shared_fields) - set(SHAREABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not shareable: {sorted(unknown)}")
    if not case.is_open:
        raise ReferralRefused(_("The case is closed: reopen it to refer the person."))
    if (
        not service.is_active
        or service.organization_id == membership.organization_id
        or service.organization.country_id != membership.organization.country_id
    ):
        raise ReferralRefused(_("Choose an active service of another organization of the alliance."))
    if not selectors.person_allows_sharing(person=case.person):
        raise ReferralRefused(consent_missing_message())
    shared = [key for key in SHAREABLE_FIELDS if key in shared_fields]
    now = timezone.now()
    referral = Referral.objects.create(
        case=case,
        from_organization_id=membership.organization_id,
        sent_by=membership.user,
        service=service,
        to_organization_id=service.organization_id,
        shared_fields=shared,
        reason=reason.strip(),
        sent_at=now,
        outcome_due_on=timezone.localdate(now) + timedelta(days=service.outcome_due_days),
        **_snapshot(case.person, shared),
    )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.referral.sent",
        obj=referral,
        data={"service": service.pk, "to_organization": service.organization_id, "fields": shared},
    )
    notify_on_commit(
        to_users=list(selectors.referral_handlers(organization=service.organization)),
        template="referrals/email/referral_sent",
        context=_mail_context(referral),
    )
    return referral


def side_of(*, membership, referral: Referral) -> str | None:
    if referral.from_organization_id == membership.organization_id:
        return SENDER
    if referral.to_organization_id == membership.organization_id:
        return RECEIVER
    return None


def steps_for(*, membership, referral: Referral) -> list[str]:
    """The statuses this membership may move the referral to now."""
    side = side_of(membership=membership, referral=referral)
    permission = {SENDER: "referrals.send", RECEIVER: "referrals.handle"}.get(side)
    if permission is None or not membership.can(permission):
        return []
    return [s for s in REFERRAL_PIPELINE.allowed(referral.status) if STEP_SIDE[s] == side]


@transaction.atomic
def _step(*, membership, referral: Referral, to_status: str, expected_version=None, **fields) -> Referral:
    side = side_of(membership=membership, referral=referral)
    permission = "referrals.handle" if STEP_SIDE[to_status] == RECEIVER else "referrals.send"
    if side != STEP_SIDE[to_status] or not membership.can(permission):
        raise PermissionDenied
    check_current(referral, expected_version)
    REFERRAL_PIPELINE.check(referral.status, to_status)
    from_status = referral.status
    now = timezone.now()
    fields[f"{to_status}_at"] = now
    # Only from the version the user saw: two people answering at once cannot both succeed.
    referral.status = to_status
    for name, value in fields.items():
        setattr(referral, name, value)
    saved = save_versioned(
        referral,
        expected_version=referral.version if expected_version is None else expected_version,
        fields=["status", *fields],
    )
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action=f"incluye.referral.{to_status}",
        obj=referral,
        data={"from": from_status, "to": to_status, **saved},
    )
    if side == RECEIVER:
        recipients = [referral.sent_by] if referral.sent_by_id else []
    else:
        recipients = list(selectors.referral_handlers(organization=referral.to_organization))
    notify_on_commit(
        to_users=recipients, template="referrals/email/referral_updated", context=_mail_context(referral)
    )
    return referral


def referral_accept(*, membership, referral: Referral, expected_version=None) -> Referral:
    return _step(
        membership=membership,
        referral=referral,
        to_status=ReferralStatus.ACCEPTED,
        expected_version=expected_version,
    )


def referral_decline(*, membership, referral: Referral, reason: str, expected_version=None) -> Referral:
    return _step(
        membership=membership,
        referral=referral,
        to_status=ReferralStatus.DECLINED,
        expected_version=expected_version,
        decline_reason=reason.strip(),
    )


def referral_complete(*, membership, referral: Referral, outcome: str, expected_version=None) -> Referral:
    return _step(
        membership=membership,
        referral=referral,
        to_status=ReferralStatus.COMPLETED,
        expected_version=expected_version,
        outcome=outcome.strip(),
    )


def referral_cancel(*, membership, referral: Referral, expected_version=None) -> Referral:
    return _step(
        membership=membership,
        referral=referral,
        to_status=ReferralStatus.CANCELLED,
        expected_version=expected_version,
    )


def referral_viewed(*, membership, referral: Referral) -> None:
    """The snapshot is personal data: every opening that shows it is logged."""
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action="incluye.referral.viewed",
        obj=referral,
    )
