"""The deadline extension every reviewed object may get: a later deadline granted to one unit by
its reviewer, over a *scope* (a campaign for registrations, a phase for reports) that the app's
concrete model names with a key of its own."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from emulation.models import user_key
from emulation.workflow import Reviewable


class Prepared(Reviewable):
    """A reviewed object a unit prepares (a registration, a report): who created it, when it
    was created and last changed."""

    created_by = user_key(_("created by"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["id"]


def scope_key(model, verbose_name) -> models.ForeignKey:
    """The campaign or phase an extension is granted in (deleted with it; the scope does not
    list its extensions)."""
    return models.ForeignKey(
        model, verbose_name=verbose_name, on_delete=models.CASCADE, related_name="+"
    )


def unit_key(related_name: str) -> models.ForeignKey:
    """The unit an extension is granted to; ``related_name`` is how a unit names its extensions
    in queries (``registration_extensions`` ...)."""
    return models.ForeignKey(
        "federation.Organization",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name=related_name,
    )


class DeadlineExtension(models.Model):
    """A later deadline for one unit, granted by its reviewer (granting again replaces it).

    The concrete model adds its scope (``campaign = scope_key(...)``, ``phase``), ``organization
    = unit_key(...)`` and, in its ``Meta``, its names and its constraint of one extension per
    unit and scope."""

    until = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"), blank=True)
    granted_by = user_key(_("granted by"))
    granted_at = models.DateTimeField(_("granted at"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.organization} → {self.until:%d/%m/%Y}"


def effective_deadline(deadline: dt.date | None, extended_until: dt.date | None) -> dt.date | None:
    """The day after which a unit may no longer submit: ``deadline``, or the later day its
    reviewer granted."""
    if deadline is None:
        return None
    if extended_until and extended_until > deadline:
        return extended_until
    return deadline
