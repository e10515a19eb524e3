"""Eligibility rules on the award type, each met and not met: the campaign's registration, a
chain of earlier awards read from the award history (decisions and recorded earlier awards),
the exclusions the nominating unit declares, and the same-level rule. A blocking rule stops the
submission and the endorsement; a warning does not."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards.eligibility import Status, eligibility_check
from awards.models import (
    AwardScope,
    AwardType,
    Decision,
    EligibilityRule,
    Nomination,
    NomineeKind,
    Occasion,
    PriorAward,
    RuleKind,
    RuleSeverity,
)
from awards.services.eligibility import nomination_declare, prior_award_record
from awards.services.review import nomination_endorse, nomination_submit
from campaigns.models import Campaign, CampaignStatus
from emulation.workflow import ReviewStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date(2017, 12, 1)


def rule(award, kind, label, severity=RuleSeverity.BLOCK, prior=(), years=1):
    made = EligibilityRule.objects.create(
        award_type=award, kind=kind, label=label, severity=severity, years=years
    )
    made.prior_awards.set(prior)
    return made


def status_of(nomination):
    nomination.refresh_from_db()
    return {c.rule.label: (c.status, " ".join(c.evidence)) for c in eligibility_check(nomination)}


def awarded_in(world, award, year, name="Trần Thị Lan", number=7):
    """A nomination of ``year``'s campaign, awarded by a decision of this system."""
    campaign, _ = Campaign.objects.get_or_create(
        issuer=world.province,
        year=year,
        slug=f"{year}-thi-dua",
        defaults={"title": f"Thi đua năm {year}", "number": 1, "status": CampaignStatus.CLOSED},
    )
    decision = Decision.objects.create(
        issuer=world.province,
        award_type=award,
        number=number,
        symbol="QĐ-LĐLĐ",
        date=dt.date(year, 12, 28),
        signer_name="Lê Đình Việt",
    )
    return Nomination.objects.create(
        campaign=campaign,
        award_type=award,
        nominating_unit=world.unit_a,
        occasion=Occasion.YEAR_END,
        nominee_kind=NomineeKind.INDIVIDUAL,
        nominee_unit=world.unit_a,
        person_name=name,
        achievement="Thành tích.",
        current_level=world.province,
        status=ReviewStatus.APPROVED,
        council_result="approved",
        decision=decision,
    )


def test_registration_rule_met_and_not_met(world, nominate, campaign, awards):
    from registrations.models import Registration

    rule(awards["person"], RuleKind.REGISTRATION, "Đăng ký thi đua")
    n = nominate(dossier=True)
    assert status_of(n)["Đăng ký thi đua"][0] == Status.NOT_MET
    with pytest.raises(ValidationError, match="Đăng ký thi đua"):
        nomination_submit(nomination=n, by=world.officer_a)
    Registration.objects.create(
        campaign=campaign, organization=world.unit_a, status=ReviewStatus.APPROVED
    )
    assert status_of(n)["Đăng ký thi đua"][0] == Status.MET
    assert nomination_submit(nomination=n, by=world.officer_a).status == ReviewStatus.SUBMITTED


def test_a_history_chain_of_the_previous_year_from_a_decision(world, nominate, awards):
    bk = awards["person"]
    rule(awards["person"], RuleKind.HISTORY, "Bằng khen LĐLĐ tỉnh năm trước", prior=[bk])
    n = nominate(dossier=True)
    state, evidence = status_of(n)["Bằng khen LĐLĐ tỉnh năm trước"]
    assert state == Status.NOT_MET and "2016" in evidence
    # An award of 2015 or of another person does not count.
    awarded_in(world, bk, 2015, number=1)
    awarded_in(world, bk, 2016, name="Người Khác", number=2)
    assert status_of(n)["Bằng khen LĐLĐ tỉnh năm trước"][0] == Status.NOT_MET
    awarded_in(world, bk, 2016, number=3)
    state, evidence = status_of(n)["Bằng khen LĐLĐ tỉnh năm trước"]
    assert state == Status.MET and "03/QĐ-LĐLĐ" in evidence


