"""Placeholders of rule templates, and the default rules every new campaign gets.

A rule's subject and message are text with named placeholders, ``{unit}``, and nothing else:
no format specification (``{unit:>9}``), conversion (``{unit!r}``), attribute or index
(``{unit.name}``, ``{0}``). They are filled by substitution, never by ``str.format``, so a text
cannot ask for more than it shows, and their length is bounded.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reminders.models import Audience, Channel, Event

# name: what a reader of the rule sees in its place.
LABELS = {
    "unit": gettext_lazy("unit name"),
    "deadline": gettext_lazy("deadline"),
    "days_left": gettext_lazy("days left"),
    "link": gettext_lazy("link"),
    "campaign": gettext_lazy("campaign name"),
    "phase": gettext_lazy("phase name"),
}
PLACEHOLDERS = tuple(LABELS)
MAX_SUBJECT = 255
MAX_BODY = 5000

# A pair of braces and what is between them (braces excluded); a brace left alone is refused.
_BRACES = re.compile(r"\{([^{}]*)\}")


def placeholders_in(template: str) -> list[str]:
    """The names between braces in ``template``."""
    return _BRACES.findall(template)


def validate_template(template: str, *, max_length: int = MAX_BODY) -> None:
    if len(template) > max_length:
        raise ValidationError(
            _("The text is too long: %(length)d characters, at most %(max)d.")
            % {"length": len(template), "max": max_length},
            code="length",
        )
    if "{" in _BRACES.sub("", template) or "}" in _BRACES.sub("", template):
        raise ValidationError(
            _("A brace “{” or “}” is not closed. Write placeholders like {unit}."),
            code="braces",
        )
    unknown = sorted({name for name in placeholders_in(template) if name not in LABELS})
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(names)s. Allowed: %(allowed)s.")
            % {
                "names": ", ".join(f"{{{name}}}" for name in unknown),
                "allowed": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
            },
            code="unknown_placeholder",
        )


def fill(template: str, values: dict) -> str:
    """``template`` with each known placeholder replaced by its value; anything else between
    braces stays as written."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        return str(values[name]) if name in LABELS and name in values else match.group(0)

    return _BRACES.sub(value, template)


def readable(template: str) -> list[tuple[str, bool]]:
    """``template`` as a person reads it: pieces of text, each placeholder replaced by what it
    stands for and marked as such (``[("Còn ", False), ("số ngày còn lại", True), ...]``)."""
    pieces, start = [], 0
    for match in _BRACES.finditer(template):
        name = match.group(1)
        if name not in LABELS:
            continue
        if match.start() > start:
            pieces.append((template[start : match.start()], False))
        pieces.append((str(LABELS[name]), True))
        start = match.end()
    if start < len(template):
        pieces.append((template[start:], False))
    return pieces


# The default rules, as the Policy-Law Department would word them (data, in Vietnamese).
_REGISTRATION = "đăng ký thi đua"
_REPORT = "báo cáo {phase}"


def _texts(what: str) -> dict:
    return {
        "before": (
            "[{campaign}] Còn {days_left} ngày đến hạn " + what + " ({deadline})",
            "Kính gửi {unit},\n\nHạn " + what + " của {campaign} là ngày {deadline} "
            "(còn {days_left} ngày). Hệ thống chưa nhận được " + what + " của đơn vị. "
            "Đề nghị đơn vị hoàn thành và gửi đúng hạn tại: {link}",
        ),
        "overdue": (
            "[{campaign}] Quá hạn " + what + " ({deadline})",
            "Kính gửi {unit},\n\nĐã quá hạn " + what + " của {campaign} (hạn {deadline}) "
            "nhưng hệ thống chưa nhận được " + what + " của đơn vị. Đề nghị đơn vị khẩn trương "
            "hoàn thành và gửi tại: {link}",
        ),
        "reviewers": (
            "[{campaign}] Đơn vị trực thuộc quá hạn " + what + " ({deadline})",
            "Các đơn vị sau chưa gửi " + what + " (hạn {deadline}): {unit}.\n\n"
            "Đề nghị đồng chí đôn đốc các đơn vị hoàn thành: {link}",
        ),
        "digest": (
            "[{campaign}] Tổng hợp đơn vị chậm " + what + " (hạn {deadline})",
            "Danh sách các đơn vị chưa gửi " + what + " sau hạn {deadline}, theo đơn vị cấp trên. "
            "Chi tiết: {link}",
        ),
    }


def default_rules(campaign) -> list[dict]:
    """7 and 1 days before each deadline to units that have not submitted; 1 day after it an
    overdue notice to them and their reviewers, and a digest of the late units to the
    receiving department."""
    rules = []
    for event, what in (
        (Event.REGISTRATION_DEADLINE, _REGISTRATION),
        (Event.REPORT_DEADLINE, _REPORT),
    ):
        texts = _texts(what)
        for offset, audience, key, channel in (
            (-7, Audience.NOT_SUBMITTED, "before", Channel.BOTH),
            (-1, Audience.NOT_SUBMITTED, "before", Channel.BOTH),
            (1, Audience.NOT_SUBMITTED, "overdue", Channel.BOTH),
            (1, Audience.REVIEWERS, "reviewers", Channel.BOTH),
            (1, Audience.DEPARTMENT, "digest", Channel.BOTH),
        ):
            subject, body = texts[key]
            rules.append(
                {
                    "campaign": campaign,
                    "event": event,
                    "offset_days": offset,
                    "audience": audience,
                    "channel": channel,
                    "subject": subject,
                    "body": body,
                    "is_default": True,
                }
            )
    return rules
