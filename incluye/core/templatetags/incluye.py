import datetime

from django import template

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """'+50255551234'|phone → '+502 5555 1234' (see display_phone: the number itself never
    wraps); '' stays ''."""
    from incluye.core.phones import display_phone

    return display_phone(value)


@register.filter
def as_date(value):
    """ "2027-01-15"|as_date → the date, to be shown the local way (|date:"DATE_FORMAT"): a
    notification's context is JSON, where a date travels as ISO text."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) and value else value


@register.filter
def split(value: str) -> list[str]:
    """'a b c'|split → ['a', 'b', 'c'] (to lay out form fields in a given order)."""
    return value.split()


@register.filter
def field(form, name: str):
    """form|field:"name" → the bound field."""
    return form[name]


@register.filter
def localized(texts, language: str = ""):
    """{"es": …, "en": …} → the text in the given (or active) language."""
    from incluye.core.text import pick_language

    if not isinstance(texts, dict):
        return texts
    return pick_language(texts, language or None)


@register.inclusion_tag("includes/autocomplete_assets.html", takes_context=True)
def autocomplete_assets(context):
    """The script of accessible-autocomplete and its strings in the page's language, for pages
    with <select data-autocomplete> (put it in {% block head %})."""
    from django.utils.translation import gettext

    strings = {
        "noResults": gettext("No results"),
        "queryTooShort": gettext("Type %(n)s or more letters to see options"),
        "selectedOption": gettext("%(option)s, %(n)s of %(total)s, selected"),
        "oneResult": gettext("1 result is available."),
        "results": gettext("%(n)s results are available."),
        "hint": gettext(
            "When results are available use up and down arrows to review and enter to select. "
            "Touch device users, explore by touch or with swipe gestures."
        ),
    }
    return {"strings": strings, "csp_nonce": context.get("csp_nonce")}


@register.filter
def years(value):
    """6.0 → "6 años", 6.5 → "6,5 años", 1 → "1 año": a number of years, the local way."""
    from django.utils import formats
    from django.utils.translation import ngettext

    if value in (None, ""):
        return ""
    number = float(value)
    shown = formats.number_format(number, decimal_pos=0 if number.is_integer() else 1, use_l10n=True)
    return ngettext("%(years)s year", "%(years)s years", 1 if number == 1 else 2) % {"years": shown}


@register.filter
def index(sequence, position):
    """list|index:n → the n-th item (or "" past the end)."""
    try:
        return sequence[int(position)]
    except (IndexError, TypeError, ValueError):
        return ""
