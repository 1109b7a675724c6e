"""Writes of the service directory and of referrals. Each one logs what it did (ids, statuses and
field names, never a person's values) and notifies whoever must act next."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incluye.accounts.selectors import members_who_can
from incluye.core.actionlog import log_action
from incluye.core.links import absolute_url
from incluye.core.notify import notify_on_commit
from incluye.core.pipeline import TransitionNotAllowed
from incluye.core.versioning import check_current, save_versioned
from incluye.people.selectors import person_allows_sharing
from incluye.referrals import selectors
from incluye.referrals.models import (
    ACT_PIPELINE,
    RECEIVER,
    REFERRAL_PIPELINE,
    SENDER,
    SHAREABLE_FIELDS,
    STEP_SIDE,
    AccessRequest,
    ActStatus,
    Handoff,
    Referral,
    ReferralStatus,
    Service,
    Transfer,
)

SERVICE_FIELDS = (
    "name",
    "kind",
    "description",
    "municipality",
    "address",
    "audience",
    "answer_due_days",
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
    return absolute_url("referrals:detail", referral.pk)


def _mail_context(referral: Referral) -> dict:
    """What a notification may say: the service's name and a link. Never the person or the reason."""
    return {"service": referral.service.name, "link": _link(referral), "status": referral.status}


