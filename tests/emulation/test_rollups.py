"""The shared branch counters: an upsert that adds, on SQLite and on PostgreSQL."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, models, transaction

from emulation import rollups


class Counter(models.Model):
    branch = models.CharField(max_length=40)
    label = models.CharField(max_length=20)
    units = models.IntegerField(db_default=0)
    amount = models.DecimalField(max_digits=18, decimal_places=2, db_default=0)

    class Meta:
        app_label = "emulation"
        db_table = "test_rollup_counter"
        constraints = [models.UniqueConstraint(fields=["branch", "label"], name="test_rollup_key")]

    def __str__(self):
        return f"{self.branch} {self.label}"


@pytest.fixture
def counter_table(transactional_db):
    with connection.schema_editor() as editor:
        editor.create_model(Counter)
    yield Counter
    with connection.schema_editor() as editor:
        editor.delete_model(Counter)


def totals():
    return {
        (c.branch, c.label): (c.units, c.amount)
        for c in Counter.objects.order_by("branch", "label")
    }


def test_branch_paths():
    assert rollups.branch_paths("0001000A0003", 4) == ["0001", "0001000A", "0001000A0003"]
    assert rollups.branch_paths("", 4) == []


def test_add_creates_then_adds_and_merges_duplicates(counter_table):
    paths = rollups.branch_paths("000100020003", 4)
    rows = [
        {"branch": p, "label": "approved", "units": 1, "amount": Decimal("2.50")} for p in paths
    ]
    assert rollups.add(Counter, rows, keys=["branch", "label"], sums=["units", "amount"]) == 3
    # The same keys twice in one call are merged (PostgreSQL refuses to touch a row twice).
    twice = rows[:1] * 2 + [{"branch": "0001", "label": "draft", "units": 0, "amount": 0}]
    rollups.add(Counter, twice, keys=["branch", "label"], sums=["units", "amount"])
    # A move between statuses: -1 on one label, +1 on the other.
    moves = [{"branch": p, "label": "approved", "units": -1} for p in paths] + [
        {"branch": p, "label": "returned", "units": 1} for p in paths
    ]
    rollups.add(Counter, moves, keys=["branch", "label"], sums=["units", "amount"])
    assert totals() == {
        ("0001", "approved"): (2, Decimal("7.50")),
        ("0001", "returned"): (1, Decimal("0.00")),
        ("00010002", "approved"): (0, Decimal("2.50")),
        ("00010002", "returned"): (1, Decimal("0.00")),
        ("000100020003", "approved"): (0, Decimal("2.50")),
        ("000100020003", "returned"): (1, Decimal("0.00")),
    }
    # Nothing to add writes nothing.
    assert rollups.add(Counter, [], keys=["branch", "label"], sums=["units"]) == 0


def test_add_in_batches(counter_table, monkeypatch):
    monkeypatch.setattr(rollups, "BATCH", 7)
    rows = [{"branch": f"{i:04d}", "label": "x", "units": i + 1} for i in range(30)]
    assert rollups.add(Counter, rows, keys=["branch", "label"], sums=["units"]) == 30
    rollups.add(Counter, rows, keys=["branch", "label"], sums=["units"])
    assert Counter.objects.count() == 30
    assert sum(Counter.objects.values_list("units", flat=True)) == 2 * sum(range(1, 31))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_adds_lose_nothing(counter_table):
    paths = rollups.branch_paths("000100020003", 4)
    errors = []

    def work():
        try:
            for _ in range(20):
                with transaction.atomic():
                    rollups.add(
                        Counter,
                        [{"branch": p, "label": "n", "units": 1} for p in reversed(paths)],
                        keys=["branch", "label"],
                        sums=["units"],
                    )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(Counter.objects.values_list("units", flat=True)) == {80}
