"""Two workers dispatch the same day at the same moment: every reminder goes out once.

Needs real row locks (``SELECT ... FOR UPDATE SKIP LOCKED``) and concurrent connections, so it
runs on PostgreSQL only: SQLite locks the whole database and Django ignores
``select_for_update`` there.
"""

import datetime as dt
import threading

import pytest
from django.db import connection

from reminders.models import Delivery, DeliveryStatus, Notification, OutboxMessage
from reminders.services import limits, processing
from reminders.services.dispatch import dispatch
from tests.conftest import build_world
from tests.registrations.conftest import make_campaign

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks (SELECT ... FOR UPDATE SKIP LOCKED); SQLite has none",
    ),
]


@pytest.mark.parametrize("repeat", range(3))
def test_two_workers_at_once_send_each_reminder_once(repeat, monkeypatch):
    world = build_world()
    campaign = make_campaign(world, year=2030, deadline=dt.date(2030, 3, 31))
    campaign.receiving_department = world.department
    campaign.save()
    # Small batches, so that the two workers interleave their claims.
    monkeypatch.setattr(limits, "BATCH", 1)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            results.append(dispatch(today=dt.date(2030, 4, 1)))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    deliveries = Delivery.objects.count()
    assert deliveries == results[0].due == results[1].due
    assert sum(r.processed for r in results) == deliveries
    assert not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()
    # One email and one set of notifications per delivery, whoever processed it.
    assert (
        OutboxMessage.objects.values("delivery").distinct().count() == OutboxMessage.objects.count()
    )
    per_delivery = {}
    for delivery_id, user_id in Notification.objects.values_list("delivery_id", "user_id"):
        assert (delivery_id, user_id) not in per_delivery
        per_delivery[(delivery_id, user_id)] = True


def test_a_worker_killed_mid_batch_loses_nothing(monkeypatch):
    """The first run dies while processing: its transaction rolls back, the rows stay pending
    and the next run sends them, once."""
    world = build_world()
    make_campaign(world, year=2030, deadline=dt.date(2030, 3, 31))
    real = processing.message_for
    calls = {"n": 0}

    def dying(rule, context, cache=None):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real(rule, context, cache)

    monkeypatch.setattr(processing, "message_for", dying)
    with pytest.raises(SystemExit):
        dispatch(today=dt.date(2030, 3, 24))
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 5
    assert not OutboxMessage.objects.exists() and not Notification.objects.exists()
    monkeypatch.setattr(processing, "message_for", real)
    result = dispatch(today=dt.date(2030, 3, 24))
    assert result.created == 0 and result.processed == 5
    assert OutboxMessage.objects.count() == 5
