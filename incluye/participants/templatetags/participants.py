"""The person's-door panel on a person's page (the people app's template loads it, so the people
app never imports this one)."""

from django import template

from incluye.participants import selectors

register = template.Library()


@register.inclusion_tag("participants/_person_panel.html", takes_context=True)
def person_door(context, person):
    membership = context.get("membership")
    shown = membership is not None and (
        membership.can("participants.invite") or membership.can("people.export")
    )
    return {
        "person": person,
        "shown": shown,
        "account": selectors.account_of(person=person) if shown else None,
        "waiting": shown
        and selectors.copy_requests_of(person=person).filter(delivered_at__isnull=True).exists(),
    }
