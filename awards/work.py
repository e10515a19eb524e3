"""The commendation work of the home page and of the campaign page (:mod:`emulation.work`):

- for the person's units: nominate for the review of a phase while its reporting is open
  (nominations go up with the phase's report, so the report deadline is theirs), and fix each
  nomination that was returned;
- for reviewers: the nominations waiting at the units they review for their endorsement; for
  the staff who convene a council, the nominations waiting for a session and those the council
  approved that wait for a decision;
- for council members: the sessions open for their vote, with what they have not voted on;
- the latest decisions that awarded the person's units or their people.

Each provider costs a fixed number of queries whatever the number of units below the person.
"""

from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards.models import (
    AwardType,
    CouncilResult,
    CouncilSession,
    Nomination,
    Occasion,
    SessionItem,
    SessionStatus,
    Stage,
)
from awards.selectors import council_units_managed, visible_decisions
from campaigns.dates import dmy
from campaigns.models import CampaignStatus
from campaigns.work import Context, campaign_label
from emulation.work import (
    COUNCIL,
    DONE,
    NEWS,
    REVIEW,
    TO_DO,
    UNIT,
    WAITING,
    WorkItem,
    days_left,
    provide,
)
from emulation.workflow import ReviewStatus
from federation.models import SUBTREE_ROLES, Organization
from reports.work import phases_of

LATEST_DECISIONS = 5


def _prefixes(path: str) -> list[str]:
    step = Organization.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def _window_title(info) -> str:
    if info.is_final:
        return _("Nominate for commendation at the final review (tổng kết)")
    return _("Nominate for commendation at the interim review (sơ kết) of %(phase)s") % {
        "phase": info.phase.name
    }


def _matches(nomination: dict, info) -> bool:
    """The nomination is for the review of this phase."""
    if info.is_final:
        return nomination["occasion"] == Occasion.YEAR_END
    return nomination["occasion"] == Occasion.PHASE and nomination["phase_id"] == info.phase.pk


