"""What a registration says, as plain data: the chosen themes with their commitments and
targets, and the works registered for a plaque.

The same shape serves the live registration (read from its rows), the frozen copy of an earlier
revision (stored as JSON) and the comparison that tells whether a save changed anything, so the
pages and the PDF render all three alike.

The names of the registration form's fields are defined here too, because the services report
each problem under the name of the field it concerns (``theme-3-target-0-value``).
"""

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _


def theme_field(theme_id, name: str) -> str:
    return f"theme-{theme_id}-{name}"


def target_field(theme_id, row: int, name: str) -> str:
    return f"theme-{theme_id}-target-{row}-{name}"


def work_field(row: int, name: str) -> str:
    return f"work-{row}-{name}"


def typed_number(
    raw, key: str, errors: dict, *, limit: Decimal, decimals: int, whole=False, required=False
) -> Decimal | None:
    """A non-negative number typed in field ``key`` (:func:`parse_number`), below ``limit``
    and with at most ``decimals`` decimals (a whole number if ``whole``); None when the field is
    empty (a problem under ``key`` too if ``required``) or wrong (its problem added to
    ``errors[key]``)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            errors.setdefault(key, []).append(_("Enter the value."))
        return None
    try:
        number = parse_number(raw)
    except ValueError:
        problem = _("Enter a number, for example 5 or 2,5.")
    else:
        if number < 0:
            problem = _("The value cannot be negative.")
        elif number >= limit:
            problem = _("This number is too large.")
        elif whole and number != number.to_integral_value():
            problem = _("Enter a whole number.")
        elif -number.as_tuple().exponent > decimals:
            problem = _("Use at most two decimals.")
        else:
            return number
    errors.setdefault(key, []).append(problem)
    return None


def parse_number(value) -> Decimal:
    """A number as people type it in Vietnamese ("1.234,5", "2,5", "1 500", "1.500") or in
    English ("1,234.5", "2.5"); ``ValueError`` when it is not one.

    With both marks, the last one is the decimal mark. A comma alone is the decimal mark (as in
    Vietnamese) unless it repeats; a dot alone is the decimal mark unless it repeats or is
    followed by exactly three digits ("1.500" is one thousand five hundred, as in Vietnamese).
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    else:
        text = "".join(str(value if value is not None else "").split())
        sign = ""
        if text[:1] in "+-":
            sign, text = text[:1], text[1:]
        if not text or not re.fullmatch(r"[0-9.,]+", text):
            raise ValueError(value)
        if "," in text and "." in text:
            mark = max(text.rfind(","), text.rfind("."))
            text = re.sub(r"[.,]", "", text[:mark]) + "." + text[mark + 1 :]
        elif "," in text:
            text = text.replace(",", "") if text.count(",") > 1 else text.replace(",", ".")
        elif "." in text and (text.count(".") > 1 or re.fullmatch(r"\d{1,3}\.\d{3}", text)):
            text = text.replace(".", "")
        try:
            number = Decimal(sign + text)
        except InvalidOperation as exc:
            raise ValueError(value) from exc
    if not number.is_finite():
        raise ValueError(value)
    return number


@dataclass
class TargetRow:
    name: str
    unit: str
    value: Decimal


@dataclass
class ThemeEntry:
    theme_id: int
    number: int
    title: str
    commitment: str
    targets: list[TargetRow] = field(default_factory=list)


@dataclass
class WorkRow:
    name: str
    description: str = ""
    estimated_value: Decimal | None = None
    expected_completion: dt.date | None = None


@dataclass
class Content:
    themes: list[ThemeEntry] = field(default_factory=list)
    key_works: list[WorkRow] = field(default_factory=list)

    @property
    def theme_ids(self) -> list[int]:
        return [entry.theme_id for entry in self.themes]

    @property
    def target_count(self) -> int:
        return sum(len(entry.targets) for entry in self.themes)

    def comparable(self) -> tuple:
        """What a save compares to decide whether anything changed (titles and numbers of
        themes belong to the campaign, not to the registration)."""
        return (
            tuple(
                (
                    e.theme_id,
                    e.commitment,
                    tuple((t.name, t.unit, t.value.normalize()) for t in e.targets),
                )
                for e in sorted(self.themes, key=lambda e: e.theme_id)
            ),
            tuple(
                (
                    w.name,
                    w.description,
                    w.estimated_value.normalize() if w.estimated_value is not None else None,
                    w.expected_completion,
                )
                for w in self.key_works
            ),
        )

    # -- JSON for the frozen revisions ----------------------------------------------------

    def to_json(self) -> dict:
        def plain(value):
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, list):
                return [plain(v) for v in value]
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            return value

        return plain(asdict(self))

    @classmethod
    def from_json(cls, data: dict) -> "Content":
        themes = [
            ThemeEntry(
                theme_id=item.get("theme_id"),
                number=item.get("number"),
                title=item.get("title", ""),
                commitment=item.get("commitment", ""),
                targets=[
                    TargetRow(t.get("name", ""), t.get("unit", ""), Decimal(t.get("value", "0")))
                    for t in item.get("targets", [])
                ],
            )
            for item in data.get("themes", [])
        ]
        works = [
            WorkRow(
                name=w.get("name", ""),
                description=w.get("description", ""),
                estimated_value=Decimal(w["estimated_value"])
                if w.get("estimated_value") not in (None, "")
                else None,
                expected_completion=dt.date.fromisoformat(w["expected_completion"])
                if w.get("expected_completion")
                else None,
            )
            for w in data.get("key_works", [])
        ]
        return cls(themes=themes, key_works=works)


def content_of(registration) -> Content:
    """The content of a registration from its rows; prefetch ``themes__theme``,
    ``themes__targets`` and ``key_works`` to read it without further queries."""
    themes = sorted(registration.themes.all(), key=lambda rt: (rt.theme.number, rt.theme_id))
    return Content(
        themes=[
            ThemeEntry(
                theme_id=rt.theme_id,
                number=rt.theme.number,
                title=rt.theme.title,
                commitment=rt.commitment,
                targets=[
                    TargetRow(t.name, t.unit, t.value)
                    for t in sorted(rt.targets.all(), key=lambda t: (t.position, t.pk))
                ],
            )
            for rt in themes
        ],
        key_works=[
            WorkRow(w.name, w.description, w.estimated_value, w.expected_completion)
            for w in sorted(registration.key_works.all(), key=lambda w: (w.position, w.pk))
        ],
    )


CONTENT_PREFETCH = ("themes__theme", "themes__targets", "key_works")
