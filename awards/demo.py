"""Demo data for commendation: a plausible union catalogue, the provincial council (hoidong1,
hoidong2, hoidong3), nominations of the 2017 campaign at every stage, one closed council session,
decision 45/QĐ-LĐLĐ with its certificates, published advanced models, and plaques for key works
of approved registrations when there are any.

On the demo campaign whose reporting is open on ``today`` (``reports.demo.open_phases``),
nominations for that review are in progress: a draft of cdcs1's unit, one waiting for Hoa Lư's
review, one returned, one at the province not yet on an agenda, and three before a council
session open for votes, meeting a week after ``today`` (hoidong1 has voted, hoidong2 and
hoidong3 have not).

Everything goes through the services, so the history and the workflow are those of real use.
Idempotent: a second run finds what the first one made and changes nothing.
"""

import datetime as dt
import io
import zlib
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards.models import (
    AwardCategory,
    AwardType,
    BaseSalary,
    Council,
    CouncilMember,
    EligibilityRule,
    ExemplaryModel,
    Initiative,
    InitiativeLevel,
    Nomination,
    NomineeKind,
    Occasion,
    Plaque,
    PriorAward,
    Quota,
    QuotaScope,
    RatioBase,
    RuleKind,
    RuleSeverity,
    nominee_search_key,
)
from awards.services.advanced_models import model_propose, model_publish
from awards.services.council import (
    ballot_cast,
    session_close,
    session_open,
    written_opinion_record,
)
from awards.services.decisions import decision_issue
from awards.services.dossier import dossier_file_add
from awards.services.eligibility import nomination_declare
from awards.services.initiatives import initiative_file_add, initiative_record
from awards.services.nominations import nomination_create
from awards.services.plaques import plaque_attach, plaque_grant
from awards.services.review import nomination_endorse, nomination_return, nomination_submit
from campaigns.models import Campaign
from federation.models import Membership, Organization, Role
from reports.demo import open_phases

DEMO_PASSWORD = "thidua2017"
DOSSIER = (
    "Tờ trình đề nghị khen thưởng\nBáo cáo thành tích\nBiên bản họp Hội đồng Thi đua - Khen thưởng"
)

