"""Forms read what people type; the services decide whether it may be saved.

The report form has one block per registered theme (what was done, and the achieved value of
each registered target), one field per indicator of the campaign, the general assessment and
the files; its fields are named as the services name the problems they find
(``reports.content``), so each message appears next to its field.
"""

import re
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from emulation.forms import DateInput
from emulation.params import int_param, to_int
from emulation.review import forms as review
from emulation.workflow import ReviewStatus
from registrations.documents import vn_number
from reports.content import (
    FILES,
    NARRATIVE,
    ReportContent,
    achieved_field,
    done_field,
    indicator_field,
)
from reports.models import NOT_REPORTED, NOT_REPORTED_LABEL, Indicator
from reports.selectors.common import KINDS, SCOPES

_ACHIEVED = re.compile(r"^theme-(\d+)-target-(\d+)-achieved$")
_DONE = re.compile(r"^theme-(\d+)-done$")
_INDICATOR = re.compile(r"^indicator-(\d+)$")


def number_text(value) -> str:
    """A number as the form shows it: thousands grouped with dots, a decimal comma."""
    return "" if value is None else vn_number(value)


@dataclass
class TargetInput:
    position: int
    name: str
    unit: str
    target: object
    value: str
    field_name: str
    errors: list = field(default_factory=list)


@dataclass
class ThemePanel:
    theme_id: int
    number: int
    title: str
    commitment: str
    done: str
    done_name: str
    targets: list[TargetInput]
    done_errors: list = field(default_factory=list)


@dataclass
class IndicatorInput:
    indicator: Indicator
    value: str
    field_name: str
    errors: list = field(default_factory=list)


class ReportForm:
    """The officer's form, bound to what was posted or filled from the saved report; the
    themes and targets always come from the unit's approved registration (``content``)."""

    def __init__(
        self,
        content: ReportContent,
        indicators: list[Indicator],
        data=None,
        files=None,
        *,
        attachments=(),
        version=None,
        registration_version=None,
    ):
        self.content = content
        self.indicators = list(indicators)
        self.data = data
        self.files = files
        self.attachments = list(attachments)
        self.is_bound = data is not None
        self.errors: dict[str, list] = {}
        self.non_field_errors: list = []
        self.version = version
        self.registration_version = registration_version
        if self.is_bound:
            self.version = int_param(data, "version")
            self.registration_version = int_param(data, "registration_version")
            self.narrative = data.get(NARRATIVE, "")
            self.done = {}
            self.achieved = {}
            self.values = {}
            for key in data:
                if match := _DONE.match(key):
                    self.done[int(match[1])] = data.get(key, "")
                elif match := _ACHIEVED.match(key):
                    self.achieved[(int(match[1]), int(match[2]))] = data.get(key, "")
                elif match := _INDICATOR.match(key):
                    self.values[int(match[1])] = data.get(key, "")
            self.remove = [v for v in data.getlist("remove") if to_int(v) is not None]
        else:
            self.narrative = content.narrative
            self.done = {t.theme_id: t.done for t in content.themes}
            self.achieved = {
                (t.theme_id, x.position): number_text(x.achieved)
                for t in content.themes
                for x in t.targets
            }
            self.values = {pk: number_text(v) for pk, v in content.indicators.items()}
            self.remove = []

    # -- what the services take --------------------------------------------------------

    def service_data(self) -> dict:
        themes: dict[int, dict] = {}
        for line in self.content.themes:
            themes[line.theme_id] = {
                "done": self.done.get(line.theme_id, ""),
                "targets": {
                    x.position: self.achieved.get((line.theme_id, x.position), "")
                    for x in line.targets
                },
            }
        return {
            "narrative": self.narrative,
            "themes": themes,
            "indicators": {i.pk: self.values.get(i.pk, "") for i in self.indicators},
        }

    @property
    def uploads(self) -> list:
        return list(self.files.getlist(FILES)) if self.files is not None else []

    # -- errors ------------------------------------------------------------------------

    def add_error(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for key, errors in exc.error_dict.items():
                self.errors.setdefault(key, []).extend(m for e in errors for m in e.messages)
        else:
            self.non_field_errors.extend(exc.messages)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.non_field_errors)

    @property
    def top_errors(self) -> list:
        known = {NARRATIVE, FILES}
        known |= {done_field(t.theme_id) for t in self.content.themes}
        known |= {
            achieved_field(t.theme_id, x.position) for t in self.content.themes for x in t.targets
        }
        known |= {indicator_field(i.pk) for i in self.indicators}
        errors = list(self.non_field_errors)
        for key, messages in self.errors.items():
            if key not in known:
                errors.extend(messages)
        return errors

    # -- what the template shows -------------------------------------------------------

    @property
    def narrative_errors(self) -> list:
        return self.errors.get(NARRATIVE, [])

    @property
    def file_errors(self) -> list:
        return self.errors.get(FILES, [])

    @property
    def files_not_kept(self) -> int:
        """How many files were sent with a form that was refused: a browser never fills a file
        field again, so the person must choose them again."""
        return len(self.uploads) if self.has_errors else 0

    @property
    def panels(self) -> list[ThemePanel]:
        panels = []
        for line in self.content.themes:
            targets = []
            for x in line.targets:
                name = achieved_field(line.theme_id, x.position)
                targets.append(
                    TargetInput(
                        position=x.position,
                        name=x.name,
                        unit=x.unit,
                        target=x.target,
                        value=self.achieved.get((line.theme_id, x.position), ""),
                        field_name=name,
                        errors=self.errors.get(name, []),
                    )
                )
            panels.append(
                ThemePanel(
                    theme_id=line.theme_id,
                    number=line.number,
                    title=line.title,
                    commitment=line.commitment,
                    done=self.done.get(line.theme_id, ""),
                    done_name=done_field(line.theme_id),
                    targets=targets,
                    done_errors=self.errors.get(done_field(line.theme_id), []),
                )
            )
        return panels

    @property
    def indicator_inputs(self) -> list[IndicatorInput]:
        return [
            IndicatorInput(
                indicator=i,
                value=self.values.get(i.pk, ""),
                field_name=indicator_field(i.pk),
                errors=self.errors.get(indicator_field(i.pk), []),
            )
            for i in self.indicators
        ]


