"""Two reviewers act on one registration at the same moment: one wins, the other is told that
it was already handled, and the registration holds the winner's decision and one audit entry.

Needs real row locks (``SELECT ... FOR UPDATE``), so it runs on PostgreSQL only: SQLite locks the
whole database and Django ignores ``select_for_update`` there.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from emulation.audit import audit_history
from emulation.workflow import ReviewStatus
from registrations import services
from registrations.models import Registration
from tests.conftest import build_world
from tests.registrations.conftest import make_campaign, registration_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks (SELECT ... FOR UPDATE); SQLite has none",
    ),
]


def _race(registration, actions):
    """Run every action in its own thread and connection, released together."""
    barrier = threading.Barrier(len(actions))
    results: dict[str, object] = {}

    def run(name, action):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            action(Registration.objects.get(pk=registration.pk))
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


@pytest.mark.parametrize("repeat", range(3))
def test_approve_and_return_at_once(repeat):
    world = build_world()
    campaign = make_campaign(world)
    registration = services.registration_save_draft(
        campaign=campaign,
        organization=world.unit_a,
        by=world.officer_a,
        data=registration_data(campaign),
    )
    registration = services.registration_submit(registration, by=world.officer_a)
    version = registration.version

    results = _race(
        registration,
        {
            "approve": lambda r: services.registration_approve(
                r, by=world.leader, expected_version=version
            ),
            "return": lambda r: services.registration_return(
                r, by=world.staff, comment="Bổ sung chỉ tiêu.", expected_version=version
            ),
        },
    )

    winners = [name for name, result in results.items() if result == "ok"]
    losers = [result for result in results.values() if result != "ok"]
    assert len(winners) == 1, results
    assert len(losers) == 1 and losers[0].code == "already_handled", results
    registration.refresh_from_db()
    expected = ReviewStatus.APPROVED if winners == ["approve"] else ReviewStatus.RETURNED
    assert registration.status == expected
    assert registration.version == version + 1
    decisions = [e.action for e in audit_history(registration) if e.action in ("approve", "return")]
    assert decisions == winners


def test_two_bulk_approvals_at_once_approve_each_registration_once():
    world = build_world()
    campaign = make_campaign(world)
    items = []
    for unit, officer in ((world.unit_a, world.officer_a), (world.unit_b, world.officer_b)):
        registration = services.registration_save_draft(
            campaign=campaign, organization=unit, by=officer, data=registration_data(campaign)
        )
        registration = services.registration_submit(registration, by=officer)
        items.append((registration.pk, registration.version))

    outcomes = {}

    def bulk(name, user):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            outcomes[name] = services.registrations_bulk_approve(items=items, by=user)
        finally:
            connections.close_all()

    barrier = threading.Barrier(2)
    threads = [
        threading.Thread(target=bulk, args=("leader", world.leader)),
        threading.Thread(target=bulk, args=("staff", world.staff)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    approved = sum(len(result.approved) for result in outcomes.values())
    skipped = sum(len(result.skipped) for result in outcomes.values())
    assert (approved, skipped) == (2, 2)
    assert Registration.objects.filter(status=ReviewStatus.APPROVED).count() == 2
