"""Checking uploaded files by what they contain, never by their name alone.

Dossier files and photos may be PDF, DOCX, XLSX, JPEG or PNG, at most 10 MB. The kind is read
from the first bytes (and, for the Office formats, from the parts inside the ZIP container);
a file whose name promises another kind than its content is refused too, since it would open
wrongly on the reviewer's computer. Files are stored under a random name and go out only
through views that check permission.

Shared by nominations (dossiers, photos), initiatives, phase reports (attachments) and the
evidence of score sheets; :func:`stored_file_response` sends a stored file back.
"""

import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

MAX_SIZE = 10 * 1024 * 1024


@dataclass(frozen=True)
class Kind:
    label: str
    extension: str
    content_type: str
    names: tuple[str, ...]


PDF = Kind("PDF", ".pdf", "application/pdf", (".pdf",))
DOCX = Kind(
    "DOCX",
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = Kind(
    "XLSX",
    ".xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
JPEG = Kind("JPEG", ".jpg", "image/jpeg", (".jpg", ".jpeg"))
PNG = Kind("PNG", ".png", "image/png", (".png",))
DOCUMENT_KINDS = (PDF, DOCX, XLSX, JPEG, PNG)
IMAGE_KINDS = (JPEG, PNG)


def _office_kind(data: bytes) -> Kind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(data: bytes) -> Kind | None:
    """The kind of a file's content, or None when it is none of the accepted kinds."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


@dataclass
class CheckedFile:
    data: bytes
    name: str
    kind: Kind
    token: str

    @property
    def size(self) -> int:
        return len(self.data)


def check_upload(upload, *, kinds=DOCUMENT_KINDS, field: str = "file") -> CheckedFile:
    """Read ``upload`` and return it checked; a ``ValidationError`` on ``field`` otherwise."""
    name = PurePath(getattr(upload, "name", "") or "file").name[:255]
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_SIZE:
        raise ValidationError({field: ValidationError(_too_big(name, size), code="too_big")})
    data = upload.read(MAX_SIZE + 1)
    if len(data) > MAX_SIZE:
        raise ValidationError({field: ValidationError(_too_big(name, len(data)), code="too_big")})
    if not data:
        raise ValidationError({field: _("The file “%(name)s” is empty.") % {"name": name}})
    kind = sniff(data)
    accepted = ", ".join(k.label for k in kinds)
    if kind is None or kind not in kinds:
        message = _("The content of “%(name)s” is not one of the accepted kinds (%(kinds)s).") % {
            "name": name,
            "kinds": accepted,
        }
        raise ValidationError({field: ValidationError(message, code="bad_kind")})
    suffix = PurePath(name).suffix.lower()
    if suffix and suffix not in kind.names:
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "“%(name)s” is named as a %(suffix)s file but its content is %(kind)s; "
                        "save it again in the right format."
                    )
                    % {"name": name, "suffix": suffix, "kind": kind.label},
                    code="name_mismatch",
                )
            }
        )
    return CheckedFile(data=data, name=name, kind=kind, token=secrets.token_hex(16))


def _too_big(name: str, size: int) -> str:
    return _("“%(name)s” is %(size)s; files may be at most %(max)s.") % {
        "name": name,
        "size": filesizeformat(size),
        "max": filesizeformat(MAX_SIZE),
    }


def stored_file_response(request, record) -> HttpResponse:
    """A stored file (a record with ``file``, ``content_type`` and ``original_name``) sent to
    someone the view has let in: PDFs and pictures shown in the browser unless ``?download=1``,
    anything else downloaded; never sniffed by the browser, never kept in a shared cache."""
    try:
        with record.file.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = HttpResponse(data, content_type=record.content_type)
    response["Content-Disposition"] = content_disposition_header(
        request.GET.get("download") == "1"
        or not record.content_type.startswith(("image/", "application/pdf")),
        record.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