# ---------------------------------------------------------------------------------------------
# Configuration.


class IndicatorForm(forms.Form):
    name = forms.CharField(
        label=_("Indicator"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Sáng kiến, cải tiến kỹ thuật")}),
    )
    unit = forms.CharField(
        label=_("Unit of measure"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. sáng kiến, đồng, người")}),
    )
    whole_numbers = forms.BooleanField(
        label=_("Whole numbers only"),
        required=False,
        initial=True,
        help_text=_("Untick for figures with decimals, such as rates."),
    )


class OpeningForm(forms.Form):
    opens_on = forms.DateField(
        label=_("Reporting opens on"),
        required=False,
        widget=DateInput(attrs={"class": "form-control form-control-sm"}),
        help_text=_("Empty: on the phase's first day."),
    )


# ---------------------------------------------------------------------------------------------
# Filters.

STATUS_CHOICES = [
    ("", _("All statuses")),
    (NOT_REPORTED, NOT_REPORTED_LABEL),
    *ReviewStatus.choices,
]
KIND_CHOICES = [("", _("All kinds of unit")), *[(k.value, k.label) for k in KINDS]]
SCOPE_CHOICES = [
    ("approved", _("Accepted reports")),
    ("sent", _("Accepted and awaiting review")),
]
assert set(dict(SCOPE_CHOICES)) == set(SCOPES)


class QueueFilterForm(review.QueueFilterForm):
    statuses = STATUS_CHOICES
    kinds = KIND_CHOICES


class FigureFilterForm(forms.Form):
    """The filters of the dashboard and of the roll-up: the phase, the kind of unit counted,
    and which reports count."""

    phase = forms.TypedChoiceField(label=_("Phase"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind of unit"), required=False, choices=KIND_CHOICES)
    scope = forms.ChoiceField(label=_("Reports counted"), required=False, choices=SCOPE_CHOICES)

    def __init__(self, *args, phase_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [(pk, pk) for pk in phase_ids]

    DEFAULTS = {"phase_id": None, "kind": "", "scope": "approved"}

    def values(self) -> dict:
        if not self.is_valid():
            return dict(self.DEFAULTS)
        data = self.cleaned_data
        return {
            "phase_id": data.get("phase"),
            "kind": data.get("kind") or "",
            "scope": data.get("scope") or "approved",
        }


INBOX_MARK_CHOICES = [
    ("", _("All")),
    ("new", _("New")),
    ("received", _("Received")),
    ("accepted", _("Accepted")),
    ("returned", pgettext_lazy("review status", "Returned")),
]
