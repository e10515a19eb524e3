from django import template
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language

from emulation.audit import action_label, describe_changes
from emulation.documents import paragraphs as text_paragraphs

register = template.Library()


_SEPARATORS: dict[str, tuple[str, str]] = {}


def _separators() -> tuple[str, str]:
    """The decimal and thousands separators of the active language, looked up once each."""
    language = get_language() or ""
    separators = _SEPARATORS.get(language)
    if separators is None:
        separators = (get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR"))
        _SEPARATORS[language] = separators
    return separators


@register.filter
def number(value):
    """A number with the thousands grouped as the language writes them (1.234 in Vietnamese),
    two decimals when it is not whole (12,50). Called a thousand times on a dashboard, so the
    separators are looked up once per language and whole numbers take a short path."""
    if value in (None, ""):
        return "0"
    decimal_separator, thousands = _separators()
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", thousands)
    try:
        whole = float(value).is_integer()
    except (TypeError, ValueError):
        return value
    return numberformat.format(
        value, decimal_separator, 0 if whole else 2, 3, thousands, force_grouping=True
    )


@register.filter
def audit_action(value):
    return action_label(value)


@register.filter
def audit_changes(changes):
    return describe_changes(changes)


@register.filter
def paragraphs(text):
    """The paragraphs of a text typed one per line (as the official documents print them):
    ``{% for p in text|paragraphs %}<p>{{ p }}</p>{% endfor %}``, each escaped by the template."""
    return text_paragraphs(str(text or ""))
