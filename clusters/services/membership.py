"""Forming a cluster and keeping its members, leader and deputy of each year."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clusters.models import Cluster, ClusterMember, MemberRole
from emulation.audit import audit_record


def require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _check_year(cluster: Cluster, year: int) -> None:
    if not cluster.term_start <= year <= cluster.term_end:
        raise ValidationError(
            {
                "year": _("The cluster's term runs from %(start)s to %(end)s.")
                % {"start": cluster.term_start, "end": cluster.term_end}
            }
        )


def cluster_create(*, actor, forming_unit, kind: str, name: str, term_start: int, term_end: int):
    require(actor, "clusters.create_cluster", forming_unit)
    if term_end < term_start:
        raise ValidationError({"term_end": _("The term cannot end before it starts.")})
    with transaction.atomic():
        cluster = Cluster.objects.create(
            forming_unit=forming_unit,
            kind=kind,
            name=name.strip(),
            term_start=term_start,
            term_end=term_end,
        )
        audit_record(
            actor=actor,
            action="cluster_create",
            obj=cluster,
            changes={"kind": kind, "term": f"{term_start}-{term_end}"},
        )
    return cluster


def _lock(cluster: Cluster) -> Cluster:
    return Cluster.objects.select_for_update().select_related("forming_unit").get(pk=cluster.pk)


def member_add(*, actor, cluster: Cluster, organization, year: int) -> ClusterMember:
    """Add ``organization`` to the cluster for ``year``; refused when it is already in a
    cluster of the same kind that year."""
    require(actor, "clusters.manage_cluster", cluster)
    _check_year(cluster, year)
    with transaction.atomic():
        cluster = _lock(cluster)
        taken = (
            ClusterMember.objects.filter(organization=organization, kind=cluster.kind, year=year)
            .select_related("cluster")
            .first()
        )
        if taken is not None:
            raise ValidationError(
                {
                    "unit": _("%(unit)s is already in %(cluster)s in %(year)s.")
                    % {"unit": organization.name, "cluster": taken.cluster.name, "year": year}
                }
            )
        try:
            with transaction.atomic():
                member = ClusterMember.objects.create(
                    cluster=cluster, organization=organization, year=year, kind=cluster.kind
                )
        except IntegrityError as exc:  # added by someone else at the same moment
            raise ValidationError(
                {
                    "unit": _("%(unit)s is already in a cluster of this kind in %(year)s.")
                    % {"unit": organization.name, "year": year}
                }
            ) from exc
        audit_record(
            actor=actor,
            action="cluster_member_add",
            obj=cluster,
            changes={"unit": organization, "year": year},
        )
    return member


def member_remove(*, actor, member: ClusterMember) -> None:
    require(actor, "clusters.manage_cluster", member.cluster)
    with transaction.atomic():
        cluster = _lock(member.cluster)
        ClusterMember.objects.filter(pk=member.pk).delete()
        audit_record(
            actor=actor,
            action="cluster_member_remove",
            obj=cluster,
            changes={"unit": member.organization, "year": member.year},
        )


def role_set(*, actor, member: ClusterMember, role: str) -> None:
    """Make ``member`` the leader or deputy of its year (the previous one becomes a member)."""
    require(actor, "clusters.manage_cluster", member.cluster)
    with transaction.atomic():
        cluster = _lock(member.cluster)
        if role != MemberRole.MEMBER:
            ClusterMember.objects.filter(cluster=cluster, year=member.year, role=role).update(
                role=MemberRole.MEMBER
            )
        ClusterMember.objects.filter(pk=member.pk).update(role=role)
        audit_record(
            actor=actor,
            action="cluster_role_set",
            obj=cluster,
            changes={"unit": member.organization, "year": member.year, "role": role},
        )
