"""The report work of the home page and of the campaign page (:mod:`emulation.work`):

- for the person's units: the report on each phase (send it, fix what was returned, wait for
  the unit above, or wait for reporting to open), with its deadline and the days left;
- for reviewers: the queue of each phase of the units directly below each unit they keep, with
  the number waiting and when the oldest was sent (one aggregate for all of them);
- for the receiving department: its inbox, and the units of the branch late with their report
  on a phase whose deadline has passed (from the counters per branch).

Each provider costs a fixed number of queries whatever the number of units below the person.
"""

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.dates import dmy
from campaigns.work import Context, branch_units, campaign_label
from emulation.work import (
    DONE,
    REVIEW,
    STAFF,
    TO_DO,
    UNIT,
    UPCOMING,
    WAITING,
    WorkItem,
    days_left,
    provide,
)
from emulation.workflow import SENT, ReviewStatus
from federation.models import Organization, children_q, subtree_q
from registrations.work import own_registrations
from reports.models import (
    NOT_REPORTED,
    BranchReportCount,
    PhaseReport,
    ReportExtension,
    ReportingWindow,
    effective_deadline,
)
from reports.selectors.common import PhaseInfo, infos_of, is_late, status_label


def phases_of(context: Context) -> dict[int, list[PhaseInfo]]:
    """Campaign id -> its phases in order with the day their reporting opens, for every
    campaign of the context (the phases come with the campaigns; one query for the reporting
    dates, once per context)."""

    def read():
        campaigns = context.campaigns
        if not campaigns:
            return {}
        opens = dict(
            ReportingWindow.objects.filter(
                phase__campaign_id__in=[c.pk for c in campaigns]
            ).values_list("phase_id", "opens_on")
        )
        return {c.pk: infos_of(c.phases.all(), opens) for c in campaigns}

    return context.remember("reports:phases", read)


def send_title(info: PhaseInfo) -> str:
    if info.is_final:
        return _("Send the final review report (tổng kết) of the year")
    return _("Send the interim review report (sơ kết) of %(phase)s") % {"phase": info.phase.name}


def report_title(info: PhaseInfo) -> str:
    """The report once sent: what it is, not what to do."""
    if info.is_final:
        return _("Final review report (tổng kết) of the year")
    return _("Interim review report (sơ kết) of %(phase)s") % {"phase": info.phase.name}


# --- The unit's own reports ------------------------------------------------------------------


@provide(UNIT)
def report_work(context: Context):
    """The report of each of the person's units on each phase (three queries: the reporting
    dates, the reports, the extensions; the registrations are those of the registration
    work, read once)."""
    today = context.today
    pairs = [(c, u) for c in context.campaigns for u in context.prepared_units(c)]
    if not pairs:
        return
    campaigns = {c.pk: c for c, _u in pairs}
    unit_ids = {u.pk for _c, u in pairs}
    infos = phases_of(context)
    found = {
        (phase_id, unit_id): (status, comment)
        for phase_id, unit_id, status, comment in PhaseReport.objects.filter(
            campaign_id__in=list(campaigns), organization_id__in=unit_ids
        ).values_list("phase_id", "organization_id", "status", "review_comment")
    }
    extended = {
        (phase_id, unit_id): until
        for phase_id, unit_id, until in ReportExtension.objects.filter(
            phase__campaign_id__in=list(campaigns), organization_id__in=unit_ids
        ).values_list("phase_id", "organization_id", "until")
    }
    registered = {
        key
        for key, (status, _comment) in own_registrations(context).items()
        if status == ReviewStatus.APPROVED
    }
    for campaign, unit in pairs:
        for info in infos.get(campaign.pk, []):
            phase = info.phase
            status, comment = found.get((phase.pk, unit.pk), (NOT_REPORTED, ""))
            title = send_title(info)
            deadline = detail = None
            if status == ReviewStatus.APPROVED:
                state, title = DONE, report_title(info)
            elif status == ReviewStatus.SUBMITTED:
                state, title = WAITING, report_title(info)
            elif not info.is_open(today):
                state = UPCOMING
                deadline = phase.report_deadline
                detail = _("Reporting opens on %(day)s.") % {"day": dmy(info.opens_on)}
            else:
                state = TO_DO
                deadline = effective_deadline(phase, extended.get((phase.pk, unit.pk)))
                if status == ReviewStatus.RETURNED:
                    title = _("Fix the returned report on %(phase)s and send it again") % {
                        "phase": phase.name
                    }
                    detail = comment
                elif (campaign.pk, unit.pk) not in registered:
                    detail = _("The registration must be approved before the report is sent.")
            yield WorkItem(
                UNIT,
                title,
                reverse("reports:unit", args=[campaign.pk, phase.pk, unit.pk]),
                state=state,
                status=status,
                status_label=str(status_label(status)),
                deadline=deadline,
                days_left=days_left(deadline, today) if state == TO_DO else None,
                detail=detail or "",
                unit=unit.display_name,
                unit_id=unit.pk,
                campaign=campaign_label(campaign),
                campaign_id=campaign.pk,
                kind=f"report:{info.number}",
                order=10 + info.number,
                testid="work-report",
            )


