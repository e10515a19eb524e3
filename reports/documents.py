"""The summary of a phase over a subtree as an official document, in the Decree 30 layout of
``templates/documents/base.html``: "Báo cáo tổng hợp kết quả phong trào thi đua", signed by the
unit's leader and sent to the unit above. Its words are Vietnamese, as the document is,
whatever the language of the screen."""

import datetime as dt

from django.utils import translation

from emulation.documents import OfficialDocument, document_number, render_pdf
from emulation.text import unaccent
from federation.models import OrganizationKind
from registrations.documents import ISSUER_SYMBOL, campaign_reference, signer, vn_number
from reports.models import NOT_REPORTED
from reports.selectors.common import STATUS_ORDER, phase_infos
from reports.selectors.overdue import first_overdue, overdue_rows
from reports.selectors.progress import Rollup

DOC_TYPE = "BÁO CÁO"
# Units listed as not having sent their report; beyond it they are in the spreadsheet.
LATE_ROWS = 30

STATUS_TEXT = {
    NOT_REPORTED: "Chưa báo cáo",
    "draft": "Đang soạn",
    "returned": "Trả lại",
    "submitted": "Chờ duyệt",
    "approved": "Đã duyệt",
}


def _upper(text: str) -> str:
    return " ".join((text or "").split()).upper()


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _slug(text: str) -> str:
    folded = unaccent(text).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in folded).split())[:60]


def _addressee(campaign, parent) -> str:
    """The unit above; "(qua Ban Chính sách - Pháp luật)" when it is the issuing unit, whose
    receiving department takes the reports."""
    department = campaign.receiving_department
    if department is not None and parent.pk == campaign.issuer_id:
        return f"{parent.name} (qua {department.name}) (để b/cáo);"
    return f"{parent.name} (để b/cáo);"


def _single_status(progress) -> str:
    """The status of a row that is one unit."""
    return next((status for status in STATUS_ORDER if progress.count(status)), NOT_REPORTED)


def summary_context(data: Rollup, *, today: dt.date) -> dict:
    unit, campaign, phase = data.unit, data.campaign, data.phase
    parent = unit.parent_unit()
    authority, title, name = signer(unit)
    infos = phase_infos(campaign)
    info = next((i for i in infos if i.phase.pk == phase.pk), None)
    review = "tổng kết" if info and info.is_final else "sơ kết"
    doc = OfficialDocument(
        parent_body=_upper(parent.short_name or parent.name) if parent else "",
        issuer=_upper(unit.name),
        number=document_number(None, f"BC-{ISSUER_SYMBOL.get(unit.kind, 'CĐ')}"),
        doc_type=DOC_TYPE,
        subject=f"Tổng hợp kết quả phong trào thi đua {phase.name} năm {campaign.year}",
        place=campaign.place,
        date=today,
        recipients=[*([_addressee(campaign, parent)] if parent else []), "Lưu: VT."],
        signing_authority=authority,
        signer_title=title,
        signer_name=name,
    )
    report = data.report
    indicators = data.indicators
    late = overdue_rows(
        first_overdue(campaign, phase, unit, kind=data.kind, today=today, limit=LATE_ROWS),
        phase,
        unit,
        today,
        {row.unit.path: row.unit.display_name for row in data.rows if not row.is_self},
    )
    not_sent = report.total - report.sent
    return {
        "doc": doc,
        "rollup": data,
        "campaign": campaign,
        "phase": phase,
        "unit": unit,
        "review": review,
        "reference": campaign_reference(campaign),
        "campaign_subject": _lower_first(" ".join(campaign.title.split())),
        "period": f"từ ngày {phase.start:%d/%m/%Y} đến ngày {phase.end:%d/%m/%Y}",
        "deadline": phase.report_deadline.strftime("%d/%m/%Y") if phase.report_deadline else "",
        "counts": {
            "total": vn_number(report.total),
            "approved": vn_number(report.approved),
            "submitted": vn_number(report.submitted),
            "returned": vn_number(report.count("returned")),
            "draft": vn_number(report.count("draft")),
            "none": vn_number(report.none),
            "overdue": vn_number(report.overdue),
            "not_sent": vn_number(not_sent),
            "sent": vn_number(report.sent),
            "counted": vn_number(data.counted),
            "percent": report.sent_percent,
        },
        "counted_only_approved": data.scope == "approved",
        # Below a district the rows are single units: each shows its report's status.
        "rows_are_units": all(row.report.total <= 1 for row in data.rows),
        "kind_label": str(dict(OrganizationKind.choices).get(data.kind, "")),
        "indicators": [{"name": i.name, "unit": i.unit} for i in indicators],
        "rows": [
            {
                "name": row.unit.name,
                "is_self": row.is_self,
                "units": vn_number(row.report.total),
                "sent": vn_number(row.report.sent),
                "approved": vn_number(row.report.approved),
                "counted": vn_number(row.counted),
                "status": STATUS_TEXT[_single_status(row.report)],
                "values": [vn_number(row.totals.get(i.pk) or 0) for i in indicators],
            }
            for row in data.rows
        ],
        "totals": [vn_number(data.totals.get(i.pk) or 0) for i in indicators],
        "indicator_totals": [
            {"name": i.name, "unit": i.unit, "total": vn_number(data.totals.get(i.pk) or 0)}
            for i in indicators
        ],
        "themes": [
            {
                "number": t.theme.number,
                "title": t.theme.title,
                "units": vn_number(t.units),
                "targets": [
                    {
                        "name": x.name,
                        "unit": x.unit,
                        "rate": x.is_rate,
                        "target": vn_number(x.target_value),
                        "achieved": vn_number(x.achieved_value),
                        "percent": f"{x.percent} %" if x.percent is not None else "",
                        "units": vn_number(x.units),
                    }
                    for x in t.targets
                ],
            }
            for t in data.themes
        ],
        "late": [
            {
                "name": row.unit.name,
                "branch": row.branch,
                "status": STATUS_TEXT.get(row.status, row.status_label),
                "days": vn_number(row.days_late),
            }
            for row in late
        ],
        "late_cut": report.overdue > len(late),
    }


def summary_pdf(data: Rollup, *, today: dt.date) -> bytes:
    with translation.override("vi"):
        context = summary_context(data, today=today)
    return render_pdf("reports/summary_pdf.html", context)


def summary_filename(data: Rollup) -> str:
    return (
        f"bao-cao-tong-hop-{_slug(data.phase.name)}-{data.campaign.year}-"
        f"{_slug(data.unit.code)}.pdf"
    )
