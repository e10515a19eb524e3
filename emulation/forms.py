"""Form pieces every app shares."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext_lazy as _

from emulation.text import LONG_TEXT_LIMIT, has_line_break, nfc, normalize_name
from emulation.versions import STALE, model_field_names, shown_of
from emulation.workflow import MISSING_VERSION


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


def _limits(model_field, kind) -> list:
    return [
        v.limit_value() if callable(v.limit_value) else v.limit_value
        for v in model_field.validators
        if type(v) is kind
    ]


class ModelBoundsMixin:
    """A model form whose number fields refuse, with a message on the field, what the model
    refuses: the bounds its validators set (a year from 2000 to 2100, a day of the month from 1
    to 31) and the range its column can hold in the database (2**70 in a small integer column
    would otherwise reach the database and fail there). Put it before ``forms.ModelForm``.

    Text fields already carry the ``max_length`` of their column (a model form gives it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, forms.IntegerField | forms.DecimalField):
                continue
            try:
                model_field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            # A form that checks the field itself (``clean_<name>``) says it in its own words;
            # the range of the column still applies.
            own = hasattr(self, f"clean_{name}")
            lows = [] if own else _limits(model_field, MinValueValidator)
            highs = [] if own else _limits(model_field, MaxValueValidator)
            # The range of the column's type on every database (SQLite would hold 2**31 in
            # an integer column that PostgreSQL refuses).
            low, high = BaseDatabaseOperations.integer_field_ranges.get(
                model_field.get_internal_type(), (None, None)
            )
            lows += [low] if low is not None else []
            highs += [high] if high is not None else []
            if lows and (field.min_value is None or max(lows) > field.min_value):
                field.min_value = max(lows)
                field.validators.append(MinValueValidator(field.min_value))
                field.widget.attrs["min"] = field.min_value
            if highs and (field.max_value is None or min(highs) < field.max_value):
                field.max_value = min(highs)
                field.validators.append(MaxValueValidator(field.max_value))
                field.widget.attrs["max"] = field.max_value


class VersionField(forms.IntegerField):
    """The version of the object a form was drawn from, in a hidden field; required (a form
    without it, or with anything but a number, is refused by :class:`VersionFormMixin`)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        message = MISSING_VERSION
        kwargs.setdefault("required", True)
        super().__init__(
            min_value=1,
            max_value=2**63 - 1,
            error_messages=dict.fromkeys(
                ("required", "invalid", "min_value", "max_value"), message
            ),
            **kwargs,
        )


class VersionFormMixin:
    """Puts the refusal of a missing or broken version above the form: its field is hidden."""

    def clean(self):
        cleaned = super().clean()
        errors = self._errors.pop("version", None)
        if errors:
            self.add_error(None, list(errors))
        return cleaned


class ShownVersionMixin:
    """An edit form of a shared object that carries the version it showed: the digests of the
    values it showed, in the hidden field ``shown`` (see ``emulation.versions``). The view
    hands ``shown`` to the service, which refuses a stale post; :meth:`after_refusal` then
    keeps what the person typed and carries the version now shown. Put it before
    ``forms.ModelForm``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shown"] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=4000
        )
        self.shown = ""
        if self.instance.pk and not self.is_bound:
            self.initial["shown"] = shown_of(self.instance, self.shown_names())

    def shown_names(self) -> list[str]:
        return model_field_names(self.instance, [name for name in self.fields if name != "shown"])

    def clean(self):
        # The version is not a value of the object: it leaves ``cleaned_data`` for ``shown``.
        cleaned = super().clean()
        self.shown = cleaned.pop("shown", "") or ""
        if self._errors.pop("shown", None):
            # Its field is hidden: say it above the form.
            self.add_error(None, str(MISSING_VERSION))
        return cleaned

    def after_refusal(self, instance) -> None:
        """After a service refused the save as stale: the form keeps what was typed and now
        carries the version of ``instance`` as it is (read afresh), so that saving again
        overwrites knowingly."""
        if not self.has_error(NON_FIELD_ERRORS, code=STALE):
            return
        instance.refresh_from_db()
        data = self.data.copy()
        data[self.add_prefix("shown")] = shown_of(instance, self.shown_names())
        self.data = data
