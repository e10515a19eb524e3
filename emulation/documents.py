"""Official documents (plans, registrations, reports, decisions, certificates) as PDF.

Every official document extends ``templates/documents/base.html``, which lays the page out as
Decree 30/2020/NĐ-CP asks (A4, the header blocks with their thin rules, the number line, place
and date, type, subject, body, recipients and signature, page numbers from page 2), and is
rendered by :func:`render_pdf`. The template gets ``doc``, an :class:`OfficialDocument`, plus
whatever the document's own body needs. Documents are Vietnamese administrative texts, so they
are rendered in Vietnamese whatever the language of the screen.

This module imports no app.
"""

import datetime as dt
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import content_disposition_header
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The base URL of documents: relative and /static/ URLs resolve against it, and only static
# files below it are ever fetched (no network, nothing else of the file system).
DOCUMENT_BASE_URL = "https://documents.invalid/"

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def vietnamese_date(day: dt.date) -> str:
    """ "ngày 23 tháng 02 năm 2017": days below 10 and the months 1 and 2 take a leading zero
    (Decree 30, Appendix I)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_of(unit) -> str:
    """ "Ninh Bình" for "Liên đoàn Lao động tỉnh Ninh Bình": where a unit's documents are
    dated."""
    match = re.search(r"\b(?:tỉnh|thành phố|huyện|thị xã|quận)\s+(.+)$", unit.name)
    return match.group(1) if match else ""


def place_and_date(place: str, day: dt.date | None) -> str:
    """ "Ninh Bình, ngày 23 tháng 02 năm 2017"; blanks to fill by hand when not yet dated."""
    date_text = vietnamese_date(day) if day else "ngày      tháng      năm"
    return f"{place}, {date_text}" if place else date_text[:1].upper() + date_text[1:]


# The room left on the number line for a number given when the document is registered.
BLANK_NUMBER = "\u2003\u2003"


def document_number(number: int | None, symbol: str) -> str:
    """ "13/KH-LĐLĐ"; numbers below 10 take a leading zero; a blank before the symbol when the
    number is not given yet (it is given when the document is registered)."""
    if number is None:
        return f"{BLANK_NUMBER}/{symbol}"
    return f"{number:02d}/{symbol}"


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a stored text: one per non-empty line, with spaces tidied."""
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


@dataclass
class OfficialDocument:
    """The parts of the Decree 30 layout that every document has."""

    issuer: str
    doc_type: str
    subject: str = ""
    parent_body: str = ""
    number: str = ""
    place: str = ""
    date: dt.date | None = None
    recipients: list[str] = field(default_factory=list)
    signing_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    national_title: str = NATIONAL_TITLE
    motto: str = MOTTO

    @property
    def number_line(self) -> str:
        return f"Số: {self.number}" if self.number else ""

    @property
    def place_date(self) -> str:
        return place_and_date(self.place, self.date)

    @property
    def title(self) -> str:
        """The PDF's title: "Kế hoạch 13/KH-LĐLĐ Phát động ...", without a number not given
        yet (its blank is for the number line of the printed page only)."""
        number = "" if self.number.startswith(BLANK_NUMBER) else self.number
        parts = [self.doc_type.capitalize(), number, self.subject]
        return " ".join(part for part in parts if part)


class StaticFilesFetcher(URLFetcher):
    """Fetch only the project's static files (and data: URIs); refuse anything else, so a
    document never reaches the network or another file, whatever its text contains."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        base = urlsplit(DOCUMENT_BASE_URL)
        static_prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(
            static_prefix
        ):
            raise ValueError(f"Documents may only use static files, not {url}")
        relative = unquote(parts.path[len(static_prefix) :])
        found = finders.find(relative)
        if not found and settings.STATIC_ROOT:
            candidate = Path(settings.STATIC_ROOT) / relative
            found = str(candidate) if candidate.is_file() else None
        if not found or ".." in Path(relative).parts:
            raise ValueError(f"No static file {relative}")
        mime_type, _ = mimetypes.guess_type(found)
        return URLFetcherResponse(
            url,
            Path(found).read_bytes(),
            headers={"Content-Type": mime_type or "application/octet-stream"},
        )


def render_html(template_name: str, context: dict) -> str:
    with translation.override("vi"):
        return render_to_string(template_name, context)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render an HTML template to the bytes of a PDF."""
    html = render_html(template_name, context)
    return HTML(
        string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=StaticFilesFetcher()
    ).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, attachment: bool = False) -> HttpResponse:
    """The PDF as a response: shown in the browser, or downloaded when ``attachment``."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    response["Content-Length"] = str(len(pdf))
    return response
