"""The one review mechanism shared by registrations, phase reports and nominations.

A reviewable object belongs to a unit; it is prepared as a draft, submitted to the unit above,
and there approved or returned with a comment (a returned object is edited and submitted again).
An approved object can be reopened, which starts its next revision.

Each app's service decides *who* may act and *what* must hold before a transition; this module
owns the states, which transitions exist, the stamps, the audit entry and the signal that tells
the rest of the system (notifications) once the transaction has committed. It imports no app.

An app declares what differs as a :class:`Transition` of its own: a *step* that keeps the state
(``target=None``), such as a nomination endorsed one level up or a phase report marked
received, goes through :func:`apply_transition` like the four shared transitions (the same
refusals, version, audit entry and signal); the app sets the fields the step changes first.

Two people acting at once on one object are serialised by the row lock the caller takes
(:func:`lock`): the second one sees the state the first one left and gets a clear refusal. A
form posted twice, or posted from a page opened before someone else changed the object, is
caught by ``version``, which every change increments: the page sends the version it showed.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from emulation.audit import audit_record, register_actions, register_value_labels
from emulation.models import user_key


class ReviewStatus(models.TextChoices):
    # A context keeps these apart from words spelt alike elsewhere ("Draft" of a plan is
    # "Dự thảo"; a unit's draft registration is "Nháp").
    DRAFT = "draft", pgettext_lazy("review status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("review status", "Awaiting review")
    RETURNED = "returned", pgettext_lazy("review status", "Returned")
    APPROVED = "approved", pgettext_lazy("review status", "Approved")


# The states in which the unit may still edit, and those that wait for nothing from it.
EDITABLE = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)
SENT = (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)


@dataclass(frozen=True)
class Transition:
    """A move from one of ``sources`` to ``target`` (``None``: a step that keeps the state).

    ``action`` names the audit entry when it is not ``name`` (the name is what the signal
    carries)."""

    name: str
    sources: tuple[str, ...]
    target: str | None
    needs_comment: bool = False
    action: str = ""

    @property
    def audit_action(self) -> str:
        return self.action or self.name


SUBMIT = Transition("submit", EDITABLE, ReviewStatus.SUBMITTED)
APPROVE = Transition("approve", (ReviewStatus.SUBMITTED,), ReviewStatus.APPROVED)
RETURN = Transition("return", (ReviewStatus.SUBMITTED,), ReviewStatus.RETURNED, needs_comment=True)
REOPEN = Transition("reopen", (ReviewStatus.APPROVED,), ReviewStatus.DRAFT, needs_comment=True)
TRANSITIONS = {t.name: t for t in (SUBMIT, APPROVE, RETURN, REOPEN)}

register_actions(
    {
        "submit": gettext_lazy("Submitted for review"),
        "approve": gettext_lazy("Approved"),
        "return": gettext_lazy("Returned with a comment"),
        "reopen": gettext_lazy("Reopened for a new revision"),
    }
)

register_value_labels(dict(ReviewStatus.choices))

# Sent after the transaction commits: sender is the model class; kwargs instance, transition,
# by, comment. Notifications listen to it; the apps that send it never import them.
review_transition = Signal()


class Reviewable(models.Model):
    """Fields every reviewed object carries."""

    status = models.CharField(
        gettext_lazy("status"),
        max_length=16,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
        db_index=True,
    )
    # The revision counts approvals reopened (1, 2 ...); the version counts every change and
    # lets a form refuse to overwrite what it did not show.
    revision = models.PositiveIntegerField(gettext_lazy("revision"), default=1)
    version = models.PositiveIntegerField(gettext_lazy("version"), default=1)
    submitted_at = models.DateTimeField(gettext_lazy("submitted at"), null=True, blank=True)
    submitted_by = user_key(gettext_lazy("submitted by"))
    reviewed_at = models.DateTimeField(gettext_lazy("reviewed at"), null=True, blank=True)
    reviewed_by = user_key(gettext_lazy("reviewed by"))
    review_comment = models.TextField(gettext_lazy("reviewer's comment"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_submitted(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED

    @property
    def is_approved(self) -> bool:
        return self.status == ReviewStatus.APPROVED

    @property
    def is_returned(self) -> bool:
        return self.status == ReviewStatus.RETURNED

    def can_transition(self, name: str | Transition) -> bool:
        return self.status in _transition(name).sources


def _transition(name: str | Transition) -> Transition:
    return name if isinstance(name, Transition) else TRANSITIONS[name]


def lock(instance: Reviewable, queryset=None) -> Reviewable:
    """The row of ``instance`` locked until the end of the transaction, read afresh.

    Call inside ``transaction.atomic``. ``queryset`` may add ``select_related``: the rows it
    joins (the campaign, the unit ...) are read, never locked (``FOR UPDATE OF`` the object's
    own table on PostgreSQL), so that the many units acting at once on rows that refer to the
    same campaign do not wait for one another. Their foreign keys to the joined rows must not
    change while others lock the row (a row whose key moved would drop out of the joined read:
    lock it bare first, then read it, as awards' ``_lock_rows`` does).
    """
    if queryset is None:
        queryset = type(instance)._default_manager.all()
    return queryset.select_for_update(of=("self",)).get(pk=instance.pk)


def not_submitted(instance: Reviewable) -> ValidationError:
    return ValidationError(
        _("This has not been submitted: there is nothing to review (it is “%(status)s”).")
        % {"status": instance.get_status_display()},
        code="not_submitted",
    )


def already_handled(instance: Reviewable) -> ValidationError:
    return ValidationError(
        _("This was already handled by someone else: it is now “%(status)s”.")
        % {"status": instance.get_status_display()},
        code="already_handled",
    )


MISSING_VERSION = gettext_lazy(
    "The page did not say which version it showed: open it again and repeat what you did. "
    "Nothing was saved."
)


def missing_version() -> ValidationError:
    """The refusal of a form that does not say which version it was drawn from (an old page,
    or an address typed by hand): without it, it could overwrite what it never showed."""
    return ValidationError(str(MISSING_VERSION), code="no_version")


def check_version(instance: Reviewable, expected_version: int | None) -> None:
    """Refuse a form made from an older version of ``instance`` (a page opened before
    someone else changed it, or the same form posted twice)."""
    if expected_version is not None and int(expected_version) != instance.version:
        raise ValidationError(
            _(
                "This was changed since you opened the page (it is now “%(status)s”). "
                "Nothing was saved: look at it again."
            )
            % {"status": instance.get_status_display()},
            code="stale",
        )


def record_edit(instance: Reviewable, *, by, action: str, changes: dict | None = None) -> None:
    """Save an edit of the content (not a transition): bump the version and log it."""
    instance.version += 1
    instance.save()
    audit_record(actor=by, action=action, obj=instance, changes=changes)


def apply_transition(
    instance: Reviewable,
    name: str | Transition,
    *,
    by,
    comment: str = "",
    expected_version: int | None = None,
    changes: dict | None = None,
) -> Reviewable:
    """Move ``instance`` through transition ``name`` (one of :data:`TRANSITIONS`, or an app's
    own :class:`Transition`).

    Must run inside the caller's ``transaction.atomic`` after the caller locked the row
    (:func:`lock`). Refuses, with a ``ValidationError`` and nothing changed, a transition from
    a state it does not leave (someone else was first), a form made from an older version, and
    a missing comment where one is needed.

    The audit entry records the states (``from``, ``to``), the comment and ``changes``; a step
    that keeps the state records ``changes`` and the comment only.
    """
    transition = _transition(name)
    name = transition.name
    if instance.status not in transition.sources:
        if instance.status == ReviewStatus.DRAFT and ReviewStatus.SUBMITTED in transition.sources:
            raise not_submitted(instance)
        raise already_handled(instance)
    check_version(instance, expected_version)
    comment = (comment or "").strip()
    if transition.needs_comment and not comment:
        raise ValidationError(
            {"comment": _("Please write a comment explaining why.")}, code="comment_required"
        )
    now = timezone.now()
    previous = instance.status
    if transition.target is not None:
        instance.status = transition.target
    if transition is SUBMIT:
        instance.submitted_at, instance.submitted_by = now, by
    elif transition in (APPROVE, RETURN):
        instance.reviewed_at, instance.reviewed_by = now, by
        instance.review_comment = comment
    elif transition is REOPEN:
        instance.revision += 1
        instance.submitted_at = instance.submitted_by = None
        instance.reviewed_at = instance.reviewed_by = None
        instance.review_comment = ""
    instance.version += 1
    instance.save()
    noted = {"comment": comment} if comment else {}
    if transition.target is None:
        recorded = {**(changes or {}), **noted}
    else:
        recorded = {"from": previous, "to": instance.status, **noted, **(changes or {})}
    audit_record(actor=by, action=transition.audit_action, obj=instance, changes=recorded)
    transaction.on_commit(
        lambda: review_transition.send(
            sender=type(instance), instance=instance, transition=name, by=by, comment=comment
        ),
        robust=True,
    )
    return instance
