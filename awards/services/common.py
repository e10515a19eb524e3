"""What the commendation services share: the permission check, the row locks and small
formatting helpers."""

import datetime as dt

from django.core.exceptions import PermissionDenied

from awards.models import Nomination
from federation.models import Organization


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _lock_rows(queryset, pks):
    """Lock the rows of ``pks`` (without joins), then read them afresh with ``queryset``.

    PostgreSQL re-checks a locked row that another transaction changed against the query's
    joins as they were: a row whose foreign key moved (a nomination forwarded to the next
    level) would silently drop out of a joined ``SELECT ... FOR UPDATE``. Locking the bare rows
    first, then reading them with their related rows, avoids that.
    """
    pks = list(pks)
    list(queryset.model.objects.select_for_update().filter(pk__in=pks).values_list("pk", flat=True))
    return queryset.filter(pk__in=pks)


def _dmy(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _lock_nomination(nomination: Nomination) -> Nomination:
    return _lock_rows(
        Nomination.objects.select_related(
            "award_type__granting_unit",
            "nominating_unit",
            "nominee_unit",
            "current_level",
            "campaign",
        ),
        [nomination.pk],
    ).get()


def _in_subtree(unit: Organization, top: Organization) -> bool:
    return unit.path.startswith(top.path)


def _delete_stored(name: str) -> None:
    from django.core.files.storage import default_storage

    if name:
        default_storage.delete(name)
