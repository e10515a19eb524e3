"""The registration work of the home page and of the campaign page (:mod:`emulation.work`):

- for the person's units: register, finish the draft, fix what was returned, or wait for the
  unit above (with the deadline, extended or not, and the days left);
- for reviewers: the queue of the units directly below each unit they keep, with the number
  waiting (from the counters per branch) and when the oldest was sent;
- for staff: the units of their branch past the registration deadline with nothing sent.

Each provider costs a fixed number of queries whatever the number of units below the person.
"""

from django.db.models import Exists, F, Min, OuterRef, Q, Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.work import Context, branch_units, campaign_label
from emulation.work import DONE, REVIEW, STAFF, TO_DO, UNIT, WAITING, WorkItem, days_left, provide
from emulation.workflow import SENT, ReviewStatus
from federation.models import Organization, children_q, subtree_q
from registrations.models import (
    NOT_REGISTERED,
    DeadlineExtension,
    Level,
    Registration,
    RegistrationCount,
    effective_deadline,
)
from registrations.selectors.common import past_deadline, status_label

# --- The unit's own registration -------------------------------------------------------------


def _title(campaign, status: str) -> str:
    if status == ReviewStatus.RETURNED:
        return _("Fix the returned registration and submit it again")
    if status == ReviewStatus.DRAFT:
        return _("Finish the registration and submit it")
    if status == NOT_REGISTERED:
        return ngettext(
            "Register at least %(count)s theme",
            "Register at least %(count)s themes",
            campaign.min_themes,
        ) % {"count": campaign.min_themes}
    return _("Emulation registration")


def prepared_pairs(context: Context) -> list:
    """(campaign, unit) for each unit whose work the person prepares in each campaign."""
    return [(c, u) for c in context.campaigns for u in context.prepared_units(c)]


def own_registrations(context: Context) -> dict[tuple[int, int], tuple[str, str]]:
    """(campaign id, unit id) -> (status, reviewer's comment) of the registrations of the
    person's units (one query, once per context: the reports' work reads it too)."""

    def read():
        pairs = prepared_pairs(context)
        if not pairs:
            return {}
        return {
            (campaign_id, unit_id): (status, comment)
            for campaign_id, unit_id, status, comment in Registration.objects.filter(
                campaign_id__in={c.pk for c, _u in pairs},
                organization_id__in={u.pk for _c, u in pairs},
            ).values_list("campaign_id", "organization_id", "status", "review_comment")
        }

    return context.remember("registrations:own", read)


@provide(UNIT)
def registration_work(context: Context):
    """The registration of each of the person's units in each campaign (two queries)."""
    pairs = prepared_pairs(context)
    if not pairs:
        return
    campaign_ids = {c.pk for c, _u in pairs}
    unit_ids = {u.pk for _c, u in pairs}
    found = own_registrations(context)
    extended = {
        (campaign_id, unit_id): until
        for campaign_id, unit_id, until in DeadlineExtension.objects.filter(
            campaign_id__in=campaign_ids, organization_id__in=unit_ids
        ).values_list("campaign_id", "organization_id", "until")
    }
    for campaign, unit in pairs:
        status, comment = found.get((campaign.pk, unit.pk), (NOT_REGISTERED, ""))
        if status == ReviewStatus.APPROVED:
            state = DONE
        elif status == ReviewStatus.SUBMITTED:
            state = WAITING
        else:
            state = TO_DO
        deadline = None
        if state == TO_DO:
            deadline = effective_deadline(campaign, extended.get((campaign.pk, unit.pk)))
        days = days_left(deadline, context.today)
        detail = ""
        if status == ReviewStatus.RETURNED and comment:
            detail = comment
        elif days is not None and days < 0:
            detail = _("Ask the unit above for an extension.")
        yield WorkItem(
            UNIT,
            _title(campaign, status),
            reverse("registrations:unit", args=[campaign.pk, unit.pk]),
            state=state,
            status=status,
            status_label=str(status_label(status)),
            deadline=deadline,
            days_left=days,
            detail=detail,
            unit=unit.display_name,
            unit_id=unit.pk,
            campaign=campaign_label(campaign),
            campaign_id=campaign.pk,
            kind="registration",
            testid="work-registration",
        )


# --- The reviewer's queues -------------------------------------------------------------------


def _parent_path():
    """The path of the unit directly above a registration's unit."""
    return Substr("organization__path", 1, (F("organization__depth") - 1) * Organization.steplen)


