"""The version an edit form showed, for shared objects edited through a form (a campaign, a unit,
a theme, a phase): no stale form silently puts old values back.

The form carries, in a hidden field, a short digest of each value it showed (:func:`shown_of`).
The service, once it has locked the row, compares them with the row as it is now
(:func:`check_shown`): a field whose digest differs was saved by someone else meanwhile, and the
save is refused with what they changed (the field and its value now). The person's own typing
is kept by the form, which then carries the new digests: saving again is a choice made knowing
what changed. Reviewed objects (registrations, reports, nominations) count their versions in a
column instead (``emulation.workflow``).

A digest per field rather than one counter means no column to add to each table and no save
path that could forget to count, and it names what changed.
"""

import datetime as dt
import hashlib
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What the hidden field holds: "name:digest" pairs separated by commas.
_PAIR = re.compile(r"^([a-z_][a-z0-9_]{0,60}):([0-9a-f]{12})$")
STALE = "stale"


def _digest(value) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:12]


def _value(instance, name: str):
    return instance._meta.get_field(name).value_from_object(instance)


def model_field_names(instance, names) -> list[str]:
    """The names among ``names`` that are concrete fields of ``instance``'s model (a form may
    hold others)."""
    concrete = {f.name for f in instance._meta.concrete_fields}
    return [name for name in names if name in concrete]


def shown_of(instance, names) -> str:
    """The digests of ``instance``'s fields ``names``, as the hidden field carries them."""
    return ",".join(f"{name}:{_digest(_value(instance, name))}" for name in names)


def parse_shown(text) -> dict[str, str] | None:
    """The digests carried by the form, or None when the text is missing or not theirs."""
    pairs = {}
    for part in str(text or "").split(","):
        match = _PAIR.match(part.strip())
        if match is None:
            return None
        pairs[match.group(1)] = match.group(2)
    return pairs or None


def _display(instance, name: str) -> str:
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "":
        return _("(empty)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else text[:79] + "…"


def changed_fields(instance, shown: dict[str, str]) -> list[str]:
    """The fields of ``instance`` (read afresh) whose value is no longer the one shown."""
    return [
        name
        for name, digest in shown.items()
        if name in {f.name for f in instance._meta.concrete_fields}
        and _digest(_value(instance, name)) != digest
    ]


def check_shown(instance, shown: str | None) -> None:
    """Refuse a form that showed other values than ``instance`` (locked and read afresh by the
    caller) holds now, naming each field changed and its value now. ``shown`` is the form's
    hidden field; a form without it (an old page, an address typed by hand) is refused too."""
    pairs = parse_shown(shown)
    if pairs is None:
        raise ValidationError(
            _(
                "The page did not say which version it showed: open it again and repeat what "
                "you did. Nothing was saved."
            ),
            code=STALE,
        )
    changed = changed_fields(instance, pairs)
    if not changed:
        return
    values = "; ".join(
        _("%(field)s is now “%(value)s”")
        % {
            "field": str(instance._meta.get_field(name).verbose_name),
            "value": _display(instance, name),
        }
        for name in changed
    )
    raise ValidationError(
        _(
            "Someone else saved this since you opened the page: %(changes)s. Nothing was "
            "saved; what you typed is kept below: check it against their changes and save "
            "again."
        )
        % {"changes": values},
        code=STALE,
    )
