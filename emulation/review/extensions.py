"""Deadline extensions: a unit's reviewer lets it submit after the deadline, until a later day.

An app subclasses :class:`Extensions` once, in its services, naming its models, the key of their
scope (``campaign``, ``phase``), the rule of whoever grants an extension, the audit action and
its texts, and filling in what its scope says: the deadline, the latest day an extension may
reach, and the checks of the scope read afresh in the transaction. The lookups and the service
that grants an extension are the same for every app.
"""

import datetime as dt

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation.audit import audit_record
from emulation.review.models import effective_deadline
from emulation.workflow import SENT


def dmy(day: dt.date | dt.datetime | None) -> str:
    """A day as the pages and the audit log write it (dd/mm/yyyy; a moment in local time)."""
    if isinstance(day, dt.datetime):
        day = timezone.localdate(day)
    return day.strftime("%d/%m/%Y") if day else ""


class Extensions:
    """The extensions of one app: what it declares (the class attributes and the hooks below)
    and what every app does alike (:meth:`of`, :meth:`deadline_for`, :meth:`grant`)."""

    model = None  # the concrete DeadlineExtension
    reviewed = None  # the reviewed model (Registration ...): a unit that sent it needs none
    scope = ""  # the key both models name their scope with: "campaign", "phase"
    permission = ""  # the rule of whoever grants one, checked on the unit
    action = ""  # the audit action of a grant
    # Refusals (translated literals of the app): the scope has no deadline; the unit already
    # sent its object; the new day is not after the deadline (``%(day)s``).
    no_deadline = ""
    already_sent = ""
    not_after = ""

    # -- what the app fills in -----------------------------------------------------------------

    def deadline(self, scope) -> dt.date | None:
        """The deadline of ``scope`` an extension postpones."""
        raise ImproperlyConfigured(f"{type(self).__name__} must define deadline().")

    def latest(self, scope, deadline: dt.date) -> tuple[dt.date, str]:
        """The latest day an extension may reach, and the refusal of a later one."""
        raise ImproperlyConfigured(f"{type(self).__name__} must define latest().")

    def checked(self, scope, organization):
        """``scope`` read afresh inside the transaction, refused (``ValidationError``) when no
        extension may be granted in it to ``organization`` (not active, not taking part)."""
        raise ImproperlyConfigured(f"{type(self).__name__} must define checked().")

    def audit_changes(self, scope) -> dict:
        """What the audit entry of a grant says of the scope, before the unit and the days."""
        return {}

    def on_grant(self, scope) -> None:
        """Anything else a grant changes, in its transaction."""

    # -- the same for every app ----------------------------------------------------------------

    def _rows(self, model, scope, organization):
        return model.objects.filter(**{self.scope: scope, "organization": organization})

    def of(self, scope, organization):
        """The extension of ``organization`` in ``scope`` with who granted it, or None."""
        return self._rows(self.model, scope, organization).select_related("granted_by").first()

    def deadline_for(self, scope, organization) -> dt.date | None:
        """The day after which ``organization`` may no longer submit in ``scope``."""
        extension = self._rows(self.model, scope, organization).first()
        return effective_deadline(self.deadline(scope), extension.until if extension else None)

    def grant(self, *, scope, organization, by, until: dt.date | None, reason="", today=None):
        """Let ``organization`` submit in ``scope`` until ``until`` (granted by its reviewer;
        granting again replaces the earlier extension). Refused, with nothing changed: a scope
        without a deadline, a unit that already sent its object, a day that is not after the
        deadline, is in the past or is later than :meth:`latest`."""
        if not by.has_perm(self.permission, organization):
            raise PermissionDenied
        today = today or timezone.localdate()
        with transaction.atomic():
            scope = self.checked(scope, organization)
            deadline = self.deadline(scope)
            if deadline is None:
                raise ValidationError(self.no_deadline)
            sent = self._rows(self.reviewed, scope, organization).select_for_update().first()
            if sent is not None and sent.status in SENT:
                raise ValidationError(self.already_sent)
            latest, too_late = self.latest(scope, deadline)
            if until is None:
                raise ValidationError({"until": _("Enter the new deadline.")})
            if until <= deadline:
                raise ValidationError({"until": self.not_after % {"day": dmy(deadline)}})
            if until < today:
                raise ValidationError({"until": _("The new deadline cannot be in the past.")})
            if until > latest:
                raise ValidationError({"until": too_late})
            extension = self._rows(self.model, scope, organization).select_for_update().first()
            previous = extension.until if extension else None
            if extension is None:
                extension = self.model(**{self.scope: scope, "organization": organization})
            extension.until = until
            extension.reason = (reason or "").strip()
            extension.granted_by = by if by.is_authenticated else None
            extension.save()
            self.on_grant(scope)
            audit_record(
                actor=by,
                action=self.action,
                obj=extension,
                changes={
                    **self.audit_changes(scope),
                    "unit": organization.name,
                    "until": [dmy(previous), dmy(until)] if previous else dmy(until),
                    **({"reason": extension.reason} if extension.reason else {}),
                },
            )
        return extension
