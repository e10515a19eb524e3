"""The cluster work of the home page (:mod:`emulation.work`):

- for the officers and leaders of member units, this year: accept the agreement, score their
  own unit once the agreement is agreed, cast the unit's ballot in an open vote; for the
  leader's, write the summary and send it (or fix what was returned);
- for the staff of a forming federation: the summaries sent to it, awaiting review.

A fixed number of queries whatever the number of clusters and members (the memberships of
the person's units, then the agreements, acceptances, self-scores, open votes, ballots and
summaries of those clusters, one query each), none when the person is in no cluster.
"""

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusters.models import (
    Acceptance,
    Agreement,
    ClusterMember,
    ClusterScore,
    ClusterSummary,
    ClusterVote,
    MemberRole,
    VoteBallot,
    VoteStatus,
)
from emulation.work import DONE, REVIEW, TO_DO, UNIT, WAITING, WorkItem, provide
from emulation.workflow import ReviewStatus
from federation.models import Role, subtrees_q

PREPARING = (Role.OFFICER, Role.LEADER)


@provide(UNIT)
def cluster_work(context):
    units = context.units_with(*PREPARING)
    if not units:
        return
    year = context.today.year
    members = list(
        ClusterMember.objects.filter(organization__in=units, year=year).select_related("cluster")
    )
    if not members:
        return
    clusters = {m.cluster_id for m in members}
    unit_ids = {m.organization_id for m in members}
    names = {u.pk: u.display_name for u in units}
    agreements = {
        a.cluster_id: a
        for a in Agreement.objects.filter(cluster_id__in=clusters, year=year)
        .filter(criteria__isnull=False)
        .distinct()
    }
    accepted = set(
        Acceptance.objects.filter(
            agreement__in=list(agreements.values()), organization_id__in=unit_ids
        ).values_list("agreement_id", "organization_id")
    )
    scored = set(
        ClusterScore.objects.filter(
            criterion__agreement__in=list(agreements.values()),
            scorer_id__in=unit_ids,
            scored_id__in=unit_ids,
        )
        .filter(scorer_id=F("scored_id"))
        .values_list("criterion__agreement_id", "scored_id")
        .distinct()
    )
    votes = list(
        ClusterVote.objects.filter(
            cluster_id__in=clusters, year=year, status=VoteStatus.OPEN
        ).select_related("award_type")
    )
    ballots = set(
        VoteBallot.objects.filter(vote__in=votes, organization_id__in=unit_ids).values_list(
            "vote_id", "organization_id"
        )
    )
    led = [m for m in members if m.role == MemberRole.LEADER]
    summaries = {}
    if led:
        summaries = {
            s.cluster_id: s
            for s in ClusterSummary.objects.filter(
                cluster_id__in=[m.cluster_id for m in led], year=year
            )
        }
    for m in members:
        cluster, unit_id = m.cluster, m.organization_id
        page = f"{cluster.get_absolute_url()}?year={year}"
        common = {"unit": names.get(unit_id, ""), "unit_id": unit_id}
        agreement = agreements.get(cluster.pk)
        if agreement is not None and (agreement.pk, unit_id) not in accepted:
            yield WorkItem(
                UNIT,
                _("Accept the agreement of %(cluster)s") % {"cluster": cluster.name},
                page,
                kind="cluster-accept",
                testid="work-cluster-accept",
                **common,
            )
        elif agreement is not None and agreement.agreed_at is not None:
            done = (agreement.pk, unit_id) in scored
            yield WorkItem(
                UNIT,
                _("Score your unit in %(cluster)s") % {"cluster": cluster.name},
                reverse("clusters:score", args=[cluster.pk, year, unit_id]),
                state=DONE if done else TO_DO,
                kind="cluster-score",
                testid="work-cluster-score",
                **common,
            )
        for vote in votes:
            if vote.cluster_id == cluster.pk and (vote.pk, unit_id) not in ballots:
                yield WorkItem(
                    UNIT,
                    _("Vote in %(cluster)s for “%(award)s”")
                    % {"cluster": cluster.name, "award": vote.award_type.name},
                    reverse("clusters:vote", args=[cluster.pk, vote.pk]),
                    kind="cluster-vote",
                    testid="work-cluster-vote",
                    **common,
                )
        if m.role == MemberRole.LEADER and agreement is not None and agreement.agreed_at:
            summary = summaries.get(cluster.pk)
            status = summary.status if summary else ""
            if status == ReviewStatus.SUBMITTED:
                state, title = WAITING, _("Summary of %(cluster)s: awaiting review")
            elif status == ReviewStatus.APPROVED:
                state, title = DONE, _("Summary of %(cluster)s: approved")
            elif status == ReviewStatus.RETURNED:
                state, title = TO_DO, _("Fix the returned summary of %(cluster)s and send it")
            else:
                state, title = TO_DO, _("Write the summary of %(cluster)s and send it")
            yield WorkItem(
                UNIT,
                title % {"cluster": cluster.name},
                reverse("clusters:summary", args=[cluster.pk, year]),
                state=state,
                status=status or "none",
                kind="cluster-summary",
                testid="work-cluster-summary",
                **common,
            )


@provide(REVIEW)
def cluster_review(context):
    staff = context.units_with(Role.STAFF)
    if not staff:
        return
    waiting = list(
        ClusterSummary.objects.filter(
            subtrees_q(staff, "cluster__forming_unit__"), status=ReviewStatus.SUBMITTED
        )
        .select_related("cluster")
        .order_by("submitted_at")
    )
    if not waiting:
        return
    first = waiting[0]
    yield WorkItem(
        REVIEW,
        ngettext(
            "%(count)s cluster summary to review",
            "%(count)s cluster summaries to review",
            len(waiting),
        )
        % {"count": len(waiting)},
        reverse("clusters:summary", args=[first.cluster_id, first.year]),
        count=len(waiting),
        since=first.submitted_at,
        kind="cluster-summary-review",
        testid="work-cluster-summary-review",
    )
