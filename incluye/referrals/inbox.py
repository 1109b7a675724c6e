"""What the referrals app has waiting in people's inboxes: referrals, handoffs, transfers and
access requests received; those sent that came back declined or are overdue; the day's arrivals
still to hand off. Registered from `ReferralsConfig.ready()`."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incluye.core.inbox import InboxItem, InboxSource, register_inbox_source
from incluye.people.selectors import sharing_q, with_sharing_consent
from incluye.referrals.models import AccessRequest, ActStatus, Handoff, Referral, ReferralStatus, Transfer

ARRIVALS_DAYS = 7  # arrivals of the last week that nobody handed off yet


def _name(given, first, second):
    return " ".join(part for part in (given, first, second) if part)


def _person_name(act, today):
    """The person's name on an act: for the sender always (its own record), for the receiver only
    while the consent to share with the alliance stands."""
    if act.sharing_given and (act.sharing_expires_on is None or act.sharing_expires_on > today):
        return _name(act.person.given_names, act.person.first_surname, act.person.second_surname)
    return _("Name hidden: no consent to share")


# Referrals ------------------------------------------------------------------------------------


def _referrals_received(membership, today):
    return (
        with_sharing_consent(
            Referral.objects.filter(
                to_organization_id=membership.organization_id,
                status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED),
            ),
            person_path="case__person_id",
        )
        .select_related("service", "from_organization")
        .order_by("status", "answer_due_on", "outcome_due_on", "sent_at")
    )


def _referral_overdue(today):
    return Q(status=ReferralStatus.SENT, answer_due_on__lt=today) | Q(outcome_due_on__lt=today)


def _referral_received_item(referral, today):
    allowed = referral.sharing_given and (
        referral.sharing_expires_on is None or referral.sharing_expires_on > today
    )
    if not allowed:
        title = _("Name hidden: no consent to share")
    else:
        title = f"{referral.given_names} {referral.surnames}".strip() or _("Name not shared")
    waiting = referral.status == ReferralStatus.SENT
    due = referral.answer_due_on if waiting and referral.answer_due_on else referral.outcome_due_on
    return InboxItem(
        title=title,
        detail=(
            _("Referral to answer: %(service)s, from %(org)s")
            if waiting
            else _("Outcome to record: %(service)s, from %(org)s")
        )
        % {"service": referral.service.name, "org": referral.from_organization},
        url=reverse("referrals:detail", args=[referral.pk]),
        due_on=due,
        overdue=due is not None and due < today,
    )


def _referrals_sent_late(membership, today):
    return (
        Referral.objects.filter(from_organization_id=membership.organization_id)
        .filter(
            Q(status=ReferralStatus.SENT, answer_due_on__lt=today)
            | Q(status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED), outcome_due_on__lt=today)
        )
        .select_related("case__person", "service", "to_organization")
        .order_by("answer_due_on", "outcome_due_on")
    )


def _referral_sent_item(referral, today):
    waiting = (
        referral.status == ReferralStatus.SENT and referral.answer_due_on and referral.answer_due_on < today
    )
    return InboxItem(
        title=referral.case.person.full_name,
        detail=(
            _("%(org)s has not answered the referral to %(service)s")
            if waiting
            else _("%(org)s has not reported the outcome of %(service)s")
        )
        % {"service": referral.service.name, "org": referral.to_organization},
        url=reverse("referrals:detail", args=[referral.pk]),
        due_on=referral.answer_due_on if waiting else referral.outcome_due_on,
        overdue=True,
    )


# Handoffs, transfers, access requests ------------------------------------------------------------


def _received(model):
    def queryset(membership, today):
        return (
            with_sharing_consent(
                model.objects.filter(to_organization_id=membership.organization_id, status=ActStatus.SENT),
                person_path="person_id",
            )
            .select_related("from_organization", "person")
            .only(
                "id",
                "answer_due_on",
                "sent_at",
                "from_organization__name",
                "from_organization__short_name",
                "person__given_names",
                "person__first_surname",
                "person__second_surname",
            )
            .order_by("answer_due_on", "sent_at")
        )

    return queryset


def _sent_needing_attention(model):
    def queryset(membership, today):
        return (
            with_sharing_consent(model.objects.all(), person_path="person_id")
            .filter(from_organization_id=membership.organization_id)
            .filter(
                Q(status=ActStatus.DECLINED, sender_closed_at__isnull=True)
                | Q(status=ActStatus.SENT, answer_due_on__lt=today)
            )
            .select_related("to_organization", "person")
            .only(
                "id",
                "status",
                "answer_due_on",
                "to_organization__name",
                "to_organization__short_name",
                "person__given_names",
                "person__first_surname",
                "person__second_surname",
            )
            .order_by("status", "answer_due_on")
        )

    return queryset


def _act_overdue(today):
    return Q(status=ActStatus.SENT, answer_due_on__lt=today)


WHAT_ARRIVED = {
    Handoff: gettext_lazy("Handed to you by %(org)s"),
    Transfer: gettext_lazy("Case transferred by %(org)s"),
    AccessRequest: gettext_lazy("%(org)s asks for access to the record"),
}
DECLINED = {
    Handoff: gettext_lazy("%(org)s declined the handoff: hand the person to another organization"),
    Transfer: gettext_lazy("%(org)s declined the transfer: the case stays with you"),
    AccessRequest: gettext_lazy("%(org)s declined to share the record"),
}
LATE = {
    Handoff: gettext_lazy("%(org)s has not answered the handoff"),
    Transfer: gettext_lazy("%(org)s has not answered the transfer"),
    AccessRequest: gettext_lazy("%(org)s has not answered your access request"),
}
URL = {Handoff: "referrals:handoff", Transfer: "referrals:transfer", AccessRequest: "referrals:access"}


def _received_item(model):
    def item(act, today):
        return InboxItem(
            title=_person_name(act, today),
            detail=str(WHAT_ARRIVED[model]) % {"org": act.from_organization},
            url=reverse(URL[model], args=[act.pk]),
            due_on=act.answer_due_on,
            overdue=act.answer_due_on < today,
        )

    return item


def _sent_item(model):
    def item(act, today):
        declined = act.status == ActStatus.DECLINED
        # The requester of an access request knows the person only by the stub it was shown.
        title = (
            _person_name(act, today)
            if model is AccessRequest
            else _name(act.person.given_names, act.person.first_surname, act.person.second_surname)
        )
        return InboxItem(
            title=title,
            detail=str((DECLINED if declined else LATE)[model]) % {"org": act.to_organization},
            url=reverse(URL[model], args=[act.pk]),
            due_on=None if declined else act.answer_due_on,
            overdue=not declined,
            urgent=declined,
        )

    return item


# Arrivals still to hand off -----------------------------------------------------------------------


def _arrivals_to_hand_off(membership, today):
    from incluye.people.selectors import returns_since

    handed = Handoff.objects.filter(
        person_id=OuterRef("person_id"), status__in=(ActStatus.SENT, ActStatus.ACCEPTED)
    )
    return (
        with_sharing_consent(
            returns_since(membership=membership, since=today - datetime.timedelta(days=ARRIVALS_DAYS)),
            person_path="person_id",
        )
        .filter(sharing_q(today=today))
        .exclude(Exists(handed))
        .order_by("-is_urgent", "-arrived_on", "created_at")
    )


def _arrival_item(arrival, today):
    return InboxItem(
        title=arrival.person.sortable_name,
        detail=_("Arrived on %(day)s: hand off to a case-management organization")
        % {"day": date_format(arrival.arrived_on, "SHORT_DATE_FORMAT")},
        url=reverse("people:detail", args=[arrival.person_id]),
        urgent=arrival.is_urgent,
    )


def register() -> None:
    def can(permission):
        return lambda membership: membership.can(permission)

    received = [
        ("handoffs_received", gettext_lazy("Handoffs received"), Handoff, "handoffs.handle"),
        (
            "transfers_received",
            gettext_lazy("Cases transferred to your organization"),
            Transfer,
            "transfers.handle",
        ),
        (
            "access_received",
            gettext_lazy("Requests for access to your records"),
            AccessRequest,
            "access.handle",
        ),
    ]
    sent = [
        ("handoffs_sent", gettext_lazy("Handoffs you sent that need you"), Handoff, "handoffs.send"),
        ("transfers_sent", gettext_lazy("Transfers you offered that need you"), Transfer, "transfers.send"),
        ("access_sent", gettext_lazy("Your access requests that need you"), AccessRequest, "access.request"),
    ]
    sources = [
        InboxSource(
            key, title, 10 + n, can(permission), _received(model), _received_item(model), _act_overdue
        )
        for n, (key, title, model, permission) in enumerate(received)
    ]
    sources += [
        InboxSource(
            key,
            title,
            40 + n,
            can(permission),
            _sent_needing_attention(model),
            _sent_item(model),
            _act_overdue,
        )
        for n, (key, title, model, permission) in enumerate(sent)
    ]
    sources += [
        InboxSource(
            "referrals_received",
            gettext_lazy("Referrals received"),
            13,
            can("referrals.handle"),
            _referrals_received,
            _referral_received_item,
            _referral_overdue,
        ),
        InboxSource(
            "arrivals_to_hand_off",
            gettext_lazy("Arrivals to hand off"),
            14,
            lambda m: m.can("people.view") and m.organization.kind == "reception_center",
            _arrivals_to_hand_off,
            _arrival_item,
        ),
        InboxSource(
            "referrals_sent_late",
            gettext_lazy("Referrals you sent without an answer in time"),
            43,
            can("referrals.send"),
            _referrals_sent_late,
            _referral_sent_item,
            lambda today: Q(pk__isnull=False),
        ),
    ]
    for source in sources:
        register_inbox_source(source)
