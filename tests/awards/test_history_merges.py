"""The award history across reorganisation: the awards of a unit merged into another are shown
under its successor, marked with the former name, to those who see the successor."""

import datetime as dt

import pytest
from django.urls import reverse

from awards.models import Decision, Nomination, NomineeKind, Occasion
from awards.selectors import award_history
from emulation.workflow import ReviewStatus
from federation.services.units import organization_merge
from tests.factories import make_member, make_unit

pytestmark = pytest.mark.django_db


def awarded(world, campaign, award, unit, name):
    decision = Decision.objects.create(
        issuer=world.province,
        award_type=award,
        number=Decision.objects.count() + 1,
        symbol="QĐ-LĐLĐ",
        date=dt.date(2016, 12, 28),
        signer_name="Lê Đình Việt",
    )
    return Nomination.objects.create(
        campaign=campaign,
        award_type=award,
        nominating_unit=unit,
        occasion=Occasion.YEAR_END,
        nominee_kind=NomineeKind.INDIVIDUAL,
        nominee_unit=unit,
        person_name=name,
        achievement="Thành tích.",
        current_level=world.province,
        status=ReviewStatus.APPROVED,
        council_result="approved",
        decision=decision,
    )


def test_a_merged_units_awards_live_on_under_its_successor(world, campaign, awards, client_for):
    from federation.models import OrganizationKind, Role

    # A unit of another branch (district Q), merged into unit A, then merged again.
    old = make_unit(
        "NB-Q-OLD", "Công đoàn cơ sở Nhà máy Cũ", OrganizationKind.GRASSROOTS, world.district_q
    )
    older = make_unit(
        "NB-Q-OLDER", "Công đoàn cơ sở Xí nghiệp Xưa", OrganizationKind.GRASSROOTS, world.district_q
    )
    awarded(world, campaign, awards["person"], old, "Phạm Văn Cũ")
    awarded(world, campaign, awards["person"], older, "Lê Thị Xưa")
    awarded(world, campaign, awards["person"], world.unit_b, "Người Bêta")
    organization_merge(source=older, target=old, by=world.admin)
    organization_merge(source=old, target=world.unit_a, by=world.admin)

    names = set(award_history(world.officer_a).values_list("person_name", flat=True))
    assert names == {"Phạm Văn Cũ", "Lê Thị Xưa"}
    names = set(
        award_history(world.officer_a, unit=world.unit_a).values_list("person_name", flat=True)
    )
    assert names == {"Phạm Văn Cũ", "Lê Thị Xưa"}
    # Officer B sees neither.
    assert set(award_history(world.officer_b).values_list("person_name", flat=True)) == {
        "Người Bêta"
    }
    body = client_for(world.officer_a).get(reverse("awards:history")).content.decode()
    assert "(trước đây là Công đoàn cơ sở Nhà máy Cũ)" in body
    assert "(trước đây là Công đoàn cơ sở Xí nghiệp Xưa)" in body
    leader = make_member(world.district_q, Role.LEADER, "leaderq")
    assert "Phạm Văn Cũ" in set(award_history(leader).values_list("person_name", flat=True))


def test_the_history_chain_of_an_award_counts_the_units_merged_into_the_nominee(
    world, campaign, awards, nominate
):
    """“The award the year before”: the collective award of a unit merged (through another
    merged unit) into unit A counts for unit A; a unit not merged into A does not."""
    from awards.eligibility import Status, eligibility_check
    from awards.models import EligibilityRule, RuleKind
    from federation.models import OrganizationKind

    collective = awards["collective"]
    rule = EligibilityRule.objects.create(
        award_type=collective, kind=RuleKind.HISTORY, label="Bằng khen tập thể năm trước"
    )
    rule.prior_awards.set([collective])
    old = make_unit(
        "NB-Q-OLD", "Công đoàn cơ sở Nhà máy Cũ", OrganizationKind.GRASSROOTS, world.district_q
    )
    older = make_unit(
        "NB-Q-OLDER", "Công đoàn cơ sở Xí nghiệp Xưa", OrganizationKind.GRASSROOTS, world.district_q
    )
    last_year = campaign.__class__.objects.create(
        issuer=world.province, year=2016, slug="2016-thi-dua", title="Thi đua 2016", number=1
    )
    for unit in (older, world.unit_b):
        n = awarded(world, last_year, collective, unit, "")
        n.nominee_kind = NomineeKind.COLLECTIVE
        n.save()
    n = nominate(award="collective", dossier=True)

    def status():
        (check,) = eligibility_check(Nomination.objects.get(pk=n.pk))
        return check.status, " ".join(check.evidence)

    assert status()[0] == Status.NOT_MET
    organization_merge(source=older, target=old, by=world.admin)
    assert status()[0] == Status.NOT_MET  # merged, but not into unit A
    organization_merge(source=old, target=world.unit_a, by=world.admin)
    state, evidence = status()
    assert state == Status.MET and "2016" in evidence and collective.name in evidence
