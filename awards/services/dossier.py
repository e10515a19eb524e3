"""The dossier of a nomination: the files of the documents its award requires."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from awards.models import DossierFile, Nomination
from awards.services.common import _delete_stored, _lock_nomination, _require
from emulation.audit import audit_record
from emulation.uploads import check_upload


def dossier_file_add(*, nomination: Nomination, by, document: str, upload) -> DossierFile:
    """Add a file to the dossier under one of its documents (any file goes under "other")."""
    checked = check_upload(upload)
    with transaction.atomic():
        locked = _lock_nomination(nomination)
        _require(by, "awards.change_nomination", locked)
        if not locked.is_editable:
            raise ValidationError(
                {"file": _("The dossier of a nomination sent up can no longer be changed.")}
            )
        document = " ".join((document or "").split())
        if not document:
            raise ValidationError({"document": _("Please say which document this file is.")})
        record = DossierFile(
            nomination=locked,
            document=document[:200],
            original_name=checked.name,
            content_type=checked.kind.content_type,
            extension=checked.kind.extension,
            size=checked.size,
            token=checked.token,
            uploaded_by=by,
        )
        record.file.save(checked.token, ContentFile(checked.data), save=False)
        try:
            record.save()
            locked.version += 1
            locked.save(update_fields=["version", "updated_at"])
            audit_record(
                actor=by,
                action="dossier-add",
                obj=locked,
                changes={"document": record.document, "file": record.original_name},
            )
        except Exception:
            record.file.delete(save=False)
            raise
    return record


def dossier_file_remove(*, nomination: Nomination, file_id: int, by) -> None:
    with transaction.atomic():
        locked = _lock_nomination(nomination)
        _require(by, "awards.change_nomination", locked)
        if not locked.is_editable:
            raise ValidationError(
                _("The dossier of a nomination sent up can no longer be changed.")
            )
        record = locked.files.filter(pk=file_id).first()
        if record is None:
            raise ValidationError(_("This file is no longer in the dossier."))
        name = record.file.name
        audit_record(
            actor=by,
            action="dossier-remove",
            obj=locked,
            changes={"document": record.document, "file": record.original_name},
        )
        record.delete()
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        transaction.on_commit(lambda: _delete_stored(name))
