"""Demo data: the 2017 plan of the Ninh Bình provincial federation (Kế hoạch số 13/KH-LĐLĐ of
23/02/2017) exactly as it was issued, the catalogue of commemorative days, and copies of the
plan placed around the day of the seeding (``seed_demo --today``, by default the real date), so
that a visitor meets a campaign in progress whatever the date.

The rule (Y is today's year; a phase's reporting opens 30 days before the phase ends, its report
deadline falls 15 days after it; see :func:`calendar`):

* **January and February** (a year's campaign has barely begun): the copy for **Y-1** is in its
  final stage: both phases over (01/01-31/08 and 01/09-31/12), phase 1 reported, phase 2's
  final review (tổng kết) open until 15/01 or two weeks after today, whichever is later, and its
  year-end nominations before a council session open for votes. Beside it the copy for **Y** has
  just opened: units register (deadline 31/03), no phase is reported yet.
* **1 March to 30 November**: the copy for **Y**, its interim review (sơ kết) under way: phase 1
  ran from 01/01 to five days ago, its reports are due in ten days; phase 2 runs from the day
  after to 31/12 (reported from 01/12, due 15/01 of Y+1). The registration deadline is 31/03, or
  two weeks before phase 1 ends when that is earlier (the plan's date of issue then three weeks
  before it).
* **December**: the copy for **Y** as the plan has it: phase 1 01/01-31/08 (reported by 15/09),
  phase 2 01/09-31/12, its final review open since 01/12 and due 15/01 of Y+1.

So the registration deadline always falls before phase 1 ends, every report deadline after its
phase ends and before the next deadline, phase 2 after phase 1, and one phase's reporting is
open today with its deadline ahead. The demo modules take ``today`` and never read the clock.

Idempotent: a second run finds what the first one made and changes nothing (a copy already made
for a year keeps its dates).
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from campaigns.models import Campaign, CampaignStatus, Holiday
from campaigns.services.campaign import (
    campaign_activate,
    campaign_close,
    campaign_copy,
    campaign_create,
    campaign_update,
)
from campaigns.services.days import holiday_create, milestones_set
from campaigns.services.plan import phase_add, phase_update, theme_add
from federation.models import Department, Organization

# The texts of the plan, word for word (the plan's own typing included, such as “gán” for
# “gắn”); only the first letter of theme 4 is capitalised.
TITLE = "Phát động phong trào thi đua yêu nước trong CNVCLĐ chào mừng các ngày lễ lớn của đất nước năm 2017; chào mừng Đại hội Công đoàn các cấp tiến tới Đại hội lần thứ XV Công đoàn Ninh Bình và Đại hội lần thứ XII Công đoàn Việt Nam"
PREAMBLE = [
    "Thực hiện Kế hoạch số 02/KH-TLĐ ngày 10/02/2017 của Đoàn Chủ tịch Tổng LĐLĐ Việt Nam về Phát động phong trào thi đua yêu nước trong CNVCLĐ chào mừng các ngày lễ lớn của đất nước năm 2017 và chào mừng Đại hội Công đoàn các cấp tiến tới Đại hội lần thứ XII Công đoàn Việt Nam;",
    "Nhằm tạo khí thế thi đua ngay từ đầu năm, Ban Thường vụ LĐLĐ tỉnh triển khai phát động phong trào thi đua trong cán bộ đoàn viên, CNVCLĐ và các cấp Công đoàn với nội dung chủ yếu sau:",
]
PURPOSES = [
    "Động viên sức mạnh to lớn của cán bộ, đoàn viên, CNVCLĐ cùng với chuyên môn và chính quyền các cấp dưới sự lãnh đạo của các cấp ủy Đảng khắc phục mọi khó khăn, đoàn kết, năng động, sáng tạo, hăng hái thi đua “Lao động giỏi, lao động sáng tạo” trong lao động sản xuất và công tác phấn đấu hoàn thành và hoàn thành vượt mức các mục tiêu, chỉ tiêu phát triển kinh tế - xã hội năm 2017, tạo bước đột phá cho bước phát triển trong giai đoạn mới làm tiền đề để hoàn thành kế hoạch 5 năm 2016-2020, thực hiện Nghị quyết Đại hội Đảng các cấp.",
    "Tổ chức phong trào thi đua phải thiết thực, hiệu quả, tránh hình thức, gán phong trào thi đua yêu nước trong CNVCLĐ với việc chăm lo bảo vệ lợi ích hợp pháp, chính đáng cho đoàn viên và người lao động, nâng cao năng suất lao động, chất lượng sản phẩm, chú trọng phong trào thi đua ở khu vực doanh nghiệp ngoài nhà nước.",
    "Công tác khen thưởng phải kịp thời, đúng người, đúng thành tích, chính xác, chú trọng khen thưởng cho người trực tiếp lao động sản xuất, công tác; thường xuyên quan tâm phát hiện những tấm gương tiêu biểu, những điển hình xuất sắc để học tập và nhân rộng trong phạm vi ngành, địa phương và toàn tỉnh...",
    "Việc tổ chức phong trào thi đua gắn với hoạt động kỷ niệm các ngày lễ lớn của đất nước và tổ chức Công đoàn; kết thúc các đợt thi đua cần sơ kết, tổng kết, kịp thời biểu dương khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong phong trào thi đua.",
]
THEMES = [
    "Tiếp tục đẩy mạnh phong trào thi đua Lao động giỏi, Lao động sáng tạo trên tất cả các lĩnh vực, với mục tiêu “Năng suất cao hơn, chất lượng tốt hơn”, để công tác thi đua thực sự là động lực góp phần quan trọng hoàn thành nhiệm vụ phát triển kinh tế xã hội năm 2017 của từng ngành, địa phương, cơ quan, đơn vị.",
    "Vận động CNVCLĐ “Thi đua học tập nâng cao trình độ mọi mặt đáp ứng yêu cầu thời kỳ hội nhập và phát triển”; tiếp tục đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh” gắn với Cuộc vận động “Đẩy mạnh cải cách thủ tục hành chính và nâng cao chất lượng thực thi công vụ trong cán bộ, công chức, viên chức”; động viên cán bộ, đoàn viên, CNVCLĐ phát huy dân chủ, nâng cao chất lượng và hiệu quả công tác, xây dựng văn minh công sở, văn hóa doanh nghiệp, văn hóa giao thông, thực hiện có hiệu quả Cuộc vận động “Thực hành tiết kiệm, chống lãng phí, tham nhũng, chống các tệ nạn xã hội”.",
    "Đẩy mạnh phong trào thi đua liên kết phục vụ sự nghiệp CNH, HĐH nông nghiệp và phát triển nông thôn gắn với phong trào “Toàn dân chung sức xây dựng nông thôn mới, đô thị văn minh”; vận động CNVCLĐ thi đua liên kết trong nghiên cứu, sáng tạo nhằm tạo ra cây trồng, vật nuôi có năng suất cao, chất lượng tốt, từng bước chiếm lĩnh thị trường trong nước và quốc tế.",
    "Nỗ lực phấn đấu thực hiện thắng lợi 04 Chương trình hành động và các chỉ tiêu do Đại hội XIV Công đoàn Ninh Bình và Đại hội XI Công đoàn Việt Nam đề ra; LĐLĐ các huyện, thành phố, các Công đoàn ngành và CĐCS cơ quan, đơn vị, doanh nghiệp phát động các đợt thi đua đợt xuất với nội dung thiết thực gắn với thực hiện hiệu quả các nhiệm vụ trọng tâm, những công việc khó, hướng tới chỉ đạo, tổ chức thành công Đại hội Công đoàn các cấp, tiến tới Đại hội XV Công đoàn Ninh Bình và Đại hội XII Công đoàn Việt Nam; tích cực hưởng ứng phong trào thi đua “Doanh nghiệp Việt Nam hội nhập và phát triển”, Công đoàn đồng hành vì sự phát triển bền vững của doanh nghiệp, vì việc làm, đời sống của đoàn viên, công nhân, lao động.",
    "Năm 2017, “Năm vì lợi ích của đoàn viên”, các cấp Công đoàn đẩy mạnh các hoạt động chăm lo lợi ích thiết thân cho đoàn viên; tham gia xây dựng các chính sách có liên quan đến đoàn viên và người lao động ở ngành, địa phương đảm bảo để đoàn viên và người lao động có lợi ích cao hơn so với đối tượng khác; chủ động ký kết các thỏa thuận với các đối tác nhằm mang lại cho đoàn viên công đoàn nhiều sản phẩm, dịch vụ với giá ưu đãi nhằm mang lại lợi ích tốt hơn cho đoàn viên công đoàn.",
]
ORGANISATION = [
    "Các cấp Công đoàn căn cứ vào chương trình công tác, kế hoạch phát triển kinh tế - xã hội của từng ngành, địa phương và cơ sở, chủ động tham mưu đề xuất, tranh thủ sự chỉ đạo của cấp ủy Đảng, sự giúp đỡ, phối hợp với chính quyền, chuyên môn và người sử dụng lao động xây dựng kế hoạch tổ chức thực hiện; mỗi đơn vị xây dựng và lựa chọn ít nhất hai nội dung phong trào thi đua có ý nghĩa đặc thù, đặc trưng xuyên suốt các nhiệm vụ trọng tâm hoặc các công trình trọng điểm; xây dựng kế hoạch triển khai phong trào thi đua cụ thể ở cấp mình để đăng ký với Công đoàn cấp trên và LĐLĐ tỉnh, lấy đó làm động lực thúc đẩy việc thực hiện thắng lợi nhiệm vụ của đơn vị năm 2017 và các năm tiếp theo.",
    "Các cấp Công đoàn cần lựa chọn các hình thức, biện pháp, tổ chức lồng ghép phát động các phong trào thi đua theo đợt phù hợp với từng ngành nghề, địa phương và đơn vị cơ sở với các mục tiêu cụ thể, thiết thực; thường xuyên bám sát cơ sở để phát hiện, xây dựng, nhân rộng các điển hình tiên tiến; chú trọng công tác tuyên truyền về kết quả các phong trào thi đua trong CNVCLĐ và hoạt động công đoàn trên trang thông tin điện tử của LĐLĐ tỉnh, của các ngành, địa phương, cơ quan, đơn vị; giới thiệu các gương điển hình tiên tiến, gương người tốt, việc tốt, các tập thể, cá nhân tiên tiến tuyên truyền, tạo sự lan tỏa của các điển hình tiên tiến, gương người tốt, việc tốt từ các phong trào thi đua và hoạt động công đoàn; xem xét khen thưởng cho những tập thể, cá nhân tiêu biểu, điển hình có thành tích xuất sắc trong phong trào thi đua do Công đoàn phát động.",
    "Tiếp tục thực hiện có hiệu quả Nghị quyết 03 của BCH LĐLĐ tỉnh (khóa XIV) về “Nâng cao chất lượng tổ chức thực hiện các phong trào thi đua yêu nước trong cán bộ, công chức, viên chức, công nhân và lao động, giai đoạn 2013-2018”; chủ động phối hợp với chính quyền, chuyên môn tạo điều kiện khuyến khích về vật chất, tinh thần để CNVCLĐ tích cực nghiên cứu đề tài, phát huy sáng kiến, cải tiến kỹ thuật, tiếp thu và áp dụng khoa học công nghệ tiên tiến vào sản xuất, công tác. LĐLĐ tỉnh xem xét gắn biển một số công trình, sản phẩm tiêu biểu nhất theo đăng ký của LĐLĐ các huyện, thành phố và các Công đoàn ngành. Công đoàn cơ sở đăng ký để công đoàn cấp trên xem xét gắn biển công trình chào mừng Đại hội ở cấp mình.",
]
CLOSING = [
    "Sau mỗi đợt thi đua, các cấp Công đoàn tổ chức sơ kết, biểu dương, khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong phong trào thi đua.",
    "Ban Thường vụ LĐLĐ tỉnh yêu cầu LĐLĐ các huyện, thành phố và các Công đoàn ngành xây dựng kế hoạch phát động phong trào thi đua phù hợp với điều kiện ở cấp mình, đáp ứng yêu cầu, nhiệm vụ chính trị của từng ngành, từng cơ quan, đơn vị. Trong quá trình tổ chức thực hiện, thường xuyên báo cáo kết quả về LĐLĐ tỉnh (qua Ban Chính sách - Pháp luật) để kịp thời tuyên truyền, biểu dương, làm cơ sở cho công tác khen thưởng tổng kết phong trào thi đua năm 2017.",
]
DISTRIBUTION = [
    "Ban Dân vận Tỉnh ủy (để b/cáo);",
    "Ban Thi đua khen thưởng tỉnh;",
    "Thường trực LĐLĐ tỉnh;",
    "LĐLĐ huyện, TP và CDN (qua Website LĐLĐ tỉnh);",
    "Lưu: VT, Ban CSPL.",
]
THEME_TITLES = [
    "Lao động giỏi, Lao động sáng tạo",
    "Học tập nâng cao trình độ; học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Thi đua liên kết xây dựng nông thôn mới, đô thị văn minh",
    "Thực hiện Nghị quyết Đại hội Công đoàn; chào mừng Đại hội Công đoàn các cấp",
    "Năm vì lợi ích của đoàn viên",
]

IMPLEMENTS = "Kế hoạch số 02/KH-TLĐ ngày 10/02/2017 của Đoàn Chủ tịch Tổng LĐLĐ Việt Nam"

PHASES = [
    {
        "name": "Đợt 1",
        "start": dt.date(2017, 1, 1),
        "end": dt.date(2017, 8, 31),
        "report_deadline": dt.date(2017, 9, 15),
        "goal": "Thi đua lập thành tích chào mừng",
        "conclusion": "",
    },
    {
        "name": "Đợt 2",
        "start": dt.date(2017, 9, 1),
        "end": dt.date(2017, 12, 31),
        "report_deadline": dt.date(2017, 12, 15),
        "goal": (
            "Tổ chức các hoạt động với nội dung, hình thức đa dạng, phong phú, thu hút đông đảo "
            "CNVCLĐ tham gia chào mừng Đại hội Công đoàn các cấp tiến tới Đại hội XV Công đoàn "
            "Ninh Bình và Đại hội XII Công đoàn Việt Nam;"
        ),
        "conclusion": "nỗ lực phấn đấu hoàn thành vượt mức kế hoạch kinh tế - xã hội năm 2017.",
    },
]

DEMO_NOTE_2017 = (
    "Giá trị minh họa: Kế hoạch số 13/KH-LĐLĐ không quy định hạn đăng ký và hạn báo cáo; "
    "bản demo dùng 31/03/2017 (đăng ký), 15/09/2017 (sơ kết đợt 1) và 15/12/2017 (tổng kết)."
)
DEMO_NOTE_COPY = (
    "Giá trị minh họa: bản sao của kế hoạch năm 2017 cho năm {year}; các đợt và các hạn được "
    "đặt theo ngày tạo dữ liệu mẫu ({today}) để luôn có một phong trào đang diễn ra."
)

# The catalogue: (name as the plan writes it, day, month, origin year, last day, last month,
# branch code or None for a national day, wording), the eight days of the 2017 plan first.
HOLIDAYS = [
    ("Ngày thành lập Đảng Cộng sản Việt Nam", 3, 2, 1930, None, None, None, ""),
    ("tái lập tỉnh Ninh Bình", 1, 4, 1992, None, None, "NB", ""),
    ("ngày Giải phóng hoàn toàn miền Nam, thống nhất đất nước", 30, 4, 1975, None, None, None, ""),
    ("ngày sinh Chủ tịch Hồ Chí Minh", 19, 5, 1890, None, None, None, ""),
    (
        "Tháng Công nhân và ngày Quốc tế Lao động 1/5",
        1,
        5,
        None,
        31,
        5,
        None,
        "tổ chức các hoạt động Tháng Công nhân và kỷ niệm ngày Quốc tế Lao động 1/5",
    ),
    ("ngày Truyền thống Thi đua yêu nước", 11, 6, 1948, None, None, None, ""),
    ("Ngày thành lập Công đoàn Việt Nam", 28, 7, 1929, None, None, None, ""),
    (
        "Cách mạng tháng Tám và Quốc khánh nước Cộng hòa XHCN Việt Nam",
        2,
        9,
        1945,
        None,
        None,
        None,
        "",
    ),
    ("Ngày Thầy thuốc Việt Nam", 27, 2, 1955, None, None, None, ""),
    ("Ngày Quốc tế Phụ nữ", 8, 3, 1910, None, None, None, ""),
    ("Ngày thành lập Đoàn Thanh niên Cộng sản Hồ Chí Minh", 26, 3, 1931, None, None, None, ""),
    ("Chiến thắng Điện Biên Phủ", 7, 5, 1954, None, None, None, ""),
    ("Ngày Gia đình Việt Nam", 28, 6, 2001, None, None, None, ""),
    ("Ngày Thương binh - Liệt sĩ", 27, 7, 1947, None, None, None, ""),
    ("Ngày Doanh nhân Việt Nam", 13, 10, 2004, None, None, None, ""),
    ("ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam", 20, 10, 1930, None, None, None, ""),
    ("Ngày Nhà giáo Việt Nam", 20, 11, 1982, None, None, None, ""),
    ("Ngày thành lập Quân đội nhân dân Việt Nam", 22, 12, 1944, None, None, None, ""),
]
PLAN_HOLIDAYS = 8  # the first eight are the milestones of the 2017 plan
PLAN_YEAR = 2017


def seed_holidays(admin) -> tuple[list[Holiday], int]:
    holidays = []
    created = 0
    for name, day, month, origin, end_day, end_month, scope_code, wording in HOLIDAYS:
        scope = Organization.objects.get(code=scope_code) if scope_code else None
        holiday = Holiday.objects.filter(name=name, day=day, month=month, scope_unit=scope).first()
        if holiday is None:
            holiday = holiday_create(
                by=admin,
                data={
                    "name": name,
                    "day": day,
                    "month": month,
                    "origin_year": origin,
                    "end_day": end_day,
                    "end_month": end_month,
                    "scope_unit": scope,
                    "wording": wording,
                },
            )
            created += 1
        holidays.append(holiday)
    return holidays, created


def seed_2017(admin, province, department, holidays) -> Campaign:
    campaign = campaign_create(
        by=admin,
        issuer=province,
        year=2017,
        data={
            "title": TITLE,
            "number": 13,
            "symbol": "KH-LĐLĐ",
            "place": "Ninh Bình",
            "issue_date": dt.date(2017, 2, 23),
            "implements": IMPLEMENTS,
            "preamble": "\n".join(PREAMBLE),
            "purposes": "\n".join(PURPOSES),
            "organisation": "\n".join(ORGANISATION),
            "closing": "\n".join(CLOSING),
            "distribution": "\n".join(DISTRIBUTION),
            "signing_authority": "TM. BAN THƯỜNG VỤ",
            "signer_title": "PHÓ CHỦ TỊCH",
            "signer_name": "Lê Đình Việt",
            "min_themes": 2,
            "registration_deadline": dt.date(2017, 3, 31),
            "receiving_department": department,
            "deadline_note": DEMO_NOTE_2017,
        },
    )
    for title, text in zip(THEME_TITLES, THEMES, strict=True):
        theme_add(campaign=campaign, by=admin, title=title, text=text)
    for phase in PHASES:
        phase_add(campaign=campaign, by=admin, data=phase)
    milestones_set(campaign=campaign, by=admin, holidays=holidays[:PLAN_HOLIDAYS])
    campaign_activate(campaign=campaign, by=admin)
    campaign_close(campaign=campaign, by=admin)
    return campaign


# The demo's calendar (see the module's docstring): how long before its end a phase's reporting
# opens, and how long after it its reports are due.
REPORTING_BEFORE_END = dt.timedelta(days=30)
REPORTS_DUE_AFTER_END = dt.timedelta(days=15)


def reporting_opens(start: dt.date, end: dt.date) -> dt.date:
    """The day the demo opens reporting on a phase: 30 days before it ends (its first day for a
    shorter phase)."""
    return max(start, end - REPORTING_BEFORE_END)


@dataclass(frozen=True)
class PhasePlace:
    start: dt.date
    end: dt.date
    report_deadline: dt.date
    reporting_opens: dt.date


@dataclass(frozen=True)
class Placement:
    """Where one copy of the plan stands: its year, its stage ("closing": the year before, in
    its final review; "opening": the year just begun; "interim": phase 1's review under way;
    "final": phase 2's review under way), its dates."""

    year: int
    stage: str
    issue_date: dt.date
    registration_deadline: dt.date
    phases: tuple[PhasePlace, ...]


def _phase(start: dt.date, end: dt.date, deadline: dt.date | None = None) -> PhasePlace:
    return PhasePlace(
        start=start,
        end=end,
        report_deadline=deadline or end + REPORTS_DUE_AFTER_END,
        reporting_opens=reporting_opens(start, end),
    )


def _as_planned(year: int, stage: str, *, issue_date=None, final_deadline=None) -> Placement:
    """The plan's own calendar in ``year``: phases 01/01-31/08 and 01/09-31/12, each reported
    within 15 days of its end (phase 2 in January of the next year, or at ``final_deadline``)."""
    return Placement(
        year=year,
        stage=stage,
        issue_date=issue_date or dt.date(year, 2, 23),
        registration_deadline=dt.date(year, 3, 31),
        phases=(
            _phase(dt.date(year, 1, 1), dt.date(year, 8, 31)),
            _phase(dt.date(year, 9, 1), dt.date(year, 12, 31), final_deadline),
        ),
    )


def calendar(today: dt.date) -> list[Placement]:
    """The copies of the plan the demo shows as active on ``today``, oldest first."""
    year = today.year
    if today.month <= 2:
        placements = []
        if year - 1 > PLAN_YEAR:
            final = max(dt.date(year, 1, 15), today + dt.timedelta(days=14))
            placements.append(_as_planned(year - 1, "closing", final_deadline=final))
        # Issued a week ago (the plan's 23/02 is still ahead).
        placements.append(_as_planned(year, "opening", issue_date=today - dt.timedelta(days=7)))
        return placements
    if today.month == 12:
        return [_as_planned(year, "final")]
    end = today - dt.timedelta(days=5)
    registration = min(dt.date(year, 3, 31), end - dt.timedelta(days=14))
    return [
        Placement(
            year=year,
            stage="interim",
            issue_date=min(dt.date(year, 2, 23), registration - dt.timedelta(days=21)),
            registration_deadline=registration,
            phases=(
                _phase(dt.date(year, 1, 1), end),
                _phase(end + dt.timedelta(days=1), dt.date(year, 12, 31)),
            ),
        )
    ]


def demo_campaigns(today: dt.date) -> list[Campaign]:
    """The active copies of the plan that :func:`calendar` places around ``today`` (as the
    seeding made them), oldest first."""
    return list(
        Campaign.objects.filter(
            issuer__code="NB",
            number=13,
            year__in=[placement.year for placement in calendar(today)],
            status=CampaignStatus.ACTIVE,
        )
        .select_related("issuer")
        .order_by("year")
    )


def seed_copy(admin, source: Campaign, placement: Placement, today: dt.date) -> Campaign:
    """The 2017 plan copied with the copy feature to the placement's year, dated as it says,
    active."""
    copy = campaign_copy(campaign=source, by=admin, year=placement.year).campaign
    campaign_update(
        campaign=copy,
        by=admin,
        data={
            "issue_date": placement.issue_date,
            "registration_deadline": placement.registration_deadline,
            "deadline_note": DEMO_NOTE_COPY.format(
                year=copy.year, today=today.strftime("%d/%m/%Y")
            ),
        },
    )
    # In an order that never lets the phases overlap: when phase 1 ends earlier than in the
    # plan it shrinks first and phase 2 grows into the days it left; when it ends later (from
    # 6 September on), phase 2 gives up its first days first.
    phases = list(copy.phases.order_by("start"))
    pairs = list(zip(phases, placement.phases, strict=True))
    if placement.phases[0].end > phases[0].end:
        pairs.reverse()
    for phase, place in pairs:
        phase_update(
            phase=phase,
            by=admin,
            data={
                "name": phase.name,
                "start": place.start,
                "end": place.end,
                "report_deadline": place.report_deadline,
                "goal": phase.goal,
                "conclusion": phase.conclusion,
            },
        )
    campaign_activate(campaign=copy, by=admin)
    return copy


def seed(stdout, today: dt.date) -> None:
    admin = get_user_model().objects.get(username="admin")
    province = Organization.objects.get(code="NB")
    department = Department.objects.get(organization=province, name="Ban Chính sách - Pháp luật")
    holidays, created = seed_holidays(admin)
    if created:
        stdout.write(f"Commemorative days: {created} created.")

    plan = Campaign.objects.filter(issuer=province, year=PLAN_YEAR, number=13).first()
    if plan is None:
        plan = seed_2017(admin, province, department, holidays)
        stdout.write("Campaign 2017 (Kế hoạch số 13/KH-LĐLĐ): created and closed.")

    for placement in calendar(today):
        if Campaign.objects.filter(issuer=province, year=placement.year).exists():
            continue
        copy = seed_copy(admin, plan, placement, today)
        stdout.write(
            f"Campaign {copy.year}: copied from 2017, placed around {today:%d/%m/%Y} "
            f"({placement.stage}) and activated."
        )