@provide(REVIEW)
def registration_queues(context: Context):
    """The queue of each unit the person reviews in each campaign: the registrations awaiting
    review there from the counters (one query), and when the oldest was sent (one aggregate,
    only when some wait)."""
    queues = [(c, u) for c in context.campaigns if c.is_active for u in context.reviewed_units(c)]
    if not queues:
        return
    waiting = {
        (row["campaign_id"], row["branch_id"]): row["n"]
        for row in RegistrationCount.objects.filter(
            campaign_id__in={c.pk for c, _u in queues},
            branch_id__in={u.pk for _c, u in queues},
            level=Level.CHILD,
            status=ReviewStatus.SUBMITTED,
        )
        .order_by()
        .values("campaign_id", "branch_id")
        .annotate(n=Sum("units"))
    }
    oldest = {}
    busy = [(c, u) for c, u in queues if waiting.get((c.pk, u.pk))]
    if busy:
        below = Q(pk__in=[])
        for unit in {u for _c, u in busy}:
            below |= children_q(unit, "organization__")
        oldest = {
            (row["campaign_id"], row["parent"]): row["oldest"]
            for row in Registration.objects.filter(
                below,
                campaign_id__in={c.pk for c, _u in busy},
                status=ReviewStatus.SUBMITTED,
                organization__is_active=True,
            )
            .order_by()
            .annotate(parent=_parent_path())
            .values("campaign_id", "parent")
            .annotate(oldest=Min("submitted_at"))
        }
    for campaign, unit in queues:
        count = waiting.get((campaign.pk, unit.pk)) or 0
        url = reverse("registrations:queue", args=[campaign.pk, unit.pk])
        yield WorkItem(
            REVIEW,
            _("Registrations of the units below %(unit)s") % {"unit": unit.display_name},
            f"{url}?status={ReviewStatus.SUBMITTED}" if count else url,
            state=TO_DO if count else DONE,
            count=count,
            since=oldest.get((campaign.pk, unit.path)),
            unit=unit.display_name,
            unit_id=unit.pk,
            campaign=campaign_label(campaign),
            campaign_id=campaign.pk,
            kind="registration-queue",
            testid="work-registration-queue",
        )


# --- The units overdue -----------------------------------------------------------------------


@provide(STAFF)
def registration_overdue(context: Context):
    """For each branch the person watches as staff in a campaign past its registration
    deadline: the units with nothing sent less those whose extended deadline still runs, from
    the counters (units, registrations sent) and the few running extensions (three queries)."""
    today = context.today
    watched = [
        (c, u)
        for c in context.campaigns
        if past_deadline(c, today)
        for u in context.watched_units(c)
    ]
    if not watched:
        return
    branch_ids = {u.pk for _c, u in watched}
    units = branch_units(context, branch_ids)
    sent = {
        (row["campaign_id"], row["branch_id"]): row["n"] or 0
        for row in RegistrationCount.objects.filter(
            campaign_id__in={c.pk for c, _u in watched},
            branch_id__in=branch_ids,
            status__in=SENT,
        )
        .order_by()
        .values("campaign_id", "branch_id")
        .annotate(n=Sum("units"))
    }
    # The extensions still running of units that sent nothing: few, read as rows.
    running = Q(pk__in=[])
    for campaign, unit in watched:
        running |= Q(campaign=campaign) & subtree_q(unit, "organization__")
    sent_already = Registration.objects.filter(
        campaign=OuterRef("campaign"), organization=OuterRef("organization"), status__in=SENT
    )
    extensions = list(
        DeadlineExtension.objects.filter(running, until__gte=today, organization__is_active=True)
        .exclude(Exists(sent_already))
        .values_list("campaign_id", "organization_id", "organization__path")
    )
    for campaign, unit in watched:
        total = units.get(unit.pk, {}).get("units", 0)
        if unit.pk == campaign.issuer_id and unit.is_active:
            total -= 1  # the issuer counts in its branch but takes no part
        still_running = sum(
            1
            for campaign_id, unit_id, path in extensions
            if campaign_id == campaign.pk
            and path.startswith(unit.path)
            and unit_id != campaign.issuer_id
        )
        overdue = total - sent.get((campaign.pk, unit.pk), 0) - still_running
        if overdue <= 0:
            continue
        deadline = campaign.registration_deadline
        yield WorkItem(
            STAFF,
            ngettext(
                "%(count)s unit has not sent its registration",
                "%(count)s units have not sent their registration",
                overdue,
            )
            % {"count": overdue},
            reverse("registrations:summary", args=[campaign.pk, unit.pk]),
            state=TO_DO,
            count=overdue,
            deadline=deadline,
            days_left=days_left(deadline, today),
            unit=unit.display_name,
            unit_id=unit.pk,
            campaign=campaign_label(campaign),
            campaign_id=campaign.pk,
            kind="registration-overdue",
            testid="work-registration-overdue",
        )
