"""What is due: for one day, every (rule, recipient, occurrence), with queries issued per rule
and in batches, never per unit."""

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignStatus
from emulation.workflow import SENT
from federation.models import SUBTREE_ROLES, Membership, Organization
from registrations.models import DeadlineExtension, Registration
from registrations.selectors.common import participants
from reminders.models import Audience, DeliveryStatus, Event, ReminderRule
from reminders.services import limits
from reminders.texts import default_rules


def create_default_rules(campaign: Campaign) -> list[ReminderRule]:
    if campaign.reminder_rules.exists():
        return []
    return ReminderRule.objects.bulk_create(ReminderRule(**row) for row in default_rules(campaign))


# ---------------------------------------------------------------------------------------------
# Events and audiences.


@dataclass(frozen=True)
class Occurrence:
    key: str
    date: dt.date
    phase: object = None
    milestone: object = None


def occurrences(rule: ReminderRule) -> list[Occurrence]:
    """Every dated instance of the rule's event in its campaign."""
    campaign = rule.campaign
    if rule.event == Event.REGISTRATION_DEADLINE:
        day = campaign.registration_deadline
        return [Occurrence(f"registration:{day}", day)] if day else []
    if rule.event in (Event.REPORT_DEADLINE, Event.PHASE_START):
        phases = [rule.phase] if rule.phase_id else list(campaign.phases.all())
        result = []
        for phase in phases:
            day = phase.report_deadline if rule.event == Event.REPORT_DEADLINE else phase.start
            if day:
                result.append(Occurrence(f"{rule.event}:{phase.pk}:{day}", day, phase=phase))
        return result
    milestones = [rule.milestone] if rule.milestone_id else list(campaign.milestones.all())
    return [Occurrence(f"milestone:{m.pk}:{m.date}", m.date, milestone=m) for m in milestones]


def _report_models():
    """PhaseReport and ReportExtension when the reports app is installed (None otherwise: then
    no unit counts as having reported)."""
    try:
        return apps.get_model("reports", "PhaseReport"), apps.get_model(
            "reports", "ReportExtension"
        )
    except LookupError:
        return None, None


def submitted_ids(rule: ReminderRule, occurrence: Occurrence, today: dt.date) -> list:
    """Subqueries of the ids of the units that had sent what the event asks for by ``today``
    (or may still send it: their deadline was extended past ``today``)."""
    campaign = rule.campaign
    sent_by_today = Q(status__in=SENT) & (
        Q(submitted_at__isnull=True) | Q(submitted_at__date__lte=today)
    )
    if occurrence.phase is not None:
        report, extension = _report_models()
        if report is None:
            return []
        ids = report.objects.filter(sent_by_today, phase=occurrence.phase).values("organization_id")
        extended = extension.objects.filter(phase=occurrence.phase, until__gte=today).values(
            "organization_id"
        )
    else:
        ids = Registration.objects.filter(sent_by_today, campaign=campaign).values(
            "organization_id"
        )
        extended = DeadlineExtension.objects.filter(campaign=campaign, until__gte=today).values(
            "organization_id"
        )
    if today > occurrence.date:
        return [ids.order_by(), extended.order_by()]
    return [ids.order_by()]


def late_units(rule: ReminderRule, occurrence: Occurrence, today: dt.date):
    """The participating units that have not sent what the event asks for (one query)."""
    units = participants(rule.campaign)
    for done in submitted_ids(rule, occurrence, today):
        units = units.exclude(pk__in=done)
    return units


def audience_units(rule: ReminderRule, occurrence: Occurrence, today: dt.date):
    if rule.audience == Audience.ALL_UNITS:
        return participants(rule.campaign)
    return late_units(rule, occurrence, today)


UNIT_FIELDS = ("id", "path", "name", "short_name", "email")


def _iter_units(queryset) -> Iterable[tuple]:
    return queryset.order_by("path").values_list(*UNIT_FIELDS).iterator(chunk_size=limits.BATCH)


def _names_of_paths(paths: Iterable[str]) -> dict[str, str]:
    names = {}
    paths = list(paths)
    for start in range(0, len(paths), limits.BATCH):
        for path, name, short in Organization.objects.filter(
            path__in=paths[start : start + limits.BATCH]
        ).values_list("path", "name", "short_name"):
            names[path] = name or short
    return names


def _listing(names: list[str]) -> str:
    if len(names) <= limits.LIST_LIMIT:
        return ", ".join(names)
    return _("%(names)s and %(count)d more units") % {
        "names": ", ".join(names[: limits.LIST_LIMIT]),
        "count": len(names) - limits.LIST_LIMIT,
    }


def _link(rule: ReminderRule) -> str:
    if rule.event == Event.REGISTRATION_DEADLINE:
        path = reverse("registrations:index")
    else:
        path = rule.campaign.get_absolute_url()
    return settings.SITE_URL.rstrip("/") + path


def campaign_label(campaign: Campaign) -> str:
    if campaign.document_number:
        return _("Plan %(number)s of %(year)d") % {
            "number": campaign.document_number,
            "year": campaign.year,
        }
    return campaign.title[:80]


