"""Forms read what people type; the services decide whether it may be saved.

The registration form has one block per theme of the campaign (a checkbox, the commitment and
any number of target rows) and any number of rows of works; its fields are named as the
services name the problems they find (``registrations.content``), so each message appears next
to its field.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from emulation.params import to_int
from emulation.review import forms as review
from emulation.workflow import ReviewStatus
from federation.models import OrganizationKind
from registrations.content import Content, target_field, theme_field, work_field
from registrations.models import NOT_REGISTERED, NOT_REGISTERED_LABEL

BLANK_TARGET_ROWS = 2  # the rows of targets a theme shows at least, blank ones included
BLANK_WORK_ROWS = 1

_TARGET = re.compile(r"^theme-(\d+)-target-(\d+)-(name|unit|value)$")
_WORK = re.compile(r"^work-(\d+)-(name|description|estimated_value|expected_completion)$")


def number_text(value: Decimal | None) -> str:
    """A number as the form shows it: no trailing zeros, a decimal comma ("2,5")."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def parse_date(text: str):
    """dd/mm/yyyy (or yyyy-mm-dd); the text itself when it is not a date, for the service to
    refuse with a message."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return text


TARGET_FIELDS = ("name", "unit", "value")
WORK_FIELDS = ("name", "description", "estimated_value", "expected_completion")


def _blank(row, names) -> bool:
    """Whether nothing was typed in any field of a posted row."""
    return not any(str(getattr(row, name) or "").strip() for name in names)


def _blanks(filled: list, rows: int) -> int:
    """How many blank rows follow the filled ones: enough to show ``rows`` rows in all, and
    always one to type a new row in (without script, no button adds one). A form shown again
    with the same rows filled has the same rows: it does not grow on each error."""
    return max(1, rows - len(filled))


@dataclass
class TargetInput:
    row: int
    name: str = ""
    unit: str = ""
    value: str = ""
    errors: dict = field(default_factory=dict)

    def field(self, theme_id, name):
        return target_field(theme_id, self.row, name)


@dataclass
class ThemePanel:
    theme: object
    chosen: bool
    commitment: str
    targets: list[TargetInput]
    commitment_errors: list = field(default_factory=list)

    @property
    def commitment_name(self) -> str:
        return theme_field(self.theme.pk, "commitment")


@dataclass
class WorkInput:
    row: int
    name: str = ""
    description: str = ""
    estimated_value: str = ""
    expected_completion: str = ""
    errors: dict = field(default_factory=dict)


class RegistrationForm:
    """The officer's form, bound to what was posted or filled from the saved content."""

    def __init__(self, themes, content: Content | None, data=None, version: int | None = None):
        self.themes = list(themes)
        self.data = data
        self.is_bound = data is not None
        self.errors: dict[str, list] = {}
        self.non_field_errors: list = []
        self.version = version
        if self.is_bound:
            self._read_posted()
        else:
            self._fill(content or Content())

    # -- building the blocks ------------------------------------------------------------

    def _fill(self, content: Content) -> None:
        entries = {e.theme_id: e for e in content.themes}
        self.chosen = set(entries)
        self.commitments = {tid: e.commitment for tid, e in entries.items()}
        self.target_rows = {
            tid: [
                TargetInput(row, t.name, t.unit, number_text(t.value))
                for row, t in enumerate(e.targets)
            ]
            for tid, e in entries.items()
        }
        self.work_rows = [
            WorkInput(
                row,
                w.name,
                w.description,
                number_text(w.estimated_value),
                w.expected_completion.strftime("%d/%m/%Y") if w.expected_completion else "",
            )
            for row, w in enumerate(content.key_works)
        ]

    def _read_posted(self) -> None:
        data = self.data
        valid_ids = {str(t.pk) for t in self.themes}
        self.posted_theme_values = list(data.getlist("themes"))
        self.chosen = {int(v) for v in self.posted_theme_values if v in valid_ids}
        self.commitments = {
            t.pk: data.get(theme_field(t.pk, "commitment"), "") for t in self.themes
        }
        rows: dict[int, dict[int, TargetInput]] = {}
        works: dict[int, WorkInput] = {}
        for key in data:
            match = _TARGET.match(key)
            if match:
                theme_id, row, name = int(match[1]), int(match[2]), match[3]
                target = rows.setdefault(theme_id, {}).setdefault(row, TargetInput(row))
                setattr(target, name, data.get(key, ""))
                continue
            match = _WORK.match(key)
            if match:
                row, name = int(match[1]), match[2]
                work = works.setdefault(row, WorkInput(row))
                setattr(work, name, data.get(key, ""))
        # Rows left blank are dropped: the page adds its own blank rows after the filled ones,
        # so a form shown again (with an error) does not grow by those rows each time.
        self.target_rows = {
            tid: [r[i] for i in sorted(r) if not _blank(r[i], TARGET_FIELDS)]
            for tid, r in rows.items()
        }
        self.work_rows = [works[i] for i in sorted(works) if not _blank(works[i], WORK_FIELDS)]

    def service_data(self) -> dict:
        """What the services take: the chosen themes (as posted, so a forged or repeated one
        is refused there), their commitments and targets, and the works."""
        themes = []
        for value in self.posted_theme_values:
            try:
                theme_id = int(value)
            except (TypeError, ValueError):
                theme_id = value
            themes.append(
                {
                    "theme": theme_id,
                    "commitment": self.commitments.get(theme_id, ""),
                    "targets": [
                        {"row": t.row, "name": t.name, "unit": t.unit, "value": t.value}
                        for t in self.target_rows.get(theme_id, [])
                    ],
                }
            )
        return {
            "themes": themes,
            "key_works": [
                {
                    "row": w.row,
                    "name": w.name,
                    "description": w.description,
                    "estimated_value": w.estimated_value,
                    "expected_completion": parse_date(w.expected_completion),
                }
                for w in self.work_rows
            ],
        }

    # -- errors -------------------------------------------------------------------------

    def add_error(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for key, errors in exc.error_dict.items():
                messages = [m for e in errors for m in e.messages]
                self.errors.setdefault(key, []).extend(messages)
        else:
            self.non_field_errors.extend(exc.messages)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.non_field_errors)

    @property
    def top_errors(self) -> list:
        """Errors that belong to no single field (the list of works as a whole)."""
        errors = list(self.non_field_errors)
        errors += self.errors.get("key_works", [])
        return errors

    @property
    def theme_errors(self) -> list:
        """Errors about the choice of themes, shown beside the themes."""
        return self.errors.get("themes", [])

    # -- what the template shows -------------------------------------------------------

    @property
    def panels(self) -> list[ThemePanel]:
        panels = []
        for theme in sorted(self.themes, key=lambda t: t.number):
            targets = list(self.target_rows.get(theme.pk, []))
            start = max((t.row for t in targets), default=-1) + 1
            targets += [TargetInput(start + i) for i in range(_blanks(targets, BLANK_TARGET_ROWS))]
            for target in targets:
                target.errors = {
                    name: self.errors.get(target_field(theme.pk, target.row, name), [])
                    for name in TARGET_FIELDS
                }
            panels.append(
                ThemePanel(
                    theme=theme,
                    chosen=theme.pk in self.chosen,
                    commitment=self.commitments.get(theme.pk, ""),
                    targets=targets,
                    commitment_errors=self.errors.get(theme_field(theme.pk, "commitment"), []),
                )
            )
        return panels

    @property
    def works(self) -> list[WorkInput]:
        rows = list(self.work_rows)
        start = max((w.row for w in rows), default=-1) + 1
        rows += [WorkInput(start + i) for i in range(_blanks(rows, BLANK_WORK_ROWS))]
        for work in rows:
            work.errors = {
                name: self.errors.get(work_field(work.row, name), []) for name in WORK_FIELDS
            }
        return rows


# ---------------------------------------------------------------------------------------------
# Review.


STATUS_CHOICES = [
    ("", _("All statuses")),
    (NOT_REGISTERED, NOT_REGISTERED_LABEL),
    *ReviewStatus.choices,
]


class QueueFilterForm(review.QueueFilterForm):
    statuses = STATUS_CHOICES
    kinds = [("", _("All kinds")), *OrganizationKind.choices]


def parse_items(values) -> list[tuple[int, int]]:
    """The "id:version" values of a bulk approval's confirmation page. An item without a
    version it showed (or with anything but numbers) is left out: nothing is approved blind."""
    items = []
    for value in values:
        pk, _sep, version = str(value).partition(":")
        pk, version = to_int(pk), to_int(version)
        if pk is not None and version is not None:
            items.append((pk, version))
    return items
