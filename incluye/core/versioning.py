"""No lost updates: one mechanism for every editable record.

- `Versioned`: an abstract model with a `version` that every save through `save_versioned` raises.
- `save_versioned(obj, expected_version=…, fields=[…])`: writes the record only if nobody saved it
  since the version the user read (under a row lock; SQLite serializes writers itself), and returns
  what the write changed, for the action log (`version` and `fields`).
- `StaleRecord`: what a conflict raises, with what changed since (read back from the action log,
  where every versioned write records its version and fields) and the values now stored.
- Web forms carry the version in a hidden field (`core.forms.VersionedForm`): a conflict is a form
  error that keeps what was typed. The API takes `version` in the body (or `If-Match`) and answers
  409 with the same explanation (`api.errors`).
"""

import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Versioned(models.Model):
    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)

    class Meta:
        abstract = True


class StaleRecord(Exception):
    """Someone saved the record after the version the user read: their change is refused."""

    def __init__(self, obj, *, expected: int, current: int, changed: list[str]):
        self.obj, self.expected, self.current, self.changed = obj, expected, current, changed
        self.message = stale_message(obj, changed)
        super().__init__(self.message)

    def current_values(self) -> dict:
        """The values now stored for the fields that changed (JSON-ready)."""
        import json

        values = {name: getattr(self.obj, name, None) for name in self.changed}
        return json.loads(json.dumps(values, cls=DjangoJSONEncoder, default=str))

    def as_api_error(self) -> dict:
        return {
            "status": 409,
            "code": "stale",
            "message": self.message,
            "current_version": self.current,
            "changed_fields": self.changed,
            "current": self.current_values(),
        }


def _label(model, name) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field that is no longer there
        return name


def field_labels(obj, names: list[str]) -> str:
    """The fields a write changed, by the names people read ("primer apellido, teléfono"), as the
    action log's `fields` list them."""
    return ", ".join(_label(type(obj), name) for name in names)


def stale_message(obj, changed: list[str]) -> str:
    kind = str(obj._meta.verbose_name)
    if changed:
        return _(
            "Someone else changed this record (%(kind)s) while you were editing it: %(fields)s. What "
            "you typed is kept: check it against what is saved now, and save again to keep yours."
        ) % {"kind": kind, "fields": field_labels(obj, changed)}
    return _(
        "Someone else changed this record (%(kind)s) while you were editing it. What you typed is kept: "
        "reload the page to see what is saved now, or save again to keep yours."
    ) % {"kind": kind}


def record_key(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def changed_since(obj, version: int) -> list[str]:
    """The fields the action log says were changed after `version`: each versioned write logs
    `record`, `version` and `fields` (looked up in the last weeks only: a conflict is about now)."""
    from django.utils import timezone

    from incluye.core.models import ActionLogEntry

    entries = ActionLogEntry.objects.filter(
        created_at__gte=timezone.now() - datetime.timedelta(days=14),
        data__record=record_key(obj),
        data__version__gt=version,
    ).values_list("data", flat=True)
    fields: list[str] = []
    for data in entries:
        for name in data.get("fields", []):
            if name not in fields:
                fields.append(name)
    return fields


def _concrete(obj, names):
    return [obj._meta.get_field(name) for name in names]


@transaction.atomic
def save_versioned(obj, *, expected_version, fields: list[str]) -> dict:
    """Save `fields` of `obj` if its stored version is still `expected_version`; raise StaleRecord
    otherwise. Returns {"record", "version": the new version, "fields": those whose value changed} for the
    service's action-log entry (which is where a later conflict reads what changed)."""
    model = type(obj)
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = 0
    stored = model._base_manager.select_for_update().get(pk=obj.pk)
    if stored.version != expected:
        raise StaleRecord(
            stored, expected=expected, current=stored.version, changed=changed_since(stored, expected)
        )
    changed = [
        field.name
        for field in _concrete(obj, fields)
        if field.value_from_object(stored) != field.value_from_object(obj)
    ]
    obj.version = stored.version + 1
    auto_now = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    obj.save(update_fields=sorted({*fields, *auto_now, "version"}))
    return {"record": record_key(obj), "version": obj.version, "fields": changed}


def version_from(request_data, headers=None) -> int | None:
    """The version a client read: `version` in the body, or an `If-Match: "3"` header."""
    value = request_data.get("version") if hasattr(request_data, "get") else None
    if value in (None, "") and headers is not None:
        value = (headers.get("If-Match") or "").strip().removeprefix("W/").strip('"') or None
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def posted_version(data) -> int:
    """The version a page's form sent back; missing or malformed counts as stale (0), so that a
    change can never skip the check by leaving the version out."""
    try:
        return int(data.get("version"))
    except (TypeError, ValueError):
        return 0


def check_current(obj, expected_version) -> None:
    """Refuse at once when the user's copy is old, before any other rule is checked against the
    record as it is now (the user decided on what they saw)."""
    if expected_version is None:
        return
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = 0
    stored = type(obj)._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
    if stored is not None and stored != expected:
        current = type(obj)._base_manager.get(pk=obj.pk)
        raise StaleRecord(
            current, expected=expected, current=stored, changed=changed_since(current, expected)
        )
