"""What the commendation pages share."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404

PER_PAGE = 30


def _read(field_file) -> bytes:
    """The bytes of a stored file (at most 10 MB), or 404 when it is gone from the storage."""
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except FileNotFoundError as exc:
        raise Http404 from exc


def _errors_to_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)
