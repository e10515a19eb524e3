"""The calendar arithmetic of a plan, as plain functions: anniversaries, round anniversaries,
which phase a day falls in, moving a date to another year, and the plan's own wording of a
milestone ("kỷ niệm 87 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2017)").

The wording is the text of the official Vietnamese document, so it is Vietnamese whatever the
language of the screen.
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TypeVar


def date_in_year(year: int, month: int, day: int) -> dt.date:
    """The day in ``year``; ``ValueError`` when it does not exist there (29/02 in 2017)."""
    return dt.date(year, month, day)


def exists_in_some_year(month: int, day: int) -> bool:
    """Whether day/month is a real day of the calendar (29/02 is: in leap years)."""
    try:
        dt.date(2000, month, day)  # 2000 is a leap year
    except (TypeError, ValueError):
        return False
    return True


def anniversary(year: int, origin_year: int | None) -> int | None:
    """The ordinal of the anniversary in ``year``: campaign year minus the year of the event;
    None when there is nothing to count (no year, or the event is not yet a year old)."""
    if origin_year is None or origin_year >= year:
        return None
    return year - origin_year


def is_round(number: int | None) -> bool:
    """Round anniversaries, which Vietnamese bodies celebrate more: multiples of 5 and 10."""
    return bool(number) and number % 5 == 0


def is_decade(number: int | None) -> bool:
    return bool(number) and number % 10 == 0


def shift_year(day: dt.date | None, years: int) -> dt.date | None:
    """The same day ``years`` later; 29/02 becomes 28/02 in a year without it."""
    if day is None:
        return None
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return day.replace(year=year)


class Dated(Protocol):
    start: dt.date
    end: dt.date


P = TypeVar("P", bound=Dated)


def phase_for(day: dt.date, phases: Iterable[P]) -> P | None:
    """The phase whose dates hold ``day`` (phases never overlap), or None in a gap."""
    for phase in phases:
        if phase.start <= day <= phase.end:
            return phase
    return None


def days_between(today: dt.date, day: dt.date) -> int:
    return (day - today).days


def dmy(day: dt.date | None) -> str:
    """dd/mm/yyyy, the form dates take everywhere."""
    return day.strftime("%d/%m/%Y") if day else ""


def milestone_wording(
    *,
    name: str,
    template: str = "",
    day: dt.date,
    end: dt.date | None = None,
    origin_year: int | None = None,
    anniversary: int | None = None,
) -> str:
    """How the plan words a milestone.

    - with an anniversary: "kỷ niệm {n} năm {name} ({origin} - {date})";
    - a period: "tổ chức các hoạt động {name} ({date} - {end})";
    - otherwise: "kỷ niệm {name} ({date})".

    A holiday may give its own template; {n}, {origin}, {date} and {end} are replaced (plain
    replacement, never ``str.format`` on text people typed).
    """
    origin = ""
    if origin_year is not None and anniversary:
        try:
            origin = dmy(day.replace(year=origin_year))
        except ValueError:  # 29/02 of a leap year, counted in a year without it
            origin = f"{day.day:02d}/{day.month:02d}/{origin_year}"
    if not template:
        if anniversary:
            template = "kỷ niệm {n} năm {name} ({origin} - {date})"
        elif end:
            template = "tổ chức các hoạt động {name} ({date} - {end})"
        else:
            template = "kỷ niệm {name} ({date})"
    values = {
        "{n}": str(anniversary or ""),
        "{origin}": origin,
        "{date}": dmy(day),
        "{end}": dmy(end),
        "{name}": name,
    }
    text = template
    for key, value in values.items():
        text = text.replace(key, value)
    return " ".join(text.split())


NUMBER_WORDS = {
    1: "một",
    2: "hai",
    3: "ba",
    4: "bốn",
    5: "năm",
    6: "sáu",
    7: "bảy",
    8: "tám",
    9: "chín",
    10: "mười",
}


def number_in_words(number: int) -> str:
    """Small counts in Vietnamese words, as documents write them ("hai đợt")."""
    return NUMBER_WORDS.get(number, str(number))
