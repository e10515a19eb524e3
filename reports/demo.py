"""Demo data: the campaign's indicators, and phase reports in every state across the Ninh Bình
tree.

For the active copies of the 2017 plan placed around ``today`` (``campaigns.demo.calendar``),
reporting on each phase opens 30 days before it ends, and the units whose registration was
approved report through the services, as their people would, on the phases whose reporting has
opened (none on the others). On the phase open today, its deadline ahead, some have not
started, others hold a draft, wait for review, were returned with a comment or were accepted;
among the district and sector federations, whose reports reach the province, some were marked
received by the Policy-Law Department and wait for its decision. On a phase whose deadline has
passed, reports were made by the deadline and most were accepted. The demo people act where
they have a role: ``hoalu`` has reports of his units to review, ``cdcs3`` holds a draft to
finish, ``cspl`` sees the province's dashboard and the inbox. The closed 2017 campaign gets
accepted reports on both phases in three branches, written directly as the historical record
they are (a closed campaign accepts no change through the services).

Figures are drawn from a seeded generator, so every run makes the same ones. Idempotent: a
campaign that already has reports is left alone.
"""

import datetime as dt
import random
import struct
import zlib
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.demo import demo_campaigns, reporting_opens
from campaigns.models import Campaign, CampaignStatus, Phase
from emulation.workflow import ReviewStatus
from federation.models import Membership, Organization, OrganizationKind, Role
from registrations.content import CONTENT_PREFETCH
from registrations.content import content_of as registration_content_of
from registrations.models import Registration
from reports import rollups
from reports.content import skeleton
from reports.models import Indicator, PhaseReport
from reports.services.checks import clean_content
from reports.services.common import opening_of
from reports.services.config import (
    DEFAULT_INDICATORS,
    indicators_add_defaults,
    reporting_opens_set,
)
from reports.services.drafts import _write_content, report_save_draft
from reports.services.transitions import (
    report_approve,
    report_receive,
    report_return,
    report_submit,
)

NARRATIVES = [
    "Đợt thi đua được triển khai sâu rộng đến từng tổ công đoàn; đoàn viên hưởng ứng tích cực, "
    "nhiều sáng kiến được áp dụng vào sản xuất, công tác.\n"
    "Hạn chế: một số tổ công đoàn chưa thường xuyên theo dõi, đánh giá kết quả thi đua.\n"
    "Kiến nghị: công đoàn cấp trên kịp thời biểu dương các tập thể, cá nhân tiêu biểu.",
    "Ban Chấp hành phối hợp với chuyên môn phát động thi đua gắn với nhiệm vụ trọng tâm của "
    "đơn vị; các chỉ tiêu đăng ký cơ bản hoàn thành, một số chỉ tiêu vượt kế hoạch.\n"
    "Đơn vị đã phát hiện, bồi dưỡng điển hình tiên tiến để đề nghị khen thưởng.",
    "Phong trào thi đua lao động giỏi, lao động sáng tạo tiếp tục được duy trì; đời sống, việc "
    "làm của đoàn viên ổn định.\n"
    "Khó khăn: đơn hàng giảm trong quý II ảnh hưởng đến năng suất lao động.",
]
DONE = {
    1: "Phát động thi đua “Lao động giỏi, lao động sáng tạo” đến các tổ công đoàn; tổ chức hội "
    "thảo, đánh giá và áp dụng các sáng kiến cải tiến kỹ thuật.",
    2: "Tổ chức các lớp học tập, bồi dưỡng chuyên môn, tin học; triển khai học tập và làm theo tư "
    "tưởng, đạo đức, phong cách Hồ Chí Minh gắn với nhiệm vụ của đơn vị.",
    3: "Vận động đoàn viên đóng góp ngày công, kinh phí xây dựng nông thôn mới tại địa phương.",
    4: "Chuẩn bị chu đáo Đại hội Công đoàn cơ sở; kết nạp đoàn viên mới theo kế hoạch.",
    5: "Thăm hỏi, hỗ trợ đoàn viên có hoàn cảnh khó khăn; ký kết thỏa thuận ưu đãi cho đoàn viên.",
}
RETURN_COMMENTS = [
    "Đề nghị bổ sung số liệu giá trị làm lợi của các sáng kiến đã áp dụng.",
    "Báo cáo chưa nêu điển hình tiên tiến được phát hiện; đề nghị bổ sung và gửi lại.",
]
# Phase 1 states of units with an approved registration, drawn with these weights.
WEIGHTS = [("none", 14), ("draft", 14), ("submitted", 22), ("returned", 8), ("approved", 42)]
# The units whose reports reach the province: how the Policy-Law Department left them.
UPPER_WEIGHTS = [("submitted", 25), ("received", 30), ("returned", 10), ("approved", 35)]
# A phase whose deadline has passed: how its reports were left (the demo people's accepted).
SETTLED_WEIGHTS = [("none", 10), ("draft", 3), ("submitted", 4), ("returned", 3), ("approved", 80)]
UPPER_SETTLED_WEIGHTS = [("received", 10), ("approved", 90)]
FIXED = {
    "NB-HL-07": "submitted",  # hoalu has reports to review
    "NB-HL-08": "submitted",
    "NB-HL-09": "approved",
    "NB-HL-10": "returned",
    "NB-GD": "received",  # cspl has a received report to decide on
    "NB-GD-01": "draft",  # cdcs3 finishes it
}


