from django import template

from reminders.texts import readable

register = template.Library()


@register.filter
def readable_placeholders(text: str) -> str:
    """A rule's text with each placeholder shown by what it stands for: ``[tên đơn vị]``."""
    return readable(text)
