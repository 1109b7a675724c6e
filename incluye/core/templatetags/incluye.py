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