def test_two_years_in_a_row_needs_both_years(world, nominate, awards):
    """“Hoàn thành xuất sắc nhiệm vụ” two years in a row: 2016 from a decision, 2015 recorded
    in the history from an earlier decision."""
    htxs = AwardType.objects.create(
        name="Hoàn thành xuất sắc nhiệm vụ",
        certificate_title="GIẤY CHỨNG NHẬN",
        category="title",
        nominee_kind=NomineeKind.INDIVIDUAL,
        granting_unit=world.province,
    )
    rule(awards["person"], RuleKind.HISTORY, "HTXSNV hai năm liền", prior=[htxs], years=2)
    n = nominate(dossier=True)
    awarded_in(world, htxs, 2016)
    state, evidence = status_of(n)["HTXSNV hai năm liền"]
    assert state == Status.NOT_MET
    assert "2015: không có" in evidence and "2016: Hoàn thành xuất sắc nhiệm vụ" in evidence
    with pytest.raises(ValidationError, match="HTXSNV hai năm liền"):
        nomination_submit(nomination=n, by=world.officer_a)
    prior_award_record(
        by=world.officer_a,
        nominee_kind=NomineeKind.INDIVIDUAL,
        nominee_unit=world.unit_a,
        person_name="  Trần   Thị Lan ",
        award_type=htxs,
        year=2015,
        reference="12/QĐ-LĐLĐ ngày 20/12/2015",
        today=TODAY,
    )
    state, evidence = status_of(n)["HTXSNV hai năm liền"]
    assert state == Status.MET and "12/QĐ-LĐLĐ ngày 20/12/2015" in evidence
    assert nomination_submit(nomination=n, by=world.officer_a).status == ReviewStatus.SUBMITTED


def test_recording_an_earlier_award_is_checked(world, awards):
    bk = awards["person"]
    fields = {
        "nominee_kind": NomineeKind.INDIVIDUAL,
        "nominee_unit": world.unit_a,
        "person_name": "Trần Thị Lan",
        "award_type": bk,
        "year": 2016,
        "reference": "45/QĐ-LĐLĐ",
        "today": TODAY,
    }
    with pytest.raises(PermissionDenied):
        prior_award_record(by=world.officer_b, **fields)
    for bad, field in (
        ({"year": 2018}, "year"),
        ({"reference": " "}, "reference"),
        ({"person_name": ""}, "person_name"),
    ):
        with pytest.raises(ValidationError) as exc:
            prior_award_record(by=world.officer_a, **{**fields, **bad})
        assert field in exc.value.error_dict
    prior_award_record(by=world.officer_a, **fields)
    with pytest.raises(ValidationError, match="đã có"):
        prior_award_record(by=world.staff, **fields)
    assert PriorAward.objects.count() == 1


def test_declared_exclusions_are_declared_or_not_met(world, nominate, awards):
    labels = [
        "Không bị kỷ luật từ khiển trách trở lên",
        "Không đang bị thanh tra, kiểm tra, khiếu nại",
        "Không nghỉ từ 40 ngày làm việc trở lên (trừ nghỉ thai sản)",
        "Được tuyển dụng từ 10 tháng trở lên",
    ]
    rules = [rule(awards["person"], RuleKind.DECLARATION, label) for label in labels]
    n = nominate(dossier=True)
    assert {s for s, _ in status_of(n).values()} == {Status.NOT_MET}
    with pytest.raises(PermissionDenied):
        nomination_declare(nomination=n, by=world.officer_b, rules=[r.pk for r in rules])
    nomination_declare(nomination=n, by=world.officer_a, rules=[r.pk for r in rules[:3]])
    states = status_of(n)
    assert [states[label][0] for label in labels] == [Status.DECLARED] * 3 + [Status.NOT_MET]
    assert world.officer_a.full_name in states[labels[0]][1]
    with pytest.raises(ValidationError, match="10 tháng"):
        nomination_submit(nomination=n, by=world.officer_a)
    nomination_declare(nomination=n, by=world.officer_a, rules=[r.pk for r in rules])
    n = nomination_submit(nomination=n, by=world.officer_a)
    # Once sent up, the declarations are fixed.
    with pytest.raises(ValidationError):
        nomination_declare(nomination=n, by=world.officer_a, rules=[])


def test_the_same_level_rule(world, nominate, awards, campaign):
    thematic = AwardType.objects.create(
        name="Bằng khen chuyên đề “Xanh - Sạch - Đẹp”",
        certificate_title="BẰNG KHEN",
        category="form",
        nominee_kind=NomineeKind.INDIVIDUAL,
        granting_unit=world.province,
        scope=AwardScope.THEMATIC,
        required_documents="Tờ trình đề nghị khen thưởng\nBáo cáo thành tích",
    )
    label = "Không đồng thời khen toàn diện và chuyên đề"
    rule(awards["person"], RuleKind.SAME_LEVEL, label)
    rule(thematic, RuleKind.SAME_LEVEL, label)
    comprehensive = nominate(dossier=True)
    assert status_of(comprehensive)[label][0] == Status.MET
    from awards.services.nominations import nomination_create
    from tests.awards.conftest import add_dossier, person

    other = nomination_create(
        by=world.officer_a,
        campaign=campaign,
        award_type=thematic,
        nominating_unit=world.unit_a,
        data=person("Trần Thị Lan", world.unit_a),
    )
    add_dossier(other, world.officer_a)
    state, evidence = status_of(comprehensive)[label]
    assert state == Status.NOT_MET and thematic.name in evidence
    assert status_of(other)[label][0] == Status.NOT_MET
    with pytest.raises(ValidationError, match="toàn diện và chuyên đề"):
        nomination_submit(nomination=comprehensive, by=world.officer_a)
    # A different person, or an ad-hoc award, is not concerned.
    other.occasion = Occasion.AD_HOC
    other.save()
    assert status_of(comprehensive)[label][0] == Status.MET
    assert "đột xuất" in status_of(other)[label][1] or status_of(other)[label][0] == Status.MET


