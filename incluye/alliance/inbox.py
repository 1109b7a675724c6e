"""What the alliance app has waiting in the coordinator's inbox: agreements about to expire.
Registered from `AllianceConfig.ready()`."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incluye.alliance.selectors import agreements_of
from incluye.core.inbox import InboxItem, InboxSource, register_inbox_source

EXPIRING_DAYS = 60  # agreements ending within two months
SOON_DAYS = 14  # and those ending within two weeks are late to renew


def _expiring(membership, today):
    return (
        agreements_of(membership=membership)
        .filter(ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=EXPIRING_DAYS))
        .order_by("ends_on", "title")
    )


def _item(agreement, today):
    return InboxItem(
        title=agreement.title,
        detail=_("The agreement expires: renew it or record that it ends"),
        url=reverse("alliance:network") + "#agreements",
        due_on=agreement.ends_on,
        overdue=agreement.ends_on <= today + datetime.timedelta(days=SOON_DAYS),
    )


def register() -> None:
    register_inbox_source(
        InboxSource(
            key="agreements_expiring",
            title=gettext_lazy("Agreements about to expire"),
            order=30,
            applies=lambda m: m.can("alliance.view"),
            queryset=_expiring,
            item=_item,
            overdue=lambda today: Q(ends_on__lte=today + datetime.timedelta(days=SOON_DAYS)),
        )
    )