# granting unit code, name, certificate title, category, nominee kind, threshold, symbol,
# requires registration, documents, criteria
CATALOGUE = [
    (
        "NB",
        "Bằng khen của Ban Chấp hành LĐLĐ tỉnh",
        "BẰNG KHEN",
        AwardCategory.FORM,
        NomineeKind.INDIVIDUAL,
        70,
        "QĐ-LĐLĐ",
        False,
        DOSSIER,
        "Cá nhân có thành tích xuất sắc tiêu biểu trong phong trào thi đua do LĐLĐ tỉnh phát động.",
    ),
    (
        "NB",
        "Bằng khen của Ban Chấp hành LĐLĐ tỉnh cho tập thể",
        "BẰNG KHEN",
        AwardCategory.FORM,
        NomineeKind.COLLECTIVE,
        70,
        "QĐ-LĐLĐ",
        False,
        DOSSIER,
        "Tập thể có thành tích xuất sắc, hoàn thành vượt mức các chỉ tiêu đã đăng ký.",
    ),
    (
        "NB",
        "Cờ thi đua của LĐLĐ tỉnh",
        "CỜ THI ĐUA",
        AwardCategory.TITLE,
        NomineeKind.COLLECTIVE,
        80,
        "QĐ-LĐLĐ",
        True,
        DOSSIER,
        "Tập thể tiêu biểu xuất sắc nhất, dẫn đầu phong trào thi đua của ngành, địa phương.",
    ),
    (
        "NB",
        "Đoàn viên công đoàn xuất sắc",
        "GIẤY CHỨNG NHẬN",
        AwardCategory.TITLE,
        NomineeKind.INDIVIDUAL,
        70,
        "QĐ-LĐLĐ",
        False,
        "Tờ trình đề nghị khen thưởng\nBáo cáo thành tích",
        "Đoàn viên gương mẫu, hoàn thành xuất sắc nhiệm vụ, tích cực tham gia hoạt động công đoàn.",
    ),
    (
        "NB",
        "Công đoàn cơ sở vững mạnh",
        "GIẤY CHỨNG NHẬN",
        AwardCategory.TITLE,
        NomineeKind.COLLECTIVE,
        70,
        "QĐ-LĐLĐ",
        True,
        "Tờ trình đề nghị khen thưởng\nBáo cáo thành tích",
        "Công đoàn cơ sở xếp loại vững mạnh, có bản đăng ký thi đua được duyệt.",
    ),
    (
        "TLD",
        "Bằng khen của Tổng LĐLĐ Việt Nam",
        "BẰNG KHEN",
        AwardCategory.FORM,
        NomineeKind.INDIVIDUAL,
        70,
        "QĐ-TLĐ",
        False,
        DOSSIER,
        "Cá nhân có thành tích đặc biệt xuất sắc; LĐLĐ tỉnh xét và đề nghị Tổng Liên đoàn.",
    ),
    (
        "NB-HL",
        "Giấy khen của LĐLĐ huyện Hoa Lư",
        "GIẤY KHEN",
        AwardCategory.FORM,
        NomineeKind.INDIVIDUAL,
        70,
        "QĐ-LĐLĐ",
        False,
        "Tờ trình đề nghị khen thưởng\nBáo cáo thành tích",
        "Cá nhân có thành tích trong phong trào thi đua của LĐLĐ huyện.",
    ),
    # A highest individual title: the council passes it at 90 % of its members.
    (
        "NB",
        "Chiến sĩ thi đua cơ sở",
        "GIẤY CHỨNG NHẬN",
        AwardCategory.TITLE,
        NomineeKind.INDIVIDUAL,
        90,
        "QĐ-LĐLĐ",
        False,
        "Tờ trình đề nghị khen thưởng\nBáo cáo thành tích\nQuyết định công nhận sáng kiến",
        "Cá nhân đạt danh hiệu “Lao động tiên tiến” và có sáng kiến được cơ sở công nhận.",
    ),
]
HIGHEST_TITLES = {"Chiến sĩ thi đua cơ sở"}

COUNCIL = [
    ("hoidong1", "Lê Đình Việt", "hoidong1@ldldninhbinh.vn", "Chủ tịch Hội đồng"),
    ("hoidong2", "Phạm Thị Thu Hà", "hoidong2@ldldninhbinh.vn", "Phó Chủ tịch Hội đồng"),
    ("hoidong3", "Nguyễn Văn Khải", "hoidong3@ldldninhbinh.vn", "Ủy viên thư ký"),
]
# The council's term (an example: the provincial congress term 2013-2018) and its quorum (two
# thirds, the default the issue names).
COUNCIL_NAME = "Hội đồng Thi đua - Khen thưởng LĐLĐ tỉnh Ninh Bình nhiệm kỳ 2013 - 2018"
COUNCIL_TERM = (dt.date(2013, 7, 1), dt.date(2018, 6, 30))

