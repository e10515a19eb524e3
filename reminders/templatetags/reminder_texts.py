from django import template

from reminders.texts import readable

register = template.Library()


@register.filter
def readable_placeholders(text: str) -> list[tuple[str, bool]]:
    """A rule's text in pieces, each placeholder shown by what it stands for (see
    ``reminders/_rule_text.html``)."""
    return readable(text)
