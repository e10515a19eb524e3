"""The digest of a campaign's progress to its receiving department: every week for each
active campaign, and on demand from the outbox (previewed first)."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignStatus
from emulation.audit import audit_record
from federation.models import Organization
from registrations.models import Registration
from registrations.selectors.common import participants
from reminders.models import Delivery, Event, ReminderRule
from reminders.services.planning import Occurrence, _report_models, campaign_label, late_units
from reminders.services.processing import DispatchResult, process_pending


def _status_counts(queryset, group_length: int) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (
        queryset.annotate(branch=Substr("organization__path", 1, group_length))
        .values("branch", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["branch"]][row["status"]] = row["n"]
    return counts


def weekly_digest_context(campaign: Campaign, today: dt.date) -> dict:
    """Registrations and reports by status per child unit of the issuer, what changed in the
    week, the late units and the next deadlines and milestones (a handful of grouped queries)."""
    issuer = campaign.issuer
    group_length = len(issuer.path) + Organization.steplen
    week_start = today - dt.timedelta(days=7)
    children = list(
        Organization.objects.children_of(issuer).filter(is_active=True).values_list("path", "name")
    )
    units = participants(campaign)
    totals: dict[str, int] = defaultdict(int)
    for row in (
        units.annotate(branch=Substr("path", 1, group_length))
        .values("branch")
        .annotate(n=Count("id"))
        .order_by()
    ):
        totals[row["branch"]] = row["n"]
    registrations = Registration.objects.filter(campaign=campaign)
    reg_counts = _status_counts(registrations, group_length)
    report_model, _ext = _report_models()
    phase = (
        campaign.phases.filter(start__lte=today).order_by("-start").first()
        or campaign.phases.order_by("start").first()
    )
    rep_counts = {}
    if report_model is not None and phase is not None:
        rep_counts = _status_counts(report_model.objects.filter(phase=phase), group_length)
    rows = []
    for path, name in children:
        reg = reg_counts.get(path, {})
        rep = rep_counts.get(path, {})
        rows.append(
            {
                "name": name,
                "units": totals.get(path, 0),
                "registrations": {
                    "submitted": reg.get("submitted", 0),
                    "approved": reg.get("approved", 0),
                    "returned": reg.get("returned", 0),
                    "draft": reg.get("draft", 0),
                },
                "reports": {
                    "submitted": rep.get("submitted", 0),
                    "approved": rep.get("approved", 0),
                    "returned": rep.get("returned", 0),
                    "draft": rep.get("draft", 0),
                },
            }
        )
    changed = {
        "registrations_submitted": registrations.filter(submitted_at__date__gt=week_start).count(),
        "registrations_reviewed": registrations.filter(reviewed_at__date__gt=week_start).count(),
        "reports_submitted": 0,
        "reports_reviewed": 0,
    }
    if report_model is not None:
        reports = report_model.objects.filter(campaign=campaign)
        changed["reports_submitted"] = reports.filter(submitted_at__date__gt=week_start).count()
        changed["reports_reviewed"] = reports.filter(reviewed_at__date__gt=week_start).count()
    late = []
    probe = ReminderRule(
        campaign=campaign, event=Event.REGISTRATION_DEADLINE, audience="not_submitted"
    )
    deadlines = []
    if campaign.registration_deadline:
        deadlines.append((campaign.registration_deadline, _("Registration"), None))
    for each in campaign.phases.all():
        if each.report_deadline:
            deadlines.append(
                (each.report_deadline, _("Report on %(phase)s") % {"phase": each.name}, each)
            )
    for day, label, each in deadlines:
        if day < today:
            occurrence = Occurrence("", day, phase=each)
            count = late_units(probe, occurrence, today).count()
            if count:
                late.append({"label": label, "deadline": day.strftime("%d/%m/%Y"), "count": count})
    upcoming = [
        {"label": label, "date": day.strftime("%d/%m/%Y")}
        for day, label, _each in sorted(deadlines, key=lambda x: x[0])
        if day >= today
    ][:5]
    for milestone in campaign.milestones.filter(date__gte=today).select_related("holiday")[:5]:
        upcoming.append(
            {"label": milestone.holiday.name, "date": milestone.date.strftime("%d/%m/%Y")}
        )
    return {
        "campaign": campaign_label(campaign),
        "week_start": (week_start + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        "week_end": today.strftime("%d/%m/%Y"),
        "phase": phase.name if phase else "",
        "rows": rows,
        "changed": changed,
        "late": late,
        "upcoming": upcoming,
        "link": settings.SITE_URL.rstrip("/") + campaign.get_absolute_url(),
    }


def weekly_digest(*, today: dt.date | None = None, send=None) -> DispatchResult:
    """One digest per active campaign and week to its receiving department, once."""
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return _weekly_digest(today, send)


def _weekly_digest(today: dt.date, send) -> DispatchResult:
    year, week, _day = today.isocalendar()
    rows = []
    for campaign in Campaign.objects.filter(
        status=CampaignStatus.ACTIVE, receiving_department__isnull=False
    ).select_related("issuer", "receiving_department"):
        department = campaign.receiving_department
        rows.append(
            Delivery(
                campaign=campaign,
                rule=None,
                recipient=f"dept:{department.pk}",
                occurrence=f"week:{year}-W{week:02d}",
                department=department,
                context=weekly_digest_context(campaign, today),
            )
        )
    before = Delivery.objects.count()
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    created = Delivery.objects.count() - before
    result = process_pending(send=send)
    result.created = created
    return result


# ---------------------------------------------------------------------------------------------
# The digest on demand: previewed and sent from the outbox by the campaign's staff.

ASKED = "asked"


def digest_kind(occurrence: str) -> str:
    """ "weekly" or "asked" (sent on demand), from a digest delivery's occurrence."""
    return ASKED if occurrence.startswith(f"{ASKED}:") else "weekly"


