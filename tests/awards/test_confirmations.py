"""The acts of commendation that cannot be undone ask first, on the one confirmation page
(``emulation.confirm``): closing a council session, issuing a decision, granting a plaque. The
page says what will happen and to whom; nothing happens until it is confirmed; the refusals and
permission boundaries stay as they were."""

import datetime as dt
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import CouncilSession, Decision, Nomination, Plaque, SessionStatus, Stage
from awards.services.council import session_close, session_open
from emulation.workflow import ReviewStatus
from tests.awards.conftest import vote_all

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(unicodedata.normalize("NFC", response.content.decode()).split())


def _session(world, at_council, names=("Người Một", "Người Hai")):
    nominations = at_council(*names)
    session = session_open(
        by=world.staff,
        granting_unit=world.province,
        title="Phiên họp cuối năm",
        meeting_date=dt.date(2017, 12, 26),
        nominations=nominations,
    )
    return session, nominations


def test_closing_a_session_asks_first_with_what_will_happen(world, at_council, council, client_for):
    session, (n1, n2) = _session(world, at_council)
    vote_all(session, council[:5], ["approve"] * 5)
    close = reverse("awards:session-close", args=[session.pk])
    client = client_for(world.staff)

    response = client.post(close)
    assert response.status_code == 200
    body = text_of(response)
    assert "Kết thúc “Phiên họp cuối năm” và kiểm phiếu?" in body
    assert "5 trên 7 thành viên Hội đồng đã bỏ phiếu" in body
    assert "2 đề nghị" in body
    assert "Người Một" in body and "Người Hai" in body
    # The confirmation posts back to the same address; "cancel" goes back to the session.
    assert f'action="{close}"' in body and 'name="confirmed" value="1"' in body
    assert f'href="{session.get_absolute_url()}" data-testid="confirm-cancel"' in body
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN

    response = client.post(close, {"confirmed": "1"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    # Asked again once closed: no confirmation page, a message.
    response = client.post(close, follow=True)
    assert "Phiên họp đã kết thúc." in text_of(response)


def test_only_who_runs_the_council_is_asked(world, at_council, council, client_for):
    session, _nominations = _session(world, at_council)
    close = reverse("awards:session-close", args=[session.pk])
    for person in (world.leader, world.officer_a, council[0]):
        response = client_for(person).post(close)
        assert response.status_code in (403, 404), person
        response = client_for(person).post(close, {"confirmed": "1"})
        assert response.status_code in (403, 404), person
    assert CouncilSession.objects.get().status == SessionStatus.OPEN


def test_the_session_confirmation_costs_the_same_with_more_nominations(
    world, at_council, council, client_for
):
    def count(session):
        client = client_for(world.staff)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("awards:session-close", args=[session.pk]))
        assert response.status_code == 200
        return len(queries.captured_queries)

    small, _ = _session(world, at_council, names=("Một",))
    large, _ = _session(world, at_council, names=[f"Người {i}" for i in range(12)])
    assert count(small) == count(large)


def _decision_post(award_id, nominations, **extra):
    return {
        "award": award_id,
        "number": "45",
        "symbol": "QĐ-LĐLĐ",
        "date": "28/12/2017",
        "signer_name": "Lê Đình Việt",
        "signing_authority": "TM. BAN THƯỜNG VỤ",
        "signer_title": "CHỦ TỊCH",
        "nominations": [n.pk for n in nominations],
        **extra,
    }


def test_issuing_a_decision_asks_first_and_names_the_awardees(
    world, at_council, council, client_for
):
    session, (n1, n2) = _session(world, at_council)
    vote_all(session, council, ["approve"] * 7)
    session_close(session=session, by=world.staff)
    create = reverse("awards:decision-create") + f"?award={n1.award_type_id}"
    client = client_for(world.staff)

    response = client.post(create, _decision_post(n1.award_type_id, [n1, n2]))
    assert response.status_code == 200
    body = text_of(response)
    assert "Ban hành quyết định 45/QĐ-LĐLĐ?" in body
    assert "28/12/2017" in body and "2 trường hợp được đề nghị" in body
    assert "Lê Đình Việt" in body
    assert "Người Một" in body and "Người Hai" in body
    # Every field typed is carried by the confirmation, each value once.
    assert body.count('name="nominations"') == 2
    assert 'name="signer_name" value="Lê Đình Việt"' in body
    assert not Decision.objects.exists()
    n1.refresh_from_db()
    assert n1.stage != Stage.AWARDED

    response = client.post(create, _decision_post(n1.award_type_id, [n1, n2], confirmed="1"))
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.document_number == "45/QĐ-LĐLĐ"
    assert set(decision.nominations.all()) == {n1, n2}


def test_a_decision_form_with_errors_is_shown_again_without_asking(
    world, at_council, council, client_for
):
    session, (n1, _n2) = _session(world, at_council)
    vote_all(session, council, ["approve"] * 7)
    session_close(session=session, by=world.staff)
    create = reverse("awards:decision-create") + f"?award={n1.award_type_id}"
    client = client_for(world.staff)
    # No signer: the form says so; no awardee chosen: the service says so. No confirmation.
    for data in (
        _decision_post(n1.award_type_id, [n1], signer_name=""),
        _decision_post(n1.award_type_id, []),
    ):
        response = client.post(create, data)
        assert response.status_code == 200
        assert 'data-testid="decision-form"' in response.content.decode()
        assert "confirmation" not in response.context
    assert not Decision.objects.exists()


@pytest.fixture
def key_work(world, campaign):
    from registrations.models import KeyWork, Registration

    registration = Registration.objects.create(
        campaign=campaign, organization=world.unit_a, status=ReviewStatus.APPROVED
    )
    return KeyWork.objects.create(registration=registration, name="Nhà văn hóa công nhân")


def test_granting_a_plaque_asks_first(world, key_work, client_for):
    grant = reverse("awards:plaque-grant", args=[key_work.pk])
    client = client_for(world.staff)
    response = client.post(grant, {"note": "Chào mừng Đại hội"})
    assert response.status_code == 200
    body = text_of(response)
    assert "Quyết định gắn biển cho “Nhà văn hóa công nhân”?" in body
    assert world.unit_a.name in body and "2017" in body
    # The note typed is carried to the confirmation.
    assert 'name="note" value="Chào mừng Đại hội"' in body
    assert not Plaque.objects.exists()

    # Cancel: the link goes back to the plaques, where the work still waits.
    assert 'href="/awards/plaques/" data-testid="confirm-cancel"' in body
    page = text_of(client.get(reverse("awards:plaques")))
    assert "Nhà văn hóa công nhân" in page and not Plaque.objects.exists()

    response = client.post(grant, {"note": "Chào mừng Đại hội", "confirmed": "1"})
    assert response.status_code == 302
    assert Plaque.objects.get().note == "Chào mừng Đại hội"


def test_a_plaque_is_not_offered_to_who_may_not_grant_it(world, key_work, client_for):
    grant = reverse("awards:plaque-grant", args=[key_work.pk])
    for person in (world.leader, world.officer_a, world.officer_b):
        assert client_for(person).post(grant).status_code in (403, 404), person
    assert not Plaque.objects.exists()
    assert not Nomination.objects.exists()
