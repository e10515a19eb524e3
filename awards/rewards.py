"""Reward money (tiền thưởng): each awardee's amount is the award's multiple of the base salary
(lương cơ sở) in force on the decision's date, rounded up to the next ten thousand đồng; the
decision's total; the payment list for the finance department."""

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from awards.models import BaseSalary, Decision, Nomination, NomineeKind

ROUND_TO = 10_000


def base_salary_on(day: dt.date) -> BaseSalary | None:
    return BaseSalary.objects.filter(effective_from__lte=day).order_by("-effective_from").first()


def reward_amount(multiple: Decimal | None, base: int | None) -> int | None:
    """``multiple`` × ``base``, rounded up to the next ten thousand đồng (whole numbers, never
    a floating-point near miss); None when either is unknown."""
    if multiple is None or base is None:
        return None
    exact = Decimal(base) * Decimal(multiple)
    return int(math.ceil(exact / ROUND_TO)) * ROUND_TO


@dataclass
class Payment:
    nomination: Nomination
    multiple: Decimal | None
    amount: int | None


@dataclass
class Payments:
    base: BaseSalary | None
    rows: list[Payment]

    @property
    def total(self) -> int:
        return sum(p.amount or 0 for p in self.rows)

    @property
    def complete(self) -> bool:
        return self.base is not None and all(p.amount is not None for p in self.rows)


def decision_payments(decision: Decision, nominations: list[Nomination]) -> Payments:
    """The amount of each of ``nominations`` (the decision's awardees) and the total."""
    base = base_salary_on(decision.date)
    award = decision.award_type
    rows = []
    for n in nominations:
        multiple = (
            award.collective_multiple
            if n.nominee_kind == NomineeKind.COLLECTIVE
            else award.individual_multiple
        )
        rows.append(Payment(n, multiple, reward_amount(multiple, base.amount if base else None)))
    return Payments(base=base, rows=rows)
