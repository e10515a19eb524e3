"""Facts that one app provides to the eligibility rules of another, by name, so that a lower app
never imports a higher one: the awards app asks for "the published grade of unit U in year Y"
without knowing the grading app, which registers its provider when it is ready.

A provider is a function of keyword arguments; :func:`fact` calls the one registered under a
name, or returns None when no app provides it (the rule reports it as not met)."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

PUBLISHED_GRADE = "published_grade"
# Every published grade of a unit, the latest year first (a unit's history of grades).
GRADE_HISTORY = "grade_history"

_providers: dict[str, Callable] = {}


@dataclass(frozen=True)
class PublishedGrade:
    """A grade made public for a unit and a year: ``rank`` 1 is the top grade."""

    year: int
    rank: int
    name: str
    score: Decimal | None = None


def register_fact(name: str, provider: Callable) -> None:
    _providers[name] = provider


def provides(name: str) -> bool:
    return name in _providers


def fact(name: str, **kwargs):
    """The fact ``name`` for ``kwargs`` (e.g. ``organization`` and ``year``), or None."""
    provider = _providers.get(name)
    return provider(**kwargs) if provider else None