# The conditions of the catalogue's awards (examples in the spirit of QĐ 999/QĐ-TLĐ 2024 and
# the Law on Emulation and Commendation 2022; the declared exclusions follow the issue's list):
# award index, kind, label, severity, earlier awards (indexes), years.
RULES = [
    (0, RuleKind.DECLARATION, "Không bị kỷ luật từ khiển trách trở lên", RuleSeverity.BLOCK),
    (0, RuleKind.DECLARATION, "Không đang bị thanh tra, kiểm tra, khiếu nại", RuleSeverity.BLOCK),
    (
        0,
        RuleKind.DECLARATION,
        "Không nghỉ từ 40 ngày làm việc trở lên trong năm (trừ nghỉ thai sản)",
        RuleSeverity.BLOCK,
    ),
    (0, RuleKind.DECLARATION, "Được tuyển dụng từ 10 tháng trở lên", RuleSeverity.BLOCK),
    (
        0,
        RuleKind.SAME_LEVEL,
        "Không đồng thời đề nghị khen toàn diện và chuyên đề của LĐLĐ tỉnh trong năm",
        RuleSeverity.BLOCK,
    ),
    (
        0,
        RuleKind.HISTORY,
        "Đã được tặng Giấy khen của LĐLĐ huyện hoặc Bằng khen của LĐLĐ tỉnh năm trước",
        RuleSeverity.WARN,
        (0, 6),
        1,
    ),
    (2, RuleKind.REGISTRATION, "Có bản đăng ký thi đua được duyệt", RuleSeverity.BLOCK),
    # The grade of the annual grading (rank 1 of the score sheet: hoàn thành xuất sắc nhiệm vụ).
    (
        2,
        RuleKind.GRADE,
        "Được xếp loại “Hoàn thành xuất sắc nhiệm vụ” trong năm",
        RuleSeverity.BLOCK,
    ),
    (
        5,
        RuleKind.HISTORY,
        "Bằng khen của LĐLĐ tỉnh năm trước",
        RuleSeverity.BLOCK,
        (0,),
        1,
    ),
    # Chiến sĩ thi đua cơ sở: an initiative recognised at grassroots level (Law on Emulation and
    # Commendation 2022, art. 21; the count and level are the rule's defaults).
    (
        7,
        RuleKind.INITIATIVES,
        "Có ít nhất 01 sáng kiến được công nhận cấp cơ sở trong năm",
        RuleSeverity.BLOCK,
    ),
]
# Quotas (examples taken from the issue's wording): award index, scope, at most (number),
# at most (per cent of the union members of the sending unit's branch).
QUOTAS = [
    (0, QuotaScope.EACH_UNIT, 4, None),  # at most 4 Bằng khen proposed by each unit
    (5, QuotaScope.TOTAL, 300, None),  # 300 a year in all
    (3, QuotaScope.EACH_UNIT, None, 5),  # "Đoàn viên công đoàn xuất sắc": 5 % of the members
]
# The base salary (lương cơ sở), sourced: Decrees 47/2017, 72/2018, 38/2019, 24/2023 and
# 73/2024/NĐ-CP.
BASE_SALARIES = [
    (dt.date(2017, 7, 1), 1_300_000, "Nghị định số 47/2017/NĐ-CP"),
    (dt.date(2018, 7, 1), 1_390_000, "Nghị định số 72/2018/NĐ-CP"),
    (dt.date(2019, 7, 1), 1_490_000, "Nghị định số 38/2019/NĐ-CP"),
    (dt.date(2023, 7, 1), 1_800_000, "Nghị định số 24/2023/NĐ-CP"),
    (dt.date(2024, 7, 1), 2_340_000, "Nghị định số 73/2024/NĐ-CP"),
]
# Reward multiples of the base salary (examples): award index, for a person, for a collective.
# "Chiến sĩ thi đua cơ sở": 1.0 × (Decree 98/2023/NĐ-CP); the others are examples.
REWARD_MULTIPLES = [
    (0, "1.0", None),
    (1, None, "2.0"),
    (2, None, "3.0"),
    (5, "1.0", "2.0"),
    (7, "1.0", None),
]
# An earlier award recorded in the history (example): it meets Trần Thị Lan's history rule.
PRIOR_AWARDS = [("NB-HL-01", "Trần Thị Lan", 0, 2016, "38/QĐ-LĐLĐ ngày 27/12/2016")]

