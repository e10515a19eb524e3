"""Demo data: the Ninh Bình provincial federation as it stood in 2017, its units and people."""

import datetime as dt
import random

from django.contrib.auth import get_user_model

from federation.kinds import seed_hierarchy
from federation.models import Department, Membership, Organization, OrganizationKind, Role
from federation.services.imports import NewUnit, organizations_bulk_create

DEMO_PASSWORD = "thidua2017"

K = OrganizationKind

DEPARTMENTS = [
    ("Ban Chính sách - Pháp luật", "Ban CSPL", "cspl@ldldninhbinh.vn"),
    ("Ban Tổ chức", "Ban TC", "tochuc@ldldninhbinh.vn"),
    ("Ban Tuyên giáo - Nữ công", "Ban TG-NC", "tuyengiao@ldldninhbinh.vn"),
    ("Ban Tài chính", "Ban TC-TC", "taichinh@ldldninhbinh.vn"),
    ("Văn phòng", "VP", "vanphong@ldldninhbinh.vn"),
    ("Ủy ban Kiểm tra", "UBKT", "ubkt@ldldninhbinh.vn"),
]

# District and city federations with real communes of each, for grassroots names.
LOCALS = [
    (
        "NB-TP",
        "Liên đoàn Lao động thành phố Ninh Bình",
        "LĐLĐ TP Ninh Bình",
        [
            "Đông Thành",
            "Tân Thành",
            "Vân Giang",
            "Nam Bình",
            "Phúc Thành",
            "Bích Đào",
            "Ninh Phong",
            "Ninh Sơn",
        ],
    ),
    (
        "NB-TD",
        "Liên đoàn Lao động thành phố Tam Điệp",
        "LĐLĐ TP Tam Điệp",
        [
            "Bắc Sơn",
            "Trung Sơn",
            "Nam Sơn",
            "Tây Sơn",
            "Quang Sơn",
            "Yên Sơn",
            "Yên Bình",
            "Đông Sơn",
        ],
    ),
    (
        "NB-HL",
        "Liên đoàn Lao động huyện Hoa Lư",
        "LĐLĐ huyện Hoa Lư",
        [
            "Ninh Hòa",
            "Ninh Giang",
            "Ninh Khang",
            "Ninh Mỹ",
            "Ninh Xuân",
            "Ninh Vân",
            "Ninh Hải",
            "Trường Yên",
        ],
    ),
    (
        "NB-GV",
        "Liên đoàn Lao động huyện Gia Viễn",
        "LĐLĐ huyện Gia Viễn",
        ["Gia Sinh", "Gia Vân", "Gia Thịnh", "Gia Phú", "Gia Hưng", "Gia Lập", "Gia Xuân", "Me"],
    ),
    (
        "NB-NQ",
        "Liên đoàn Lao động huyện Nho Quan",
        "LĐLĐ huyện Nho Quan",
        [
            "Cúc Phương",
            "Phú Long",
            "Quỳnh Lưu",
            "Gia Lâm",
            "Thạch Bình",
            "Sơn Hà",
            "Văn Phương",
            "Đức Long",
        ],
    ),
    (
        "NB-YM",
        "Liên đoàn Lao động huyện Yên Mô",
        "LĐLĐ huyện Yên Mô",
        [
            "Yên Thịnh",
            "Yên Phong",
            "Yên Mạc",
            "Yên Lâm",
            "Mai Sơn",
            "Khánh Thượng",
            "Yên Hòa",
            "Yên Đồng",
        ],
    ),
    (
        "NB-YK",
        "Liên đoàn Lao động huyện Yên Khánh",
        "LĐLĐ huyện Yên Khánh",
        [
            "Khánh Cư",
            "Khánh Hội",
            "Khánh Nhạc",
            "Khánh Phú",
            "Khánh An",
            "Khánh Thiện",
            "Khánh Thành",
            "Yên Ninh",
        ],
    ),
    (
        "NB-KS",
        "Liên đoàn Lao động huyện Kim Sơn",
        "LĐLĐ huyện Kim Sơn",
        [
            "Phát Diệm",
            "Bình Minh",
            "Kim Chính",
            "Kim Đông",
            "Lai Thành",
            "Như Hòa",
            "Quang Thiện",
            "Hồi Ninh",
        ],
    ),
]

SECTORS = [
    ("NB-GD", "Công đoàn ngành Giáo dục tỉnh Ninh Bình", "CĐN Giáo dục", K.SECTOR),
    ("NB-YT", "Công đoàn ngành Y tế tỉnh Ninh Bình", "CĐN Y tế", K.SECTOR),
    ("NB-CT", "Công đoàn ngành Công Thương tỉnh Ninh Bình", "CĐN Công Thương", K.SECTOR),
    (
        "NB-NN",
        "Công đoàn ngành Nông nghiệp và PTNT tỉnh Ninh Bình",
        "CĐN Nông nghiệp và PTNT",
        K.SECTOR,
    ),
    ("NB-XD", "Công đoàn ngành Xây dựng tỉnh Ninh Bình", "CĐN Xây dựng", K.SECTOR),
    (
        "NB-GT",
        "Công đoàn ngành Giao thông vận tải tỉnh Ninh Bình",
        "CĐN Giao thông vận tải",
        K.SECTOR,
    ),
    ("NB-VC", "Công đoàn Viên chức tỉnh Ninh Bình", "CĐ Viên chức tỉnh", K.SECTOR),
    ("NB-KCN", "Công đoàn các Khu công nghiệp tỉnh Ninh Bình", "CĐ các KCN", K.UPPER),
]

