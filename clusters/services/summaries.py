"""The leader's summary of the cluster's year (báo cáo tổng kết cụm): written by the leader's
officers, sent to the forming federation through the shared review workflow
(``emulation.workflow``), whose staff approve it or return it with a comment."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusters.models import Cluster, ClusterSummary
from clusters.services.agreements import acts_for, leader_of
from emulation import workflow
from emulation.audit import audit_record


def may_write(user, cluster: Cluster, year: int) -> bool:
    leader = leader_of(cluster, year)
    return leader is not None and acts_for(user, leader)


def summary_save(
    *, actor, cluster: Cluster, year: int, text: str, expected_version: int | None = None
) -> ClusterSummary:
    """Save the summary as a draft (while it is a draft or was returned)."""
    if not may_write(actor, cluster, year):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the summary of the cluster's year.")})
    with transaction.atomic():
        summary = ClusterSummary.objects.filter(cluster=cluster, year=year).first()
        if summary is None:
            summary = ClusterSummary.objects.create(
                cluster=cluster, year=year, organization=leader_of(cluster, year), text=text
            )
            audit_record(actor=actor, action="cluster_summary_save", obj=summary)
            return summary
        summary = workflow.lock(summary)
        if not summary.is_editable:
            raise ValidationError(
                _("The summary was sent and can no longer be changed (it is “%(status)s”).")
                % {"status": summary.get_status_display()}
            )
        workflow.check_version(summary, expected_version)
        summary.text = text
        summary.organization = leader_of(cluster, year)
        workflow.record_edit(summary, by=actor, action="cluster_summary_save")
    return summary


def summary_submit(summary: ClusterSummary, *, by, expected_version=None) -> ClusterSummary:
    if not may_write(by, summary.cluster, summary.year):
        raise PermissionDenied
    with transaction.atomic():
        locked = workflow.lock(summary)
        workflow.apply_transition(locked, "submit", by=by, expected_version=expected_version)
    return locked


def _review(summary, name: str, *, by, comment: str = "", expected_version=None):
    if not by.has_perm("clusters.manage_cluster", summary.cluster):
        raise PermissionDenied
    with transaction.atomic():
        locked = workflow.lock(summary)
        workflow.apply_transition(
            locked, name, by=by, comment=comment, expected_version=expected_version
        )
    return locked


def summary_approve(summary, *, by, comment: str = "", expected_version=None) -> ClusterSummary:
    """Staff of the forming federation approve the summary awaiting review."""
    return _review(summary, "approve", by=by, comment=comment, expected_version=expected_version)


def summary_return(summary, *, by, comment: str, expected_version=None) -> ClusterSummary:
    """Staff of the forming federation send it back with what to fix."""
    return _review(summary, "return", by=by, comment=comment, expected_version=expected_version)
