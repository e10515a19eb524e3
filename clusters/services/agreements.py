"""The cluster's agreement of a year: drafted by the leader, accepted by every member; and the
scores given under it."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import (
    Acceptance,
    Agreement,
    AgreementCriterion,
    ClusterMember,
    ClusterScore,
    MemberRole,
)
from emulation.audit import audit_record
from federation import rules as tree


def points_text(value: Decimal) -> str:
    """Points without trailing zeros: 40, 12.5."""
    return format(value.normalize(), "f")


def acts_for(user, organization) -> bool:
    """Officer or leader of ``organization`` (or a superuser): acts in the cluster for it."""
    return user.is_superuser or tree.is_unit_officer(user, organization)


def leader_of(cluster, year: int):
    member = (
        ClusterMember.objects.filter(cluster=cluster, year=year, role=MemberRole.LEADER)
        .select_related("organization")
        .first()
    )
    return member.organization if member else None


def member_ids(cluster, year: int) -> list[int]:
    return list(
        ClusterMember.objects.filter(cluster=cluster, year=year).values_list(
            "organization_id", flat=True
        )
    )


def agreement_draft(
    *, actor, cluster, year: int, criteria: list[tuple[str, Decimal]], aggregate: str
) -> Agreement:
    """Write the agreement's criteria (replacing a draft nobody accepted yet)."""
    leader = leader_of(cluster, year)
    if leader is None:
        raise ValidationError(_("The cluster has no leader for %(year)s yet.") % {"year": year})
    if not acts_for(actor, leader):
        raise PermissionDenied
    if not criteria:
        raise ValidationError({"criteria": _("Write at least one criterion with its points.")})
    with transaction.atomic():
        agreement, _created = Agreement.objects.get_or_create(cluster=cluster, year=year)
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.acceptances.exists():
            raise ValidationError(
                _("Members have already accepted the agreement: it can no longer be changed.")
            )
        agreement.criteria.all().delete()
        AgreementCriterion.objects.bulk_create(
            AgreementCriterion(agreement=agreement, number=i, title=title, max_points=points)
            for i, (title, points) in enumerate(criteria, start=1)
        )
        agreement.aggregate = aggregate
        agreement.save(update_fields=["aggregate"])
        audit_record(
            actor=actor,
            action="agreement_draft",
            obj=agreement,
            changes={"criteria": len(criteria), "aggregate": aggregate},
        )
    return agreement


def agreement_accept(*, actor, agreement: Agreement, organization) -> Acceptance:
    """``organization`` (a member of the year) accepts; the agreement is agreed when the last
    member does."""
    if not acts_for(actor, organization):
        raise PermissionDenied
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        members = member_ids(agreement.cluster, agreement.year)
        if organization.pk not in members:
            raise PermissionDenied
        if not agreement.criteria.exists():
            raise ValidationError(_("The agreement has no criteria yet."))
        acceptance, created = Acceptance.objects.get_or_create(
            agreement=agreement, organization=organization, defaults={"accepted_by": actor}
        )
        if not created:
            raise ValidationError(_("%(unit)s has already accepted.") % {"unit": organization.name})
        accepted = set(agreement.acceptances.values_list("organization_id", flat=True))
        if accepted >= set(members):
            agreement.agreed_at = timezone.now()
            agreement.save(update_fields=["agreed_at"])
        audit_record(
            actor=actor,
            action="agreement_accept",
            obj=agreement,
            changes={"unit": organization, "agreed": agreement.agreed_at is not None},
        )
    return acceptance


def may_score(user, agreement: Agreement, scorer, scored) -> bool:
    """A member scores itself; the leader scores the others (every member does when the
    result is the mean of the others' scores)."""
    if not acts_for(user, scorer):
        return False
    if scorer.pk == scored.pk:
        return True
    if agreement.aggregate == "mean":
        return True
    leader = leader_of(agreement.cluster, agreement.year)
    return leader is not None and leader.pk == scorer.pk


def scores_save(
    *, actor, agreement: Agreement, scorer, scored, entries: dict[int, tuple[Decimal, str]]
) -> None:
    """Save the points (and evidence) ``scorer`` gives ``scored``, per criterion id."""
    members = member_ids(agreement.cluster, agreement.year)
    if scorer.pk not in members or scored.pk not in members:
        raise PermissionDenied
    if not may_score(actor, agreement, scorer, scored):
        raise PermissionDenied
    if agreement.agreed_at is None:
        raise ValidationError(_("Scoring opens once every member has accepted the agreement."))
    criteria = {c.pk: c for c in agreement.criteria.all()}
    errors = {}
    for pk, (points, _evidence) in entries.items():
        criterion = criteria.get(pk)
        if criterion is None:
            raise ValidationError(_("Unknown criterion."))
        if points < 0 or points > criterion.max_points:
            errors[f"points_{pk}"] = _("Between 0 and %(max)s points.") % {
                "max": points_text(criterion.max_points)
            }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Agreement.objects.select_for_update().get(pk=agreement.pk)
        for pk, (points, evidence) in entries.items():
            ClusterScore.objects.update_or_create(
                criterion_id=pk,
                scorer=scorer,
                scored=scored,
                defaults={"points": points, "evidence": evidence if scorer == scored else ""},
            )
        audit_record(
            actor=actor,
            action="cluster_score",
            obj=agreement,
            changes={
                "scorer": scorer,
                "scored": scored,
                "total": sum((p for p, _e in entries.values()), Decimal(0)),
            },
        )
