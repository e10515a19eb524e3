"""``emulation.sql``: instances read in plain SQL equal those the ORM reads."""

import datetime as dt

import pytest

from emulation import sql
from federation.models import Organization
from reports.models import Indicator, ReportingWindow
from tests.reports.conftest import make_report_campaign


def _same(model, mine, theirs):
    names = [f.attname for f in model._meta.concrete_fields]
    assert [[getattr(o, n) for n in names] for o in mine] == [
        [getattr(o, n) for n in names] for o in theirs
    ]
    for a, b in zip(mine, theirs, strict=True):
        for n in names:
            assert type(getattr(a, n)) is type(getattr(b, n)), n


def test_instances_convert_like_the_orm(world):
    units = sql.instances(Organization, "t.path LIKE %s", [world.province.path + "%"], "t.path")
    _same(
        Organization,
        units,
        list(Organization.objects.filter(path__startswith=world.province.path).order_by("path")),
    )
    assert all(isinstance(u.is_active, bool) for u in units)
    assert all(not u._state.adding for u in units)
    # The instances work as instances: a relation is read on demand, a save updates.
    unit = units[1]
    unit.name = unit.name + " (mới)"
    unit.save(update_fields=["name"])
    assert Organization.objects.get(pk=unit.pk).name.endswith("(mới)")


def test_instances_with_dates_and_booleans(world):
    campaign = make_report_campaign(world)
    phase = campaign.phases.order_by("start").first()
    ReportingWindow.objects.create(phase=phase, opens_on=dt.date(2017, 6, 1))
    windows = sql.instances(ReportingWindow, "t.phase_id = %s", [phase.pk], "t.id")
    _same(ReportingWindow, windows, list(ReportingWindow.objects.filter(phase=phase)))
    assert windows[0].opens_on == dt.date(2017, 6, 1)
    indicators = sql.instances(Indicator, "t.campaign_id = %s", [campaign.pk], "t.position, t.id")
    _same(Indicator, indicators, list(Indicator.objects.filter(campaign=campaign)))
    assert indicators and all(isinstance(i.whole_numbers, bool) for i in indicators)


def test_placeholders_and_prefetched(world):
    assert sql.placeholders([1, 2, 3]) == "%s, %s, %s"
    assert sql.fetch("SELECT %s + %s", [2, 3])[0][0] == 5
    province = world.province
    children = list(
        Organization.objects.filter(path__startswith=province.path, depth=province.depth + 1)
    )
    sql.set_prefetched(province, "children_for_test", Organization, children)
    assert list(province._prefetched_objects_cache["children_for_test"]) == children


def test_deferred_fields_are_read_when_used(world):
    defer = ("search_key", "created_at", "updated_at")
    (unit,) = sql.instances(Organization, "t.id = %s", [world.province.pk], "t.id", defer=defer)
    assert unit.get_deferred_fields() == set(defer)
    assert unit.name == world.province.name
    expected = Organization.objects.get(pk=unit.pk)
    assert unit.created_at == expected.created_at  # read from the database on first use
    assert sql.fields(Organization, defer) == [
        f for f in Organization._meta.concrete_fields if f.attname not in defer
    ]


def test_union_all_gives_each_reads_rows(world):
    province = world.province
    parts = [
        ("SELECT id, name FROM federation_organization WHERE id = %s", [province.pk]),
        ("SELECT id, name FROM federation_organization WHERE id = %s", [-1]),
        (
            "SELECT COUNT(*), MIN(name) FROM federation_organization WHERE path LIKE %s",
            [province.path + "%"],
        ),
    ]
    own, none, subtree = sql.union_all(parts)
    assert own == [(province.pk, province.name)]
    assert none == []
    units = Organization.objects.filter(path__startswith=province.path)
    assert subtree == [(units.count(), min(u.name for u in units))]