def tiny_pdf(text: str = "Bao cao") -> bytes:
    """A one-page PDF with a line of text (ASCII), for demo and test attachments."""
    safe = "".join(c for c in text if 32 <= ord(c) < 127 and c not in "()\\")
    stream = f"BT /F1 14 Tf 72 770 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def tiny_png(width: int = 8, height: int = 8, colour=(179, 38, 30)) -> bytes:
    """A small plain PNG picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + bytes(colour) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def _people() -> tuple[dict, dict]:
    """The demo people by unit: who prepares (officer or leader) and who reviews (leader or
    staff)."""
    officers, reviewers = {}, {}
    for membership in Membership.objects.select_related("user", "organization").order_by("pk"):
        code = membership.organization.code
        if membership.role in (Role.OFFICER, Role.LEADER):
            officers.setdefault(code, membership.user)
        if membership.role in (Role.LEADER, Role.STAFF):
            reviewers.setdefault(code, membership.user)
    return officers, reviewers


def _achieved(rng: random.Random, target: Decimal, unit: str, share: float) -> str:
    """A plausible achieved value: around the target (rates stay at most 100)."""
    if unit.strip() == "%":
        return str(min(Decimal(100), (target * Decimal(rng.uniform(0.92, 1.08))).quantize(1)))
    value = target * Decimal(rng.uniform(0.65, 1.35) * share)
    return str(value.quantize(1))


def _figures(rng: random.Random, unit: Organization, share: float) -> list:
    """The five usual indicators for one unit's own results in one phase."""
    upper = unit.kind != OrganizationKind.GRASSROOTS
    members = unit.member_count or rng.randint(15, 40 if upper else 250)
    initiatives = rng.randint(0, 2 if upper else 7)
    initiatives = max(0, round(initiatives * share))
    value = initiatives * rng.randint(8, 90) * 1_000_000
    models = rng.randint(1, 4) if upper else rng.choice((0, 0, 1, 1, 2))
    return [
        initiatives,
        value,
        max(0, round(models * share)),
        round(members * rng.uniform(0.72, 0.98) * (1 if share >= 1 else 0.8)),
        rng.choice((0, 0, 1, 1, 2)) if not upper else rng.choice((0, 1)),
    ]


def _data(rng, unit, registration, indicators, share=1.0) -> dict:
    content = skeleton(registration_content_of(registration))
    return {
        "narrative": rng.choice(NARRATIVES),
        "themes": {
            line.theme_id: {
                "done": DONE.get((line.number - 1) % len(DONE) + 1, ""),
                "targets": {
                    t.position: _achieved(rng, t.target, t.unit, share) for t in line.targets
                },
            }
            for line in content.themes
        },
        "indicators": {
            i.pk: str(v) for i, v in zip(indicators, _figures(rng, unit, share), strict=False)
        },
    }


def _attachments(rng: random.Random, unit: Organization) -> list:
    files = []
    if rng.random() < 0.5:
        files.append(
            SimpleUploadedFile(
                "bien-ban-so-ket.pdf",
                tiny_pdf(f"Bien ban so ket - {unit.code}"),
                content_type="application/pdf",
            )
        )
    if rng.random() < 0.2:
        files.append(SimpleUploadedFile("anh-hoat-dong.png", tiny_png(), content_type="image/png"))
    return files


def open_phases(today: dt.date) -> list[Phase]:
    """The phases of the demo's active campaigns whose reporting is open on ``today`` with
    their deadline ahead (the one a visitor reports on), in the order of the campaigns."""
    phases = []
    for campaign in demo_campaigns(today):
        for phase in campaign.phases.order_by("start"):
            deadline = phase.report_deadline
            if opening_of(phase) <= today and (deadline is None or today <= deadline):
                phases.append(phase)
    return phases


def _open_reporting(campaign: Campaign, admin) -> None:
    """Reporting on each phase opens 30 days before it ends (``campaigns.demo``)."""
    for phase in campaign.phases.all():
        reporting_opens_set(phase=phase, by=admin, opens_on=reporting_opens(phase.start, phase.end))


