"""seed_demo fills commendation at every stage, and a second run changes nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from awards.models import (
    AwardType,
    CouncilSession,
    Decision,
    ExemplaryModel,
    Nomination,
    SessionStatus,
    Stage,
)

pytestmark = pytest.mark.django_db


def counts():
    return (
        AwardType.objects.count(),
        Nomination.objects.count(),
        CouncilSession.objects.count(),
        Decision.objects.count(),
        ExemplaryModel.objects.count(),
    )


def test_the_demo_has_every_stage_and_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    stages = {n.stage for n in Nomination.objects.select_related("award_type")}
    assert stages == set(Stage.values)
    # 2017's session is closed; this year's is open for votes until after today.
    assert "2017" in CouncilSession.objects.get(status=SessionStatus.CLOSED).title
    assert CouncilSession.objects.get(status=SessionStatus.OPEN).meeting_date > timezone.localdate()
    decision = Decision.objects.get()
    assert decision.document_number == "45/QĐ-LĐLĐ" and decision.nominations.count() == 2
    assert ExemplaryModel.objects.filter(status="published").count() == 3
    names = set(AwardType.objects.values_list("name", flat=True))
    assert {"Cờ thi đua của LĐLĐ tỉnh", "Bằng khen của Tổng LĐLĐ Việt Nam"} <= names
    assert {"Đoàn viên công đoàn xuất sắc", "Công đoàn cơ sở vững mạnh"} <= names
    for username in ("hoidong1", "hoidong2", "hoidong3"):
        user = get_user_model().objects.get(username=username)
        assert user.check_password("thidua2017")
        assert user.memberships.get().role == "council"
    # The council counts on its whole membership: two attend, the third gives a written opinion.
    session = CouncilSession.objects.get(status=SessionStatus.CLOSED)  # 2017's
    assert session.council.members.count() == 3 and session.member_count == 3
    assert sorted(session.members.values_list("attended", "written_opinion")) == [
        (False, True),
        (True, False),
        (True, False),
    ]
    nurse = session.items.get(nomination__person_name="Đỗ Thị Hạnh")
    assert (nurse.approve_count, nurse.approve_percent, nurse.result) == (2, 66.7, "rejected")
    # The eligibility rules at work: Lan's history is met by an earlier award recorded in it,
    # Bình's only warns; the draft has not declared the exclusions, the others have.
    from awards.eligibility import eligibility_check

    def states(name):
        n = Nomination.objects.get(person_name=name)
        return {f"{c.rule.kind}:{c.rule.position}": c.status for c in eligibility_check(n)}

    lan, binh = states("Trần Thị Lan"), states("Nguyễn Văn Bình")
    assert lan["history:5"] == "met" and binh["history:5"] == "not_met"
    assert lan["same_level:4"] == "met"
    assert {v for k, v in lan.items() if k.startswith("declaration")} == {"declared"}
    draft = (
        Nomination.objects.filter(status="draft", award_type__rules__kind="declaration")
        .distinct()
        .first()
    )
    assert "not_met" in {c.status for c in eligibility_check(draft)}
    # The quota of Bằng khen: at most 4 sent up by each unit, shown with what is used and left.
    from awards.quotas import quota_uses

    lan = Nomination.objects.get(person_name="Trần Thị Lan")
    (use,) = quota_uses(lan, lan.nominating_unit)
    assert (use.limit, use.used) == (4, 0)
    # Reward money: 1.0 × the base salary of 28/12/2017 (1,300,000 đồng) for each of the two.
    from awards.rewards import decision_payments

    payments = decision_payments(decision, list(decision.nominations.all()))
    assert [p.amount for p in payments.rows] == [1_300_000, 1_300_000]
    assert payments.total == 2_600_000
    # A highest individual title passes at 90 % of the council; its initiatives rule is not met
    # by Nam's draft (none recorded), and is met for Hùng, whose decision is attached.
    from awards.models import Initiative, InitiativeFile

    fighter = AwardType.objects.get(name="Chiến sĩ thi đua cơ sở")
    assert fighter.highest_title and fighter.approval_threshold == 90
    nam = states("Hoàng Văn Nam")
    assert [v for k, v in nam.items() if k.startswith("initiatives")] == ["not_met"]
    assert Initiative.objects.filter(person_name="Trần Văn Hùng").count() == 2
    assert InitiativeFile.objects.get().initiative.person_name == "Trần Văn Hùng"
    assert not Initiative.objects.filter(recognised_on__gt=timezone.localdate()).exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first and Initiative.objects.count() == 3
