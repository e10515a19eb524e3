"""Reminders: rules the issuing unit configures per campaign, the deliveries they make (one row
per rule, recipient and occurrence, so nothing is ever sent twice), the email outbox (a row is
written before any mail leaves) and in-app notifications.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Campaign, Milestone, Phase
from federation.models import Department, Organization

MAX_OFFSET = 365


class Event(models.TextChoices):
    REGISTRATION_DEADLINE = "registration_deadline", _("Registration deadline")
    REPORT_DEADLINE = "report_deadline", _("Report deadline of a phase")
    PHASE_START = "phase_start", _("Start of a phase")
    MILESTONE = "milestone", _("Milestone")


class Audience(models.TextChoices):
    NOT_SUBMITTED = "not_submitted", _("Units that have not submitted yet")
    REVIEWERS = "reviewers", _("Reviewers above the units that have not submitted")
    DEPARTMENT = "department", _("The campaign's receiving department")
    ALL_UNITS = "all_units", _("All participating units")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    IN_APP = "in_app", _("In-app notification")
    BOTH = "both", _("Email and in-app notification")


class ReminderRule(models.Model):
    """When (an event of the campaign plus an offset in days), to whom and what to send."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="reminder_rules",
    )
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminder_rules",
        help_text=_("Leave empty for every phase."),
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminder_rules",
        help_text=_("Leave empty for every milestone."),
    )
    offset_days = models.SmallIntegerField(
        _("offset in days"),
        validators=[MinValueValidator(-MAX_OFFSET), MaxValueValidator(MAX_OFFSET)],
        help_text=_("Negative: days before the event (-7); positive: days after it (+1)."),
    )
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.BOTH
    )
    subject = models.CharField(pgettext_lazy("email", "subject"), max_length=255)
    body = models.TextField(_("message"))
    is_active = models.BooleanField(_("active"), default=True)
    is_default = models.BooleanField(_("default rule"), default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["campaign_id", "event", "offset_days", "id"]

    def __str__(self) -> str:
        return f"{self.get_event_display()} {self.offset_days:+d} - {self.get_audience_display()}"

    @property
    def sends_email(self) -> bool:
        return self.channel in (Channel.EMAIL, Channel.BOTH)

    @property
    def sends_in_app(self) -> bool:
        return self.channel in (Channel.IN_APP, Channel.BOTH)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")


class Delivery(models.Model):
    """One message of a rule to one recipient for one occurrence of its event. The unique row
    is what makes a reminder go out once, whatever ticks, races or retries happen."""

    # Empty for the notices of a council session, which belong to no campaign.
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Empty for the weekly digest and the council notices, which no rule makes.
    rule = models.ForeignKey(
        ReminderRule,
        verbose_name=_("rule"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    # "org:12", "user:7", "dept:3": who receives it.
    recipient = models.CharField(_("recipient"), max_length=64)
    # "registration:2017-03-31", "phase:4:2017-09-15", "week:2017-W12", "asked:2017-03-20",
    # "council:5:open": the event it is for.
    occurrence = models.CharField(_("occurrence"), max_length=64)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "recipient", "occurrence"], name="delivery_once_per_rule"
            ),
            models.UniqueConstraint(
                fields=["campaign", "recipient", "occurrence"],
                condition=Q(rule__isnull=True),
                name="delivery_once_without_rule",
            ),
            models.UniqueConstraint(
                fields=["recipient", "occurrence"],
                condition=Q(rule__isnull=True, campaign__isnull=True),
                name="delivery_once_without_campaign",
            ),
        ]
        # The pending deliveries only, in id order: what process_pending claims. An index on
        # (status, id) instead misleads PostgreSQL's planner once ANALYZE has seen only pending
        # rows: it then looks rows up by id through it (a scan of the whole index for each
        # foreign-key check of an email or notification, 45 ms each at 130,000 deliveries).
        indexes = [
            models.Index(fields=["id"], condition=Q(status="pending"), name="delivery_pending_idx")
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.recipient} {self.occurrence}"


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("email status", "Queued")
    SENDING = "sending", pgettext_lazy("email status", "Sending")
    SENT = "sent", pgettext_lazy("email status", "Sent")
    FAILED = "failed", pgettext_lazy("email status", "Failed")


class OutboxMessage(models.Model):
    """An email, written before it is sent; the send task moves it to sent or failed.

    It says whom it was for: the person (``user``, their own address), or else the mailbox of
    the department or of the unit; and the unit it concerns (``organization``: the unit
    reminded, the reviewer's or the department's unit, the council's unit), which is also what
    decides who may read it in the outbox."""

    recipient = models.CharField(_("email address"), max_length=254, blank=True)
    subject = models.CharField(pgettext_lazy("email", "subject"), max_length=255)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=OutboxStatus.choices,
        default=OutboxStatus.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # No index on the person and the department: nothing looks emails up by them, and each
    # index would slow the writing of 130,000 rows.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class Notification(models.Model):
    """An in-app notification shown to one person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    subject = models.CharField(pgettext_lazy("email", "subject"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class UserPreference(models.Model):
    """A person's choices about reminders: email can be turned off (in-app stays)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminder_preference",
    )
    email_enabled = models.BooleanField(_("receive reminders by email"), default=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self) -> str:
        return str(self.user)
