"""Personas and the small union tree every test can stand on.

TLĐ (national)
└── LĐLĐ tỉnh (provincial)  ← staff: the Policy-Law Department
    ├── LĐLĐ huyện P (local) ← leader
    │   ├── CĐCS A            ← officer A
    │   └── CĐCS B            ← officer B (sibling of A)
    └── LĐLĐ huyện Q (local)
        └── CĐCS C
"""

import os
from dataclasses import dataclass

import pytest

from federation.kinds import seed_hierarchy
from federation.models import OrganizationKind as K
from federation.models import Role
from tests.factories import UserFactory, make_department, make_member, make_unit

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class World:
    national: object
    province: object
    district: object
    unit_a: object
    unit_b: object
    district_q: object
    unit_c: object
    department: object
    officer_a: object
    officer_b: object
    leader: object
    staff: object
    admin: object

    def persona(self, name):
        return None if name == "anonymous" else getattr(self, name)


def build_world() -> World:
    """Create the tree and the personas (the caller provides database access)."""
    seed_hierarchy()
    national = make_unit("TLD", "Tổng Liên đoàn Lao động Việt Nam", K.NATIONAL)
    province = make_unit("NB", "Liên đoàn Lao động tỉnh Ninh Bình", K.PROVINCIAL, national)
    district = make_unit("NB-P", "Liên đoàn Lao động huyện Phượng", K.LOCAL, province)
    unit_a = make_unit(
        "NB-P-A", "Công đoàn cơ sở Alpha Đông Á", K.GRASSROOTS, district, member_count=120
    )
    unit_b = make_unit(
        "NB-P-B", "Công đoàn cơ sở Bêta Nam Việt", K.GRASSROOTS, district, member_count=80
    )
    district_q = make_unit("NB-Q", "Liên đoàn Lao động huyện Quế", K.LOCAL, province)
    unit_c = make_unit(
        "NB-Q-C", "Công đoàn cơ sở Gamma Quế", K.GRASSROOTS, district_q, member_count=40
    )
    department = make_department(province, email="cspl@example.vn")
    for unit in (national, province, district, unit_a, unit_b, district_q, unit_c):
        unit.refresh_from_db()
    return World(
        national=national,
        province=province,
        district=district,
        unit_a=unit_a,
        unit_b=unit_b,
        district_q=district_q,
        unit_c=unit_c,
        department=department,
        officer_a=make_member(unit_a, Role.OFFICER, "officer_a"),
        officer_b=make_member(unit_b, Role.OFFICER, "officer_b"),
        leader=make_member(district, Role.LEADER, "leader"),
        staff=make_member(province, Role.STAFF, "staff"),
        admin=UserFactory(username="admin", is_superuser=True, is_staff=True),
    )


@pytest.fixture
def any_kind_anywhere(db):
    """Every kind of unit allowed under every kind (the hierarchy is data an administrator
    may widen): for tests of the tree's mechanics (moves, merges, counters) on any shape."""
    from federation.models import AllowedChildKind

    AllowedChildKind.objects.bulk_create(
        [AllowedChildKind(parent_kind=p, child_kind=c) for p in K.values for c in K.values],
        ignore_conflicts=True,
    )


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(client):
    """Log a persona in: ``client_for(world.officer_a)``."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _vietnamese_by_default():
    """Each test starts in the default language: a request of an earlier test may have left
    another language active in this thread (LocaleMiddleware activates it per request)."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.activate("vi")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts and ends with an empty cache: nothing cached by one test (a dashboard's
    body under a campaign id and version another test's database reuses) reaches another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def eager_tasks(settings):
    """Celery tasks run in the test's process when queued (``.delay()``), as a worker would
    run them: the same task functions, without a broker."""
    from emulation.celery import app

    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


@pytest.fixture
def media_tmp(settings, tmp_path):
    """Files saved by the test (a job's file given and its result) go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def check_seeded_constraints():
    """Check the deferred constraints of what a module's fixture seeded, once: PostgreSQL keeps
    them pending until the transaction ends, and each test's teardown checks every pending one
    (``check_constraints``), which took most of a minute per test after seeding the demo."""
    from django.db import connection

    connection.check_constraints()


@pytest.fixture(scope="module")
def demo_seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (``seed_demo`` on today's date by the test clock), seeded once for the module
    that asks for it, in a transaction rolled back after the module; each test still runs in
    its own savepoint. Gives what the command printed."""
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        check_seeded_constraints()
        yield out.getvalue()
        transaction.set_rollback(True)


# The longest test files, started first: each file runs whole on one process (--dist loadfile),
# so a long file left for the end would keep one process busy while the other has finished.
LONGEST_FIRST = (
    "tests/e2e/test_accessibility.py",
    "tests/test_hostile_input.py",
    "tests/campaigns/test_demo_calendar.py",
    "tests/test_permissions.py",
    "tests/e2e/test_layout.py",
    "tests/e2e/test_awards.py",
    "tests/test_links.py",
)


def pytest_collection_modifyitems(config, items):
    rank = {path: index for index, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))
