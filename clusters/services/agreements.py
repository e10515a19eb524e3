"""The cluster's agreement of a year: drafted by the leader, accepted by every member; and the
scores given under it."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
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
    ScoreEvidence,
)
from emulation.audit import audit_record
from emulation.uploads import check_upload
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
    *,
    actor,
    agreement: Agreement,
    scorer,
    scored,
    entries: dict[int, tuple[Decimal, str]],
    files: dict[int, list] | None = None,
) -> None:
    """Save the points (and evidence) ``scorer`` gives ``scored``, per criterion id; ``files``
    (uploads per criterion id) are evidence of a self-score, checked by their content."""
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
    checked = {}
    for pk, uploads in (files or {}).items():
        if pk not in criteria:
            raise ValidationError(_("Unknown criterion."))
        if uploads and scorer != scored:
            raise PermissionDenied
        for upload in uploads:
            try:
                checked.setdefault(pk, []).append(check_upload(upload, field=f"file_{pk}"))
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    written = []
    try:
        _save(actor, agreement, scorer, scored, entries, checked, written)
    except BaseException:
        for name in written:  # nothing half-done: the files of a refused save go too
            default_storage.delete(name)
        raise


def _save(actor, agreement, scorer, scored, entries, checked, written) -> None:
    with transaction.atomic():
        Agreement.objects.select_for_update().get(pk=agreement.pk)
        for pk, items in checked.items():
            for item in items:
                evidence = ScoreEvidence(
                    agreement=agreement,
                    criterion_id=pk,
                    organization=scored,
                    original_name=item.name,
                    content_type=item.kind.content_type,
                    extension=item.kind.extension,
                    size=item.size,
                    token=item.token,
                    uploaded_by=actor if actor.is_authenticated else None,
                )
                evidence.file.save(item.token, ContentFile(item.data), save=False)
                written.append(evidence.file.name)
                evidence.save()
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
                **({"files": len(written)} if written else {}),
            },
        )
