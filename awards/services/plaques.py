"""Commemorative plaques for the key works registered by the units."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Plaque
from awards.rules import is_provincial_staff_over
from awards.services.common import _dmy, _lock_rows
from emulation.audit import audit_record
from emulation.workflow import ReviewStatus
from federation import rules as tree


def plaque_grant(*, by, key_work, note: str = "") -> Plaque:
    """Provincial staff decide that a registered key work receives a commemorative plaque."""
    with transaction.atomic():
        work = _lock_rows(
            type(key_work).objects.select_related(
                "registration__organization", "registration__campaign"
            ),
            [key_work.pk],
        ).get()
        unit = work.registration.organization
        if not (tree.is_superuser(by) or is_provincial_staff_over(by, unit)):
            raise PermissionDenied
        if work.registration.status != ReviewStatus.APPROVED:
            raise ValidationError(
                _("%(unit)s's registration is not approved yet: its works cannot get a plaque.")
                % {"unit": unit.name}
            )
        if Plaque.objects.filter(key_work=work).exists():
            raise ValidationError(
                _("“%(work)s” already has a plaque.") % {"work": work.name}, code="duplicate"
            )
        plaque = Plaque.objects.create(
            key_work=work, note=" ".join((note or "").split())[:300], granted_by=by
        )
        audit_record(
            actor=by,
            action="plaque-grant",
            obj=plaque,
            changes={"key_work": work.name, "unit": unit},
        )
    return plaque


def plaque_attach(*, plaque: Plaque, by, attached_on: dt.date) -> Plaque:
    """Record the day the plaque was attached to the work."""
    with transaction.atomic():
        locked = _lock_rows(
            Plaque.objects.select_related("key_work__registration__organization"), [plaque.pk]
        ).get()
        unit = locked.key_work.registration.organization
        if not (tree.is_superuser(by) or is_provincial_staff_over(by, unit)):
            raise PermissionDenied
        if attached_on is None:
            raise ValidationError({"attached_on": _("Please enter the day it was attached.")})
        if attached_on > timezone.localdate():
            raise ValidationError({"attached_on": _("The day it was attached cannot be ahead.")})
        if attached_on < timezone.localtime(locked.granted_at).date():
            raise ValidationError(
                {"attached_on": _("The plaque cannot be attached before it was decided.")}
            )
        previous = locked.attached_on
        locked.attached_on = attached_on
        locked.attached_by = by
        locked.save(update_fields=["attached_on", "attached_by"])
        audit_record(
            actor=by,
            action="plaque-attach",
            obj=locked,
            changes={"attached_on": [_dmy(previous), _dmy(attached_on)]},
        )
    return locked
