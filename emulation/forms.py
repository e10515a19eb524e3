"""Form pieces every app shares."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from emulation.text import LONG_TEXT_LIMIT, has_line_break, nfc, normalize_name


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy, the form dates take everywhere (a browser's date picker
    would show the order of the browser's language instead)."""

    def __init__(self, attrs=None):
        attrs = {"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", **(attrs or {})}
        super().__init__(attrs=attrs, format="%d/%m/%Y")


class NameField(forms.CharField):
    """A name on one line (of a unit, a person, a campaign, a theme, a nominee ...): stored in
    Unicode NFC with single spaces whatever was typed; a line break is refused."""

    default_error_messages = {
        "line_break": _("A name is written on one line: remove the line breaks."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if has_line_break(value):
            raise ValidationError(self.error_messages["line_break"], code="line_break")
        return normalize_name(value)


class LongTextField(forms.CharField):
    """A text of several paragraphs, stored in NFC, at most ``max_length`` characters
    (:data:`~emulation.text.LONG_TEXT_LIMIT` unless given)."""

    widget = forms.Textarea

    def __init__(self, *, max_length=LONG_TEXT_LIMIT, **kwargs):
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        return nfc(super().to_python(value))
