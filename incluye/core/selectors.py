from incluye.core.models import ActionLogEntry, Country, Division
from incluye.core.text import fold


def division_exists(*, country_code: str, code: str) -> bool:
    return Division.objects.filter(country_id=country_code, code=code).exists()


def has_divisions(*, country_code: str) -> bool:
    return Division.objects.filter(country_id=country_code).exists()


def country_list():
    """The countries this deployment serves (every other country is only a nationality or a
    country of origin, with the identity documents known for it)."""
    from django.conf import settings

    return Country.objects.filter(code__in=settings.INCLUYE_COUNTRIES)


def origin_country_choices():
    """Every country, by name in the active language, for a nationality or a country of origin."""
    from incluye.core.text import pick_language

    return sorted(
        ((code, pick_language(names)) for code, names in Country.objects.values_list("code", "names")),
        key=lambda item: fold(item[1]),
    )


def divisions_for(*, country_code: str, level: int | None = None, parent_code: str | None = None):
    qs = Division.objects.filter(country_id=country_code).select_related("parent")
    if level is not None:
        qs = qs.filter(level=level)
    if parent_code is not None:
        qs = qs.filter(parent__code=parent_code)
    return qs


def action_log_for(*, organization, action_prefix: str = "", actor_id=None, date_from=None, date_to=None):
    """The action log an organization's administrators may read: entries of that organization."""
    qs = ActionLogEntry.objects.filter(organization=organization).select_related("actor", "content_type")
    if action_prefix:
        qs = qs.filter(action__startswith=action_prefix)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs


def country_code(value: str) -> str:
    """A country as people write it ("Venezuela", "venezuela", "VE", "Haiti") → its ISO code;
    what is not a country comes back as written (the form says it is not one)."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) == 2 and value.isalpha():
        return value.upper()
    return _country_names().get(fold(value), value)


def _country_names() -> dict:
    names = {}
    for code, texts in Country.objects.values_list("code", "names"):
        for text in texts.values():
            names.setdefault(fold(text), code)
    return names
