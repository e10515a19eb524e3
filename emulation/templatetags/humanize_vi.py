from django import template
from django.utils.formats import number_format

from emulation.audit import action_label, describe_changes

register = template.Library()


@register.filter
def number(value):
    """A whole number with the thousands grouped as the language writes them (1.234 in Vietnamese)."""
    if value in (None, ""):
        return "0"
    try:
        return number_format(
            value, decimal_pos=0 if float(value).is_integer() else 2, force_grouping=True
        )
    except (TypeError, ValueError):
        return value


@register.filter
def audit_action(value):
    return action_label(value)


@register.filter
def audit_changes(changes):
    return describe_changes(changes)
