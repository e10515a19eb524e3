"""The cluster's vote (suy tôn), counted on the membership; the leader's summary through the
review workflow; evidence files of a self-score; the work items of the home page."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.demo import demo_pdf
from awards.models import AwardType, Nomination, NomineeKind
from campaigns.models import Campaign, CampaignStatus
from clusters.models import ClusterSummary, ScoreEvidence, VoteBallot, VoteCandidate
from clusters.services.agreements import agreement_accept, agreement_draft, scores_save
from clusters.services.summaries import (
    summary_approve,
    summary_return,
    summary_save,
    summary_submit,
)
from clusters.services.votes import ballot_cast, share_text, vote_close, vote_open
from emulation.models import AuditEntry
from emulation.workflow import ReviewStatus
from tests.clusters.conftest import CRITERIA, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def vote_setup(cw):
    w = cw.world
    campaign = Campaign.objects.create(
        issuer=w.province,
        year=YEAR,
        title="Phong trào thi đua năm 2026",
        slug="2026-thi-dua",
        number=5,
        status=CampaignStatus.ACTIVE,
    )
    flag = AwardType.objects.create(
        name="Cờ thi đua của LĐLĐ tỉnh",
        certificate_title="CỜ THI ĐUA",
        nominee_kind=NomineeKind.COLLECTIVE,
        granting_unit=w.province,
    )
    return campaign, flag


def _open(cw, vote_setup, threshold=50):
    campaign, flag = vote_setup
    return vote_open(
        actor=cw.world.officer_a,
        cluster=cw.cluster,
        year=YEAR,
        campaign=campaign,
        award_type=flag,
        threshold=threshold,
    )


def _candidates(vote):
    return {c.organization.code: c for c in vote.candidates.select_related("organization")}


def test_share_is_taken_of_the_member_units_not_of_the_ballots(cw, vote_setup):
    w = cw.world
    vote = _open(cw, vote_setup)
    c = _candidates(vote)
    # Two of the three members vote; A is approved by both, C by one, D by none.
    ballot_cast(
        actor=w.officer_a,
        vote=vote,
        organization=w.unit_a,
        approved=[c["NB-P-A"].pk, c["NB-Q-C"].pk],
    )
    ballot_cast(actor=cw.officer_d, vote=vote, organization=cw.unit_d, approved=[c["NB-P-A"].pk])
    vote_close(actor=w.officer_a, vote=vote)
    vote.refresh_from_db()
    assert (vote.status, vote.member_count) == ("closed", 3)
    result = _candidates(vote)
    assert [result[k].approvals for k in ("NB-P-A", "NB-Q-C", "NB-Q-D")] == [2, 1, 0]
    # C has half of the ballots cast but a third of the members: not proposed.
    assert [result[k].passed for k in ("NB-P-A", "NB-Q-C", "NB-Q-D")] == [True, False, False]
    assert share_text(2, 3) == "66.67" and share_text(1, 3) == "33.33"
    nomination = result["NB-P-A"].nomination
    assert nomination.nominating_unit == w.province
    assert nomination.nominee_unit == w.unit_a
    assert nomination.status == ReviewStatus.DRAFT
    assert "2/3" in nomination.achievement or "2 trên 3" in nomination.achievement
    assert "66.67%" in nomination.achievement
    assert Nomination.objects.count() == 1


@pytest.mark.parametrize(
    ("threshold", "approvals", "passed"), [(67, 2, False), (66, 2, True), (100, 3, True)]
)
def test_a_threshold_of_two_thirds_is_exact(cw, vote_setup, threshold, approvals, passed):
    w = cw.world
    vote = _open(cw, vote_setup, threshold=threshold)
    a = _candidates(vote)["NB-P-A"].pk
    voters = [(w.officer_a, w.unit_a), (cw.officer_c, w.unit_c), (cw.officer_d, cw.unit_d)]
    for index, (person, unit) in enumerate(voters):
        ballot_cast(
            actor=person, vote=vote, organization=unit, approved=[a] if index < approvals else []
        )
    vote_close(actor=w.staff, vote=vote)  # the forming federation's staff may close too
    assert VoteCandidate.objects.get(pk=a).passed is passed


def test_refusals(cw, vote_setup):
    w = cw.world
    campaign, flag = vote_setup
    with pytest.raises(PermissionDenied):  # only the leader opens
        vote_open(
            actor=cw.officer_c,
            cluster=cw.cluster,
            year=YEAR,
            campaign=campaign,
            award_type=flag,
            threshold=50,
        )
    with pytest.raises(ValidationError) as refused:
        vote_open(
            actor=w.officer_a,
            cluster=cw.cluster,
            year=YEAR,
            campaign=campaign,
            award_type=flag,
            threshold=40,
            candidate_ids=[w.unit_b.pk],
        )
    assert set(refused.value.message_dict) == {"threshold", "candidates"}
    vote = _open(cw, vote_setup)
    a = _candidates(vote)["NB-P-A"].pk
    with pytest.raises(ValidationError):  # one vote a year for an award
        _open(cw, vote_setup)
    with pytest.raises(PermissionDenied):  # B is not a member
        ballot_cast(actor=w.officer_b, vote=vote, organization=w.unit_b, approved=[a])
    with pytest.raises(PermissionDenied):  # C's officer does not vote for D
        ballot_cast(actor=cw.officer_c, vote=vote, organization=cw.unit_d, approved=[a])
    ballot_cast(actor=cw.officer_c, vote=vote, organization=w.unit_c, approved=[a])
    with pytest.raises(ValidationError):  # twice
        ballot_cast(actor=cw.officer_c, vote=vote, organization=w.unit_c, approved=[])
    with pytest.raises(ValidationError) as refused:  # 1 of 3 voted: no quorum
        vote_close(actor=w.officer_a, vote=vote)
    assert "1" in refused.value.messages[0] and "3" in refused.value.messages[0]
    with pytest.raises(PermissionDenied):  # a member who is not the leader cannot close
        vote_close(actor=cw.officer_c, vote=vote)
    ballot_cast(actor=cw.officer_d, vote=vote, organization=cw.unit_d, approved=[])
    vote_close(actor=w.officer_a, vote=vote)
    with pytest.raises(ValidationError):  # closed
        ballot_cast(actor=w.officer_a, vote=vote, organization=w.unit_a, approved=[a])
    assert VoteCandidate.objects.get(pk=a).approvals == 1
    assert VoteBallot.objects.filter(vote=vote).count() == 2


def test_the_ballot_is_secret(cw, vote_setup):
    w = cw.world
    vote = _open(cw, vote_setup)
    a = _candidates(vote)["NB-P-A"].pk
    ballot_cast(actor=cw.officer_c, vote=vote, organization=w.unit_c, approved=[a])
    # Nothing stored links the ballot to a choice: the ballot row and its audit entry.
    assert {f.name for f in VoteBallot._meta.get_fields()} == {
        "id",
        "vote",
        "organization",
        "cast_by",
        "cast_at",
    }
    entry = AuditEntry.objects.filter(action="cluster_ballot").get()
    assert str(a) not in str(entry.changes).replace(str(w.unit_c), "")


def _agreed(cw):
    w = cw.world
    agreement = agreement_draft(
        actor=w.officer_a, cluster=cw.cluster, year=YEAR, criteria=CRITERIA, aggregate="leader"
    )
    for person, unit in (
        (w.officer_a, w.unit_a),
        (cw.officer_c, w.unit_c),
        (cw.officer_d, cw.unit_d),
    ):
        agreement_accept(actor=person, agreement=agreement, organization=unit)
    agreement.refresh_from_db()
    return agreement


def test_the_summary_goes_to_the_forming_federation(cw):
    w = cw.world
    with pytest.raises(PermissionDenied):  # a member that is not the leader
        summary_save(actor=cw.officer_c, cluster=cw.cluster, year=YEAR, text="Báo cáo")
    with pytest.raises(ValidationError):
        summary_save(actor=w.officer_a, cluster=cw.cluster, year=YEAR, text="  ")
    summary = summary_save(actor=w.officer_a, cluster=cw.cluster, year=YEAR, text="Báo cáo")
    summary_submit(summary, by=w.officer_a, expected_version=summary.version)
    summary.refresh_from_db()
    assert summary.status == ReviewStatus.SUBMITTED
    with pytest.raises(PermissionDenied):  # the district's leader does not review it
        summary_approve(summary, by=w.leader, expected_version=summary.version)
    with pytest.raises(ValidationError):  # returning needs a comment
        summary_return(summary, by=w.staff, comment="", expected_version=summary.version)
    summary_return(summary, by=w.staff, comment="Bổ sung số liệu", expected_version=2)
    summary.refresh_from_db()
    assert (summary.status, summary.review_comment) == (ReviewStatus.RETURNED, "Bổ sung số liệu")
    summary = summary_save(
        actor=w.officer_a,
        cluster=cw.cluster,
        year=YEAR,
        text="Báo cáo đã bổ sung",
        expected_version=summary.version,
    )
    summary_submit(summary, by=w.officer_a, expected_version=summary.version)
    summary_approve(summary, by=w.staff, expected_version=summary.version + 1)
    summary = ClusterSummary.objects.get()
    assert summary.status == ReviewStatus.APPROVED
    with pytest.raises(ValidationError):  # approved: no more edits
        summary_save(actor=w.officer_a, cluster=cw.cluster, year=YEAR, text="x")


def test_evidence_files_of_a_self_score(cw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = cw.world
    agreement = _agreed(cw)
    c1, c2 = agreement.criteria.all()
    entries = {c1.pk: (Decimal(30), ""), c2.pk: (Decimal(50), "")}
    bad = SimpleUploadedFile("bao-cao.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        scores_save(
            actor=cw.officer_c,
            agreement=agreement,
            scorer=w.unit_c,
            scored=w.unit_c,
            entries=entries,
            files={c1.pk: [bad]},
        )
    assert f"file_{c1.pk}" in refused.value.message_dict
    assert not ScoreEvidence.objects.exists() and not list(tmp_path.rglob("*.pdf"))
    good = SimpleUploadedFile("bao-cao.pdf", demo_pdf("Bao cao"), content_type="application/pdf")
    scores_save(
        actor=cw.officer_c,
        agreement=agreement,
        scorer=w.unit_c,
        scored=w.unit_c,
        entries=entries,
        files={c1.pk: [good]},
    )
    evidence = ScoreEvidence.objects.get()
    assert (evidence.organization, evidence.original_name) == (w.unit_c, "bao-cao.pdf")
    assert evidence.file.name.startswith(f"clusters/{agreement.pk}/")
