"""The official documents of registrations, in the Decree 30 layout of
``templates/documents/base.html``: a unit's registration ("Bản đăng ký thi đua") signed by its
leader, and the consolidation of a subtree ("Tổng hợp đăng ký thi đua") that an upper unit sends
up. Their words are Vietnamese, as the documents are, whatever the language of the screen."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone, translation

from campaigns.models import Campaign
from emulation.documents import OfficialDocument, document_number, paragraphs, render_pdf
from emulation.text import unaccent
from federation.models import Organization, OrganizationKind
from registrations.content import Content
from registrations.selectors.common import STATUS_ORDER, status_label
from registrations.selectors.registration import leader_of
from registrations.selectors.summary import Summary, unit_matrix

REGISTRATION_TYPE = "BẢN ĐĂNG KÝ THI ĐUA"
SUMMARY_TYPE = "BÁO CÁO"
# Rows of the list of units printed in the consolidated document; beyond it the list is in
# the spreadsheet that goes with it.
SUMMARY_UNIT_ROWS = 500

# The symbol of an issuer in a document number, by kind of unit.
ISSUER_SYMBOL = {
    OrganizationKind.NATIONAL: "TLĐ",
    OrganizationKind.PROVINCIAL: "LĐLĐ",
    OrganizationKind.LOCAL: "LĐLĐ",
    OrganizationKind.SECTOR: "CĐN",
    OrganizationKind.UPPER: "CĐ",
    OrganizationKind.GRASSROOTS: "CĐCS",
}
# Who signs for a unit: its standing committee above the grassroots, its executive committee in
# a grassroots union.
SIGNING_AUTHORITY = {
    OrganizationKind.GRASSROOTS: "TM. BAN CHẤP HÀNH",
}
DEFAULT_SIGNING_AUTHORITY = "TM. BAN THƯỜNG VỤ"
DEFAULT_SIGNER_TITLE = "CHỦ TỊCH"


def vn_number(value) -> str:
    """1.234,5: dots group thousands, a comma marks decimals, no trailing zeros."""
    if value is None:
        return ""
    value = Decimal(value)
    text = format(value.normalize(), "f")
    whole, _sep, decimals = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + decimals if decimals else "")


def _upper(text: str) -> str:
    return " ".join((text or "").split()).upper()


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _local_date(moment) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def campaign_reference(campaign: Campaign) -> str:
    """ "Kế hoạch số 13/KH-LĐLĐ ngày 23/02/2017 của Liên đoàn Lao động tỉnh Ninh Bình"."""
    parts = ["Kế hoạch"]
    if campaign.document_number:
        parts.append(f"số {campaign.document_number}")
    if campaign.issue_date:
        parts.append(f"ngày {campaign.issue_date:%d/%m/%Y}")
    parts.append(f"của {campaign.issuer.name}")
    return " ".join(parts)


def signer(organization: Organization) -> tuple[str, str, str]:
    """The signature block of a unit: its authority, the leader's title and name."""
    leader = leader_of(organization)
    authority = SIGNING_AUTHORITY.get(organization.kind, DEFAULT_SIGNING_AUTHORITY)
    title = _upper(getattr(leader, "position", "") or "") or DEFAULT_SIGNER_TITLE
    name = leader.get_full_name() if leader else ""
    return authority, title, name


def _parent(organization: Organization) -> Organization | None:
    return organization.parent_unit()


# ---------------------------------------------------------------------------------------------
# One registration.


@dataclass
class TargetLine:
    name: str
    text: str  # "5 sáng kiến"


def target_lines(entry) -> list[TargetLine]:
    return [
        TargetLine(t.name, " ".join(part for part in (vn_number(t.value), t.unit) if part))
        for t in entry.targets
    ]


def registration_context(
    registration, content: Content, *, revision: int | None = None, frozen=None
) -> dict:
    """What the registration template shows. ``frozen`` is an earlier revision
    (``RegistrationRevision``): its content is given, and its stamps replace the current
    ones."""
    organization = registration.organization
    campaign = registration.campaign
    parent = _parent(organization)
    authority, title, name = signer(organization)
    submitted_at = frozen.submitted_at if frozen else registration.submitted_at
    approved_at = frozen.reviewed_at if frozen else registration.reviewed_at
    approved = bool(frozen) or registration.is_approved
    number = revision or registration.revision
    doc = OfficialDocument(
        parent_body=_upper(parent.short_name or parent.name) if parent else "",
        issuer=_upper(organization.name),
        doc_type=REGISTRATION_TYPE,
        subject=f"Năm {campaign.year}" + (f" (lần {number})" if frozen or number > 1 else ""),
        place=campaign.place,
        date=_local_date(submitted_at),
        recipients=[
            *([f"{parent.name} (để b/cáo);"] if parent else []),
            "Lưu: VT.",
        ],
        signing_authority=authority,
        signer_title=title,
        signer_name=name,
    )
    return {
        "doc": doc,
        "registration": registration,
        "campaign": campaign,
        "unit": organization,
        "parent": parent,
        "reference": campaign_reference(campaign),
        "campaign_subject": _lower_first(" ".join(campaign.title.split())),
        "themes": [
            {
                "entry": entry,
                "commitment": paragraphs(entry.commitment),
                "targets": target_lines(entry),
            }
            for entry in content.themes
        ],
        "works": [
            {
                "work": work,
                "value": vn_number(work.estimated_value),
                "completion": work.expected_completion.strftime("%d/%m/%Y")
                if work.expected_completion
                else "",
            }
            for work in content.key_works
        ],
        "is_draft": registration.is_editable and not frozen,
        "approved_note": (
            f"Đã được {parent.name if parent else 'đơn vị cấp trên'} duyệt ngày "
            f"{_local_date(approved_at):%d/%m/%Y}."
            if approved and approved_at
            else ""
        ),
        "revision": number,
    }


