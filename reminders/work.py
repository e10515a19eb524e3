"""The person's unread notifications on the home page (:mod:`emulation.work`): how many, and
the latest of them with their links (one query; one more to count them when there are more
than the page shows)."""

from django.urls import reverse
from django.utils.translation import ngettext

from campaigns.work import Context
from emulation.work import NEWS, TO_DO, WorkItem, provide
from reminders.models import Notification

LATEST = 5


@provide(NEWS)
def unread_notifications(context: Context):
    if not context.user.is_authenticated:
        return
    unread = Notification.objects.filter(user=context.user, read_at__isnull=True)
    latest = list(unread.order_by("-id")[: LATEST + 1])
    if not latest:
        return
    total = len(latest) if len(latest) <= LATEST else unread.count()
    page = reverse("reminders:notifications")
    yield WorkItem(
        NEWS,
        ngettext("%(count)s unread notification", "%(count)s unread notifications", total)
        % {"count": total},
        page,
        state=TO_DO,
        count=total,
        since=latest[0].created_at,
        kind="notifications",
        testid="work-notifications",
    )
    for notification in latest[:LATEST]:
        yield WorkItem(
            NEWS,
            notification.subject,
            notification.link or page,
            state=TO_DO,
            since=notification.created_at,
            kind="notification",
            testid="work-notification",
        )
