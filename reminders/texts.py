"""Placeholders of rule templates, and the default rules every new campaign gets."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reminders.models import Audience, Channel, Event

PLACEHOLDERS = ("unit", "deadline", "days_left", "link", "campaign", "phase")


def placeholders_in(template: str) -> list[str]:
    """The names between braces in ``template``; ``ValueError`` when a brace is unmatched."""
    return [name for _text, name, _spec, _conv in string.Formatter().parse(template) if name]


def validate_template(template: str) -> None:
    try:
        names = placeholders_in(template)
    except ValueError:
        raise ValidationError(
            _("A brace “{” or “}” is not closed. Write placeholders like {unit}."),
            code="braces",
        ) from None
    unknown = sorted({name for name in names if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(names)s. Allowed: %(allowed)s.")
            % {
                "names": ", ".join(f"{{{name}}}" for name in unknown),
                "allowed": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
            },
            code="unknown_placeholder",
        )


class _Values(dict):
    def __missing__(self, key):
        return f"{{{key}}}"


def fill(template: str, values: dict) -> str:
    """``template`` with its placeholders replaced; a template that fails is returned as is."""
    try:
        return template.format_map(_Values({k: v for k, v in values.items() if k in PLACEHOLDERS}))
    except (ValueError, IndexError, AttributeError):
        return template


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
