from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def user_key(verbose_name) -> models.ForeignKey:
    """Who did something (submitted, reviewed, uploaded ...): a person, kept as empty when the
    account is deleted; a person does not list these rows."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def limited_text(verbose_name, *, limit: int, **kwargs) -> models.TextField:
    """A text of several paragraphs of at most ``limit`` characters: the forms built from the
    model refuse a longer one next to the field (and size their box), and so does the model's
    validation (``full_clean``). See ``emulation.text.LONG_TEXT_LIMIT``."""
    return models.TextField(
        verbose_name, max_length=limit, validators=[MaxLengthValidator(limit)], **kwargs
    )


class StoredFile(models.Model):
    """What every uploaded file keeps beside its own ``file`` field and the record it belongs
    to: the name it was given, its checked kind (``emulation.uploads``), its size, the random
    token it is stored under, who uploaded it and when."""

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("size"))
    token = models.CharField(max_length=32, unique=True)
    uploaded_by = user_key(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One line of the audit log: who did what to which object, and what changed. Written once,
    never changed nor deleted (the object is named by its id and its text at the time, so a
    unit or a person deleted later leaves its entries in place)."""

    # The log is append-only (on PostgreSQL a trigger refuses UPDATE and DELETE, see the
    # migration 0003): deleting a person leaves the entries untouched, with the person's id
    # (no database constraint, nothing to set to NULL) and the name written at the time.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(_("actor's name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of object"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"


class JobState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("job state", "Waiting")
    RUNNING = "running", pgettext_lazy("job state", "Running")
    DONE = "done", pgettext_lazy("job state", "Done")
    FAILED = "failed", pgettext_lazy("job state", "Failed")


class Job(models.Model):
    """Work too long for a web request (a large import, a long document), run by a Celery
    worker for the person who asked: its progress, then its result file or its problems."""

    kind = models.CharField(_("kind"), max_length=100)
    title = models.CharField(_("title"), max_length=255)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    unit = models.ForeignKey(
        "federation.Organization",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    source = models.FileField(_("file given"), upload_to="jobs/in/%Y/%m/", blank=True)
    source_name = models.CharField(_("name of the file given"), max_length=255, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    result = models.FileField(_("result"), upload_to="jobs/out/%Y/%m/", blank=True)
    result_name = models.CharField(_("name of the result"), max_length=255, blank=True)
    result_type = models.CharField(_("type of the result"), max_length=100, blank=True)
    message = models.TextField(_("message"), blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("job", kwargs={"pk": self.pk})

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
