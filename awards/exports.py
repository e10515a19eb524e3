"""Spreadsheets of commendation: nominations by stage, decisions with their awardees, plaques."""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from awards.models import Stage
from emulation.spreadsheets import (
    DATE_FORMAT,
    XLSX_TYPE,
    append,
    column_widths,
    freeze_header,
    header_row,
    number_format,
)


def _sheet(book, title, header, rows, widths, *, numbers=(), dates=()):
    """A sheet whose header row stays in view; the columns ``numbers`` (letters) hold
    quantities, shown with thousands separators, and ``dates`` days."""
    sheet = book.create_sheet(title[:31])
    column_widths(sheet, widths)
    freeze_header(sheet)
    header_row(sheet, [str(h) for h in header])
    for row in rows:
        append(sheet, row)
    for column in numbers:
        for cell in sheet[column][1:]:
            if isinstance(cell.value, int | float):
                cell.number_format = number_format(cell.value)
    for column in dates:
        for cell in sheet[column][1:]:
            cell.number_format = DATE_FORMAT
    return sheet


def _response(book, filename: str) -> HttpResponse:
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def nominations_xlsx(nominations, filename: str = "de-nghi-khen-thuong.xlsx") -> HttpResponse:
    """One sheet with the counts per stage, then one sheet per stage that has nominations.
    ``nominations`` carries ``stage_code`` (see ``selectors.filter_nominations``)."""
    by_stage: dict[str, list] = {stage: [] for stage in Stage.values}
    for n in nominations:
        by_stage[n.stage_code].append(n)
    book = Workbook()
    book.remove(book.active)
    _sheet(
        book,
        _("Summary"),
        [_("Stage"), _("Nominations")],
        [(str(Stage(stage).label), len(rows)) for stage, rows in by_stage.items()],
        [32, 14],
        numbers="B",
    )
    header = [
        _("No."),
        _("Nominee"),
        _("Collective or individual"),
        _("Unit of the nominee"),
        _("Position"),
        _("Year of birth"),
        _("Award"),
        _("Campaign"),
        _("Nominating unit"),
        _("Now at"),
        _("Stage"),
        _("Decision"),
    ]
    for stage, rows in by_stage.items():
        if not rows:
            continue
        _sheet(
            book,
            str(Stage(stage).label),
            header,
            [
                (
                    index,
                    n.nominee_name,
                    str(n.get_nominee_kind_display()),
                    n.nominee_unit.name,
                    n.position,
                    n.birth_year,
                    n.award_type.name,
                    n.campaign.year,
                    n.nominating_unit.name,
                    n.current_level.name,
                    str(Stage(stage).label),
                    n.decision.document_number if n.decision_id else "",
                )
                for index, n in enumerate(rows, start=1)
            ],
            [6, 30, 14, 40, 24, 10, 36, 10, 40, 40, 22, 18],
        )
    return _response(book, filename)


def decisions_xlsx(decisions, filename: str = "quyet-dinh-khen-thuong.xlsx") -> HttpResponse:
    """One row per awardee of each decision."""
    book = Workbook()
    book.remove(book.active)
    rows = []
    for decision in decisions:
        for n in decision.nominations.all():
            rows.append(
                (
                    decision.document_number,
                    decision.date,
                    decision.issuer.name,
                    decision.award_type.name,
                    decision.signer_name,
                    n.nominee_name,
                    str(n.get_nominee_kind_display()),
                    n.position,
                    n.nominee_unit.name,
                    n.nominating_unit.name,
                )
            )
    _sheet(
        book,
        _("Awardees"),
        [
            _("Decision"),
            _("Date"),
            _("Issuer"),
            _("Award"),
            _("Signer"),
            _("Awardee"),
            _("Collective or individual"),
            _("Position"),
            _("Unit"),
            _("Nominating unit"),
        ],
        rows,
        [18, 12, 36, 36, 24, 30, 14, 24, 40, 40],
        dates="B",
    )
    return _response(book, filename)


def plaques_xlsx(plaques, filename: str = "gan-bien-cong-trinh.xlsx") -> HttpResponse:
    book = Workbook()
    book.remove(book.active)
    _sheet(
        book,
        _("Plaques"),
        [
            _("No."),
            _("Work or product"),
            _("Unit"),
            _("Campaign"),
            _("Estimated value (million VND)"),
            _("Granted on"),
            _("Attached on"),
            _("Note"),
        ],
        [
            (
                index,
                p.key_work.name,
                p.key_work.registration.organization.name,
                p.key_work.registration.campaign.year,
                float(p.key_work.estimated_value)
                if p.key_work.estimated_value is not None
                else None,
                timezone.localtime(p.granted_at).date(),
                p.attached_on,
                p.note,
            )
            for index, p in enumerate(plaques, start=1)
        ],
        [6, 44, 40, 10, 16, 14, 14, 30],
        numbers="E",
        dates="FG",
    )
    return _response(book, filename)


def payments_xlsx(decision, payments) -> HttpResponse:
    """The payment list of a decision's reward money, for the finance department."""
    book = Workbook()
    book.remove(book.active)
    base = payments.base.amount if payments.base else None
    rows = [
        [
            index,
            p.nomination.nominee_name,
            p.nomination.position if p.nomination.is_individual else "",
            p.nomination.nominee_unit.name,
            float(p.multiple) if p.multiple is not None else None,
            p.amount,
            "",
        ]
        for index, p in enumerate(payments.rows, start=1)
    ]
    rows.append(["", _("Total"), "", "", None, payments.total, ""])
    sheet = _sheet(
        book,
        _("Payment list"),
        [
            _("No."),
            _("Awardee"),
            _("Position"),
            _("Unit"),
            _("Multiple of the base salary"),
            _("Amount (VND)"),
            _("Signature"),
        ],
        rows,
        [6, 32, 24, 40, 14, 16, 16],
        numbers=("F",),
    )
    sheet.append([])
    sheet.append(
        [
            _("Decision %(number)s of %(day)s; base salary %(base)s VND.")
            % {
                "number": decision.document_number,
                "day": f"{decision.date:%d/%m/%Y}",
                "base": f"{base:,}".replace(",", ".") if base else "—",
            }
        ]
    )
    return _response(book, f"chi-tra-tien-thuong-{decision.pk}.xlsx")
