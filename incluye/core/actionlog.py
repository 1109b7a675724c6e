"""The action log: every service that changes state (and every read of a sensitive record) calls
`log_action`. Action codes are registered with a translated description so the log page can say
in the reader's language what happened."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from incluye.core.models import ActionLogEntry

ACTIONS: dict[str, str] = {}


def register_actions(actions: dict) -> None:
    ACTIONS.update(actions)


register_actions(
    {
        "incluye.country.loaded": _("Loaded the country configuration"),
    }
)


# The model of people, by its label: the core knows of it without importing the people app (which
# builds on the core).
PERSON_MODEL = "people.Person"


def person_of(obj):
    """The id of the person a record is about, when it is about one."""
    if obj is None:
        return None
    if obj._meta.label == PERSON_MODEL:
        return obj.pk
    if getattr(obj, "person_id", None):
        return obj.person_id
    for path in ("case", "document"):  # a note or a task (case), a scan (document → case)
        related = getattr(obj, path, None)
        if related is not None and related is not obj:
            found = person_of(related)
            if found:
                return found
    return None


def log_action(
    *, actor, organization, action: str, obj=None, data: dict | None = None, person=None
) -> ActionLogEntry:
    """Write one entry of the action log. Never put sensitive values in `data`: ids and field names only."""
    if action not in ACTIONS:
        raise ValueError(f"Unregistered action code {action!r}: add it with register_actions()")
    return ActionLogEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organization=organization,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
        person_id=getattr(person, "pk", person) or person_of(obj),
    )


def log_reads(*, actor, organization, action: str, objs, data: dict | None = None) -> int:
    """One entry per object read, written in one query (e.g. every stub a search result showed)."""
    if action not in ACTIONS:
        raise ValueError(f"Unregistered action code {action!r}: add it with register_actions()")
    objs = list(objs)
    if not objs:
        return 0
    content_type = ContentType.objects.get_for_model(objs[0])
    ActionLogEntry.objects.bulk_create(
        ActionLogEntry(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            organization=organization,
            action=action,
            content_type=content_type,
            object_id=str(obj.pk),
            data=data or {},
            person_id=person_of(obj),
        )
        for obj in objs
    )
    return len(objs)


def describe(entry: ActionLogEntry) -> str:
    return str(ACTIONS.get(entry.action, entry.action))


def action_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(text)) for code, text in ACTIONS.items()), key=lambda c: c[1])