LOCAL_PATTERNS = ["UBND xã {c}", "Trạm Y tế xã {c}", "HTX Nông nghiệp {c}"]
SECTOR_UNITS = {
    "NB-GD": [
        "Trường THPT Lương Văn Tụy",
        "Trường THPT Đinh Tiên Hoàng",
        "Trường THPT Hoa Lư A",
        "Trường THPT Gia Viễn A",
        "Trường THPT Nho Quan A",
        "Trường THPT Yên Khánh A",
        "Trường THPT Kim Sơn A",
        "Trường THPT Yên Mô A",
        "Trường THPT Trần Hưng Đạo",
        "Trường THPT Nguyễn Huệ",
        "Trường Cao đẳng Sư phạm Ninh Bình",
        "Trường THPT Ninh Bình - Bạc Liêu",
    ],
    "NB-YT": [
        "Bệnh viện Đa khoa tỉnh",
        "Bệnh viện Sản Nhi",
        "Bệnh viện Y dược cổ truyền",
        "Bệnh viện Tâm thần",
        "Trung tâm Kiểm soát bệnh tật",
        "Trung tâm Y tế huyện Hoa Lư",
        "Trung tâm Y tế huyện Kim Sơn",
        "Bệnh viện Lao và Bệnh phổi",
        "Trung tâm Y tế huyện Nho Quan",
        "Trung tâm Y tế huyện Gia Viễn",
    ],
    "NB-CT": [
        "Công ty Điện lực Ninh Bình",
        "Công ty CP Xi măng Hướng Dương",
        "Công ty Nhiệt điện Ninh Bình",
        "Công ty CP Phân lân Ninh Bình",
        "Công ty TNHH MTV Đạm Ninh Bình",
        "Công ty CP Thương mại Ninh Bình",
        "Công ty CP Bia Hà Nội - Ninh Bình",
        "Sở Công Thương",
        "Công ty CP May Nam Hà",
        "Chi cục Quản lý thị trường",
    ],
    "NB-NN": [
        "Sở Nông nghiệp và PTNT",
        "Chi cục Kiểm lâm",
        "Vườn Quốc gia Cúc Phương",
        "Công ty TNHH MTV Khai thác công trình thủy lợi Nam Ninh Bình",
        "Công ty TNHH MTV Khai thác công trình thủy lợi Bắc Ninh Bình",
        "Chi cục Thủy lợi",
        "Trung tâm Khuyến nông",
        "Chi cục Chăn nuôi và Thú y",
        "Chi cục Trồng trọt và BVTV",
        "Ban quản lý rừng phòng hộ",
    ],
    "NB-XD": [
        "Sở Xây dựng",
        "Công ty CP Xi măng The Vissai",
        "Công ty CP Tư vấn xây dựng Ninh Bình",
        "Công ty CP Cấp thoát nước Ninh Bình",
        "Công ty CP Môi trường và Dịch vụ đô thị",
        "Công ty CP Xây dựng số 1",
        "Ban QLDA các công trình xây dựng",
        "Công ty CP Xi măng Duyên Hà",
        "Công ty TNHH Xây lắp Thành Nam",
        "Viện Quy hoạch",
    ],
    "NB-GT": [
        "Sở Giao thông vận tải",
        "Công ty CP Xe khách Ninh Bình",
        "Công ty CP Quản lý đường bộ",
        "Cảng Ninh Phúc",
        "Trung tâm Đăng kiểm",
        "Ga Ninh Bình",
        "Công ty CP Vận tải thủy",
        "Ban QLDA giao thông",
        "Trường Trung cấp nghề GTVT",
        "Công ty Taxi Ninh Bình",
    ],
    "NB-VC": [
        "Văn phòng UBND tỉnh",
        "Sở Tài chính",
        "Sở Kế hoạch và Đầu tư",
        "Sở Nội vụ",
        "Sở Tư pháp",
        "Sở Văn hóa và Thể thao",
        "Sở Du lịch",
        "Sở Tài nguyên và Môi trường",
        "Sở Lao động - TB&XH",
        "Đài Phát thanh và Truyền hình",
        "Báo Ninh Bình",
        "Sở Khoa học và Công nghệ",
    ],
    "NB-KCN": [
        "Công ty TNHH Vina Korea",
        "Công ty TNHH Medisun Ninh Bình",
        "Công ty TNHH Hitachi Cable Việt Nam",
        "Công ty CP Ô tô Thành Công Việt Hưng",
        "Công ty TNHH Yazaki EDS Ninh Bình",
        "Công ty TNHH Giày Adiana",
        "Công ty TNHH Sumida Việt Nam",
        "Công ty TNHH Tongyang Việt Nam",
        "Công ty TNHH Koas Việt Nam",
        "Công ty CP Kính nổi Viglacera",
        "Công ty TNHH Jeil Tech Vina",
        "Công ty TNHH Keum Kang",
    ],
}