# unit code, person (name, gender, birth year, position) or None for the unit itself,
# award name, what happens to it, achievement
NOMINATIONS = [
    (
        "NB-HL-01",
        ("Trần Thị Lan", "female", 1982, "Chủ tịch Công đoàn cơ sở"),
        0,
        "award",
        "Hoàn thành xuất sắc nhiệm vụ năm 2017; vận động 100% đoàn viên tham gia phong trào Lao động giỏi, Lao động sáng tạo; có 02 sáng kiến được công nhận.",
    ),
    (
        "NB-GD-01",
        ("Nguyễn Văn Bình", "male", 1978, "Giáo viên Toán"),
        0,
        "award",
        "Giáo viên dạy giỏi cấp tỉnh ba năm liền; hướng dẫn học sinh đạt 05 giải học sinh giỏi quốc gia; tích cực tham gia hoạt động công đoàn.",
    ),
    (
        "NB-YT-01",
        ("Đỗ Thị Hạnh", "female", 1985, "Điều dưỡng trưởng khoa Nhi"),
        0,
        "reject",
        "Tận tụy với người bệnh; đề xuất cải tiến quy trình chăm sóc giúp giảm thời gian chờ của bệnh nhi.",
    ),
    (
        "NB-CT-01",
        None,
        1,
        "approve",
        "Tập thể người lao động Công ty Điện lực Ninh Bình bảo đảm cấp điện an toàn, liên tục phục vụ các ngày lễ lớn năm 2017.",
    ),
    (
        "NB-XD-02",
        ("Vũ Văn Thành", "male", 1980, "Tổ trưởng tổ lò nung"),
        0,
        "council",
        "Có 03 sáng kiến cải tiến kỹ thuật làm lợi 1,2 tỷ đồng cho doanh nghiệp.",
    ),
    (
        "NB-HL-02",
        ("Lê Thị Hoa", "female", 1990, "Cán bộ văn phòng"),
        3,
        "review",
        "Hoàn thành xuất sắc nhiệm vụ; tích cực tham gia các hoạt động văn hóa, thể thao của công đoàn.",
    ),
    (
        "NB-GD-02",
        ("Phạm Minh Tuấn", "male", 1987, "Giáo viên Ngữ văn"),
        3,
        "returned",
        "Giáo viên dạy giỏi cấp trường; tham gia đầy đủ các phong trào thi đua.",
    ),
    (
        "NB-HL-03",
        ("Hoàng Văn Đức", "male", 1975, "Cán bộ địa chính"),
        0,
        "draft",
        "Hoàn thành tốt nhiệm vụ được giao năm 2017.",
    ),
]

# This year's nominations (unit code, person or None, award index, what happens to it,
# achievement): before the review whose reporting is open today.
CURRENT_NOMINATIONS = [
    (
        "NB-HL-01",
        ("Hoàng Văn Nam", "male", 1983, "Tổ trưởng tổ cơ điện"),
        7,
        "draft",
        "Lao động tiên tiến hai năm liền; đề xuất cải tiến hệ thống băng tải giúp giảm 20% thời gian dừng máy.",
    ),
    (
        "NB-HL-01",
        ("Nguyễn Thị Mai", "female", 1986, "Tổ trưởng công đoàn"),
        0,
        "draft",
        "Vận động 100% đoàn viên của tổ đăng ký thi đua; có 01 sáng kiến được công nhận.",
    ),
    (
        "NB-HL-05",
        ("Phạm Văn Long", "male", 1979, "Chủ tịch Công đoàn cơ sở"),
        0,
        "review",
        "Tổ chức thành công Đại hội Công đoàn cơ sở; phát triển 15 đoàn viên mới.",
    ),
    (
        "NB-GD-03",
        ("Đinh Thị Ngọc", "female", 1991, "Giáo viên Tiếng Anh"),
        3,
        "returned",
        "Giáo viên dạy giỏi cấp trường; tích cực tham gia hoạt động công đoàn.",
    ),
    (
        "NB-CT-02",
        None,
        1,
        "council",
        "Tập thể người lao động hoàn thành vượt mức kế hoạch sản xuất, không để xảy ra tai nạn lao động.",
    ),
    (
        "NB-XD-01",
        ("Trần Văn Hùng", "male", 1976, "Quản đốc phân xưởng"),
        0,
        "session",
        "Có 02 sáng kiến cải tiến kỹ thuật làm lợi 800 triệu đồng cho doanh nghiệp.",
    ),
    (
        "NB-YT-03",
        None,
        1,
        "session",
        "Tập thể y, bác sĩ bảo đảm an toàn khám chữa bệnh, được người bệnh tin tưởng.",
    ),
    (
        "NB-TP-01",
        ("Lê Thị Thanh", "female", 1984, "Cán bộ văn phòng"),
        3,
        "session",
        "Hoàn thành xuất sắc nhiệm vụ; tích cực tham gia các phong trào thi đua của công đoàn.",
    ),
]

