"""The commendation spreadsheets never run what units typed (issue 15, point 3)."""

import datetime as dt

from django.urls import reverse

from awards.services.council import session_close
from awards.services.decisions import decision_issue
from federation.models import Organization
from tests.awards.conftest import vote_all
from tests.awards.test_views import _session_with_votes
from tests.xlsx import HYPERLINK, ONE_PLUS_TWO, assert_stored_as_text


def test_nominations_and_decisions_xlsx_store_formulas_as_text(
    world, at_council, council, client_for
):
    session, n1, _n2 = _session_with_votes(world, at_council, council)
    vote_all(session, council, ["approve"] * 7)
    session_close(session=session, by=world.staff)
    n1.refresh_from_db()
    decision_issue(
        by=world.staff,
        award_type=n1.award_type,
        number=7,
        date=dt.date(2017, 12, 28),
        nominations=[n1],
        data={"signer_name": "-Lê Đình Việt"},
    )
    type(n1).objects.filter(pk=n1.pk).update(person_name=ONE_PLUS_TWO, position="+84 chủ tịch")
    Organization.objects.filter(pk=world.unit_a.pk).update(name=HYPERLINK)
    client = client_for(world.staff)
    nominations = client.get(reverse("awards:nominations-xlsx"))
    assert nominations.status_code == 200
    assert_stored_as_text(nominations.content, [ONE_PLUS_TWO, HYPERLINK, "+84 chủ tịch"])
    decisions = client.get(reverse("awards:decisions-xlsx"))
    assert decisions.status_code == 200
    assert_stored_as_text(decisions.content, [ONE_PLUS_TWO, HYPERLINK, "-Lê Đình Việt"])
