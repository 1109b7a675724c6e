"""What each role can start, under their inbox: a few cards with live counts. Each count is what
the page it links to shows."""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from incluye.accounts.models import Organization, Sector
from incluye.accounts.roles import Role


@dataclass
class Card:
    title: str
    body: str
    url: str = ""
    action: str = ""


def _people_cards(membership) -> list[Card]:
    from incluye.people.selectors import people_visible_to, returns_of_the_day

    people = people_visible_to(membership=membership)
    today = timezone.localdate()
    total = people.count()
    cards = []
    if membership.can("people.register"):
        cards.append(
            Card(
                _("Register an arrival"),
                _(
                    "One person at a time, in the order you ask the questions; the form warns you if the person is already registered."
                ),
                reverse("people:intake"),
                _("Register an arrival"),
            )
        )
    if membership.role == Role.RECEPTION_OFFICER:
        # The day's list counts arrivals (the return's date), not records created today.
        arrived_today = returns_of_the_day(membership=membership, day=today).count()
        cards.append(
            Card(
                _("Today's arrivals"),
                ngettext(
                    "%(count)d person arrived today at %(org)s.",
                    "%(count)d people arrived today at %(org)s.",
                    arrived_today,
                )
                % {"count": arrived_today, "org": membership.organization},
                reverse("people:today"),
                _("See today's list"),
            )
        )
    if membership.can("handoffs.send") and membership.organization.kind == "reception_center":
        cards.append(
            Card(
                _("Hand off arrivals"),
                _("Give today's arrivals to a case-management organization, one by one or a whole flight."),
                reverse("referrals:handoff_arrivals"),
                _("Hand off"),
            )
        )
    if membership.can("manifests.import"):
        cards.append(
            Card(
                _("A whole flight"),
                _("Import the manifest of a flight or a bus (CSV, Excel or KoboToolbox)."),
                reverse("people:manifests"),
                _("Import a manifest"),
            )
        )
    if membership.can("duplicates.review"):
        from incluye.people.models import DuplicateStatus
        from incluye.people.selectors import duplicate_groups

        pending = duplicate_groups(membership=membership).filter(status=DuplicateStatus.PENDING).count()
        if pending:
            cards.append(
                Card(
                    _("Possible duplicates"),
                    ngettext(
                        "%(count)d group of records may be one person.",
                        "%(count)d groups of records may each be one person.",
                        pending,
                    )
                    % {"count": pending},
                    reverse("people:duplicates"),
                    _("Review"),
                )
            )
    cards.append(
        Card(
            _("Participants"),
            ngettext(
                "Your organization follows %(count)d person.",
                "Your organization follows %(count)d people.",
                total,
            )
            % {"count": total},
            reverse("people:list"),
            _("Find a person"),
        )
    )
    return cards


def _alliance_card(membership) -> Card:
    counts = dict(
        Organization.objects.filter(country=membership.organization.country, is_active=True)
        .values_list("sector")
        .annotate(n=Count("id"))
        .order_by()
    )
    parts = [f"{label}: {counts.get(value, 0)}" for value, label in Sector.choices]
    return Card(
        _("Alliance of %(country)s") % {"country": membership.organization.country},
        "; ".join(parts),
    )


def home_cards_for(*, membership) -> list[Card]:
    cards: list[Card] = []
    if membership.can("people.view"):
        cards += _people_cards(membership)
    if membership.role == Role.COORDINATOR:
        cards.append(_alliance_card(membership))
    if membership.can("members.view"):
        cards.append(
            Card(
                _("Members"),
                _("Who works in %(org)s and with which role.") % {"org": membership.organization},
                reverse("accounts:members"),
                _("Manage members") if membership.can("members.manage") else _("See members"),
            )
        )
    if membership.can("actionlog.view"):
        cards.append(
            Card(
                _("Action log"),
                _("Every change, and every read of a sensitive record, in your organization."),
                reverse("accounts:action_log"),
                _("Open the log"),
            )
        )
    if membership.role in (Role.ASSESSOR, Role.EMPLOYER):
        cards.append(
            Card(
                _("Your organization"),
                _("Check your organization's details and your role before you start."),
                reverse("accounts:organization", args=[membership.organization_id]),
                _("See details"),
            )
        )
    return cards
