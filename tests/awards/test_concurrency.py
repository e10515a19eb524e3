"""Two reviewers endorse the same nomination at the same moment: the row lock serialises them,
one forwards it, the other is told it was already handled, and exactly one endorsement is
recorded. Needs PostgreSQL (SQLite has no row locks and serialises whole transactions)."""

import threading

import pytest
from django.db import connection

from awards.models import Endorsement, Nomination
from awards.services.nominations import nomination_create
from awards.services.review import nomination_endorse, nomination_submit
from federation.models import Role
from tests.conftest import build_world
from tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite serialises whole "
    "transactions, so the race cannot happen there",
)
def test_two_endorsements_at_once_forward_it_once():
    from awards.models import AwardType, NomineeKind
    from campaigns.models import Campaign, CampaignStatus
    from tests.awards.conftest import add_dossier, person

    world = build_world()
    second_leader = make_member(world.district, Role.LEADER, "leader2")
    campaign = Campaign.objects.create(
        issuer=world.province,
        year=2017,
        title="Thi đua 2017",
        slug="2017",
        status=CampaignStatus.ACTIVE,
    )
    award = AwardType.objects.create(
        name="Bằng khen",
        certificate_title="BẰNG KHEN",
        category="form",
        nominee_kind=NomineeKind.INDIVIDUAL,
        granting_unit=world.province,
        required_documents="Tờ trình",
    )
    n = nomination_create(
        by=world.officer_a,
        campaign=campaign,
        award_type=award,
        nominating_unit=world.unit_a,
        data=person("Trần Thị Lan", world.unit_a),
    )
    add_dossier(n, world.officer_a)
    n = nomination_submit(nomination=n, by=world.officer_a)

    barrier = threading.Barrier(2)
    results = []

    def endorse(user):
        try:
            seen = Nomination.objects.get(pk=n.pk)  # each reviewer's page
            barrier.wait(timeout=10)
            nomination_endorse(nomination=seen, by=user)
            results.append("ok")
        except Exception as exc:  # the loser's refusal is the point of the test
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=endorse, args=(u,)) for u in (world.leader, second_leader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert results.count("ok") == 1, results
    (refusal,) = [r for r in results if r != "ok"]
    from django.core.exceptions import ValidationError

    assert isinstance(refusal, ValidationError), refusal
    assert Endorsement.objects.filter(nomination=n).count() == 1
    n.refresh_from_db()
    assert n.current_level == world.province