# Initiatives recognised in the current campaign's year (examples): unit code, author (empty
# for the unit's own), title, level, recognising body (empty: the council of initiatives of the
# author's unit), benefit, a document attached.
INITIATIVES = [
    (
        "NB-XD-01",
        "Trần Văn Hùng",
        "Cải tiến khuôn đúc dầm bê tông dự ứng lực",
        InitiativeLevel.GRASSROOTS,
        "",
        500_000_000,
        True,
    ),
    (
        "NB-XD-01",
        "Trần Văn Hùng",
        "Quy trình bảo dưỡng lò quay theo tình trạng thiết bị",
        InitiativeLevel.PROVINCE,
        "Hội đồng sáng kiến tỉnh Ninh Bình",
        300_000_000,
        False,
    ),
    (
        "NB-HL-01",
        "Nguyễn Thị Mai",
        "Sổ tay điện tử theo dõi đoàn viên của tổ công đoàn",
        InitiativeLevel.GRASSROOTS,
        "",
        None,
        False,
    ),
]

MODELS = [
    (
        "NB-CT-01",
        "Người thợ điện giữ lửa cho những ngày lễ lớn",
        "Anh Nguyễn Văn Hải, Đội quản lý vận hành lưới điện",
        "Suốt 20 năm gắn bó với nghề, anh Hải cùng đồng đội chưa để xảy ra sự cố mất điện nào trong các ngày lễ lớn của tỉnh.\nAnh đề xuất 04 sáng kiến giúp rút ngắn thời gian xử lý sự cố, làm lợi hàng trăm triệu đồng mỗi năm.",
        True,
    ),
    (
        "NB-GD-01",
        "Cô giáo 15 năm đưa chữ lên vùng khó",
        "Cô Đinh Thị Thu, Trường THPT Lương Văn Tụy",
        "Cô Thu tự nguyện dạy thêm miễn phí cho học sinh có hoàn cảnh khó khăn và vận động quỹ khuyến học của công đoàn trường.",
        True,
    ),
    (
        "NB-KCN-01",
        "Tổ sản xuất năng suất cao nhất khu công nghiệp",
        "Tổ may số 3, Công ty TNHH Vina Korea",
        "Tổ may số 3 vượt 25% định mức năm 2017, không có sản phẩm lỗi xuất xưởng, đoàn kết giúp đỡ công nhân mới vào nghề.",
        True,
    ),
    (
        "NB-YT-02",
        "Nữ hộ sinh của những ca đỡ khó",
        "Chị Trần Thị Mến, Bệnh viện Sản Nhi",
        "Chị Mến đã trực tiếp tham gia hơn 3.000 ca đỡ đẻ an toàn.",
        False,
    ),
]


def demo_pdf(title: str) -> bytes:
    """A small, valid one-page PDF standing in for a scanned dossier document."""
    text = title.encode("ascii", "replace").decode()
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def demo_photo(seed: int) -> bytes:
    """A PNG picture (a coloured card) standing in for a photo."""
    width, height = 480, 320
    top = (179 - seed * 20, 38 + seed * 30, 30 + seed * 25)
    bottom = (252, 211 - seed * 15, 77 + seed * 20)
    rows = []
    for y in range(height):
        t = y / (height - 1)
        colour = bytes(int(a + (b - a) * t) % 256 for a, b in zip(top, bottom, strict=True))
        rows.append(b"\x00" + colour * width)
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def seed_catalogue() -> list[AwardType]:
    types = []
    for position, (
        code,
        name,
        title,
        category,
        kind,
        threshold,
        symbol,
        reg,
        docs,
        criteria,
    ) in enumerate(CATALOGUE):
        unit = Organization.objects.get(code=code)
        award, _ = AwardType.objects.get_or_create(
            granting_unit=unit,
            name=name,
            defaults={
                "certificate_title": title,
                "category": category,
                "nominee_kind": kind,
                "approval_threshold": threshold,
                "decision_symbol": symbol,
                "requires_registration": reg,
                "required_documents": docs,
                "criteria": criteria,
                "position": position,
                "highest_title": name in HIGHEST_TITLES,
            },
        )
        types.append(award)
    return types