def digest_preview(*, campaign: Campaign, today: dt.date) -> dict:
    """The digest the receiving department would get if it were sent now (nothing saved)."""
    with translation.override(settings.LANGUAGE_CODE):
        return {**weekly_digest_context(campaign, today), ASKED: True}


def digest_send(*, campaign: Campaign, by, today: dt.date, send=None) -> tuple[Delivery, bool]:
    """Send the campaign's digest to its receiving department now, once a day: the delivery
    and whether it is new (False: it was sent earlier that day, and that one is returned).

    Only the staff who configure the campaign may; the campaign must be active and have a
    receiving department. The digest goes like the weekly one: to each person of the
    department and to its mailbox, through the outbox; ``send`` gets the queued emails' ids
    after the commit."""
    if not by.has_perm("reminders.send_digest", campaign):
        raise PermissionDenied
    department = campaign.receiving_department
    if department is None:
        raise ValidationError(
            _("The campaign has no receiving department: choose one in its plan first."),
            code="no_department",
        )
    if campaign.status != CampaignStatus.ACTIVE:
        raise ValidationError(_("Only an active campaign's digest can be sent."), code="inactive")
    key = {
        "campaign": campaign,
        "rule": None,
        "recipient": f"dept:{department.pk}",
        "occurrence": f"{ASKED}:{today.isoformat()}",
    }
    with transaction.atomic():
        existing = Delivery.objects.filter(**key).first()
        if existing is not None:
            return existing, False
        context = {
            **digest_preview(campaign=campaign, today=today),
            "asked_by": by.get_full_name(),
        }
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(**key, department=department, context=context)
        except IntegrityError:  # sent by a second click meanwhile
            return Delivery.objects.get(**key), False
        audit_record(
            actor=by, action="digest-send", obj=campaign, changes={"department": department.name}
        )
    process_pending(send=send, only=[delivery.pk])
    return delivery, True
