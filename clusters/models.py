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