def seed_rules(types: list[AwardType]) -> int:
    made = 0
    for position, (index, kind, label, severity, *history) in enumerate(RULES):
        rule, created = EligibilityRule.objects.get_or_create(
            award_type=types[index],
            label=label,
            defaults={
                "kind": kind,
                "severity": severity,
                "years": history[1] if history else 1,
                "position": position,
            },
        )
        if created and history:
            rule.prior_awards.set([types[i] for i in history[0]])
        made += created
    for day, amount, reference in BASE_SALARIES:
        BaseSalary.objects.get_or_create(
            effective_from=day, defaults={"amount": amount, "reference": reference}
        )
    for index, person, collective in REWARD_MULTIPLES:
        award = types[index]
        if award.individual_multiple is None and award.collective_multiple is None:
            award.individual_multiple = person and Decimal(person)
            award.collective_multiple = collective and Decimal(collective)
            award.save(update_fields=["individual_multiple", "collective_multiple"])
    for index, scope, count, percent in QUOTAS:
        Quota.objects.get_or_create(
            award_type=types[index],
            year=2017,
            scope=scope,
            defaults={
                "max_count": count,
                "ratio_percent": percent,
                "ratio_base": RatioBase.MEMBERS if percent else "",
            },
        )
    for code, name, index, year, reference in PRIOR_AWARDS:
        unit = Organization.objects.get(code=code)
        PriorAward.objects.get_or_create(
            nominee_unit=unit,
            search_key=nominee_search_key(name, unit),
            award_type=types[index],
            year=year,
            defaults={
                "nominee_kind": NomineeKind.INDIVIDUAL,
                "person_name": name,
                "reference": reference,
            },
        )
    return made


def seed_council(province: Organization) -> list:
    """The council members (the council role, and the list of the council of the term)."""
    User = get_user_model()
    council, _ = Council.objects.get_or_create(
        granting_unit=province,
        name=COUNCIL_NAME,
        defaults={"term_start": COUNCIL_TERM[0], "term_end": COUNCIL_TERM[1]},
    )
    members = []
    for order, (username, full_name, email, position) in enumerate(COUNCIL):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, email=email)
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, organization=province, role=Role.COUNCIL)
        CouncilMember.objects.get_or_create(
            council=council, user=user, defaults={"position": position, "order": order}
        )
        members.append(user)
    return members


def _dossier(nomination: Nomination, admin) -> None:
    for document in nomination.award_type.documents:
        upload = SimpleUploadedFile(
            "ho-so.pdf", demo_pdf(f"{document} - demo"), content_type="application/pdf"
        )
        dossier_file_add(nomination=nomination, by=admin, document=document, upload=upload)


def _up_to(nomination: Nomination, admin, *, stop_below_granting: bool = False) -> Nomination:
    """Endorse level by level until the granting unit (or the unit just below it)."""
    while not nomination.at_granting_level:
        upper = Organization.objects.get(path=nomination.current_level.parent_path)
        if stop_below_granting and upper.pk == nomination.award_type.granting_unit_id:
            break
        nomination = nomination_endorse(nomination=nomination, by=admin, comment="Đồng ý đề nghị.")
    return nomination


