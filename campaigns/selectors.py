"""Reads that pages share; each is a fixed number of queries whatever the size of the tree."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns import dates
from campaigns.models import Campaign, CampaignStatus, Holiday, Milestone, Phase
from federation.models import SUBTREE_ROLES, Organization, Role, memberships_of


def _prefixes(path: str) -> list[str]:
    step = Organization.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def visible_campaigns(user):
    """The campaigns ``user`` may see, the same set as the ``campaigns.view_campaign`` rule.

    A person sees the published campaigns of the units above their own (their unit is in the
    issuer's branch); leaders and staff also see those of the units below them (they review
    them); staff see the drafts of their branch, which they configure.
    """
    queryset = Campaign.objects.select_related("issuer")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    published = Q(pk__in=[])
    drafts = Q(pk__in=[])
    for membership in memberships_of(user):
        path = membership.organization_path
        published |= Q(issuer__path__in=_prefixes(path))
        if membership.role in SUBTREE_ROLES:
            published |= Q(issuer__path__startswith=path)
        if membership.role == Role.STAFF:
            drafts |= Q(issuer__path__startswith=path)
    return queryset.filter((published & ~Q(status=CampaignStatus.DRAFT)) | drafts)


# The campaigns units work on: active, or closed and kept as history (not drafts).
PUBLISHED = (CampaignStatus.ACTIVE, CampaignStatus.CLOSED)


def published_campaigns(user):
    """The campaigns ``user`` sees that are active or closed (the pages of registrations and
    reports)."""
    return visible_campaigns(user).filter(status__in=PUBLISHED)


PLAN = (
    "themes",
    "phases",
    Prefetch(
        "milestones",
        queryset=Milestone.objects.select_related("holiday").order_by("date", "pk"),
    ),
)


def with_counts(queryset):
    return queryset.annotate(
        theme_count=Count("themes", distinct=True), phase_count=Count("phases", distinct=True)
    )


# ---------------------------------------------------------------------------------------------
# The timeline of a campaign: phases, milestones and deadlines on the days of its year.


@dataclass
class Deadline:
    day: dt.date
    label: str
    kind: str  # "registration", "interim" or "final"
    phase: Phase | None = None


@dataclass
class PhaseView:
    phase: Phase
    number: int
    is_final: bool
    milestones: list

    @property
    def review_label(self) -> str:
        return _("final review (tổng kết)") if self.is_final else _("interim review (sơ kết)")


def phase_views(campaign: Campaign) -> list[PhaseView]:
    """The phases in order, each knowing whether its review is the final one, with its
    milestones (from the prefetched rows: no query)."""
    phases = sorted(campaign.phases.all(), key=lambda p: p.start)
    by_phase: dict[int | None, list] = {}
    for milestone in campaign.milestones.all():
        by_phase.setdefault(milestone.phase_id, []).append(milestone)
    return [
        PhaseView(
            phase=phase,
            number=index,
            is_final=index == len(phases),
            milestones=by_phase.get(phase.pk, []),
        )
        for index, phase in enumerate(phases, start=1)
    ]


def deadlines(campaign: Campaign, phases: list[PhaseView] | None = None) -> list[Deadline]:
    phases = phase_views(campaign) if phases is None else phases
    items = []
    if campaign.registration_deadline:
        items.append(
            Deadline(
                campaign.registration_deadline,
                ngettext(
                    "Register at least %(count)s theme",
                    "Register at least %(count)s themes",
                    campaign.min_themes,
                )
                % {"count": campaign.min_themes},
                "registration",
            )
        )
    for view in phases:
        if view.phase.report_deadline:
            label = (
                _("Send the final review report (tổng kết) of the year")
                if view.is_final
                else _("Send the interim review report (sơ kết) of %(phase)s")
                % {"phase": view.phase.name}
            )
            items.append(
                Deadline(
                    view.phase.report_deadline,
                    label,
                    "final" if view.is_final else "interim",
                    view.phase,
                )
            )
    return sorted(items, key=lambda d: d.day)


def _percent(campaign: Campaign, day: dt.date) -> float:
    length = (campaign.year_end - campaign.year_start).days + 1
    offset = min(max((day - campaign.year_start).days, 0), length)
    return offset * 100 / length


def _css(value: float) -> str:
    """A percentage for a style attribute: a dot as decimal mark whatever the language."""
    return f"{value:.3f}"


def timeline(campaign: Campaign, today: dt.date, phases: list[PhaseView]) -> dict:
    """The bar of the campaign page (positions in percent of the year) and the events of the
    year in order for the list beside it. Texts and dates are composed here, once: the page
    only prints them."""
    dmy = dates.dmy
    milestones = list(campaign.milestones.all())
    year_deadlines = deadlines(campaign, phases)
    bars = []
    for view in phases:
        phase = view.phase
        left = _percent(campaign, phase.start)
        right = _percent(campaign, phase.end + dt.timedelta(days=1))
        bars.append(
            {
                "name": phase.name,
                "left": _css(left),
                "width": _css(max(right - left, 0.5)),
                "title": f"{phase.name}: {dmy(phase.start)} – {dmy(phase.end)}",
            }
        )
    marks = [
        {
            "left": _css(_percent(campaign, m.date)),
            "title": f"{dmy(m.date)}: {m.wording}",
            "round": m.is_round,
        }
        for m in milestones
    ]
    flags = [
        {"left": _css(_percent(campaign, d.day)), "title": f"{dmy(d.day)}: {d.label}"}
        for d in year_deadlines
        if d.day.year == campaign.year
    ]
    months = [
        {
            "label": f"{month:02d}",
            "left": _css(_percent(campaign, dt.date(campaign.year, month, 1))),
        }
        for month in range(1, 13)
    ]
    events = []
    for view in phases:
        name = view.phase.name
        events.append(("phase-start", view.phase.start, _("%(name)s begins") % {"name": name}))
        events.append(("phase-end", view.phase.end, _("%(name)s ends") % {"name": name}))
    events += [("milestone", m.date, capfirst(m.wording), m.is_round) for m in milestones]
    events += [("deadline", d.day, d.label) for d in year_deadlines]
    order = {"phase-start": 0, "milestone": 1, "deadline": 2, "phase-end": 3}
    events.sort(key=lambda e: (e[1], order[e[0]]))
    rows = []
    upcoming_seen = False
    for kind, day, text, *rest in events:
        past = day < today
        rows.append(
            {
                "kind": kind,
                "date": dmy(day),
                "text": text,
                "round": bool(rest and rest[0]),
                "past": past,
                "first_upcoming": not past and not upcoming_seen,
            }
        )
        upcoming_seen = upcoming_seen or not past
    in_year = campaign.year_start <= today <= campaign.year_end
    return {
        "bars": bars,
        "marks": marks,
        "flags": flags,
        "months": months,
        "events": rows,
        "today_left": _css(_percent(campaign, today)) if in_year else None,
        "today": dmy(today),
        "any_past": any(row["past"] for row in rows),
    }


@dataclass
class NextStep:
    deadline: Deadline
    days_left: int

    @property
    def days_text(self) -> str:
        if self.days_left == 0:
            return _("due today")
        return ngettext("%(count)s day left", "%(count)s days left", self.days_left) % {
            "count": self.days_left
        }

    @property
    def urgent(self) -> bool:
        return self.days_left <= 7


def next_steps(campaign: Campaign, today: dt.date, phases: list[PhaseView]) -> list[NextStep]:
    """What a unit has to do next: the deadlines from today on, with the days left."""
    if not campaign.is_active:
        return []
    return [
        NextStep(deadline, dates.days_between(today, deadline.day))
        for deadline in deadlines(campaign, phases)
        if deadline.day >= today
    ]


def current_phase(phases: list[PhaseView], today: dt.date) -> PhaseView | None:
    found = dates.phase_for(today, [view.phase for view in phases])
    return next((view for view in phases if view.phase is found), None)


def units_in_branch(user, campaign: Campaign) -> list[Organization]:
    """The user's own units that take part in the campaign (one query)."""
    ids = [
        m.organization_id
        for m in memberships_of(user)
        if m.organization_path.startswith(campaign.issuer.path)
    ]
    if not ids:
        return []
    return list(Organization.objects.filter(pk__in=ids).order_by("depth", "path"))


