"""Emulation clusters and blocks (cụm, khối thi đua).

A :class:`Cluster` is formed by a federation (its forming unit) and gathers comparable units
from several branches: a cluster units of one area, a block units of one sector. Its members
are listed per year (:class:`ClusterMember`), one of them the leader (cụm trưởng) and one the
deputy (cụm phó), rotating by year; a unit belongs to at most one cluster of a kind per year.

Each year the leader drafts the cluster's mutual emulation agreement (:class:`Agreement`, giao
ước thi đua) with its criteria and points; every member accepts it, and it is agreed when all
have. At the end of the year every member scores itself, and the leader scores the others
(:class:`ClusterScore`); the result of a member is the agreement's aggregate.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from emulation.models import StoredFile
from emulation.workflow import Reviewable
from federation.models import Organization


class ClusterKind(models.TextChoices):
    CLUSTER = "cluster", _("Emulation cluster")
    BLOCK = "block", _("Emulation block")


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    LEADER = "leader", _("Cluster leader")
    DEPUTY = "deputy", _("Deputy cluster leader")


class Cluster(models.Model):
    kind = models.CharField(_("kind"), max_length=8, choices=ClusterKind)
    name = models.CharField(_("name"), max_length=255)
    forming_unit = models.ForeignKey(
        Organization,
        verbose_name=_("forming federation"),
        on_delete=models.PROTECT,
        related_name="formed_clusters",
    )
    term_start = models.PositiveIntegerField(_("term from (year)"))
    term_end = models.PositiveIntegerField(_("term to (year)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("emulation cluster")
        verbose_name_plural = _("emulation clusters")
        ordering = ["forming_unit_id", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clusters:cluster", args=[self.pk])


class ClusterMember(models.Model):
    """A unit's place in a cluster for one year; ``kind`` repeats the cluster's so that the
    database refuses a second cluster of the same kind in the same year."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="members"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="cluster_memberships",
    )
    year = models.PositiveIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=8, choices=ClusterKind)
    role = models.CharField(_("role"), max_length=8, choices=MemberRole, default=MemberRole.MEMBER)

    class Meta:
        verbose_name = _("cluster member")
        verbose_name_plural = _("cluster members")
        ordering = ["cluster_id", "year", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "year"], name="cluster_member_once_per_kind"
            ),
            models.UniqueConstraint(
                fields=["cluster", "year", "role"],
                condition=~models.Q(role="member"),
                name="cluster_one_leader_and_deputy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} · {self.organization} · {self.year}"


class Aggregate(models.TextChoices):
    MEAN_OF_OTHERS = "mean", _("Mean of the other members' scores")
    LEADER = "leader", _("The leader's score")


class Agreement(models.Model):
    """The cluster's agreement of one year; agreed when every member accepted it."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="agreements"
    )
    year = models.PositiveIntegerField(_("year"))
    aggregate = models.CharField(
        _("result of a member"), max_length=8, choices=Aggregate, default=Aggregate.LEADER
    )
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("emulation agreement")
        verbose_name_plural = _("emulation agreements")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="agreement_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.cluster} · {self.year}"


class AgreementCriterion(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="criteria"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("criterion"), max_length=500)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("criterion of the agreement")
        verbose_name_plural = _("criteria of the agreement")
        ordering = ["agreement_id", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Acceptance(models.Model):
    """A member's acceptance of the agreement (one per member unit)."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="acceptances"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    accepted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"], name="acceptance_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.organization}"


class ClusterScore(models.Model):
    """The points ``scorer`` gives ``scored`` on one criterion (itself when they are the
    same unit), with the evidence of a self-score."""

    criterion = models.ForeignKey(
        AgreementCriterion,
        verbose_name=_("criterion"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    scorer = models.ForeignKey(
        Organization, verbose_name=_("scored by"), on_delete=models.CASCADE, related_name="+"
    )
    scored = models.ForeignKey(
        Organization, verbose_name=_("unit scored"), on_delete=models.CASCADE, related_name="+"
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "scorer", "scored"], name="cluster_score_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scorer} → {self.scored}: {self.points}"


def evidence_path(instance, filename: str) -> str:
    # Never the uploaded name: files go out only through a view that checks permission.
    return f"clusters/{instance.agreement_id}/{instance.token}{instance.extension}"


class ScoreEvidence(StoredFile):
    """A file proving a member's self-score on one criterion, checked by its content
    (``emulation.uploads``); seen by the cluster's members and the forming federation."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="evidence"
    )
    criterion = models.ForeignKey(
        AgreementCriterion,
        verbose_name=_("criterion"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["agreement_id", "organization_id", "criterion_id", "id"]

    def __str__(self) -> str:
        return self.original_name


class VoteStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


# By default a unit is proposed when at least half of the member units approve it; the leader
# may ask for more (two thirds: 67) when opening the vote.
DEFAULT_VOTE_THRESHOLD = 50


class ClusterVote(models.Model):
    """The cluster's vote (suy tôn) of a year: a secret ballot of the member units proposing
    candidates for one award in one campaign. One ballot per member unit, cast by its officer or
    leader; only who has voted is stored with the voter, the approvals are counters on the
    candidates, so nobody (not even the database) can tell who voted for whom. A candidate
    passes when its approvals reach ``threshold`` per cent of the member units of the year
    (counted on the membership, as the council is); closing the vote makes a draft nomination
    of the forming federation for each unit that passed."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="votes"
    )
    year = models.PositiveIntegerField(_("year"))
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="+"
    )
    award_type = models.ForeignKey(
        "awards.AwardType", verbose_name=_("award"), on_delete=models.PROTECT, related_name="+"
    )
    threshold = models.PositiveSmallIntegerField(
        _("approvals needed (% of the member units)"), default=DEFAULT_VOTE_THRESHOLD
    )
    status = models.CharField(
        _("status"), max_length=8, choices=VoteStatus.choices, default=VoteStatus.OPEN
    )
    member_count = models.PositiveSmallIntegerField(_("member units"), default=0)
    opened_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cluster vote")
        verbose_name_plural = _("cluster votes")
        ordering = ["cluster_id", "year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "year", "award_type"], name="cluster_vote_once_per_award"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cluster} · {self.year} · {self.award_type}"

    @property
    def is_open(self) -> bool:
        return self.status == VoteStatus.OPEN


class VoteCandidate(models.Model):
    """A unit the vote may propose, with its approvals (counted, never linked to a ballot)."""

    vote = models.ForeignKey(
        ClusterVote, verbose_name=_("vote"), on_delete=models.CASCADE, related_name="candidates"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    approvals = models.PositiveSmallIntegerField(_("approvals"), default=0)
    passed = models.BooleanField(_("proposed"), null=True)
    nomination = models.ForeignKey(
        "awards.Nomination",
        verbose_name=_("nomination"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["vote_id", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "organization"], name="vote_candidate_once")
        ]

    def __str__(self) -> str:
        return f"{self.vote} · {self.organization}"


class VoteBallot(models.Model):
    """That a member unit voted (and who cast its ballot, when): never what it chose."""

    vote = models.ForeignKey(
        ClusterVote, verbose_name=_("vote"), on_delete=models.CASCADE, related_name="ballots"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    cast_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["vote", "organization"], name="vote_ballot_once")
        ]

    def __str__(self) -> str:
        return f"{self.vote} · {self.organization}"


class ClusterSummary(Reviewable):
    """The leader's summary of the cluster's year (báo cáo tổng kết cụm), sent to the forming
    federation through the shared review workflow (draft, submitted, returned, approved)."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="summaries"
    )
    year = models.PositiveIntegerField(_("year"))
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("cluster leader"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("summary"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cluster summary")
        verbose_name_plural = _("cluster summaries")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="cluster_summary_once")
        ]

    def __str__(self) -> str:
        return f"{self.cluster} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("clusters:summary", args=[self.cluster_id, self.year])
