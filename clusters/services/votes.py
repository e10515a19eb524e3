"""The cluster's vote (suy tôn): the leader opens it on the year's members for one award of a
campaign, each member unit casts one secret ballot, and closing it counts the approvals on the
membership and puts a draft nomination before the forming federation for each unit proposed.

The count is taken of the **member units of the year**, not of the ballots cast, as the council
counts on its members (a unit that did not vote counts against): a unit is proposed when its
approvals reach ``threshold`` per cent of them (at least half by default; the leader may ask
for more, two thirds being 67). The vote closes only when more than half of the member units
voted (the quorum of a meeting of the cluster).

Secret ballot: a ballot row says that a unit voted, by whom and when; what it chose only adds
to the candidates' counters, so no row links a voter to a choice, and the counters show only
once the vote is closed.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.models import AwardType, NomineeKind, Occasion
from awards.services.council import passes
from awards.services.nominations import nomination_propose
from campaigns.models import Campaign, CampaignStatus
from clusters.models import (
    Agreement,
    Cluster,
    ClusterMember,
    ClusterVote,
    VoteBallot,
    VoteCandidate,
    VoteStatus,
)
from clusters.services.agreements import acts_for, leader_of, points_text
from emulation.audit import audit_record


def _in_branch(unit, top) -> bool:
    return unit.path.startswith(top.path)


def quorum_reached(*, ballots: int, members: int) -> bool:
    """More than half of the member units voted: 3 of 4 do, 2 of 4 do not."""
    return members > 0 and ballots * 2 > members


def share_text(approvals: int, members: int) -> str:
    """The share of the member units, as a page and a nomination write it: 66.67 %."""
    if not members:
        return "0"
    value = round(approvals * 100 / members, 2)
    return f"{value:g}"


def vote_open(
    *,
    actor,
    cluster: Cluster,
    year: int,
    campaign: Campaign,
    award_type: AwardType,
    threshold: int,
    candidate_ids: list[int] | None = None,
) -> ClusterVote:
    """Open the year's vote for ``award_type`` in ``campaign`` (the leader's officers). The
    candidates are the members named (every member when none is)."""
    leader = leader_of(cluster, year)
    if leader is None or not acts_for(actor, leader):
        raise PermissionDenied
    errors = {}
    forming = cluster.forming_unit
    if (
        campaign.status == CampaignStatus.DRAFT
        or campaign.year != year
        or not _in_branch(forming, campaign.issuer)
    ):
        errors["campaign"] = _(
            "Choose a published campaign of %(year)s that the forming federation takes part in."
        ) % {"year": year}
    if (
        not award_type.is_active
        or award_type.nominee_kind != NomineeKind.COLLECTIVE
        or not _in_branch(forming, award_type.granting_unit)
    ):
        errors["award_type"] = _(
            "Choose an award for collectives granted by the forming federation or above it."
        )
    if not 50 <= threshold <= 100:
        errors["threshold"] = _("Between 50 and 100 per cent of the member units.")
    members = {
        m.organization_id: m.organization
        for m in ClusterMember.objects.filter(cluster=cluster, year=year).select_related(
            "organization"
        )
    }
    chosen = list(members) if not candidate_ids else [i for i in candidate_ids if i in members]
    if candidate_ids and len(chosen) != len(set(candidate_ids)):
        errors["candidates"] = _("Candidates are chosen among the members of the year.")
    if not chosen:
        errors["candidates"] = _("Choose at least one candidate.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Cluster.objects.select_for_update().get(pk=cluster.pk)
        if ClusterVote.objects.filter(cluster=cluster, year=year, award_type=award_type).exists():
            raise ValidationError(
                {"award_type": _("The cluster already voted for this award this year.")}
            )
        vote = ClusterVote.objects.create(
            cluster=cluster,
            year=year,
            campaign=campaign,
            award_type=award_type,
            threshold=threshold,
            member_count=len(members),
            opened_by=actor,
        )
        VoteCandidate.objects.bulk_create(
            VoteCandidate(vote=vote, organization_id=pk) for pk in chosen
        )
        audit_record(
            actor=actor,
            action="cluster_vote_open",
            obj=vote,
            changes={
                "award": award_type,
                "campaign": campaign.title,
                "threshold": threshold,
                "candidates": len(chosen),
            },
        )
    return vote


def _lock(vote: ClusterVote) -> ClusterVote:
    return (
        ClusterVote.objects.select_for_update(of=("self",))
        .select_related("cluster__forming_unit", "campaign", "award_type")
        .get(pk=vote.pk)
    )


def ballot_cast(*, actor, vote: ClusterVote, organization, approved: list[int]) -> VoteBallot:
    """``organization``'s one ballot: the candidates (ids) it approves, the others rejected.
    Refused: a person who does not act for the unit, a unit that is not a member of the year, a
    second ballot of the unit, a closed vote."""
    if not acts_for(actor, organization):
        raise PermissionDenied
    with transaction.atomic():
        vote = _lock(vote)
        if not ClusterMember.objects.filter(
            cluster=vote.cluster, year=vote.year, organization=organization
        ).exists():
            raise PermissionDenied(_("Only the member units of the year vote."))
        if not vote.is_open:
            raise ValidationError(_("The vote is closed: ballots are no longer accepted."))
        candidates = set(vote.candidates.values_list("pk", flat=True))
        chosen = set(approved)
        if not chosen <= candidates:
            raise ValidationError(_("Unknown candidate."))
        try:
            with transaction.atomic():
                ballot = VoteBallot.objects.create(
                    vote=vote, organization=organization, cast_by=actor
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("%(unit)s has already voted: a ballot cannot be cast twice.")
                % {"unit": organization.name}
            ) from exc
        VoteCandidate.objects.filter(pk__in=chosen).update(approvals=F("approvals") + 1)
        # Secret ballot: the log says that the unit voted, never how.
        audit_record(actor=actor, action="cluster_ballot", obj=vote, changes={"unit": organization})
    return ballot


def _achievement(vote: ClusterVote, candidate: VoteCandidate, members: int, result) -> str:
    """The vote's result as the nomination states it (in Vietnamese, whatever the screen's
    language: it is the text of an official dossier)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _achievement_text(vote, candidate, members, result)