# ---------------------------------------------------------------------------------------------
# Proposals of milestones: every catalogue day of the campaign year.


@dataclass
class Proposal:
    holiday: Holiday
    day: dt.date | None
    end: dt.date | None
    anniversary: int | None
    phase: Phase | None
    chosen: bool

    @property
    def exists(self) -> bool:
        return self.day is not None

    @property
    def is_round(self) -> bool:
        return dates.is_round(self.anniversary)

    @property
    def is_decade(self) -> bool:
        return dates.is_decade(self.anniversary)

    @property
    def wording(self) -> str:
        if self.day is None:
            return self.holiday.name
        return dates.milestone_wording(
            name=self.holiday.name,
            template=self.holiday.wording,
            day=self.day,
            end=self.end,
            origin_year=self.holiday.origin_year if self.anniversary else None,
            anniversary=self.anniversary,
        )


def proposals(campaign: Campaign) -> list[Proposal]:
    """Every catalogue day that applies to the issuer, in the campaign year, with its
    anniversary, whether it is round, its phase and whether it is already chosen."""
    phases = list(campaign.phases.all())
    chosen = set(campaign.milestones.values_list("holiday_id", flat=True))
    items = []
    for holiday in Holiday.objects.for_issuer(campaign.issuer).select_related("scope_unit"):
        try:
            day = holiday.date_in(campaign.year)
            end = holiday.end_in(campaign.year)
        except ValueError:
            day = end = None
        items.append(
            Proposal(
                holiday=holiday,
                day=day,
                end=end,
                anniversary=holiday.anniversary_in(campaign.year),
                phase=dates.phase_for(day, phases) if day else None,
                chosen=holiday.pk in chosen,
            )
        )
    return sorted(items, key=lambda p: (p.holiday.month, p.holiday.day, p.holiday.name))
