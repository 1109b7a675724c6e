"""What the people app has waiting in an administrator's inbox: records of the organization that
another organization of the alliance merged with its own, to look at and undo if they were not the
same person. Registered from `PeopleConfig.ready()`.

The item names the organization that merged, never the person."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incluye.core.inbox import InboxItem, InboxSource, register_inbox_source
from incluye.people.selectors import alliance_merges_received

NOTICE_DAYS = 14  # a merge stays in the inbox for two weeks


def _merges(membership, today):
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=NOTICE_DAYS), datetime.time.min)
    )
    return alliance_merges_received(membership=membership, since=since)


def _item(merge, today):
    return InboxItem(
        title=merge.organization.name,
        detail=_("Merged a record of your organization with theirs: check it, or undo it"),
        url=reverse("people:duplicates"),
    )


def register() -> None:
    register_inbox_source(
        InboxSource(
            key="alliance_merges",
            title=gettext_lazy("Records merged by another organization"),
            order=35,
            applies=lambda m: m.can("duplicates.review_alliance"),
            queryset=_merges,
            item=_item,
        )
    )