def registration_pdf(registration, content: Content, **kwargs) -> bytes:
    with translation.override("vi"):
        context = registration_context(registration, content, **kwargs)
    return render_pdf("registrations/registration_pdf.html", context)


def _slug(text: str) -> str:
    folded = unaccent(text).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in folded).split())[:60]


def registration_filename(registration, revision: int | None = None) -> str:
    suffix = f"-lan-{revision}" if revision else ""
    return (
        f"dang-ky-thi-dua-{registration.campaign.year}-"
        f"{_slug(registration.organization.code)}{suffix}.pdf"
    )


# ---------------------------------------------------------------------------------------------
# The consolidation.


def target_total_text(total) -> str:
    """ "Sáng kiến, cải tiến kỹ thuật: 45 sáng kiến (9 đơn vị)"; a rate is averaged:
    "Tỷ lệ đoàn viên tham gia: bình quân 95 % (4 đơn vị)"."""
    value = " ".join(part for part in (vn_number(total.value), total.unit) if part)
    if total.is_rate:
        value = f"bình quân {value}"
    return f"{total.name}: {value} ({vn_number(total.units)} đơn vị)"


def _single_status(progress) -> str:
    """The status of a branch that is one unit."""
    return next((status for status in STATUS_ORDER if progress.counts.get(status)), "none")


def summary_context(summary: Summary, *, today: dt.date) -> dict:
    unit = summary.unit
    campaign = summary.campaign
    parent = _parent(unit)
    authority, title, name = signer(unit)
    page, rows = unit_matrix(
        campaign, unit, summary.statuses, page_number=1, per_page=SUMMARY_UNIT_ROWS
    )
    doc = OfficialDocument(
        parent_body=_upper(parent.short_name or parent.name) if parent else "",
        issuer=_upper(unit.name),
        number=document_number(None, f"BC-{ISSUER_SYMBOL.get(unit.kind, 'CĐ')}"),
        doc_type=SUMMARY_TYPE,
        subject=f"Tổng hợp đăng ký thi đua năm {campaign.year}",
        place=campaign.place,
        date=today,
        recipients=[
            *([f"{parent.name} (để b/cáo);"] if parent else []),
            "Lưu: VT.",
        ],
        signing_authority=authority,
        signer_title=title,
        signer_name=name,
    )
    progress = summary.progress
    counts = progress.counts
    themes = summary.themes
    return {
        "doc": doc,
        "summary": summary,
        "campaign": campaign,
        "unit": unit,
        "reference": campaign_reference(campaign),
        "campaign_subject": _lower_first(" ".join(campaign.title.split())),
        "counts": {key: vn_number(value) for key, value in counts.items()},
        "counted_only_approved": summary.scope == "approved",
        # Below a district the branches are single units: then each row shows its status.
        "branches_are_units": all(row.progress.total <= 1 for row in summary.branches),
        "branches": [
            {
                "name": row.unit.name,
                "status": str(status_label(_single_status(row.progress))),
                "is_self": row.is_self,
                "total": vn_number(row.progress.total),
                "approved": vn_number(row.progress.approved),
                "submitted": vn_number(row.progress.submitted),
                "other": vn_number(
                    row.progress.registered - row.progress.approved - row.progress.submitted
                ),
                "none": vn_number(row.progress.total - row.progress.registered),
            }
            for row in summary.branches
        ],
        "themes": [
            {
                "number": t.theme.number,
                "title": t.theme.title,
                "units": vn_number(t.units),
                "targets": [target_total_text(x) for x in t.targets],
            }
            for t in themes
        ],
        "theme_numbers": [t.theme.number for t in themes],
        "theme_ids": [t.theme.pk for t in themes],
        "units": [
            {
                "name": r.organization.name,
                "marks": ["x" if t.theme.pk in r.theme_ids else "" for t in themes],
                "status_code": r.status,
                "status": str(status_label(r.status)),
            }
            for r in rows
        ],
        "units_total": page.paginator.count,
        "units_cut": page.paginator.count > len(rows),
        "key_works": {
            "count": vn_number(summary.key_works.get("count") or 0),
            "value": vn_number(summary.key_works.get("value") or 0),
            "units": vn_number(summary.key_works.get("units") or 0),
        },
    }


def summary_pdf(summary: Summary, *, today: dt.date) -> bytes:
    with translation.override("vi"):
        context = summary_context(summary, today=today)
    return render_pdf("registrations/summary_pdf.html", context)


def summary_filename(summary: Summary, extension: str) -> str:
    return (
        f"tong-hop-dang-ky-thi-dua-{summary.campaign.year}-{_slug(summary.unit.code)}.{extension}"
    )
