"""The official plan (kế hoạch) of a campaign, built from its data in the Decree 30 layout of
``templates/documents/base.html``. The words of the document are Vietnamese, as the document
itself is, whatever the language of the screen."""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

from campaigns import dates
from campaigns.models import Campaign
from campaigns.selectors import PhaseView, phase_views
from emulation.documents import OfficialDocument, document_number, paragraphs, render_pdf
from federation.models import Organization

PLAN_TYPE = "KẾ HOẠCH"


def _upper(text: str) -> str:
    return " ".join(text.split()).upper()


def header_names(campaign: Campaign) -> tuple[str, str]:
    """The parent body and the issuer as the header writes them, in capitals."""
    parent_body = campaign.header_parent
    if not parent_body:
        issuer = campaign.issuer
        parent = (
            Organization.objects.filter(path=issuer.parent_path).first()
            if issuer.depth > 1
            else None
        )
        parent_body = (parent.short_name or parent.name) if parent else ""
    issuer_name = campaign.header_issuer or campaign.issuer.name
    return _upper(parent_body), _upper(issuer_name)


def recipients(campaign: Campaign) -> list[str]:
    return [line.lstrip("-–• ").strip() for line in paragraphs(campaign.distribution)]


def plan_document(campaign: Campaign) -> OfficialDocument:
    parent_body, issuer_name = header_names(campaign)
    return OfficialDocument(
        parent_body=parent_body,
        issuer=issuer_name,
        number=document_number(campaign.number, campaign.symbol),
        place=campaign.place,
        date=campaign.issue_date,
        doc_type=PLAN_TYPE,
        subject=" ".join(campaign.title.split()),
        recipients=recipients(campaign),
        signing_authority=campaign.signing_authority,
        signer_title=campaign.signer_title,
        signer_name=campaign.signer_name,
    )


DATE_RANGE = re.compile(r"(\d{2}/\d{2}/\d{4}) - (\d{2}/\d{2}/\d{4})")


def _keep_ranges_together(text: str) -> str:
    """HTML of ``text`` where no line breaks inside "(03/02/1930 - 03/02/2017)": a line ending
    in "-" reads as a cut word (and text extraction joins it as one)."""
    return mark_safe(  # noqa: S308 - the text is escaped first
        DATE_RANGE.sub(r'<span class="nobr">\1 - \2</span>', str(escape(text)))
    )


@dataclass
class PhaseParagraph:
    label: str  # "Đợt 1:"
    text: str  # "Từ đầu năm đến 31/08/2017: Thi đua lập thành tích chào mừng …"


def phase_paragraph(campaign: Campaign, view: PhaseView) -> PhaseParagraph:
    """A phase in the plan's own form: its period, its aim, its milestones one after the
    other ("kỷ niệm 87 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2017)")
    and the words that end it."""
    phase = view.phase
    start = "Từ đầu năm" if phase.start == campaign.year_start else f"Từ {dates.dmy(phase.start)}"
    period = f"{start} đến {dates.dmy(phase.end)}:"
    body = " ".join(
        part for part in (phase.goal.strip(), "; ".join(m.wording for m in view.milestones)) if part
    )
    conclusion = phase.conclusion.strip()
    if conclusion:
        joiner = " " if conclusion[:1] in ",;:." or not body else ", "
        body = f"{body}{joiner}{conclusion}" if body else conclusion
    body = " ".join(body.split())
    if body and body[-1] not in ".!?":
        body = body.rstrip(",;:") + "."
    return PhaseParagraph(
        label=f"{phase.name}:", text=_keep_ranges_together(f"{period} {body}".strip())
    )


def plan_context(campaign: Campaign) -> dict:
    """Everything the plan template shows; ``campaign`` should come with its themes, phases and
    milestones prefetched (see ``selectors.PLAN``)."""
    views = phase_views(campaign)
    organisation = paragraphs(campaign.organisation)
    return {
        "doc": plan_document(campaign),
        "campaign": campaign,
        "preamble": paragraphs(campaign.preamble),
        "purposes": paragraphs(campaign.purposes),
        "themes": sorted(campaign.themes.all(), key=lambda t: t.number),
        "organisation": organisation,
        "phases_item": len(organisation) + 1,
        "phases_count": dates.number_in_words(len(views)),
        "phases": [phase_paragraph(campaign, view) for view in views],
        "closing": paragraphs(campaign.closing),
    }


def plan_filename(campaign: Campaign) -> str:
    symbol = campaign.symbol.replace("Đ", "D").replace("đ", "d")
    number = f"{campaign.number:02d}" if campaign.number is not None else "du-thao"
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in symbol)
    return f"ke-hoach-{number}-{safe}-{campaign.year}.pdf"


def plan_pdf(campaign: Campaign) -> bytes:
    return render_pdf("campaigns/plan_pdf.html", plan_context(campaign))