def _achievement_text(vote, candidate, members: int, result) -> str:
    text = _(
        "Proposed by the vote of %(cluster)s in %(year)s: %(approvals)s/%(members)s member "
        "units approved (%(share)s%%; %(threshold)s%% needed)."
    ) % {
        "cluster": vote.cluster.name,
        "year": vote.year,
        "approvals": candidate.approvals,
        "members": members,
        "share": share_text(candidate.approvals, members),
        "threshold": vote.threshold,
    }
    if result is not None and result.result is not None:
        text += " " + _("Result under the agreement: %(points)s points, rank %(rank)s.") % {
            "points": points_text(result.result),
            "rank": result.rank,
        }
    return text


def vote_close(*, actor, vote: ClusterVote) -> ClusterVote:
    """Count the ballots on the member units of the year and, for each unit proposed, put a
    draft nomination (year-end) before the forming federation with the vote's result. A
    nomination the awards refuse (a duplicate, no approved registration ...) is noted on the
    candidate and the vote closes all the same. Refused without the quorum."""
    from clusters.selectors import cluster_page

    leader = leader_of(vote.cluster, vote.year)
    if not (
        (leader is not None and acts_for(actor, leader))
        or actor.has_perm("clusters.manage_cluster", vote.cluster)
    ):
        raise PermissionDenied
    with transaction.atomic():
        vote = _lock(vote)
        if not vote.is_open:
            raise ValidationError(_("The vote is already closed."))
        members = ClusterMember.objects.filter(cluster=vote.cluster, year=vote.year).count()
        ballots = vote.ballots.count()
        if not quorum_reached(ballots=ballots, members=members):
            raise ValidationError(
                _(
                    "Only %(ballots)s of %(members)s member units voted: more than half must "
                    "vote before the vote is closed."
                )
                % {"ballots": ballots, "members": members}
            )
        page = None
        if Agreement.objects.filter(cluster=vote.cluster, year=vote.year).exists():
            page = cluster_page(vote.cluster, vote.year)
        results = {r.unit.pk: r for r in page.rows} if page else {}
        proposed = 0
        for candidate in vote.candidates.select_related("organization"):
            candidate.passed = passes(
                approve=candidate.approvals, members=members, threshold=vote.threshold
            )
            if candidate.passed:
                try:
                    with transaction.atomic():
                        candidate.nomination = nomination_propose(
                            by=actor,
                            campaign=vote.campaign,
                            award_type=vote.award_type,
                            nominating_unit=vote.cluster.forming_unit,
                            data={
                                "occasion": Occasion.YEAR_END,
                                "phase": None,
                                "nominee_unit": candidate.organization,
                                "achievement": _achievement(
                                    vote, candidate, members, results.get(candidate.organization_id)
                                ),
                            },
                            source=str(vote),
                        )
                    proposed += 1
                except ValidationError as exc:
                    candidate.note = " ".join(exc.messages)[:500]
            candidate.save(update_fields=["passed", "nomination", "note"])
        vote.status = VoteStatus.CLOSED
        vote.member_count = members
        vote.closed_by = actor
        vote.closed_at = timezone.now()
        vote.save(update_fields=["status", "member_count", "closed_by", "closed_at"])
        audit_record(
            actor=actor,
            action="cluster_vote_close",
            obj=vote,
            changes={"members": members, "ballots": ballots, "proposed": proposed},
        )
    return vote
