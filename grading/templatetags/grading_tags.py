from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def points_input(value):
    """Points as an input shows them: 7,5 rather than 7.50; what was typed stays as typed."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        return value
    try:
        text = f"{Decimal(value).normalize():f}"
    except (InvalidOperation, ValueError):
        return value
    return text.replace(".", ",")