@provide(UNIT)
def nomination_work(context: Context):
    """For each of the person's units: the nominations for the review of each phase whose
    reporting is open, and the nominations returned to it (two queries: their nominations and,
    while some window is open, the awards the units may nominate for; the reporting dates are
    the reports' work's, read once)."""
    today = context.today
    pairs = [(c, u) for c in context.campaigns for u in context.prepared_units(c)]
    if not pairs:
        return
    units = {u.pk: u for _c, u in pairs}
    infos = phases_of(context)
    windows = {
        campaign.pk: [
            info
            for info in infos.get(campaign.pk, [])
            if info.state(today) == "open" and info.phase.report_deadline
        ]
        for campaign, _unit in pairs
    }
    granting = set()
    if any(windows.values()):
        granting = set(
            AwardType.objects.filter(
                is_active=True,
                granting_unit__path__in={p for u in units.values() for p in _prefixes(u.path)},
            ).values_list("granting_unit__path", flat=True)
        )
    nominations = list(
        Nomination.objects.filter(
            campaign_id__in={c.pk for c, _u in pairs}, nominating_unit_id__in=list(units)
        )
        .order_by("pk")
        .values(
            "pk",
            "campaign_id",
            "nominating_unit_id",
            "occasion",
            "phase_id",
            "status",
            "council_result",
            "person_name",
            "nominee_kind",
            "nominee_unit__name",
            "review_comment",
        )
    )
    for campaign, unit in pairs:
        mine = [
            n
            for n in nominations
            if n["campaign_id"] == campaign.pk and n["nominating_unit_id"] == unit.pk
        ]
        open_windows = windows[campaign.pk]
        may_nominate = any(path in granting for path in _prefixes(unit.path))
        for info in open_windows if may_nominate else []:
            these = [n for n in mine if _matches(n, info)]
            drafts = sum(1 for n in these if n["status"] == ReviewStatus.DRAFT)
            sent = sum(1 for n in these if n["status"] != ReviewStatus.DRAFT)
            if drafts:
                label = ngettext(
                    "%(count)s draft not sent", "%(count)s drafts not sent", drafts
                ) % {"count": drafts}
            elif sent:
                label = ngettext(
                    "%(count)s nomination sent", "%(count)s nominations sent", sent
                ) % {"count": sent}
            else:
                label = _("No nomination yet")
            state = WAITING if sent and not drafts else TO_DO
            deadline = info.phase.report_deadline
            if these:
                url = reverse("awards:nominations") + ("?stage=draft" if drafts else "")
            else:
                url = reverse("awards:nomination-create") + f"?unit={unit.pk}"
            yield WorkItem(
                UNIT,
                _window_title(info),
                url,
                state=state,
                status="draft" if drafts else ("submitted" if sent else "none"),
                status_label=label,
                deadline=deadline if state == TO_DO else None,
                days_left=days_left(deadline, today) if state == TO_DO else None,
                detail=_("Nominations go up with the report on %(phase)s.")
                % {"phase": info.phase.name},
                unit=unit.display_name,
                unit_id=unit.pk,
                campaign=campaign_label(campaign),
                campaign_id=campaign.pk,
                kind=f"nominate:{info.number}",
                order=30 + info.number,
                testid="work-nominate",
            )
        for nomination in mine:
            if nomination["status"] != ReviewStatus.RETURNED:
                continue
            if nomination["council_result"] == CouncilResult.REJECTED:
                continue
            window = next((i for i in open_windows if _matches(nomination, i)), None)
            deadline = window.phase.report_deadline if window else None
            nominee = (
                nomination["person_name"]
                if nomination["person_name"]
                else nomination["nominee_unit__name"]
            )
            yield WorkItem(
                UNIT,
                _("Fix the returned nomination of %(nominee)s") % {"nominee": nominee},
                reverse("awards:nomination-detail", args=[nomination["pk"]]),
                state=TO_DO,
                status=ReviewStatus.RETURNED,
                status_label=str(Stage.RETURNED.label),
                deadline=deadline,
                days_left=days_left(deadline, today),
                detail=nomination["review_comment"],
                unit=unit.display_name,
                unit_id=unit.pk,
                campaign=campaign_label(campaign),
                campaign_id=campaign.pk,
                kind="nomination-returned",
                order=50,
                testid="work-nomination-returned",
            )


# --- Reviewers and the staff who convene the council -----------------------------------------


@provide(REVIEW)
def nomination_queues(context: Context):
    """The nominations waiting at each unit the person reviews for their endorsement, short of
    the granting unit (one aggregate); for the staff who convene a council, those waiting for a
    session and those approved that wait for a decision (one aggregate)."""
    user = context.user
    levels = {u.pk: u for u in context.units_with(*SUBTREE_ROLES)}
    if levels:
        rows = (
            Nomination.objects.filter(
                status=ReviewStatus.SUBMITTED,
                current_level_id__in=list(levels),
                campaign__status=CampaignStatus.ACTIVE,
            )
            .exclude(current_level=F("award_type__granting_unit"))
            .order_by()
            .values("current_level_id")
            .annotate(n=Count("id"), oldest=Min("submitted_at"))
        )
        for row in rows:
            unit = levels[row["current_level_id"]]
            yield WorkItem(
                REVIEW,
                _("Nominations waiting at %(unit)s for endorsement") % {"unit": unit.display_name},
                reverse("awards:nominations") + f"?stage={Stage.IN_REVIEW}",
                state=TO_DO,
                count=row["n"],
                since=row["oldest"],
                unit=unit.display_name,
                unit_id=unit.pk,
                kind="nomination-queue",
                testid="work-nomination-queue",
            )
    if not user.has_perm("awards.manage_council"):
        return
    on_open_session = SessionItem.objects.filter(
        nomination=OuterRef("pk"), session__status=SessionStatus.OPEN
    )
    at_council = Q(
        status=ReviewStatus.SUBMITTED,
        council_result=CouncilResult.NONE,
        current_level=F("award_type__granting_unit"),
    ) & ~Q(Exists(on_open_session))
    approved = Q(council_result=CouncilResult.APPROVED, decision__isnull=True)
    figures = (
        Nomination.objects.filter(
            at_council | approved,
            award_type__granting_unit__in=council_units_managed(user).values("pk"),
        )
        .order_by()
        .aggregate(
            waiting=Count("id", filter=at_council),
            oldest=Min("submitted_at", filter=at_council),
            approved=Count("id", filter=approved),
        )
    )
    if figures["waiting"]:
        yield WorkItem(
            REVIEW,
            _("Nominations waiting for a council session"),
            reverse("awards:session-create"),
            state=TO_DO,
            count=figures["waiting"],
            since=figures["oldest"],
            kind="council-waiting",
            testid="work-council-waiting",
        )
    if figures["approved"]:
        yield WorkItem(
            REVIEW,
            _("Nominations approved by the council waiting for a decision"),
            reverse("awards:decision-create"),
            state=TO_DO,
            count=figures["approved"],
            kind="decision-waiting",
            testid="work-decision-waiting",
        )


