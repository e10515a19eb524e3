"""Two people act on one consolidation at the same moment: one wins, the other is told what
happened; and the services lock the consolidation they change, never the rows they only read
(the units, the phase), which every unit shares.

Needs real row locks (``SELECT ... FOR UPDATE``), so it runs on PostgreSQL only: SQLite locks the
whole database and Django ignores ``select_for_update`` there.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from consolidations import services
from consolidations.models import Consolidation
from emulation.audit import audit_history
from emulation.workflow import ReviewStatus
from federation.models import Role
from reports.services.common import opening_of
from reports.services.drafts import report_save_draft
from reports.services.transitions import report_approve, report_submit
from tests.conftest import build_world
from tests.consolidations.conftest import day
from tests.factories import make_member
from tests.locks import held_elsewhere, waits
from tests.reports.conftest import full_data, make_report_campaign, phase, register

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks (SELECT ... FOR UPDATE); SQLite has none",
    ),
]


def _race(actions) -> dict:
    """Run every action in its own thread and connection, released together."""
    barrier = threading.Barrier(len(actions))
    results: dict[str, object] = {}

    def run(name, action):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            action()
            results[name] = "ok"
        except ValidationError as exc:
            results[name] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in actions.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _world():
    """Unit A's registration and its report on phase 1 approved by the district."""
    world = build_world()
    campaign = make_report_campaign(world)
    register(campaign, world.unit_a, world.officer_a, world.leader)
    first = phase(campaign, 1)
    today = opening_of(first)
    report = report_save_draft(
        campaign=campaign,
        phase=first,
        organization=world.unit_a,
        by=world.officer_a,
        data=full_data(campaign),
        today=today,
    )
    report = report_submit(report, by=world.officer_a, today=today)
    report_approve(report, by=world.leader)
    return world, campaign


@pytest.mark.parametrize("repeat", range(3))
def test_two_officers_send_at_once(repeat):
    world, campaign = _world()
    officer_p = make_member(world.district, Role.OFFICER, "officer_p")

    def send(by):
        return lambda: services.consolidation_send(
            campaign=campaign, organization=world.district, by=by, today=day(campaign)
        )

    results = _race({"leader": send(world.leader), "officer": send(officer_p)})

    winners = [name for name, result in results.items() if result == "ok"]
    assert len(winners) == 1, results
    loser = next(result for result in results.values() if result != "ok")
    assert loser.code == "already_submitted"
    sent = Consolidation.objects.get()
    assert (sent.status, sent.sendings) == (ReviewStatus.SUBMITTED, 1)
    assert audit_history(sent).count() == 1


@pytest.mark.parametrize("repeat", range(3))
def test_approve_and_return_at_once(repeat):
    world, campaign = _world()
    sent = services.consolidation_send(
        campaign=campaign, organization=world.district, by=world.leader, today=day(campaign)
    )
    version = sent.version

    results = _race(
        {
            "approve": lambda: services.consolidation_approve(
                Consolidation.objects.get(pk=sent.pk), by=world.staff, expected_version=version
            ),
            "return": lambda: services.consolidation_return(
                Consolidation.objects.get(pk=sent.pk),
                by=world.admin,
                comment="Thiếu.",
                expected_version=version,
            ),
        }
    )

    winners = [name for name, result in results.items() if result == "ok"]
    assert len(winners) == 1, results
    loser = next(result for result in results.values() if result != "ok")
    assert loser.code == "already_handled"
    sent.refresh_from_db()
    assert sent.status == {"approve": "approved", "return": "returned"}[winners[0]]
    assert [e.action for e in audit_history(sent)] == [winners[0], "submit"]


def test_sending_and_reviewing_while_the_shared_rows_are_held():
    world, campaign = _world()
    first = phase(campaign, 1)
    shared = (world.province, world.district, world.unit_a, first)
    with held_elsewhere(*shared):
        sent = services.consolidation_send(
            campaign=campaign,
            organization=world.district,
            by=world.leader,
            phase=first,
            today=day(campaign),
        )
        # What a lock joined to the units would do: wait for the held rows.
        assert waits(Consolidation.objects.select_for_update().select_related("organization"))
        sent = services.consolidation_return(sent, by=world.staff, comment="Bổ sung.")
        sent = services.consolidation_send(
            campaign=campaign,
            organization=world.district,
            by=world.leader,
            phase=first,
            today=day(campaign),
            expected_version=sent.version,
        )
        sent = services.consolidation_approve(sent, by=world.staff)
        sent = services.consolidation_reopen(sent, by=world.staff, reason="Gửi bổ sung.")
        assert (sent.status, sent.sendings) == (ReviewStatus.DRAFT, 2)