def seed_nominations(admin, plan: Campaign, types: list[AwardType], members: list) -> None:
    province = Organization.objects.get(code="NB")
    made = []
    for code, person, award_index, fate, achievement in NOMINATIONS:
        unit = Organization.objects.get(code=code)
        award = types[award_index]
        data = {
            "occasion": Occasion.YEAR_END,
            "phase": None,
            "nominee_unit": unit,
            "achievement": achievement,
        }
        if person:
            data.update(
                person_name=person[0], gender=person[1], birth_year=person[2], position=person[3]
            )
        nomination = nomination_create(
            by=admin, campaign=plan, award_type=award, nominating_unit=unit, data=data
        )
        if fate != "draft":
            _dossier(nomination, admin)
            # The nominating unit declares the exclusions (the draft has not yet).
            declared = list(
                award.rules.filter(kind=RuleKind.DECLARATION).values_list("pk", flat=True)
            )
            if declared:
                nomination_declare(nomination=nomination, by=admin, rules=declared)
        if fate in ("draft",):
            made.append((nomination, fate))
            continue
        nomination = nomination_submit(nomination=nomination, by=admin)
        if fate == "returned":
            nomination = nomination_return(
                nomination=nomination,
                by=admin,
                comment="Báo cáo thành tích chưa nêu số liệu cụ thể; đề nghị bổ sung.",
            )
        elif fate != "review":
            nomination = _up_to(nomination, admin)
        made.append((nomination, fate))

    on_agenda = [n for n, fate in made if fate in ("award", "reject", "approve")]
    session = session_open(
        by=admin,
        granting_unit=province,
        title="Xét khen thưởng tổng kết phong trào thi đua năm 2017",
        meeting_date=dt.date(2017, 12, 26),
        place="Trụ sở LĐLĐ tỉnh Ninh Bình",
        nominations=on_agenda,
    )
    items = {item.nomination_id: item for item in session.items.all()}
    for index, member in enumerate(members):
        choices = {}
        for nomination, fate in made:
            item = items.get(nomination.pk)
            if item is None:
                continue
            # Two of the three members approve the nurse: 66.7 % of the membership < 70 %, so
            # the council rejects her.
            reject = fate == "reject" and index == 2
            choices[item.pk] = "reject" if reject else "approve"
        if index < 2:
            ballot_cast(session=session, by=member, choices=choices)
        else:
            # The third member is away: the secretary enters her written opinion as her ballot.
            written_opinion_record(
                session=session,
                by=admin,
                member=session.members.get(user=member),
                choices=choices,
            )
    session_close(session=session, by=admin)

    awarded = [Nomination.objects.get(pk=n.pk) for n, fate in made if fate == "award"]
    decision = decision_issue(
        by=admin,
        award_type=types[0],
        number=45,
        date=dt.date(2017, 12, 28),
        nominations=awarded,
        symbol="QĐ-LĐLĐ",
        data={
            "place": "Ninh Bình",
            "subject": "Về việc tặng Bằng khen cho các cá nhân có thành tích xuất sắc trong phong trào thi đua năm 2017",
            "signing_authority": "TM. BAN THƯỜNG VỤ",
            "signer_title": "CHỦ TỊCH",
            "signer_name": "Lê Đình Việt",
            "distribution": "Như Điều 3;\nThường trực LĐLĐ tỉnh;\nLưu: VT, Ban CSPL.",
        },
    )
    return decision


def seed_current_nominations(admin, phase, types: list[AwardType], members: list, today):
    """Nominations for the review of ``phase`` (open on ``today``) at every stage before the
    council's decision, three of them before a session open for votes until a week after
    ``today``."""
    campaign = phase.campaign
    province = Organization.objects.get(code="NB")
    final = not campaign.phases.filter(start__gt=phase.start).exists()
    occasion = Occasion.YEAR_END if final else Occasion.PHASE
    on_agenda = []
    for code, person, award_index, fate, achievement in CURRENT_NOMINATIONS:
        unit = Organization.objects.get(code=code)
        data = {
            "occasion": occasion,
            "phase": None if final else phase,
            "nominee_unit": unit,
            "achievement": achievement,
        }
        if person:
            data.update(
                person_name=person[0], gender=person[1], birth_year=person[2], position=person[3]
            )
        nomination = nomination_create(
            by=admin,
            campaign=campaign,
            award_type=types[award_index],
            nominating_unit=unit,
            data=data,
        )
        if fate == "draft":
            continue
        _dossier(nomination, admin)
        declared = list(
            types[award_index].rules.filter(kind=RuleKind.DECLARATION).values_list("pk", flat=True)
        )
        if declared:
            nomination_declare(nomination=nomination, by=admin, rules=declared)
        nomination = nomination_submit(nomination=nomination, by=admin)
        if fate == "returned":
            nomination_return(
                nomination=nomination,
                by=admin,
                comment="Đề nghị bổ sung biên bản họp xét của Công đoàn cơ sở.",
            )
        elif fate in ("council", "session"):
            nomination = _up_to(nomination, admin)
            if fate == "session":
                on_agenda.append(nomination)
    review = "tổng kết" if final else f"sơ kết {phase.name}"
    session = session_open(
        by=admin,
        granting_unit=province,
        title=f"Xét khen thưởng {review} phong trào thi đua năm {campaign.year}",
        meeting_date=today + dt.timedelta(days=7),
        place="Trụ sở LĐLĐ tỉnh Ninh Bình",
        nominations=on_agenda,
    )
    choices = {item.pk: "approve" for item in session.items.all()}
    ballot_cast(session=session, by=members[0], choices=choices)
    return session


