"""A union tree shaped like the real confederation, inserted in bulk.

National root → 34 provinces and centrally-run cities (the 2025 map) → upper units (commune
and ward unions, sector unions, industrial-zone unions: about 1,200 at full size, at least one
per province) → grassroots unions. Provinces differ in size the way the real ones do (Hồ Chí
Minh City and Hà Nội hold far more units than Lai Châu). One extra upper unit in the largest
province holds ``wide_children`` grassroots unions directly, for the "1,000 children under one
parent" scenario; its children come on top of ``grassroots``.

Everything is deterministic for a given seed, and every row goes in through
``federation.services.imports.organizations_bulk_create`` (computed paths, batched INSERTs).
"""

import random
import time
from dataclasses import dataclass

from federation.models import Organization, OrganizationKind
from federation.services.imports import NewUnit, organizations_bulk_create

FULL_SIZE_GRASSROOTS = 130_000
FULL_SIZE_UPPER = 1_200

ROOT_CODE = "TLD"
WIDE_CODE_SUFFIX = "-RONG"

# (code, name, weight): the weight is the province's share of the units, roughly.
PROVINCES = [
    ("HCM", "thành phố Hồ Chí Minh", 16),
    ("HNI", "thành phố Hà Nội", 11),
    ("DNA", "tỉnh Đồng Nai", 6),
    ("BNI", "tỉnh Bắc Ninh", 5),
    ("HPG", "thành phố Hải Phòng", 5),
    ("HYN", "tỉnh Hưng Yên", 3.5),
    ("TNI", "tỉnh Tây Ninh", 3.5),
    ("DNG", "thành phố Đà Nẵng", 3),
    ("QNH", "tỉnh Quảng Ninh", 3),
    ("THA", "tỉnh Thanh Hóa", 3),
    ("NAN", "tỉnh Nghệ An", 3),
    ("NBH", "tỉnh Ninh Bình", 2.5),
    ("PTO", "tỉnh Phú Thọ", 2.5),
    ("TNG", "tỉnh Thái Nguyên", 2),
    ("CTO", "thành phố Cần Thơ", 2),
    ("AGG", "tỉnh An Giang", 2),
    ("KHA", "tỉnh Khánh Hòa", 2),
    ("LDG", "tỉnh Lâm Đồng", 2),
    ("DLK", "tỉnh Đắk Lắk", 1.5),
    ("GLI", "tỉnh Gia Lai", 1.5),
    ("QNG", "tỉnh Quảng Ngãi", 1.5),
    ("VLG", "tỉnh Vĩnh Long", 1.5),
    ("DTP", "tỉnh Đồng Tháp", 1.5),
    ("HTH", "tỉnh Hà Tĩnh", 1.2),
    ("QTI", "tỉnh Quảng Trị", 1.2),
    ("HUE", "thành phố Huế", 1.2),
    ("CMU", "tỉnh Cà Mau", 1.2),
    ("LCI", "tỉnh Lào Cai", 1),
    ("SLA", "tỉnh Sơn La", 1),
    ("TQG", "tỉnh Tuyên Quang", 1),
    ("LSN", "tỉnh Lạng Sơn", 0.8),
    ("CBG", "tỉnh Cao Bằng", 0.6),
    ("DBN", "tỉnh Điện Biên", 0.6),
    ("LCU", "tỉnh Lai Châu", 0.5),
]
assert len(PROVINCES) == 34

SECTORS = [
    "Giáo dục",
    "Y tế",
    "Công Thương",
    "Xây dựng",
    "Giao thông vận tải",
    "Nông nghiệp và Môi trường",
    "Viên chức",
]
PLACES = [
    "An Bình",
    "Tân Phú",
    "Hòa Lợi",
    "Phú Mỹ",
    "Thuận An",
    "Long Thành",
    "Đông Hòa",
    "Bình Minh",
    "Hưng Đạo",
    "Quang Trung",
    "Tam Điệp",
    "Yên Khánh",
]
COMPANY_FORMS = ["Công ty TNHH", "Công ty Cổ phần", "Trường", "Bệnh viện", "Hợp tác xã"]
INDUSTRIES = [
    "May",
    "Dệt",
    "Điện tử",
    "Thực phẩm",
    "Cơ khí",
    "Xây lắp",
    "Vận tải",
    "Da giày",
    "Nhựa",
    "Gỗ",
    "Thương mại",
    "Dịch vụ",
]
BRANDS = [
    "Hòa Phát",
    "Sông Hồng",
    "Việt Tiến",
    "Phương Nam",
    "Đại Dương",
    "Thành Công",
    "Minh Long",
]
# A word found in about one grassroots name in twelve, for the tree-search benchmark.
SEARCH_WORD = "May"


@dataclass
class TreeStats:
    grassroots: int
    wide_children: int
    units: int
    upper: int
    seconds_plan: float
    seconds_insert: float
    largest_province_code: str
    wide_code: str

    @property
    def seconds(self) -> float:
        return self.seconds_plan + self.seconds_insert


def apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split ``total`` into integer parts proportional to ``weights`` (largest remainder),
    giving each part at least ``minimum`` when the total allows it."""
    if not weights:
        return []
    floor = minimum if total >= minimum * len(weights) else 0
    rest = total - floor * len(weights)
    weight_sum = sum(weights) or 1
    exact = [rest * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    leftovers = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in leftovers[: rest - sum(parts)]:
        parts[i] += 1
    return [floor + p for p in parts]


def upper_count_for(grassroots: int) -> int:
    """About one upper unit per 108 grassroots unions (1,200 for 130,000), one per province at
    least."""
    return max(len(PROVINCES), round(grassroots * FULL_SIZE_UPPER / FULL_SIZE_GRASSROOTS))


def plan_tree(grassroots: int, *, wide_children: int = 1000, seed: int = 2017) -> list[NewUnit]:
    """The units of the tree, parents first, ready for ``organizations_bulk_create``."""
    rng = random.Random(seed)
    units = [
        NewUnit(
            ROOT_CODE,
            "Tổng Liên đoàn Lao động Việt Nam",
            OrganizationKind.NATIONAL,
            short_name="Tổng LĐLĐVN",
            member_count=0,
        )
    ]
    weights = [w for _, _, w in PROVINCES]
    upper_per_province = apportion(upper_count_for(grassroots), weights, minimum=1)
    grassroots_per_province = apportion(grassroots, weights)
    for p, (pcode, pname, _) in enumerate(PROVINCES):
        units.append(
            NewUnit(
                pcode,
                f"Liên đoàn Lao động {pname}",
                OrganizationKind.PROVINCIAL,
                ROOT_CODE,
                short_name=f"LĐLĐ {pname.split(' ', 1)[1]}",
                email=f"ldld.{pcode.lower()}@example.vn",
            )
        )
        uppers = upper_per_province[p]
        per_upper = apportion(
            grassroots_per_province[p], [rng.uniform(0.3, 1.7) for _ in range(uppers)]
        )
        for u in range(uppers):
            ucode = f"{pcode}-{u + 1:04d}"
            units.append(_upper_unit(ucode, pcode, u, rng))
            units.extend(_grassroots_units(ucode, per_upper[u], rng))
        if p == 0 and wide_children:
            wcode = pcode + WIDE_CODE_SUFFIX
            units.append(
                NewUnit(
                    wcode,
                    f"Công đoàn các Khu công nghiệp và Khu chế xuất {pname}",
                    OrganizationKind.UPPER,
                    pcode,
                    short_name="CĐ các KCN-KCX",
                )
            )
            units.extend(_grassroots_units(wcode, wide_children, rng))
    return units


def _upper_unit(code: str, parent_code: str, index: int, rng: random.Random) -> NewUnit:
    place = PLACES[index % len(PLACES)]
    kind_pick = index % 8
    if kind_pick < 5:
        prefix = "phường" if index % 2 else "xã"
        return NewUnit(
            code, f"Công đoàn {prefix} {place} {index + 1}", OrganizationKind.LOCAL, parent_code
        )
    if kind_pick < 7:
        sector = SECTORS[index % len(SECTORS)]
        return NewUnit(
            code, f"Công đoàn ngành {sector} {index + 1}", OrganizationKind.SECTOR, parent_code
        )
    return NewUnit(
        code, f"Công đoàn Khu công nghiệp {place} {index + 1}", OrganizationKind.UPPER, parent_code
    )


def _grassroots_units(parent_code: str, count: int, rng: random.Random) -> list[NewUnit]:
    return [
        NewUnit(
            f"{parent_code}-{g + 1:04d}",
            f"Công đoàn cơ sở {rng.choice(COMPANY_FORMS)} {rng.choice(INDUSTRIES)} "
            f"{rng.choice(BRANDS)} {g + 1}",
            OrganizationKind.GRASSROOTS,
            parent_code,
            member_count=int(rng.lognormvariate(4.0, 1.0)) + 5,
        )
        for g in range(count)
    ]


def generate_tree(grassroots: int, *, wide_children: int = 1000, seed: int = 2017) -> TreeStats:
    """Insert the whole tree into an empty database and say how long it took."""
    if Organization.objects.exists():
        raise RuntimeError("The tree generator needs an empty database.")
    started = time.perf_counter()
    units = plan_tree(grassroots, wide_children=wide_children, seed=seed)
    planned = time.perf_counter()
    created = organizations_bulk_create(units, batch_size=2000)
    inserted = time.perf_counter()
    kinds = [u.kind for u in units]
    return TreeStats(
        grassroots=grassroots,
        wide_children=wide_children,
        units=created,
        upper=len(kinds)
        - kinds.count(OrganizationKind.GRASSROOTS)
        - kinds.count(OrganizationKind.PROVINCIAL)
        - 1,
        seconds_plan=planned - started,
        seconds_insert=inserted - planned,
        largest_province_code=PROVINCES[0][0],
        wide_code=PROVINCES[0][0] + WIDE_CODE_SUFFIX if wide_children else "",
    )
