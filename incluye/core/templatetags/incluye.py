from django import template

register = template.Library()


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