# --- Council members -------------------------------------------------------------------------


@provide(COUNCIL)
def council_sessions(context: Context):
    """The open sessions of the councils the person sits on, with how many items they have not
    voted on yet (one query)."""
    units = context.council_units()
    if not units:
        return
    mine = Q(items__votes__voter=context.user)
    sessions = (
        CouncilSession.objects.filter(
            status=SessionStatus.OPEN, granting_unit_id__in=[u.pk for u in units]
        )
        .select_related("granting_unit")
        .annotate(
            agenda=Count("items", distinct=True),
            voted=Count("items__votes", filter=mine, distinct=True),
        )
        .order_by("meeting_date", "pk")
    )
    for session in sessions:
        left = session.agenda - session.voted
        if left:
            label = ngettext(
                "%(count)s nomination to vote on", "%(count)s nominations to vote on", left
            ) % {"count": left}
        else:
            label = _("You have voted on every nomination")
        details = [_("Meeting on %(day)s") % {"day": dmy(session.meeting_date)}]
        if session.place:
            details.append(session.place)
        yield WorkItem(
            COUNCIL,
            session.title,
            session.get_absolute_url(),
            state=TO_DO if left else WAITING,
            status="todo" if left else "voted",
            status_label=label,
            # The meeting's day is in the detail; its days left count while votes are due.
            days_left=days_left(session.meeting_date, context.today) if left else None,
            detail=" · ".join(details),
            unit=session.granting_unit.display_name,
            unit_id=session.granting_unit_id,
            kind="session",
            testid="work-session",
        )


# --- The latest decisions --------------------------------------------------------------------


@provide(NEWS)
def latest_decisions(context: Context):
    """The latest decisions the person may open that awarded one of their units, a nomination
    of one of them, or that one of them issued (one query)."""
    ids = [u.pk for u in context.units]
    if not ids:
        return
    concerning = Q(issuer_id__in=ids) | Q(
        pk__in=Nomination.objects.filter(
            Q(nominee_unit_id__in=ids) | Q(nominating_unit_id__in=ids), decision__isnull=False
        ).values("decision_id")
    )
    decisions = (
        visible_decisions(context.user)
        .filter(concerning)
        .annotate(awardees=Count("nominations"))
        .order_by("-date", "-created_at", "-pk")[:LATEST_DECISIONS]
    )
    for decision in decisions:
        yield WorkItem(
            NEWS,
            _("Decision No. %(number)s: %(award)s")
            % {"number": decision.document_number, "award": decision.award_type.name},
            decision.get_absolute_url(),
            state=DONE,
            count=decision.awardees,
            since=decision.created_at,
            detail=" · ".join(filter(None, [dmy(decision.date), decision.subject])),
            unit=decision.issuer.display_name,
            unit_id=decision.issuer_id,
            kind="decision",
            testid="work-decision",
        )
