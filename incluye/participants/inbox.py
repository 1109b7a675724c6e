"""What the person's own door has waiting for staff: requests for a copy of one's data, in the
inbox of those who produce the copy (`people.export`) at the organization that registered the
person. Registered from `ParticipantsConfig.ready()`."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incluye.core.inbox import InboxItem, InboxSource, register_inbox_source
from incluye.participants.selectors import copy_requests_waiting

ANSWER_DAYS = 30  # what data-protection laws of the region commonly allow for an answer


def _waiting(membership, today):
    return copy_requests_waiting(membership=membership).order_by("requested_at", "pk")


def _item(copy_request, today):
    due = copy_request.requested_at.date() + datetime.timedelta(days=ANSWER_DAYS)
    return InboxItem(
        title=copy_request.person.full_name,
        detail=_("Asked, from their own page, for a copy of their data"),
        url=reverse("participants:person", args=[copy_request.person_id]),
        due_on=due,
        overdue=due < today,
    )


def register() -> None:
    register_inbox_source(
        InboxSource(
            key="copy_requests",
            title=gettext_lazy("Requests for a copy of one's data"),
            order=25,
            applies=lambda m: m.can("people.export"),
            queryset=_waiting,
            item=_item,
            overdue=lambda today: Q(requested_at__date__lt=today - datetime.timedelta(days=ANSWER_DAYS)),
        )
    )
