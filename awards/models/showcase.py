"""Advanced models published for the public and the plaques given to registered key works."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from emulation.models import limited_text
from emulation.text import LONG_TEXT_LIMIT
from federation.models import Organization


class ModelStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def photo_path(instance, filename: str) -> str:
    return f"awards/models/{instance.token}{instance.photo_extension}"


class ExemplaryModel(models.Model):
    """An advanced model (điển hình tiên tiến, gương người tốt việc tốt) proposed by a unit and,
    once provincial staff publish it, shown on the public page and in the Atom feed."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("proposing unit"),
        on_delete=models.PROTECT,
        related_name="exemplary_models",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exemplary_models",
    )
    title = models.CharField(_("title"), max_length=255)
    subject = models.CharField(
        _("person or collective"), max_length=255, help_text=_("Whose story it is.")
    )
    story = limited_text(limit=LONG_TEXT_LIMIT, verbose_name=_("story"))
    photo = models.FileField(_("photo"), upload_to=photo_path, blank=True, max_length=300)
    photo_extension = models.CharField(max_length=8, blank=True)
    photo_content_type = models.CharField(max_length=100, blank=True)
    token = models.CharField(max_length=32, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ModelStatus.choices, default=ModelStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("advanced model")
        verbose_name_plural = _("advanced models")
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("awards:model-detail", kwargs={"pk": self.pk})

    def get_public_url(self) -> str:
        return reverse("awards:gallery-detail", kwargs={"model_id": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == ModelStatus.PUBLISHED


class Plaque(models.Model):
    """A commemorative plaque the provincial federation decided to attach to a key work a unit
    registered (công trình, sản phẩm gắn biển chào mừng Đại hội Công đoàn các cấp)."""

    key_work = models.OneToOneField(
        "registrations.KeyWork",
        verbose_name=_("work or product"),
        on_delete=models.PROTECT,
        related_name="plaque",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    attached_on = models.DateField(_("attached on"), null=True, blank=True)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attachment recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("plaque")
        verbose_name_plural = _("plaques")
        ordering = ["-granted_at", "-id"]

    def __str__(self) -> str:
        return str(self.key_work)
