"""Work items: what a person has to do now, which the home page ("Việc của tôi") and the
campaign page compose from what each app knows, without the lower apps importing the higher
ones (as :mod:`emulation.links` does for links).

Each app registers a provider per section from its ``apps.py`` (in a ``work.py`` module)::

    @provide(UNIT)
    def registration_work(context):
        yield WorkItem(UNIT, _("Register …"), url, state=TO_DO, deadline=…, days_left=…)

A provider receives one context (``campaigns.work.Context``: the person, ``today``, the active
campaigns they take part in or review, their units and roles), reads what it needs in a fixed
number of queries whatever the number of units below the person (counters per branch, one
aggregate per kind of queue), and yields :class:`WorkItem` objects. Nothing here reads the
date: the context carries ``today``.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The sections of the home page, in their order.
UNIT = "unit"  # the person's own units: register, report, nominate, fix what was returned
REVIEW = "review"  # the queues the person reviews: how many wait, the oldest first
COUNCIL = "council"  # the council sessions open for the person's vote
STAFF = "staff"  # the receiving department: its inbox, the units overdue
NEWS = "news"  # unread notifications, the latest decisions concerning the person's units
SECTIONS = (UNIT, REVIEW, COUNCIL, STAFF, NEWS)

# Where an item stands, in the order a list shows them.
TO_DO = "todo"  # the person must act
WAITING = "waiting"  # sent; the unit above has it
UPCOMING = "upcoming"  # not open yet
DONE = "done"  # approved, nothing left to do
STATES = (TO_DO, WAITING, UPCOMING, DONE)

# Days left at which a deadline shows as close.
SOON = 7

_providers: dict[str, list[Callable[..., Iterable["WorkItem"]]]] = defaultdict(list)


def days_left(deadline: dt.date | None, today: dt.date) -> int | None:
    """Days from ``today`` to ``deadline`` (negative once past), None without a deadline."""
    return None if deadline is None else (deadline - today).days


def days_text(days: int | None) -> str:
    """ "còn 9 ngày", "hạn chót hôm nay", "quá hạn 3 ngày" (empty without a deadline)."""
    if days is None:
        return ""
    if days == 0:
        return _("due today")
    if days > 0:
        return ngettext("%(count)s day left", "%(count)s days left", days) % {"count": days}
    return ngettext("%(count)s day overdue", "%(count)s days overdue", -days) % {"count": -days}


@dataclass(frozen=True)
class WorkItem:
    """One thing to do (or done, or waiting), with where to do it.

    ``state`` is one of :data:`STATES` and ``status``/``status_label`` the object's own state
    as its app names it (a registration's "returned" ...). Queues give ``count`` (how many
    wait) and ``since`` (when the oldest was sent). ``unit`` and ``campaign`` say what the item
    is about when the person has several."""

    section: str
    title: str
    url: str
    state: str = TO_DO
    status: str = ""
    status_label: str = ""
    deadline: dt.date | None = None
    days_left: int | None = None
    count: int | None = None
    since: dt.datetime | None = None
    detail: str = ""
    unit: str = ""
    campaign: str = ""
    campaign_id: int | None = None
    unit_id: int | None = None
    kind: str = ""  # what it is, for tests and styles: "registration", "report:3" ...
    order: int = 0  # among items due the same day: the registration, then each phase's report
    testid: str = ""

    @property
    def days_text(self) -> str:
        return days_text(self.days_left) if self.state == TO_DO else ""

    @property
    def overdue(self) -> bool:
        return self.state == TO_DO and self.days_left is not None and self.days_left < 0

    @property
    def urgent(self) -> bool:
        """Overdue, or due within :data:`SOON` days."""
        return self.state == TO_DO and self.days_left is not None and self.days_left <= SOON

    @property
    def is_open(self) -> bool:
        """Something is left to do or to wait for."""
        return self.state in (TO_DO, WAITING)

    def sort_key(self):
        """Things to do first, the closest deadline first (overdue before all), then what
        waits, what is coming and what is done; queues the oldest first."""
        far = dt.date.max
        since = self.since.timestamp() if self.since else float("inf")
        return (
            STATES.index(self.state) if self.state in STATES else len(STATES),
            self.deadline or far,
            since,
            self.order,
            self.campaign,
            self.unit,
            self.title,
        )


def provide(section: str):
    """Register a function that yields the work items of ``section`` for a context."""
    if section not in SECTIONS:
        raise ValueError(f"Unknown section of work: {section!r}")

    def register(provider):
        if provider not in _providers[section]:
            _providers[section].append(provider)
        return provider

    return register


def work_items(section: str, context) -> list[WorkItem]:
    """The items every provider of ``section`` yields for ``context``, in order (the news the
    latest first)."""
    items = [item for provider in _providers[section] for item in provider(context)]
    if section == NEWS:
        latest = dt.datetime.min.replace(tzinfo=dt.UTC)
        return sorted(items, key=lambda item: item.since or latest, reverse=True)
    return sorted(items, key=WorkItem.sort_key)


def all_work(context, sections=SECTIONS) -> dict[str, list[WorkItem]]:
    """The items of each of ``sections``, each list in order."""
    return {section: work_items(section, context) for section in sections}
