from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from incluye.alliance.models import (
    COMMITMENT_PIPELINE,
    Agreement,
    AllianceMember,
    Commitment,
    Council,
    Decision,
    Meeting,
)
from incluye.core.actionlog import log_action
from incluye.core.pipeline import TransitionNotAllowed
from incluye.core.versioning import check_current, save_versioned


def _require(membership, council: Council):
    if not membership.can("alliance.manage") or council.country_id != membership.organization.country_id:
        raise PermissionDenied


def _log(membership, action, obj, **data):
    log_action(actor=membership.user, organization=membership.organization, action=action, obj=obj, data=data)


def member_join(
    *, membership, council: Council, organization, role: str = "member", joined_on=None
) -> AllianceMember:
    _require(membership, council)
    if organization.country_id != council.country_id:
        raise ValidationError("The organization is not of the council's country.")
    member = AllianceMember.objects.create(
        council=council, organization=organization, role=role, joined_on=joined_on or timezone.localdate()
    )
    _log(membership, "incluye.alliance.member_joined", member)
    return member


def member_leave(*, membership, member: AllianceMember, left_on=None) -> AllianceMember:
    _require(membership, member.council)
    member.left_on = left_on or timezone.localdate()
    member.save(update_fields=["left_on"])
    _log(membership, "incluye.alliance.member_left", member)
    return member


@transaction.atomic
def agreement_add(
    *, membership, council: Council, title, parties, signed_on, scope, starts_on=None, ends_on=None, file=None
) -> Agreement:
    _require(membership, council)
    agreement = Agreement.objects.create(
        council=council,
        title=title,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        scope=scope,
        file=file or "",
    )
    agreement.parties.set(parties)
    _log(membership, "incluye.alliance.agreement_added", agreement)
    return agreement


def commitment_add(*, membership, council: Council, title, owner, due_on) -> Commitment:
    _require(membership, council)
    commitment = Commitment.objects.create(council=council, title=title, owner=owner, due_on=due_on)
    _log(membership, "incluye.alliance.commitment_added", commitment)
    return commitment


def commitment_move(
    *, membership, commitment: Commitment, to_status: str, expected_version=None
) -> Commitment:
    _require(membership, commitment.council)
    check_current(commitment, expected_version)
    try:
        COMMITMENT_PIPELINE.check(commitment.status, to_status)
    except TransitionNotAllowed as exc:
        raise ValidationError(exc.message) from exc
    old, commitment.status = commitment.status, to_status
    saved = save_versioned(
        commitment,
        expected_version=commitment.version if expected_version is None else expected_version,
        fields=["status"],
    )
    _log(membership, "incluye.alliance.commitment_moved", commitment, old=old, new=to_status, **saved)
    return commitment


@transaction.atomic
def meeting_add(*, membership, council: Council, held_on, place="", summary="", attendees=()) -> Meeting:
    _require(membership, council)
    meeting = Meeting.objects.create(council=council, held_on=held_on, place=place, summary=summary)
    meeting.attendees.set(attendees)
    _log(membership, "incluye.alliance.meeting_added", meeting)
    return meeting


def decision_add(*, membership, meeting: Meeting, text: str, commitment=None) -> Decision:
    _require(membership, meeting.council)
    decision = Decision.objects.create(meeting=meeting, text=text, commitment=commitment)
    _log(membership, "incluye.alliance.decision_added", decision)
    return decision
