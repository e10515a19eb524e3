"""The one audit log: every change of state writes an entry here, shown as a History tab."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy

from emulation.models import AuditEntry

_yes = gettext_lazy("yes")
_no = gettext_lazy("no")


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def audit_record(
    *, actor, action: str, obj: models.Model, changes: dict | None = None
) -> AuditEntry:
    """Write one audit entry. Call it inside the service's transaction."""
    person = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=person,
        actor_name=(person.get_full_name() or person.get_username())[:150] if person else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=_jsonable(changes or {}),
    )


def audit_history(obj: models.Model):
    """The entries of one object, newest first, with their actors."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor")


# Labels of the actions the audit log shows; apps add their own in AppConfig.ready().
ACTION_LABELS: dict = {}


def register_actions(labels: dict) -> None:
    ACTION_LABELS.update(labels)


def action_label(action: str):
    return ACTION_LABELS.get(action, action)


# Labels of the keys in an entry's changes; apps add theirs with register_change_labels().
CHANGE_LABELS: dict = {}


def register_change_labels(labels: dict) -> None:
    CHANGE_LABELS.update(labels)


def _display(value) -> str:
    if isinstance(value, dict) and "repr" in value:
        return value["repr"]
    if value in ("", None):
        return "—"
    if isinstance(value, bool):
        return str(_yes) if value else str(_no)
    return str(VALUE_LABELS.get(value, value)) if isinstance(value, str) else str(value)


# Labels of coded values (roles, states, kinds) shown in the history.
VALUE_LABELS: dict = {}


def register_value_labels(labels: dict) -> None:
    VALUE_LABELS.update({str(k): v for k, v in labels.items()})


def describe_changes(changes: dict) -> list[tuple[str, str]]:
    """(label, text) pairs for the History tab: an edit [old, new] reads "old → new"."""
    rows = []
    for key, value in (changes or {}).items():
        label = str(CHANGE_LABELS.get(key, key))
        if isinstance(value, list) and len(value) == 2:
            text = f"{_display(value[0])} → {_display(value[1])}"
        elif isinstance(value, list):
            text = ", ".join(_display(v) for v in value)
        else:
            text = _display(value)
        rows.append((label, text))
    return rows