def seed_current(campaign: Campaign, admin, today: dt.date) -> dict:
    rng = random.Random(campaign.year * 7)
    phases = list(campaign.phases.order_by("start"))
    if not phases:
        return {}
    indicators = list(Indicator.objects.filter(campaign=campaign))
    officers, reviewers = _people()
    province_staff = reviewers.get(campaign.issuer.code, admin)
    code_by_path = dict(Organization.objects.values_list("path", "code"))
    registrations = list(
        Registration.objects.filter(
            campaign=campaign, status=ReviewStatus.APPROVED, organization__is_active=True
        )
        .select_related("organization")
        .prefetch_related(*CONTENT_PREFETCH)
        .order_by("organization__path")
    )
    issuer = campaign.issuer
    counts: dict[str, int] = {}

    def act_on(phase, day, states, share):
        for registration in registrations:
            unit = registration.organization
            reaches = unit.depth == issuer.depth + 1
            state = states(unit, reaches)
            if state == "none":
                continue
            counts[f"{phase.name} {state}"] = counts.get(f"{phase.name} {state}", 0) + 1
            officer = officers.get(unit.code, admin)
            reviewer = reviewers.get(code_by_path.get(unit.parent_path), province_staff)
            report = report_save_draft(
                campaign=campaign,
                phase=phase,
                organization=unit,
                by=officer,
                data=_data(rng, unit, registration, indicators, share),
                uploads=_attachments(rng, unit) if state != "draft" else [],
                today=day,
            )
            if state == "draft":
                continue
            report = report_submit(report, by=officer, today=day)
            if state == "submitted":
                continue
            if state == "received":
                report_receive(report, by=province_staff)
                continue
            if state == "returned":
                report_return(report, by=reviewer, comment=rng.choice(RETURN_COMMENTS))
                continue
            report_approve(report, by=reviewer)

    def drawer(grassroots_table, upper_table, fixed):
        def states(unit, reaches):
            if unit.code in FIXED:
                return fixed(unit)
            table = upper_table if reaches else grassroots_table
            return rng.choices([s for s, _w in table], [w for _s, w in table])[0]

        return states

    for number, phase in enumerate(phases, start=1):
        opens = opening_of(phase)
        deadline = phase.report_deadline
        share = 1.0 if number == 1 else 0.8
        if today < opens:
            continue  # reporting not open: nothing can have been reported
        if deadline is not None and deadline < today:
            # Over: reported by the deadline, most of it accepted.
            states = drawer(SETTLED_WEIGHTS, UPPER_SETTLED_WEIGHTS, lambda unit: "approved")
            act_on(phase, deadline, states, share)
        else:
            # Open today: every state, the demo people's units as FIXED says.
            states = drawer(WEIGHTS, UPPER_WEIGHTS, lambda unit: FIXED[unit.code])
            act_on(phase, today, states, share)
    return counts


def seed_2017(campaign: Campaign, admin) -> int:
    """Accepted reports on both phases of 2017 by the units whose 2017 registration was
    approved, written directly as a historical record."""
    rng = random.Random(2017)
    indicators = list(Indicator.objects.filter(campaign=campaign))
    registrations = list(
        Registration.objects.filter(campaign=campaign, status=ReviewStatus.APPROVED)
        .select_related("organization")
        .prefetch_related(*CONTENT_PREFETCH)
        .order_by("organization__path")
    )
    created = 0
    for number, phase in enumerate(campaign.phases.order_by("start"), start=1):
        submitted = timezone.make_aware(
            dt.datetime.combine(phase.report_deadline or phase.end, dt.time(9, 0))
        ) - dt.timedelta(days=3)
        share = 1.0 if number == 1 else 0.8
        for registration in registrations:
            unit = registration.organization
            if rng.random() < 0.12:
                continue  # some units never reported
            data = _data(rng, unit, registration, indicators, share)
            report = PhaseReport.objects.create(
                campaign=campaign,
                phase=phase,
                organization=unit,
                status=ReviewStatus.APPROVED,
                version=3,
                submitted_at=submitted,
                reviewed_at=submitted + dt.timedelta(days=2),
                received_at=submitted + dt.timedelta(days=1)
                if unit.depth == campaign.issuer.depth + 1
                else None,
                created_by=admin,
            )
            content = clean_content(
                base=skeleton(registration_content_of(registration)),
                indicators=indicators,
                data=data,
            )
            _write_content(report, content)
            report.save(update_fields=["narrative"])
            created += 1
    return created


def _indicators_2017(campaign: Campaign) -> None:
    """The usual indicators on the closed 2017 campaign (closed campaigns refuse changes
    through the services: written directly)."""
    for position, (name, unit) in enumerate(DEFAULT_INDICATORS, start=1):
        Indicator.objects.get_or_create(
            campaign=campaign,
            name=name,
            defaults={"unit": unit, "position": position, "whole_numbers": True},
        )


def seed(stdout, today: dt.date) -> None:
    admin = get_user_model().objects.get(username="admin")
    province = Organization.objects.get(code="NB")
    for current in demo_campaigns(today):
        added = indicators_add_defaults(campaign=current, by=admin)
        if added:
            stdout.write(f"Report indicators {current.year}: {len(added)} added.")
        if not PhaseReport.objects.filter(campaign=current).exists():
            _open_reporting(current, admin)
            counts = seed_current(current, admin, today)
            summary = ", ".join(f"{state} {count}" for state, count in sorted(counts.items()))
            stdout.write(f"Phase reports {current.year}: {summary or 'none'}.")
        rollups.rebuild(current)
    closed = Campaign.objects.filter(
        issuer=province, year=2017, number=13, status=CampaignStatus.CLOSED
    ).first()
    if closed is not None:
        _indicators_2017(closed)
        if not PhaseReport.objects.filter(campaign=closed).exists():
            stdout.write(f"Phase reports 2017: {seed_2017(closed, admin)} accepted (historical).")
        rollups.rebuild(closed)
