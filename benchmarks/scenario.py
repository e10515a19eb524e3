"""The data the pages are measured on: the tree, the personas, and what later issues add.

A later issue that needs more data (a campaign, registrations ...) registers a step in a module
that ``benchmarks.pages`` imports::

    @setup_step
    def campaign(scenario: Scenario, *, create: bool) -> None:
        if create:  # a new benchmark database: add the rows, in bulk
            ...
        scenario.extra["campaign"] = Campaign.objects.get(code="BENCH")

Every step runs on every run: with ``create=True`` when the database was just built, with
``create=False`` when a database kept with ``--keep`` is reused (then it only finds its rows).
The steps' names and this module's code are part of the database's fingerprint, so a kept
database is rebuilt when they change.
"""

import hashlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from benchmarks import tree as tree_module
from benchmarks.tree import PROVINCES, ROOT_CODE, SEARCH_WORD, WIDE_CODE_SUFFIX
from federation.models import Department, Membership, Organization, OrganizationKind, Role

# persona -> (username, full name, role, how to find the unit)
PERSONAS = {
    "staff": ("bench-staff", "Nguyễn Thị Chuyên Viên", Role.STAFF, "province"),
    "leader": ("bench-leader", "Trần Văn Lãnh Đạo", Role.LEADER, "wide_unit"),
    "officer": ("bench-officer", "Lê Thị Cán Bộ", Role.OFFICER, "grassroots"),
    "national": ("bench-national", "Phạm Văn Tổng Liên", Role.STAFF, "root"),
}
PERSONA_HELP = {
    "staff": "staff of the Policy-Law Department of the largest province",
    "leader": "leader of the upper unit that has 1,000 grassroots units directly below",
    "officer": "officer of a grassroots union in the largest province",
    "national": "staff of the national confederation (sees the whole tree)",
}

SetupStep = Callable[..., None]  # (scenario, *, create: bool) -> None
SETUP_STEPS: list[SetupStep] = []


def setup_step(function: SetupStep) -> SetupStep:
    """Register a function that adds data to the benchmark database (see the module doc)."""
    SETUP_STEPS.append(function)
    return function


@dataclass
class Scenario:
    """Units and people that the pages' URL builders use."""

    root: Organization
    province: Organization  # the largest province
    upper_unit: Organization  # an ordinary upper unit of that province
    wide_unit: Organization | None  # the upper unit with ``wide_children`` children
    grassroots: Organization  # a grassroots union under ``upper_unit``
    users: dict[str, object]
    search_word: str = SEARCH_WORD
    extra: dict = field(default_factory=dict)


def create_personas() -> None:
    """The people the pages are seen by (one query each; run once after the tree)."""
    User = get_user_model()
    units = _units()
    with transaction.atomic():
        department = Department.objects.create(
            organization=units["province"],
            name="Ban Chính sách - Pháp luật",
            email="cspl@example.vn",
        )
        for username, full_name, role, unit_key in PERSONAS.values():
            unit = units[unit_key] or units["upper_unit"]
            user = User(username=username, full_name=full_name, email=f"{username}@example.vn")
            user.set_unusable_password()
            user.save()
            Membership.objects.create(
                user=user,
                organization=unit,
                role=role,
                department=department if unit_key == "province" else None,
            )


def run_setup_steps(scenario: "Scenario", *, create: bool) -> None:
    for step in SETUP_STEPS:
        step(scenario, create=create)


def setup_fingerprint() -> str:
    """What the data depends on: the generator's and this module's code, and the steps."""
    digest = hashlib.sha1()
    for module in (tree_module, sys.modules[__name__]):
        digest.update(Path(module.__file__).read_bytes())
    steps = ",".join(f"{s.__module__}.{s.__qualname__}" for s in SETUP_STEPS)
    return f"{digest.hexdigest()[:12]} steps={steps}"


def load_scenario() -> Scenario:
    User = get_user_model()
    units = _units()
    users = {
        persona: User.objects.get(username=username)
        for persona, (username, *_rest) in PERSONAS.items()
    }
    return Scenario(users=users, **units)


def _units() -> dict:
    province_code = PROVINCES[0][0]
    province = Organization.objects.get(code=province_code)
    upper_unit = (
        Organization.objects.filter(
            path__startswith=province.path, depth=province.depth + 1, numchild__gt=0
        )
        .exclude(code=province_code + WIDE_CODE_SUFFIX)
        .order_by("-numchild", "path")
        .first()
    )
    grassroots = Organization.objects.filter(
        path__startswith=upper_unit.path, kind=OrganizationKind.GRASSROOTS
    ).first()
    return {
        "root": Organization.objects.get(code=ROOT_CODE),
        "province": province,
        "upper_unit": upper_unit,
        "wide_unit": Organization.objects.filter(code=province_code + WIDE_CODE_SUFFIX).first(),
        "grassroots": grassroots,
    }