@dataclass
class Due:
    """One due delivery, before it is written."""

    rule: ReminderRule
    occurrence: Occurrence
    recipient: str
    label: str
    context: dict
    organization_id: int | None = None
    user_id: int | None = None
    department_id: int | None = None

    def values(self, created_at) -> tuple:
        """The row's values in the order of :data:`DELIVERY_COLUMNS`."""
        return (
            self.rule.campaign_id,
            self.rule.pk,
            self.recipient,
            self.occurrence.key,
            self.organization_id,
            self.user_id,
            self.department_id,
            json.dumps(self.context),
            DeliveryStatus.PENDING,
            created_at,
        )


DELIVERY_COLUMNS = (
    "campaign",
    "rule",
    "recipient",
    "occurrence",
    "organization",
    "user",
    "department",
    "context",
    "status",
    "created_at",
)


def _base_context(rule: ReminderRule, occurrence: Occurrence, today: dt.date) -> dict:
    return {
        "deadline": occurrence.date.strftime("%d/%m/%Y"),
        "days_left": (occurrence.date - today).days,
        "link": _link(rule),
        "campaign": campaign_label(rule.campaign),
        "phase": occurrence.phase.name if occurrence.phase is not None else "",
    }


def resolve(rule: ReminderRule, occurrence: Occurrence, today: dt.date) -> Iterable[Due]:
    """The deliveries of ``rule`` for ``occurrence`` as seen on ``today`` (a few queries per
    rule, whatever the number of units)."""
    base = _base_context(rule, occurrence, today)
    if rule.audience in (Audience.NOT_SUBMITTED, Audience.ALL_UNITS):
        for pk, _path, name, _short, _email in _iter_units(audience_units(rule, occurrence, today)):
            yield Due(
                rule, occurrence, f"org:{pk}", name, {**base, "unit": name}, organization_id=pk
            )
        return
    late = list(_iter_units(late_units(rule, occurrence, today)))
    step = Organization.steplen
    by_parent: dict[str, list[str]] = defaultdict(list)
    for _pk, path, name, _short, _email in late:
        by_parent[path[:-step]].append(name)
    if rule.audience == Audience.DEPARTMENT:
        department = rule.campaign.receiving_department
        if department is None or not late:
            return
        parents = _names_of_paths(by_parent)
        groups = [
            {
                "parent": parents.get(path, path),
                "count": len(names),
                "units": names[: limits.LIST_LIMIT],
                "more": max(0, len(names) - limits.LIST_LIMIT),
            }
            for path, names in sorted(by_parent.items())
        ]
        yield Due(
            rule,
            occurrence,
            f"dept:{department.pk}",
            str(department),
            {**base, "unit": department.name, "groups": groups, "late_count": len(late)},
            department_id=department.pk,
        )
        return
    # Reviewers: the leaders and staff of the unit directly above each late unit.
    per_user: dict[int, list[str]] = defaultdict(list)
    seen: set[tuple[int, str]] = set()
    labels: dict[int, str] = {}
    # The reviewer's unit (the first of theirs, by path): the unit their email is filed under.
    units: dict[int, int] = {}
    paths = list(by_parent)
    for start in range(0, len(paths), limits.BATCH):
        rows = (
            Membership.objects.filter(
                role__in=SUBTREE_ROLES,
                organization__path__in=paths[start : start + limits.BATCH],
                organization__is_active=True,
                user__is_active=True,
            )
            .values_list(
                "user_id",
                "organization__path",
                "user__full_name",
                "user__username",
                "organization_id",
            )
            .order_by("user_id", "organization__path")
        )
        for user_id, path, full_name, username, unit_id in rows:
            if (user_id, path) not in seen:
                seen.add((user_id, path))
                per_user[user_id].extend(by_parent[path])
            labels[user_id] = full_name or username
            units.setdefault(user_id, unit_id)
    for user_id, names in sorted(per_user.items()):
        yield Due(
            rule,
            occurrence,
            f"user:{user_id}",
            labels[user_id],
            {**base, "unit": _listing(names), "late_count": len(names)},
            organization_id=units[user_id],
            user_id=user_id,
        )


def campaigns_for(today: dt.date, *, include_closed: bool):
    statuses = [CampaignStatus.ACTIVE] + ([CampaignStatus.CLOSED] if include_closed else [])
    return Campaign.objects.filter(status__in=statuses).select_related("receiving_department")


def due_rules(today: dt.date, *, include_closed: bool = False, campaign_ids=None):
    """(rule, occurrence) pairs that fire on ``today``."""
    campaigns = campaigns_for(today, include_closed=include_closed)
    if campaign_ids is not None:
        campaigns = campaigns.filter(pk__in=campaign_ids)
    rules = (
        ReminderRule.objects.filter(is_active=True, campaign__in=campaigns)
        .select_related("campaign__receiving_department__organization", "phase", "milestone")
        .prefetch_related("campaign__phases", "campaign__milestones")
        .order_by("campaign_id", "event", "offset_days", "id")
    )
    for rule in rules:
        for occurrence in occurrences(rule):
            if occurrence.date + dt.timedelta(days=rule.offset_days) == today:
                yield rule, occurrence


def plan(today: dt.date, *, include_closed: bool = False, campaign_ids=None) -> Iterable[Due]:
    for rule, occurrence in due_rules(
        today, include_closed=include_closed, campaign_ids=campaign_ids
    ):
        yield from resolve(rule, occurrence, today)