# --- The reviewer's queues -------------------------------------------------------------------


def _parent_path():
    return Substr("organization__path", 1, (F("organization__depth") - 1) * Organization.steplen)


def keeps_inbox(context: Context, campaign, unit) -> bool:
    """The reports of the units below ``unit`` reach the person's inbox: ``unit`` is the
    issuer and the person keeps the issuer's inbox (the inbox is then their queue)."""
    return unit.pk == campaign.issuer_id and context.user.has_perm("reports.view_inbox", campaign)


@provide(REVIEW)
def report_queues(context: Context):
    """The queue of each phase whose reporting has opened, of each unit the person reviews:
    the reports awaiting review and the oldest of them (one aggregate for all; one query for
    the reporting dates). A queue with nothing waiting shows while reporting is open."""
    today = context.today
    queues = [
        (c, u)
        for c in context.campaigns
        if c.is_active
        for u in context.reviewed_units(c)
        if not keeps_inbox(context, c, u)
    ]
    if not queues:
        return
    infos = phases_of(context)
    below = Q(pk__in=[])
    for unit in {u for _c, u in queues}:
        below |= children_q(unit, "organization__")
    waiting = {
        (row["phase_id"], row["parent"]): (row["n"], row["oldest"])
        for row in PhaseReport.objects.filter(
            below,
            campaign_id__in={c.pk for c, _u in queues},
            status=ReviewStatus.SUBMITTED,
            organization__is_active=True,
        )
        .order_by()
        .annotate(parent=_parent_path())
        .values("phase_id", "parent")
        .annotate(n=Count("id"), oldest=Min("submitted_at"))
    }
    for campaign, unit in queues:
        for info in infos.get(campaign.pk, []):
            count, oldest = waiting.get((info.phase.pk, unit.path), (0, None))
            if not count and info.state(today) != "open":
                continue
            url = reverse("reports:queue", args=[campaign.pk, info.phase.pk, unit.pk])
            yield WorkItem(
                REVIEW,
                _("Reports on %(phase)s of the units below %(unit)s")
                % {"phase": info.phase.name, "unit": unit.display_name},
                f"{url}?status={ReviewStatus.SUBMITTED}" if count else url,
                state=TO_DO if count else DONE,
                count=count,
                since=oldest,
                unit=unit.display_name,
                unit_id=unit.pk,
                campaign=campaign_label(campaign),
                campaign_id=campaign.pk,
                kind=f"report-queue:{info.number}",
                order=10 + info.number,
                testid="work-report-queue",
            )


# --- The receiving department ----------------------------------------------------------------


def _inbox_detail(new: int, received: int) -> str:
    parts = []
    if new:
        parts.append(ngettext("%(count)s new", "%(count)s new", new) % {"count": new})
    if received:
        parts.append(
            ngettext(
                "%(count)s received, awaiting review",
                "%(count)s received, awaiting review",
                received,
            )
            % {"count": received}
        )
    return "; ".join(parts)


