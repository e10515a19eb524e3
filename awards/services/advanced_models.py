"""Advanced models (điển hình tiên tiến): proposed by a unit, published for the public by
provincial staff."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import ExemplaryModel, ModelStatus
from awards.services.common import _lock_rows, _require
from campaigns.models import Campaign
from emulation.audit import audit_record
from emulation.uploads import IMAGE_KINDS, check_upload
from federation.models import Organization


def model_propose(
    *,
    by,
    organization: Organization,
    title: str,
    subject: str,
    story: str,
    photo,
    campaign: Campaign | None = None,
) -> ExemplaryModel:
    """A unit proposes one of its people or collectives as an advanced model."""
    _require(by, "awards.change_model", organization)
    errors = {}
    title = " ".join((title or "").split())
    subject = " ".join((subject or "").split())
    story = (story or "").strip()
    if not title:
        errors["title"] = _("Please give a title.")
    if not subject:
        errors["subject"] = _("Please say whose story it is.")
    if not story:
        errors["story"] = _("Please tell the story.")
    if photo is None:
        errors["photo"] = _("Please add a photo (JPEG or PNG).")
    if errors:
        raise ValidationError(errors)
    checked = check_upload(photo, kinds=IMAGE_KINDS, field="photo")
    with transaction.atomic():
        model = ExemplaryModel(
            organization=organization,
            campaign=campaign,
            title=title,
            subject=subject,
            story=story,
            token=checked.token,
            photo_extension=checked.kind.extension,
            photo_content_type=checked.kind.content_type,
            proposed_by=by,
        )
        model.photo.save(checked.token, ContentFile(checked.data), save=False)
        try:
            model.save()
            audit_record(actor=by, action="model-propose", obj=model, changes={"title": title})
        except Exception:
            model.photo.delete(save=False)
            raise
    return model


def _lock_model(model: ExemplaryModel) -> ExemplaryModel:
    return _lock_rows(ExemplaryModel.objects.select_related("organization"), [model.pk]).get()


def model_publish(*, model: ExemplaryModel, by) -> ExemplaryModel:
    with transaction.atomic():
        locked = _lock_model(model)
        _require(by, "awards.publish_model", locked)
        if locked.is_published:
            raise ValidationError(_("This advanced model is already published."))
        locked.status = ModelStatus.PUBLISHED
        locked.published_by = by
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_by", "published_at", "updated_at"])
        audit_record(actor=by, action="model-publish", obj=locked)
    return locked


def model_withdraw(*, model: ExemplaryModel, by) -> ExemplaryModel:
    with transaction.atomic():
        locked = _lock_model(model)
        _require(by, "awards.publish_model", locked)
        if not locked.is_published:
            raise ValidationError(_("Only a published advanced model can be withdrawn."))
        locked.status = ModelStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        audit_record(actor=by, action="model-withdraw", obj=locked)
    return locked
