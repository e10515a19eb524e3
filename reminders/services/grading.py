"""Reminders of the grading deadline (hạn tự chấm điểm): the grassroots unions that have not
submitted their self-assessment are reminded a week before the deadline of their score sheet
and the day before it, in the app and by email to their officers and leaders.

Each reminder is one delivery row per unit and occurrence
(``grading:<sheet>:<deadline>:<days before>``), written with INSERT ... ON CONFLICT DO NOTHING
like every reminder: the hourly dispatch writes each once however often it runs; a run that
missed the day of a reminder sends it at the next run before the deadline; a deadline moved to
another day gives new reminders. A unit that submitted (or whose grading is approved) is not
reminded; one whose grading was returned is, as it must submit again.
"""

import datetime as dt
import json

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse

from emulation.workflow import SENT
from federation.models import Organization, OrganizationKind
from grading.models import Assessment, ScoreSheet
from reminders.models import Delivery, DeliveryStatus
from reminders.services.planning import DELIVERY_COLUMNS
from reminders.services.rows import _insert, _now

TEMPLATE = "grading-deadline"
# Days before the deadline a unit that has not submitted is reminded (the latest one due is
# sent; each once).
DAYS_BEFORE = (7, 1)


def _stage(days_left: int) -> int | None:
    """The reminder due ``days_left`` days before the deadline: the closest one to the
    deadline whose day has come (None before the first)."""
    due = [days for days in DAYS_BEFORE if days >= days_left]
    return min(due) if due and days_left >= 0 else None


def grading_due(*, today: dt.date, sheet_ids=None) -> list[tuple]:
    """The delivery rows of the grading reminders due on ``today`` (two queries per sheet
    whose reminder is due, none per unit)."""
    sheets = ScoreSheet.objects.filter(deadline__isnull=False, deadline__gte=today)
    if sheet_ids is not None:
        sheets = sheets.filter(pk__in=sheet_ids)
    base = settings.SITE_URL.rstrip("/")
    created_at = _now()
    rows = []
    for sheet in sheets.order_by("pk"):
        if sheet.opens_on and today < sheet.opens_on:
            continue
        days_left = (sheet.deadline - today).days
        stage = _stage(days_left)
        if stage is None:
            continue
        sent = Assessment.objects.filter(sheet=sheet, organization=OuterRef("pk"), status__in=SENT)
        units = (
            Organization.objects.filter(
                kind=OrganizationKind.GRASSROOTS,
                is_active=True,
                grading_profile__unit_type=sheet.unit_type,
            )
            .exclude(Exists(sent))
            .order_by("pk")
            .values_list("pk", "name")
        )
        occurrence = f"grading:{sheet.pk}:{sheet.deadline}:{stage}"
        common = {
            "template": TEMPLATE,
            "sheet": sheet.title,
            "year": sheet.year,
            "deadline": sheet.deadline.strftime("%d/%m/%Y"),
            "days_left": days_left,
        }
        for unit_id, name in units:
            link = base + reverse("grading:unit", args=[sheet.year, unit_id])
            context = json.dumps({**common, "unit": name, "link": link})
            rows.append(
                (
                    None,
                    None,
                    f"org:{unit_id}",
                    occurrence,
                    unit_id,
                    None,
                    None,
                    context,
                    DeliveryStatus.PENDING,
                    created_at,
                )
            )
    return rows


def grading_reminders(*, today: dt.date, sheet_ids=None) -> tuple[int, int]:
    """Write the grading reminders due on ``today``, once; returns (due, created)."""
    rows = grading_due(today=today, sheet_ids=sheet_ids)
    created = _insert(Delivery, DELIVERY_COLUMNS, rows, ignore_conflicts=True)
    return len(rows), created
