"""What the reviewer's pages count and filter: the counts per status of a group of units with
the shares of its progress bar, and the filters of a queue."""

from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar
from urllib.parse import urlencode

from django.core.exceptions import ImproperlyConfigured

from emulation.workflow import ReviewStatus


@dataclass
class Progress:
    """Counts per status of a group of units (``counts``: status -> units, with ``total`` and
    ``overdue``) and the shares a progress bar shows.

    A subclass names its statuses in ``order`` (the first is the "nothing yet" state: no
    registration, no report) and how each reads (``label``)."""

    counts: dict
    order: ClassVar[tuple] = ()

    @staticmethod
    def label(status: str):
        raise ImproperlyConfigured("A Progress must say how its statuses read (label).")

    def count(self, status: str) -> int:
        return self.counts.get(status, 0) or 0

    @property
    def total(self) -> int:
        return self.count("total")

    @property
    def approved(self) -> int:
        return self.count(ReviewStatus.APPROVED)

    @property
    def submitted(self) -> int:
        return self.count(ReviewStatus.SUBMITTED)

    @property
    def none(self) -> int:
        """Units with nothing yet."""
        return self.count(self.order[0])

    @property
    def sent(self) -> int:
        return self.approved + self.submitted

    @property
    def overdue(self) -> int:
        return self.count("overdue")

    @property
    def ratio(self) -> str:
        """Approved of the total, "3/5" (the label of a small bar)."""
        return f"{self.approved}/{self.total}"

    @property
    def approved_percent(self) -> int:
        return round(self.approved * 100 / self.total) if self.total else 0

    @property
    def sent_percent(self) -> int:
        return round(self.sent * 100 / self.total) if self.total else 0

    @cached_property
    def segments(self) -> list[dict]:
        """Every status, approved first, with its label, count and share of the total."""
        total = self.total
        return [
            {
                "status": str(status),
                "label": self.label(status),
                "count": self.count(status),
                "percent": f"{self.count(status) * 100 / total:.2f}" if total else "0",
            }
            for status in reversed(self.order)
        ]

    @property
    def bar(self) -> list[dict]:
        """The segments a bar draws: those with units, but the "nothing yet" share."""
        return [s for s in self.segments if s["count"] and s["status"] != self.order[0]]

    @property
    def counted(self) -> list[dict]:
        """The segments with units (the counts listed under a bar)."""
        return [s for s in self.segments if s["count"]]


@dataclass
class QueueFilters:
    """What a reviewer's queue is filtered by, as validated."""

    status: str = ""
    kind: str = ""
    overdue: bool = False
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.status or self.kind or self.overdue or self.q)

    def query_string(self, **extra) -> str:
        values = {
            "status": self.status,
            "kind": self.kind,
            "overdue": "1" if self.overdue else "",
            "q": self.q,
            **extra,
        }
        return urlencode({k: v for k, v in values.items() if v})