def _snapshot(person, shared_fields) -> dict:
    values = {
        "given_names": person.given_names,
        "surnames": person.surnames,
        "phone": person.phone,
        "municipality": person.residence,
        "preferred_language": person.spoken_to_in,
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
        answer_due_on=timezone.localdate(now) + timedelta(days=service.answer_due_days),
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


# Handoffs, transfers and access requests ----------------------------------------------------------


def _due(days: int):
    return timezone.localdate() + timedelta(days=days)


def _act_link(act) -> str:
    name = {Handoff: "referrals:handoff", Transfer: "referrals:transfer", AccessRequest: "referrals:access"}
    return absolute_url(name[type(act)], act.pk)


def _act_kind(act) -> str:
    return {Handoff: "handoff", Transfer: "transfer", AccessRequest: "access_request"}[type(act)]


HANDLE_PERMISSION = {Handoff: "handoffs.handle", Transfer: "transfers.handle", AccessRequest: "access.handle"}
SEND_PERMISSION = {Handoff: "handoffs.send", Transfer: "transfers.send", AccessRequest: "access.request"}


def _notify_receivers(act) -> None:
    """Tell the receiving organization's members who may answer: where to look, never who it is."""
    notify_on_commit(
        to_users=list(
            members_who_can(organization=act.to_organization, permission=HANDLE_PERMISSION[type(act)])
        ),
        template="referrals/email/act_sent",
        context={"kind": _act_kind(act), "organization": str(act.from_organization), "link": _act_link(act)},
    )


def _notify_sender(act) -> None:
    if act.sent_by_id:
        notify_on_commit(
            to_users=[act.sent_by],
            template="referrals/email/act_answered",
            context={"kind": _act_kind(act), "status": act.status, "link": _act_link(act)},
        )


def _log_act(membership, act, action: str, **data) -> None:
    log_action(
        actor=membership.user,
        organization=membership.organization,
        action=action,
        obj=act,
        data={
            "from_organization": act.from_organization_id,
            "to_organization": act.to_organization_id,
            **data,
        },
    )


def _check_destination(membership, organization, permission: str) -> None:
    """A handoff or a transfer goes to another active organization of the same country's alliance
    with someone who can take it."""
    if (
        organization is None
        or organization.pk == membership.organization_id
        or organization.country_id != membership.organization.country_id
        or not organization.is_active
        or not members_who_can(organization=organization, permission=permission).exists()
    ):
        raise ReferralRefused(_("Choose another organization of the alliance that manages cases."))


def _require_consent(person) -> None:
    if not person_allows_sharing(person=person):
        raise ReferralRefused(consent_missing_message())


def _answer(act, *, expected_version: int, to_status: str, **fields) -> dict:
    """Move the act from SENT, only from the version the user saw (`core.versioning`): two people
    answering at once cannot both succeed, and a stale page is refused with what changed, never
    applied silently. Returns what the write changed, for the action log."""
    check_current(act, expected_version)
    ACT_PIPELINE.check(act.status, to_status)
    now = timezone.now()
    if to_status in (ActStatus.ACCEPTED, ActStatus.DECLINED):
        fields.setdefault("answered_at", now)
    elif to_status == ActStatus.CANCELLED:
        fields["cancelled_at"] = now
    fields["status"] = to_status
    for name, value in fields.items():
        setattr(act, name, value)
    return save_versioned(act, expected_version=expected_version, fields=list(fields))


def _receiver(membership, act):
    if act.to_organization_id != membership.organization_id or not membership.can(
        HANDLE_PERMISSION[type(act)]
    ):
        raise PermissionDenied


def _sender(membership, act):
    if act.from_organization_id != membership.organization_id or not membership.can(
        SEND_PERMISSION[type(act)]
    ):
        raise PermissionDenied


def _caseworker_of(membership, caseworker):
    if (
        caseworker is None
        or not members_who_can(organization=membership.organization, permission="cases.manage")
        .filter(pk=caseworker.pk)
        .exists()
    ):
        raise ReferralRefused(_("Choose a caseworker of your organization."))
    return caseworker


@transaction.atomic
def handoff_send(*, membership, person, to_organization, note: str = "", return_event=None) -> Handoff:
    """Give an arrival to a case-management organization of the alliance. Consent rules are those
    of referrals: refused without the person's consent to share with alliance members."""
    from incluye.people.selectors import person_is_visible_to

    if not membership.can("handoffs.send"):
        raise PermissionDenied
    if not person_is_visible_to(membership=membership, person=person):
        raise PermissionDenied
    _check_destination(membership, to_organization, "handoffs.handle")
    _require_consent(person)
    if Handoff.objects.filter(person=person, to_organization=to_organization, status=ActStatus.SENT).exists():
        raise ReferralRefused(
            _("This person was already handed to that organization; it has not answered yet.")
        )
    if return_event is None:
        return_event = (
            person.returns.filter(organization_id=membership.organization_id).order_by("-arrived_on").first()
        )
    handoff = Handoff.objects.create(
        person=person,
        return_event=return_event,
        from_organization_id=membership.organization_id,
        to_organization=to_organization,
        sent_by=membership.user,
        note=note.strip(),
        answer_due_on=_due(settings.INCLUYE_HANDOFF_ANSWER_DAYS),
    )
    # A handoff of the same person that came back declined is dealt with by this new one.
    Handoff.objects.filter(
        person=person,
        from_organization_id=membership.organization_id,
        status=ActStatus.DECLINED,
        sender_closed_at__isnull=True,
    ).update(sender_closed_at=timezone.now())
    _log_act(membership, handoff, "incluye.handoff.sent")
    _notify_receivers(handoff)
    return handoff


def handoffs_send(*, membership, people, to_organization, note: str = "") -> tuple[list, list]:
    """Hand off several arrivals at once (a whole flight): each one on its own, so that a person
    without consent does not hold up the others. Returns (handoffs, [(person, why not)])."""
    sent, refused = [], []
    for person in people:
        try:
            with transaction.atomic():
                sent.append(
                    handoff_send(
                        membership=membership, person=person, to_organization=to_organization, note=note
                    )
                )
        except ReferralRefused as refusal:
            refused.append((person, refusal.message))
    return sent, refused


@transaction.atomic
def handoff_accept(*, membership, handoff: Handoff, caseworker, expected_version: int) -> Handoff:
    """Accept an arrival: the record is shared with the organization and a case opens there for
    the caseworker chosen (or the open case it already has is kept)."""
    from incluye.cases import services as case_services
    from incluye.cases.selectors import open_case_of
    from incluye.people.models import AccessReason
    from incluye.people.services import person_access_grant

    _receiver(membership, handoff)
    caseworker = _caseworker_of(membership, caseworker)
    _require_consent(handoff.person)
    saved = _answer(
        handoff, expected_version=expected_version, to_status=ActStatus.ACCEPTED, answered_by=membership.user
    )
    if handoff.person.organization_id != membership.organization_id:
        person_access_grant(
            membership=membership,
            person=handoff.person,
            organization=membership.organization,
            reason=AccessReason.HANDOFF,
        )
    case = open_case_of(membership=membership, person=handoff.person)
    if case is None:
        case = case_services.case_open(membership=membership, person=handoff.person, caseworker=caseworker)
    Handoff.objects.filter(pk=handoff.pk).update(case=case, caseworker=caseworker)
    handoff.case, handoff.caseworker = case, caseworker
    _log_act(membership, handoff, "incluye.handoff.accepted", case=str(case.pk), **saved)
    _notify_sender(handoff)
    if caseworker.pk != membership.user_id:
        notify_on_commit(
            to_users=[caseworker],
            template="referrals/email/case_assigned",
            context={"link": absolute_url("cases:detail", case.pk)},
        )
    return handoff


@transaction.atomic
def act_decline(*, membership, act, reason: str, expected_version: int):
    """Decline a handoff, a transfer or an access request: the reason goes back to the sender."""
    _receiver(membership, act)
    if not reason.strip():
        raise ReferralRefused(_("Say why, so that the other organization can look for another way."))
    saved = _answer(
        act,
        expected_version=expected_version,
        to_status=ActStatus.DECLINED,
        answered_by=membership.user,
        decline_reason=reason.strip(),
    )
    _log_act(membership, act, f"incluye.{_act_kind(act)}.declined", **saved)
    _notify_sender(act)
    return act


@transaction.atomic
def act_cancel(*, membership, act, expected_version: int):
    """The sender withdraws what nobody answered yet."""
    _sender(membership, act)
    saved = _answer(act, expected_version=expected_version, to_status=ActStatus.CANCELLED)
    _log_act(membership, act, f"incluye.{_act_kind(act)}.cancelled", **saved)
    return act


@transaction.atomic
def act_close(*, membership, act):
    """The sender dealt with a declined one (sent it elsewhere, or nothing more to do): it leaves
    the sender's inbox."""
    _sender(membership, act)
    if act.status != ActStatus.DECLINED:
        raise TransitionNotAllowed(_("Only a declined one can be put away."))
    type(act).objects.filter(pk=act.pk, sender_closed_at__isnull=True).update(sender_closed_at=timezone.now())
    act.refresh_from_db()
    _log_act(membership, act, f"incluye.{_act_kind(act)}.closed")
    return act


@transaction.atomic
def transfer_send(*, membership, case, to_organization, note: str) -> Transfer:
    """Offer a case's ownership to another organization. Until it accepts, the case stays here."""
    if not membership.can("transfers.send") or case.organization_id != membership.organization_id:
        raise PermissionDenied
    if not case.is_open:
        raise ReferralRefused(_("The case is closed: reopen it to transfer it."))
    if not note.strip():
        raise ReferralRefused(_("Say why the case is transferred."))
    _check_destination(membership, to_organization, "transfers.handle")
    _require_consent(case.person)
    if Transfer.objects.filter(case=case, status=ActStatus.SENT).exists():
        raise ReferralRefused(_("This case is already offered to another organization."))
    transfer = Transfer.objects.create(
        case=case,
        person=case.person,
        from_organization_id=membership.organization_id,
        to_organization=to_organization,
        sent_by=membership.user,
        note=note.strip(),
        answer_due_on=_due(settings.INCLUYE_TRANSFER_ANSWER_DAYS),
    )
    _log_act(membership, transfer, "incluye.transfer.sent", case=str(case.pk))
    _notify_receivers(transfer)
    return transfer


@transaction.atomic
def transfer_accept(*, membership, transfer: Transfer, caseworker, expected_version: int) -> Transfer:
    """Take the case over: it moves here with its history; the record is shared with this
    organization, and the sending organization keeps it only if it registered the person."""
    from incluye.cases import services as case_services
    from incluye.people.models import AccessReason
    from incluye.people.services import person_access_end, person_access_grant

    _receiver(membership, transfer)
    caseworker = _caseworker_of(membership, caseworker)
    _require_consent(transfer.person)
    case = transfer.case
    saved = _answer(
        transfer, expected_version=expected_version, to_status=ActStatus.ACCEPTED, answered_by=membership.user
    )
    case_services.case_take_over(
        membership=membership, case=case, caseworker=caseworker, expected_version=case.version
    )
    if transfer.person.organization_id != membership.organization_id:
        person_access_grant(
            membership=membership,
            person=transfer.person,
            organization=membership.organization,
            reason=AccessReason.TRANSFER,
        )
    if transfer.person.organization_id != transfer.from_organization_id:
        person_access_end(
            membership=membership,
            person=transfer.person,
            organization=transfer.from_organization,
            why="case_transferred",
        )
    Transfer.objects.filter(pk=transfer.pk).update(caseworker=caseworker)
    transfer.caseworker = caseworker
    _log_act(membership, transfer, "incluye.transfer.accepted", case=str(case.pk), **saved)
    _notify_sender(transfer)
    return transfer


@transaction.atomic
def access_request_send(*, membership, person, note: str) -> AccessRequest:
    """Ask the organization that holds a person's record (seen as a stub) to share it."""
    from incluye.people.selectors import person_is_visible_to

    if not membership.can("access.request"):
        raise PermissionDenied
    if person_is_visible_to(membership=membership, person=person):
        raise ReferralRefused(_("Your organization already sees this person's record."))
    if person.organization.country_id != membership.organization.country_id:
        raise PermissionDenied
    _require_consent(person)
    if not note.strip():
        raise ReferralRefused(_("Say why your organization needs the record."))
    if AccessRequest.objects.filter(
        person=person, from_organization_id=membership.organization_id, status=ActStatus.SENT
    ).exists():
        raise ReferralRefused(_("Your organization already asked; the answer is pending."))
    request = AccessRequest.objects.create(
        person=person,
        from_organization_id=membership.organization_id,
        to_organization_id=person.organization_id,
        sent_by=membership.user,
        note=note.strip(),
        answer_due_on=_due(settings.INCLUYE_ACCESS_ANSWER_DAYS),
    )
    _log_act(membership, request, "incluye.access_request.sent")
    _notify_receivers(request)
    return request


@transaction.atomic
def access_request_accept(*, membership, request: AccessRequest, expected_version: int) -> AccessRequest:
    from incluye.people.models import AccessReason
    from incluye.people.services import person_access_grant

    _receiver(membership, request)
    _require_consent(request.person)
    saved = _answer(
        request, expected_version=expected_version, to_status=ActStatus.ACCEPTED, answered_by=membership.user
    )
    person_access_grant(
        membership=membership,
        person=request.person,
        organization=request.from_organization,
        reason=AccessReason.ACCESS_REQUEST,
    )
    _log_act(membership, request, "incluye.access_request.accepted", **saved)
    _notify_sender(request)
    return request


def act_viewed(*, membership, act) -> None:
    """The person's stub, shown on a handoff, a transfer or an access request, is a read of the
    person's data: logged, and in the person's "who saw my data" report."""
    _log_act(membership, act, f"incluye.{_act_kind(act)}.viewed")