def test_a_warning_does_not_block_and_an_endorser_is_blocked_too(world, nominate, awards):
    bk = awards["person"]
    rule(bk, RuleKind.HISTORY, "Khuyến khích: Bằng khen năm trước", RuleSeverity.WARN, [bk])
    n = nominate(dossier=True)
    (check,) = eligibility_check(n)
    assert check.warning and not check.blocking
    n = nomination_submit(nomination=n, by=world.officer_a)  # a warning lets it go up
    # A blocking rule added while it travels stops the endorsement at the next unit.
    rule(bk, RuleKind.HISTORY, "Bằng khen năm trước", RuleSeverity.BLOCK, [bk])
    with pytest.raises(ValidationError, match="Bằng khen năm trước"):
        nomination_endorse(nomination=n, by=world.leader)
    awarded_in(world, bk, 2016)
    n = nomination_endorse(nomination=n, by=world.leader)
    assert n.current_level == world.province


def test_earlier_awards_are_listed_in_the_history_of_those_who_see_the_unit(
    world, awards, client_for
):
    PriorAward.objects.create(
        nominee_kind=NomineeKind.INDIVIDUAL,
        nominee_unit=world.unit_a,
        person_name="Trần Thị Lan",
        award_type=awards["person"],
        year=2016,
        reference="38/QĐ-LĐLĐ ngày 27/12/2016",
    )
    from django.urls import reverse

    body = client_for(world.officer_a).get(reverse("awards:history")).content.decode()
    assert "38/QĐ-LĐLĐ ngày 27/12/2016" in body and 'data-testid="earlier-row"' in body
    body = client_for(world.officer_b).get(reverse("awards:history")).content.decode()
    assert "38/QĐ-LĐLĐ" not in body and "Trần Thị Lan" not in body


def test_initiatives_recognised_count_from_their_level_up(world, nominate, awards, client_for):
    """“At least two initiatives recognised at grassroots level” in the campaign's year: a
    provincial one counts, one of 2015 or of another person does not."""
    from awards.models import Initiative, InitiativeLevel

    rule(awards["person"], RuleKind.INITIATIVES, "Ít nhất 02 sáng kiến cấp cơ sở")
    n = nominate(dossier=True)

    def initiative(title, level, day, name="Trần Thị Lan"):
        return Initiative.objects.create(
            nominee_kind=NomineeKind.INDIVIDUAL,
            nominee_unit=world.unit_a,
            person_name=name,
            title=title,
            level=level,
            recognised_on=day,
            recognised_by="Hội đồng sáng kiến cơ sở",
            benefit=1_200_000_000,
        )

    EligibilityRule.objects.filter(kind=RuleKind.INITIATIVES).update(initiative_count=2)
    initiative("Cải tiến lò nung", InitiativeLevel.GRASSROOTS, dt.date(2017, 5, 4))
    initiative("Cũ", InitiativeLevel.NATIONAL, dt.date(2015, 5, 4))
    initiative("Của người khác", InitiativeLevel.NATIONAL, dt.date(2017, 5, 4), "Người Khác")
    state, evidence = status_of(n)["Ít nhất 02 sáng kiến cấp cơ sở"]
    assert state == Status.NOT_MET and "1/2" in evidence and "Cải tiến lò nung" in evidence
    with pytest.raises(ValidationError, match="sáng kiến"):
        nomination_submit(nomination=n, by=world.officer_a)
    initiative("Quy trình mới", InitiativeLevel.PROVINCE, dt.date(2017, 9, 1))
    assert status_of(n)["Ít nhất 02 sáng kiến cấp cơ sở"][0] == Status.MET
    # A provincial level rule does not count the grassroots one.
    EligibilityRule.objects.filter(kind=RuleKind.INITIATIVES).update(initiative_level="province")
    assert status_of(n)["Ít nhất 02 sáng kiến cấp cơ sở"][0] == Status.NOT_MET
    # The register is listed in the history of those who see the unit.
    from django.urls import reverse

    body = client_for(world.officer_a).get(reverse("awards:history")).content.decode()
    assert "Cải tiến lò nung" in body and "1.200.000.000" in body
    body = client_for(world.officer_b).get(reverse("awards:history")).content.decode()
    assert "Cải tiến lò nung" not in body
