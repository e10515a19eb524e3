"""The demo's score sheets (one per type of grassroots union, in the 40/40/15/5 structure of
Hướng dẫn 1294/HD-TLĐ of 14/8/2019) and the types of its grassroots units.

EXAMPLE VALUES: the structure (groups of 40, 40, 15 points and 5 bonus points, four grades) is
the guidance's; the wording and points of each criterion, the minimum scores (85, 70, 50, the
older scale's), the knock-outs (a group under half its maximum; a declared event), the cap of
20 % on the top grade and the dates of the grading period are examples for the demonstration,
to be replaced by each federation's own guidance.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from federation.models import Organization, OrganizationKind
from grading.models import (
    Criterion,
    CriterionGroup,
    Grade,
    GradingProfile,
    GroupKind,
    KnockOut,
    ScoreSheet,
    UnitType,
)

# (title, max points, evidence asked, justification required) per criterion, per group.
REPRESENT = {
    UnitType.STATE: [
        (
            "Phối hợp tổ chức hội nghị cán bộ, công chức, viên chức; thực hiện quy chế dân chủ",
            10,
            "Biên bản hội nghị cán bộ, công chức, viên chức",
            True,
        ),
        (
            "Tham gia xây dựng và giám sát thực hiện quy chế, chế độ, chính sách liên quan đến đoàn viên",
            10,
            "Văn bản tham gia ý kiến, biên bản giám sát",
            True,
        ),
        (
            "Đại diện, bảo vệ quyền, lợi ích hợp pháp, chính đáng của đoàn viên",
            10,
            "Hồ sơ vụ việc, văn bản kiến nghị",
            False,
        ),
        (
            "Tham gia kiểm tra, thanh tra, phòng chống tham nhũng, lãng phí",
            10,
            "Kế hoạch và kết quả kiểm tra",
            False,
        ),
    ],
    UnitType.ENTERPRISE: [
        (
            "Thương lượng, ký kết và giám sát thực hiện thỏa ước lao động tập thể",
            10,
            "Thỏa ước lao động tập thể còn hiệu lực",
            True,
        ),
        (
            "Tổ chức đối thoại tại nơi làm việc, hội nghị người lao động",
            10,
            "Biên bản đối thoại, hội nghị người lao động",
            True,
        ),
        (
            "Giám sát thực hiện tiền lương, bảo hiểm xã hội, an toàn vệ sinh lao động",
            10,
            "Biên bản giám sát",
            False,
        ),
        ("Đại diện, bảo vệ người lao động trong tranh chấp lao động", 10, "Hồ sơ vụ việc", False),
    ],
}
ORGANISE = [
    (
        "Phát triển đoàn viên, thành lập và củng cố tổ chức công đoàn",
        10,
        "Danh sách đoàn viên kết nạp trong năm",
        True,
    ),
    ("Sinh hoạt ban chấp hành, tổ công đoàn theo quy định", 10, "Sổ ghi biên bản sinh hoạt", False),
    (
        "Thu, nộp kinh phí và đoàn phí công đoàn đúng, đủ, kịp thời",
        10,
        "Báo cáo quyết toán tài chính công đoàn",
        True,
    ),
    (
        "Bồi dưỡng cán bộ công đoàn, giới thiệu đoàn viên ưu tú",
        10,
        "Danh sách cán bộ được bồi dưỡng",
        False,
    ),
]
COMMUNICATE = [
    (
        "Tuyên truyền, phổ biến chủ trương, pháp luật cho đoàn viên",
        5,
        "Kế hoạch, hình ảnh hoạt động",
        False,
    ),
    (
        "Tổ chức phong trào thi đua, hoạt động văn hóa, thể thao",
        5,
        "Kế hoạch và báo cáo phong trào",
        False,
    ),
    ("Chăm lo đời sống, hoạt động xã hội, từ thiện", 5, "Danh sách hỗ trợ đoàn viên", False),
]
BONUS = [
    (
        "Thành tích nổi bật, sáng kiến, mô hình hay được cấp trên ghi nhận",
        5,
        "Quyết định khen thưởng hoặc văn bản ghi nhận",
        True,
    ),
]
PENALTY = [
    ("Báo cáo chậm hoặc không đầy đủ theo yêu cầu của công đoàn cấp trên", 2, "", False),
]
GRADES = [
    ("xuat-sac", "Hoàn thành xuất sắc nhiệm vụ", 85),
    ("tot", "Hoàn thành tốt nhiệm vụ", 70),
    ("hoan-thanh", "Hoàn thành nhiệm vụ", 50),
    ("khong-hoan-thanh", "Không hoàn thành nhiệm vụ", 0),
]
TITLES = {
    UnitType.STATE: "Bảng chấm điểm CĐCS cơ quan nhà nước, đơn vị sự nghiệp năm {year}",
    UnitType.ENTERPRISE: "Bảng chấm điểm CĐCS doanh nghiệp năm {year}",
}


def build_sheet(
    year: int,
    unit_type: str,
    *,
    opens_on: dt.date | None = None,
    deadline: dt.date | None = None,
    top_grade_cap: int | None = 20,
) -> ScoreSheet:
    """A sheet in the 40/40/15/5 structure with example criteria, grades and knock-outs."""
    sheet = ScoreSheet.objects.create(
        year=year,
        unit_type=unit_type,
        title=TITLES[unit_type].format(year=year),
        basis="Hướng dẫn 1294/HD-TLĐ ngày 14/8/2019 (số liệu minh họa)",
        opens_on=opens_on,
        deadline=deadline,
        top_grade_cap=top_grade_cap,
        note="Các tiêu chí, điểm, ngưỡng xếp loại và tỷ lệ là ví dụ minh họa.",
    )
    layout = [
        (
            "Đại diện, bảo vệ quyền, lợi ích; tham gia quản lý, kiểm tra, giám sát",
            GroupKind.REGULAR,
            40,
            REPRESENT[unit_type],
        ),
        ("Xây dựng tổ chức công đoàn", GroupKind.REGULAR, 40, ORGANISE),
        ("Công tác tuyên truyền và các hoạt động khác", GroupKind.REGULAR, 15, COMMUNICATE),
        ("Điểm thưởng", GroupKind.BONUS, 5, BONUS),
        ("Điểm trừ", GroupKind.PENALTY, 2, PENALTY),
    ]
    groups = []
    for number, (title, kind, points, criteria) in enumerate(layout, start=1):
        group = CriterionGroup.objects.create(
            sheet=sheet, number=number, title=title, kind=kind, max_points=Decimal(points)
        )
        groups.append(group)
        Criterion.objects.bulk_create(
            Criterion(
                group=group,
                number=index,
                title=text,
                max_points=Decimal(most),
                evidence=evidence,
                justification_required=needs,
                guidance="Chấm theo mức độ thực hiện trong năm; ghi rõ căn cứ.",
            )
            for index, (text, most, evidence, needs) in enumerate(criteria, start=1)
        )
    grades = {
        code: Grade.objects.create(
            sheet=sheet, rank=rank, code=code, name=name, min_score=Decimal(score)
        )
        for rank, (code, name, score) in enumerate(GRADES, start=1)
    }
    for group in groups[:3]:
        KnockOut.objects.create(
            sheet=sheet,
            group=group,
            min_share=50,
            caps_at=grades["hoan-thanh"],
            description=f"Nhóm {group.number} đạt dưới 50% số điểm tối đa",
        )
    KnockOut.objects.create(
        sheet=sheet,
        caps_at=grades["tot"],
        description="Trong năm có cán bộ công đoàn bị kỷ luật từ khiển trách trở lên",
    )
    return sheet


def unit_type_of(name: str) -> str:
    return UnitType.ENTERPRISE if "Công ty" in name or "Doanh nghiệp" in name else UnitType.STATE


@transaction.atomic
def seed_grading(today: dt.date) -> tuple[int, int]:
    """The sheets of ``today``'s year (a period from 1 January to 31 December, examples) and a
    type for every grassroots unit without one. Returns (sheets created, types set)."""
    sheets = 0
    for unit_type in UnitType.values:
        if not ScoreSheet.objects.filter(year=today.year, unit_type=unit_type).exists():
            build_sheet(
                today.year,
                unit_type,
                opens_on=dt.date(today.year, 1, 1),
                deadline=dt.date(today.year, 12, 31),
            )
            sheets += 1
    units = Organization.objects.filter(
        kind=OrganizationKind.GRASSROOTS, grading_profile__isnull=True
    ).values_list("pk", "name")
    profiles = [
        GradingProfile(organization_id=pk, unit_type=unit_type_of(name)) for pk, name in units
    ]
    GradingProfile.objects.bulk_create(profiles)
    return sheets, len(profiles)


def seed(stdout, today: dt.date | None = None) -> None:
    sheets, types = seed_grading(today or timezone.localdate())
    if sheets or types:
        stdout.write(f"Grading: {sheets} score sheets, {types} unit types.")
