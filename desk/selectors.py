"""The home page's read: the work items every app provides (:mod:`emulation.work`) for the
person on a day, sorted into what the page shows. A fixed number of queries whatever the number
of units below the person: the context's three, and each provider's few."""

import datetime as dt
from dataclasses import dataclass, field

from campaigns.work import Context, context_for
from emulation.work import (
    COUNCIL,
    DONE,
    NEWS,
    REVIEW,
    STAFF,
    TO_DO,
    UNIT,
    UPCOMING,
    WorkItem,
    all_work,
)


@dataclass
class Desk:
    context: Context
    own: list[WorkItem] = field(default_factory=list)  # the units' work to do or waiting
    coming: list[WorkItem] = field(default_factory=list)  # not open yet
    done: list[WorkItem] = field(default_factory=list)
    review: list[WorkItem] = field(default_factory=list)
    council: list[WorkItem] = field(default_factory=list)
    staff: list[WorkItem] = field(default_factory=list)
    unread: WorkItem | None = None  # how many notifications are unread
    notifications: list[WorkItem] = field(default_factory=list)  # the latest unread
    decisions: list[WorkItem] = field(default_factory=list)

    @property
    def campaigns(self):
        return self.context.campaigns

    @property
    def units(self):
        return self.context.units

    @property
    def to_do(self) -> int:
        """How many items ask the person to act."""
        items = (*self.own, *self.review, *self.council, *self.staff)
        return sum(1 for item in items if item.state == TO_DO)

    @property
    def waiting_review(self) -> int:
        """How many things wait in the person's queues."""
        return sum(item.count or 0 for item in self.review if item.state == TO_DO)

    @property
    def several_units(self) -> bool:
        """The unit's work names its unit only when the person acts for several."""
        return len({item.unit_id for item in (*self.own, *self.coming, *self.done)}) > 1

    @property
    def unit_name(self) -> str:
        """The name of the one unit whose work the page lists (when there is one)."""
        items = (*self.own, *self.coming, *self.done)
        return items[0].unit if items else ""

    @property
    def several_campaigns(self) -> bool:
        return len(self.context.campaigns) > 1

    @property
    def sits_on_council(self) -> bool:
        return bool(self.context.council_units())

    @property
    def empty(self) -> bool:
        """Nothing to list in the main column (news aside)."""
        return not (
            self.own
            or self.coming
            or self.done
            or self.review
            or self.council
            or self.sits_on_council
            or self.staff
        )


def desk_for(user, today: dt.date) -> Desk:
    """Everything the home page shows ``user`` on ``today``."""
    context = context_for(user, today)
    work = all_work(context)
    desk = Desk(context=context)
    for item in work[UNIT]:
        if item.state == DONE:
            desk.done.append(item)
        elif item.state == UPCOMING:
            desk.coming.append(item)
        else:
            desk.own.append(item)
    desk.review = work[REVIEW]
    desk.council = work[COUNCIL]
    desk.staff = work[STAFF]
    for item in work[NEWS]:
        if item.kind == "notifications":
            desk.unread = item
        elif item.kind == "notification":
            desk.notifications.append(item)
        else:
            desk.decisions.append(item)
    return desk
