"""Form pieces every app shares."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy, the form dates take everywhere (a browser's date picker
    would show the order of the browser's language instead)."""

    def __init__(self, attrs=None):
        attrs = {"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", **(attrs or {})}
        super().__init__(attrs=attrs, format="%d/%m/%Y")
