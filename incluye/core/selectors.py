from incluye.core.models import ActionLogEntry, Country, Division


def division_exists(*, country_code: str, code: str) -> bool:
    return Division.objects.filter(country_id=country_code, code=code).exists()


def country_list():
    return Country.objects.all()


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
