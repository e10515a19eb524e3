"""Notices to the members of the emulation and commendation council: when a session opens for
them, and the day before it closes (the session's meeting date, when its votes are counted).

Like every reminder, each notice is one delivery row per member and occurrence
(``council:<session>:open``, ``council:<session>:eve:<meeting date>``), written with
INSERT ... ON CONFLICT DO NOTHING: the hourly dispatch writes each once, however often it runs.
A member who joins the council while a session is open is told at the next run; a meeting
moved to another day gives a new eve notice for the new day.
"""

import datetime as dt
import json

from django.conf import settings
from django.db.models import Count

from awards.models import CouncilSession, SessionStatus
from federation.models import Membership, Role
from reminders.models import Delivery, DeliveryStatus
from reminders.services.planning import DELIVERY_COLUMNS
from reminders.services.rows import _insert, _now

OPEN = "council-open"
EVE = "council-closing"


def _context(session: dict, template: str, today: dt.date) -> dict:
    meeting = session["meeting_date"]
    return {
        "template": template,
        "session": session["title"],
        "unit": session["granting_unit__name"],
        "meeting_date": meeting.strftime("%d/%m/%Y"),
        "days_left": (meeting - today).days,
        "place": session["place"],
        "items": session["item_count"],
        "link": settings.SITE_URL.rstrip("/") + CouncilSession(pk=session["pk"]).get_absolute_url(),
    }


def council_due(*, today: dt.date, session_ids=None) -> list[tuple]:
    """The delivery rows of the council notices due on ``today`` (two queries)."""
    # A session opened after ``today`` (a dispatch run for an earlier day) is not due yet.
    sessions = CouncilSession.objects.filter(
        status=SessionStatus.OPEN, granting_unit__is_active=True, created_at__date__lte=today
    )
    if session_ids is not None:
        sessions = sessions.filter(pk__in=session_ids)
    sessions = list(
        sessions.annotate(item_count=Count("items"))
        .values(
            "pk",
            "title",
            "meeting_date",
            "place",
            "granting_unit_id",
            "granting_unit__name",
            "item_count",
        )
        .order_by("pk")
    )
    if not sessions:
        return []
    members: dict[int, list[int]] = {}
    for unit_id, user_id in (
        Membership.objects.filter(
            role=Role.COUNCIL,
            organization_id__in={s["granting_unit_id"] for s in sessions},
            user__is_active=True,
        )
        .values_list("organization_id", "user_id")
        .order_by("organization_id", "user_id")
        .distinct()
    ):
        members.setdefault(unit_id, []).append(user_id)
    created_at = _now()
    rows = []
    for session in sessions:
        notices = [(f"council:{session['pk']}:open", OPEN)]
        if session["meeting_date"] - dt.timedelta(days=1) == today:
            notices.append((f"council:{session['pk']}:eve:{session['meeting_date']}", EVE))
        for occurrence, template in notices:
            context = json.dumps(_context(session, template, today))
            for user_id in members.get(session["granting_unit_id"], []):
                rows.append(
                    (
                        None,
                        None,
                        f"user:{user_id}",
                        occurrence,
                        session["granting_unit_id"],
                        user_id,
                        None,
                        context,
                        DeliveryStatus.PENDING,
                        created_at,
                    )
                )
    return rows


def council_notices(*, today: dt.date, session_ids=None) -> tuple[int, int]:
    """Write the council notices due on ``today``, once; returns (due, created)."""
    rows = council_due(today=today, session_ids=session_ids)
    created = _insert(Delivery, DELIVERY_COLUMNS, rows, ignore_conflicts=True)
    return len(rows), created