@provide(STAFF)
def report_inbox(context: Context):
    """The inbox of each campaign whose reports reach the person: the reports sent and not
    yet accepted or returned, new (not marked received) or received, and the oldest (one
    aggregate)."""
    campaigns = [
        c
        for c in context.campaigns
        if c.is_active and context.user.has_perm("reports.view_inbox", c)
    ]
    if not campaigns:
        return
    reached = Q(pk__in=[])
    for campaign in campaigns:
        issuer = campaign.issuer
        reached |= Q(campaign=campaign) & children_q(issuer, "organization__")
    rows = {
        row["campaign_id"]: row
        for row in PhaseReport.objects.filter(reached, status=ReviewStatus.SUBMITTED)
        .order_by()
        .values("campaign_id")
        .annotate(
            new=Count("id", filter=Q(received_at__isnull=True)),
            received=Count("id", filter=Q(received_at__isnull=False)),
            oldest=Min("submitted_at"),
        )
    }
    for campaign in campaigns:
        row = rows.get(campaign.pk, {"new": 0, "received": 0, "oldest": None})
        count = row["new"] + row["received"]
        url = reverse("reports:inbox", args=[campaign.pk])
        yield WorkItem(
            STAFF,
            _("Inbox of the reports sent to %(unit)s") % {"unit": campaign.issuer.display_name},
            f"{url}?mark=new" if row["new"] else url,
            state=TO_DO if count else DONE,
            count=count,
            since=row["oldest"],
            detail=_inbox_detail(row["new"], row["received"]),
            unit_id=campaign.issuer_id,
            campaign=campaign_label(campaign),
            campaign_id=campaign.pk,
            kind="inbox",
            testid="work-inbox",
        )


@provide(STAFF)
def report_overdue(context: Context):
    """For each branch the person watches as staff and each phase past its report deadline:
    the units with nothing sent less those whose extension still runs, from the counters
    (units, reports sent) and the few running extensions (four queries)."""
    today = context.today
    watched = [(c, u) for c in context.campaigns for u in context.watched_units(c)]
    if not watched:
        return
    infos = phases_of(context)
    late = [
        (campaign, info, unit)
        for campaign, unit in watched
        for info in infos.get(campaign.pk, [])
        if is_late(campaign, info.phase, today)
    ]
    if not late:
        return
    branch_ids = {u.pk for _c, _i, u in late}
    phase_ids = {i.phase.pk for _c, i, _u in late}
    units = branch_units(context, branch_ids)
    sent = {
        (row["phase_id"], row["branch_id"]): row["n"] or 0
        for row in BranchReportCount.objects.filter(
            phase_id__in=phase_ids, branch_id__in=branch_ids, status__in=SENT
        )
        .order_by()
        .values("phase_id", "branch_id")
        .annotate(n=Sum("units"))
    }
    running = Q(pk__in=[])
    for _campaign, info, unit in late:
        running |= Q(phase=info.phase) & subtree_q(unit, "organization__")
    sent_already = PhaseReport.objects.filter(
        phase=OuterRef("phase"), organization=OuterRef("organization"), status__in=SENT
    )
    extensions = list(
        ReportExtension.objects.filter(running, until__gte=today, organization__is_active=True)
        .exclude(Exists(sent_already))
        .values_list("phase_id", "organization_id", "organization__path")
    )
    for campaign, info, unit in late:
        total = units.get(unit.pk, {}).get("units", 0)
        if unit.pk == campaign.issuer_id and unit.is_active:
            total -= 1  # the issuer counts in its branch but takes no part
        still_running = sum(
            1
            for phase_id, unit_id, path in extensions
            if phase_id == info.phase.pk
            and path.startswith(unit.path)
            and unit_id != campaign.issuer_id
        )
        overdue = total - sent.get((info.phase.pk, unit.pk), 0) - still_running
        if overdue <= 0:
            continue
        deadline = info.phase.report_deadline
        url = reverse("reports:dashboard", args=[campaign.pk, unit.pk])
        yield WorkItem(
            STAFF,
            ngettext(
                "%(count)s unit has not sent its report on %(phase)s",
                "%(count)s units have not sent their report on %(phase)s",
                overdue,
            )
            % {"count": overdue, "phase": info.phase.name},
            f"{url}?phase={info.phase.pk}",
            state=TO_DO,
            count=overdue,
            deadline=deadline,
            days_left=days_left(deadline, today),
            unit=unit.display_name,
            unit_id=unit.pk,
            campaign=campaign_label(campaign),
            campaign_id=campaign.pk,
            kind=f"report-overdue:{info.number}",
            order=10 + info.number,
            testid="work-report-overdue",
        )