def seed_initiatives(admin, year: int, today: dt.date) -> int:
    """The initiatives of ``year`` (the current campaign's), recognised before ``today``."""
    if Initiative.objects.exists():
        return 0
    day = max(dt.date(year, 1, 2), min(today - dt.timedelta(days=10), dt.date(year, 11, 20)))
    for offset, (code, person, title, level, body, benefit, document) in enumerate(INITIATIVES):
        unit = Organization.objects.get(code=code)
        initiative = initiative_record(
            by=admin,
            today=today,
            nominee_unit=unit,
            person_name=person,
            title=title,
            level=level,
            recognised_on=day - dt.timedelta(days=offset),
            recognised_by=body or f"Hội đồng sáng kiến {unit.name}",
            benefit=benefit,
        )
        if document:
            initiative_file_add(
                initiative=initiative,
                by=admin,
                document="Quyết định công nhận sáng kiến",
                upload=SimpleUploadedFile(
                    "quyet-dinh-cong-nhan-sang-kien.pdf",
                    demo_pdf("Quyet dinh cong nhan sang kien"),
                    content_type="application/pdf",
                ),
            )
    return len(INITIATIVES)


def seed_models(admin) -> int:
    made = 0
    for seed, (code, title, subject, story, publish) in enumerate(MODELS):
        if ExemplaryModel.objects.filter(title=title).exists():
            continue
        unit = Organization.objects.get(code=code)
        photo = SimpleUploadedFile("anh.png", demo_photo(seed), content_type="image/png")
        model = model_propose(
            by=admin, organization=unit, title=title, subject=subject, story=story, photo=photo
        )
        if publish:
            model_publish(model=model, by=admin)
        made += 1
    return made


def seed_plaques(admin) -> int:
    """Plaques for two works of approved registrations, one of them attached."""
    if Plaque.objects.exists():
        return 0
    try:
        from registrations.models import KeyWork
    except ImportError:  # pragma: no cover - the registrations app is part of the project
        return 0
    works = list(
        KeyWork.objects.filter(registration__status="approved")
        .select_related("registration")
        .order_by("registration__campaign__year", "pk")[:2]
    )
    for index, work in enumerate(works):
        plaque = plaque_grant(by=admin, key_work=work, note="Chào mừng Đại hội Công đoàn các cấp")
        if index == 0:
            plaque_attach(
                plaque=plaque, by=admin, attached_on=timezone.localtime(plaque.granted_at).date()
            )
    return len(works)


def seed(stdout, today: dt.date) -> None:
    admin = get_user_model().objects.get(username="admin")
    province = Organization.objects.get(code="NB")
    before = AwardType.objects.count()
    types = seed_catalogue()
    if AwardType.objects.count() != before:
        stdout.write(f"Award catalogue: {AwardType.objects.count() - before} award types created.")
    rules = seed_rules(types)
    if rules:
        stdout.write(f"Eligibility rules: {rules} created.")
    members = seed_council(province)
    plan = Campaign.objects.filter(issuer=province, year=2017, number=13).first()
    if plan is not None and not Nomination.objects.filter(campaign=plan).exists():
        decision = seed_nominations(admin, plan, types, members)
        stdout.write(
            f"Nominations: {len(NOMINATIONS)} at every stage, one closed council session, "
            f"decision {decision.document_number}."
        )
    phases = open_phases(today)
    if phases and not Nomination.objects.filter(campaign=phases[0].campaign).exists():
        session = seed_current_nominations(admin, phases[0], types, members, today)
        stdout.write(
            f"Nominations {phases[0].campaign.year}: {len(CURRENT_NOMINATIONS)} in progress, "
            f"a council session open until {session.meeting_date:%d/%m/%Y}."
        )
    if phases:
        made = seed_initiatives(admin, phases[0].campaign.year, today)
        if made:
            stdout.write(f"Initiatives: {made} recorded.")
    made = seed_models(admin)
    if made:
        stdout.write(f"Advanced models: {made} proposed.")
    plaques = seed_plaques(admin)
    if plaques:
        stdout.write(f"Plaques: {plaques} granted.")