USERS = [
    # username, full name, email, unit code, role, department
    (
        "cspl",
        "Nguyễn Thị Thanh Hương",
        "cspl@ldldninhbinh.vn",
        "NB",
        Role.STAFF,
        "Ban Chính sách - Pháp luật",
    ),
    ("hoalu", "Đinh Văn Hùng", "hoalu@ldldninhbinh.vn", "NB-HL", Role.LEADER, None),
    ("giaoduc", "Phạm Thị Mai", "giaoduc@ldldninhbinh.vn", "NB-GD", Role.LEADER, None),
    ("cdcs1", "Trần Văn Nam", "cdcs1@example.vn", "NB-HL-01", Role.OFFICER, None),
    ("cdcs2", "Lê Thị Hoa", "cdcs2@example.vn", "NB-HL-02", Role.OFFICER, None),
    ("cdcs3", "Vũ Đức Thắng", "cdcs3@example.vn", "NB-GD-01", Role.OFFICER, None),
]


def demo_mailbox(code: str, index: int) -> str:
    """A unit's mailbox: every upper unit and four grassroots unions in five have one (the
    fifth shows in the outbox why its reminders reach nobody, when it has no officer either)."""
    return "" if index % 5 == 0 else f"{code.lower()}@congdoan.example.vn"


def demo_units() -> list[NewUnit]:
    rng = random.Random(2017)
    units = [
        NewUnit(
            "TLD",
            "Tổng Liên đoàn Lao động Việt Nam",
            K.NATIONAL,
            None,
            "Tổng LĐLĐ Việt Nam",
            0,
            "tld@congdoanvn.org.vn",
        ),
        NewUnit(
            "NB",
            "Liên đoàn Lao động tỉnh Ninh Bình",
            K.PROVINCIAL,
            "TLD",
            "LĐLĐ tỉnh Ninh Bình",
            0,
            "ldld@ninhbinh.gov.vn",
        ),
    ]
    for code, name, short, communes in LOCALS:
        units.append(NewUnit(code, name, K.LOCAL, "NB", short, 0, demo_mailbox(code, 1)))
        names = [p.format(c=c) for c in communes for p in LOCAL_PATTERNS[:2]]
        if code == "NB-HL":
            names = ["UBND xã Ninh Hòa", "Trường THCS Ninh Giang", *names[2:]]
        for index, unit_name in enumerate(names, start=1):
            units.append(
                NewUnit(
                    f"{code}-{index:02d}",
                    f"Công đoàn cơ sở {unit_name}",
                    K.GRASSROOTS,
                    code,
                    f"CĐCS {unit_name}",
                    rng.randint(12, 180),
                    demo_mailbox(f"{code}-{index:02d}", index),
                )
            )
    for code, name, short, kind in SECTORS:
        units.append(NewUnit(code, name, kind, "NB", short, 0, demo_mailbox(code, 1)))
        for index, unit_name in enumerate(SECTOR_UNITS[code], start=1):
            big = kind == K.UPPER or unit_name.startswith(("Công ty", "Bệnh viện"))
            units.append(
                NewUnit(
                    f"{code}-{index:02d}",
                    f"Công đoàn cơ sở {unit_name}",
                    K.GRASSROOTS,
                    code,
                    f"CĐCS {unit_name}",
                    rng.randint(150, 2500) if big else rng.randint(20, 160),
                    demo_mailbox(f"{code}-{index:02d}", index),
                )
            )
    return units


def seed(stdout, today: dt.date) -> None:
    """The tree and its people (the same whatever ``today``)."""
    seed_hierarchy()
    units = demo_units()
    existing = set(
        Organization.objects.filter(code__in=[u.code for u in units]).values_list("code", flat=True)
    )
    missing = [u for u in units if u.code not in existing]
    if missing:
        organizations_bulk_create(missing)
        stdout.write(f"Units: {len(missing)} created.")
    # A demo loaded before units had mailboxes gets them (only where none is recorded).
    mailboxes = {unit.code: unit.email for unit in units if unit.email}
    for code in Organization.objects.filter(code__in=list(mailboxes), email="").values_list(
        "code", flat=True
    ):
        Organization.objects.filter(code=code).update(email=mailboxes[code])
    province = Organization.objects.get(code="NB")
    for name, short, email in DEPARTMENTS:
        Department.objects.get_or_create(
            organization=province, name=name, defaults={"short_name": short, "email": email}
        )

    User = get_user_model()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser(
            "admin", "admin@example.vn", DEMO_PASSWORD, full_name="Quản trị hệ thống"
        )
    for username, full_name, email, unit_code, role, department in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, email=email)
            user.set_password(DEMO_PASSWORD)
            user.save()
        unit = Organization.objects.get(code=unit_code)
        dept = (
            Department.objects.filter(organization=unit, name=department).first()
            if department
            else None
        )
        Membership.objects.get_or_create(
            user=user, organization=unit, role=role, defaults={"department": dept}
        )
