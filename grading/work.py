"""The grading work of the home page (:mod:`emulation.work`):

- for the person's grassroots unions: score this year's grading and submit it by the deadline,
  fix what was returned, or wait for the unit above;
- for reviewers: the gradings of the grassroots unions directly below each unit they lead,
  awaiting verification, with when the oldest was sent.

A few queries when the person prepares or reviews something (the sheets of the year, once;
then the types and gradings of their units, or the gradings awaiting them), none otherwise.
"""

from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from emulation.work import DONE, REVIEW, TO_DO, UNIT, WAITING, WorkItem, days_left, provide
from emulation.workflow import ReviewStatus
from federation.models import SUBTREE_ROLES, Organization, OrganizationKind, Role, children_q
from grading.models import Assessment, GradingProfile, ScoreSheet

PREPARING = (Role.OFFICER, Role.LEADER)


def _sheets(context) -> dict:
    """This year's sheets by type (one query, once per context)."""
    return context.remember(
        "grading:sheets",
        lambda: {s.unit_type: s for s in ScoreSheet.objects.filter(year=context.today.year)},
    )


@provide(UNIT)
def grading_work(context):
    units = [u for u in context.units_with(*PREPARING) if u.kind == OrganizationKind.GRASSROOTS]
    if not units or not _sheets(context):
        return
    sheets = _sheets(context)
    status_of = dict(
        Assessment.objects.filter(
            organization__in=units, sheet__year=context.today.year
        ).values_list("organization_id", "status")
    )
    types = dict(
        GradingProfile.objects.filter(organization__in=units).values_list(
            "organization_id", "unit_type"
        )
    )
    for unit in units:
        sheet = sheets.get(types.get(unit.pk))
        if sheet is None:
            continue
        status = status_of.get(unit.pk, "")
        if status in (ReviewStatus.SUBMITTED,):
            state, title = WAITING, _("Grading of the year: awaiting verification")
        elif status == ReviewStatus.APPROVED:
            state, title = DONE, _("Grading of the year: approved")
        elif status == ReviewStatus.RETURNED:
            state, title = TO_DO, _("Fix the returned grading and submit it again")
        else:
            state, title = TO_DO, _("Score the unit's work of the year and submit it")
        yield WorkItem(
            UNIT,
            title,
            reverse("grading:unit", args=[sheet.year, unit.pk]),
            state=state,
            status=status or "none",
            deadline=sheet.deadline,
            days_left=days_left(sheet.deadline, context.today),
            unit=unit.display_name,
            unit_id=unit.pk,
            kind="grading",
            testid="work-grading",
        )


@provide(REVIEW)
def grading_review(context):
    reviewed = context.units_with(*SUBTREE_ROLES)
    if not reviewed or not _sheets(context):
        return
    condition = Q(pk__in=[])
    for unit in reviewed:
        condition |= children_q(unit, "organization__")
    waiting = defaultdict(list)
    for path, submitted_at in Assessment.objects.filter(
        condition, sheet__year=context.today.year, status=ReviewStatus.SUBMITTED
    ).values_list("organization__path", "submitted_at"):
        waiting[path[: -Organization.steplen]].append(submitted_at)
    for unit in reviewed:
        times = waiting.get(unit.path)
        if not times:
            continue
        yield WorkItem(
            REVIEW,
            ngettext("%(count)s grading to verify", "%(count)s gradings to verify", len(times))
            % {"count": len(times)},
            reverse("grading:branch", args=[context.today.year, unit.pk]),
            count=len(times),
            since=min(t for t in times if t) if any(times) else None,
            unit=unit.display_name,
            unit_id=unit.pk,
            kind="grading-review",
            testid="work-grading-review",
        )
