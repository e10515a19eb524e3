"""Every step of a nomination, from the draft to the decision, runs while someone else holds the
rows all units share (the campaign, the award type, the granting unit, the units on the way):
the services lock the nomination, the session or the key work they change, never the rows they
join. Needs PostgreSQL (see ``tests/locks.py``)."""

import datetime as dt

import pytest

from awards.models import Nomination, Stage
from awards.services.council import session_close, session_open
from awards.services.decisions import decision_issue
from awards.services.nominations import nomination_create, nomination_delete, nomination_update
from awards.services.review import nomination_endorse, nomination_return, nomination_submit
from tests.awards.conftest import add_dossier, person, vote_all
from tests.locks import held_elsewhere, postgresql_only, waits

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def test_a_nomination_goes_from_draft_to_decision_while_the_shared_rows_are_held(
    world, campaign, awards, council
):
    award = awards["person"]
    draft = nomination_create(
        by=world.officer_a,
        campaign=campaign,
        award_type=award,
        nominating_unit=world.unit_a,
        data=person("Nguyễn Văn An", world.unit_a),
    )
    shared = (campaign, award, world.province, world.district, world.unit_a)
    with held_elsewhere(*shared):
        # What the services did before: a joined SELECT ... FOR UPDATE waits for the held rows.
        assert waits(
            Nomination.objects.select_for_update()
            .select_related("campaign", "award_type__granting_unit", "nominating_unit")
            .filter(pk=draft.pk)
        )
        n = nomination_create(
            by=world.officer_a,
            campaign=campaign,
            award_type=award,
            nominating_unit=world.unit_a,
            data=person("Trần Thị Lan", world.unit_a),
        )
        n = nomination_update(
            nomination=n, by=world.officer_a, data={"position": "Tổ trưởng công đoàn"}
        )
        add_dossier(n, world.officer_a)
        n = nomination_submit(nomination=n, by=world.officer_a)
        n = nomination_return(nomination=n, by=world.leader, comment="Bổ sung.")
        n = nomination_submit(nomination=n, by=world.officer_a)
        n = nomination_endorse(nomination=n, by=world.leader, comment="Đồng ý.")
        assert n.stage == Stage.AT_COUNCIL
        session = session_open(
            by=world.staff,
            granting_unit=world.province,
            title="Phiên họp",
            meeting_date=dt.date(2017, 12, 26),
            nominations=[n],
        )
        vote_all(session, council, ["approve"] * 7)
        session_close(session=session, by=world.staff)
        decision = decision_issue(
            by=world.staff,
            award_type=award,
            number=45,
            date=dt.date(2017, 12, 28),
            nominations=[n],
            data={"signer_name": "Lê Đình Việt"},
        )
        nomination_delete(nomination=draft, by=world.officer_a)
    n.refresh_from_db()
    assert n.decision == decision and n.stage == Stage.AWARDED