def test_union_all_pads_narrower_reads_and_gives_their_rows_back_at_their_width(world):
    province = world.province
    # Two narrow reads before the wide one: on PostgreSQL their padding NULLs alone would make
    # text columns that the wide read's integers cannot join.
    parts = [
        ("SELECT id, name FROM federation_organization WHERE id = %s", [province.pk], 2),
        ("SELECT id, name FROM federation_organization WHERE id = %s", [province.pk], 2),
        (
            "SELECT id, name, depth, numchild FROM federation_organization WHERE id = %s",
            [province.pk],
            4,
        ),
        ("SELECT id, name, depth, numchild FROM federation_organization WHERE id = %s", [-1]),
    ]
    narrow, again, wide, none = sql.union_all(parts)
    assert narrow == again == [(province.pk, province.name)]
    assert wide == [(province.pk, province.name, province.depth, province.numchild)]
    assert none == []


def test_the_row_memo_reads_once_per_version_and_drops_the_oldest(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    memo = sql.RowMemo(size=2)
    read = ("SELECT name FROM federation_organization WHERE id = %s", [world.province.pk])
    with CaptureQueriesContext(connection) as queries:
        assert memo.fetch(1, *read) == [(world.province.name,)]
        assert memo.fetch(1, *read) == [(world.province.name,)]  # kept
    assert len(queries) == 1
    Organization.objects.filter(pk=world.province.pk).update(name="Tên mới")
    assert memo.fetch(1, *read) == [(world.province.name,)]  # same version: the kept rows
    assert memo.fetch(2, *read) == [("Tên mới",)]  # a new version reads again
    memo.fetch(3, *read)  # a third version: the least recently used (1) is dropped
    with CaptureQueriesContext(connection) as queries:
        memo.fetch(2, *read)
        memo.fetch(1, *read)
    assert len(queries) == 1


def test_a_prepared_read_gives_the_rows_of_the_plain_read(world):
    from django.db import connection

    read = (
        "SELECT id, name FROM federation_organization WHERE path LIKE %s AND depth >= %s"
        " ORDER BY path",
        [world.province.path + "%", 1],
    )
    held = getattr(connection, "_prepared_statements", (None, set()))
    before = set(held[1]) if held[0] is connection.connection else set()
    plain = sql.fetch(*read)
    assert plain
    assert sql.fetch(*read, prepare=True) == plain  # prepared, then executed
    assert sql.fetch(*read, prepare=True) == plain  # executed by name
    assert sql.fetch("SELECT COUNT(*) FROM federation_organization", [], prepare=True) == [
        (Organization.objects.count(),)
    ]
    if connection.vendor == "postgresql":
        _session, names = connection._prepared_statements
        assert len(names - before) == 2


@pytest.mark.django_db(transaction=True)
def test_prepared_statements_outlive_a_rollback_and_a_new_session_prepares_again():
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL prepares; other databases read plainly")
    read = ("SELECT %s::int + 1", [41])
    with pytest.raises(RuntimeError), transaction.atomic():
        assert sql.fetch(*read, prepare=True) == [(42,)]
        raise RuntimeError  # rolled back: the prepared statement stays in the session
    assert sql.fetch(*read, prepare=True) == [(42,)]
    connection.close()  # a new session knows none of them
    assert sql.fetch(*read, prepare=True) == [(42,)]
    assert len(connection._prepared_statements[1]) == 1


def test_a_connection_holds_a_bounded_number_of_prepared_statements(world, monkeypatch):
    from django.db import connection

    monkeypatch.setattr(sql, "MAX_PREPARED", 3)
    for number in range(7):
        assert sql.fetch(f"SELECT {number} + %s", [1], prepare=True) == [(number + 1,)]
    if connection.vendor == "postgresql":
        assert len(connection._prepared_statements[1]) <= 3


def test_prepared_statements_can_be_turned_off(world, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PREPARED_STATEMENTS = False
    with CaptureQueriesContext(connection) as read:
        assert sql.fetch("SELECT 40 + %s", [2], prepare=True) == [(42,)]
    assert [q["sql"].split()[0] for q in read] == ["SELECT"]


def test_fragments_keep_the_newest():
    from emulation.html import Fragments

    kept = Fragments(size=2)
    assert kept.get("a") is None
    assert kept.put("a", "<a>") == "<a>"
    kept.put("b", "<b>")
    kept.put("c", "<c>")  # drops a, the oldest
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (None, "<b>", "<c>")
    kept.clear()
    assert kept.get("b") is None
