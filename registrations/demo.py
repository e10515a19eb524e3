"""Demo data: registrations in every state across the Ninh Bình tree.

For the active copies of the 2017 plan placed around ``today`` (``campaigns.demo.calendar``),
every unit below the province gets a registration through the services, as its people would make
it, on ``today`` or on the registration deadline when that has passed: some units have not
started, others hold a draft, wait for review, were returned with a comment, were approved, or
were approved and reopened (a second revision). The demo people act where they have a role:
``cdcs2`` sees a returned registration, ``hoalu`` a queue to review, ``cspl`` the whole province;
``cdcs1``'s unit has not registered yet, so a visitor can do it (given an extension when the
deadline has passed). The copy of last year, in its final review in January and February, has
its registrations settled: approved, or never made. The closed 2017 campaign gets
approved registrations in three branches, written directly as the historical record they are
(a closed campaign accepts no change through the services).

Idempotent: a campaign that already has registrations is left alone.
"""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from campaigns.demo import demo_campaigns
from campaigns.models import Campaign, CampaignStatus
from federation.models import Membership, Organization, Role
from registrations import services
from registrations.models import (
    KeyWork,
    RegisteredTheme,
    Registration,
    Target,
    target_key,
)
from registrations.rollups.rebuilding import rebuild
from registrations.selectors.common import participants

# Per theme number: what units commit to, and the targets they count.
COMMITMENTS = {
    1: [
        "Phát động phong trào “Lao động giỏi, lao động sáng tạo” đến từng tổ công đoàn; "
        "phấn đấu hoàn thành vượt mức kế hoạch sản xuất, công tác năm.",
        "Khuyến khích đoàn viên đề xuất sáng kiến, cải tiến kỹ thuật, hợp lý hóa sản xuất; "
        "biểu dương kịp thời các sáng kiến được áp dụng.",
    ],
    2: [
        "Tổ chức cho đoàn viên học tập nâng cao trình độ chuyên môn, tin học, ngoại ngữ; "
        "gắn học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh với nhiệm vụ của đơn vị.",
        "Xây dựng văn minh công sở, văn hóa doanh nghiệp; thực hành tiết kiệm, chống lãng phí.",
    ],
    3: [
        "Tham gia xây dựng nông thôn mới tại địa phương; vận động đoàn viên đóng góp ngày công, "
        "kinh phí làm đường giao thông nông thôn.",
    ],
    4: [
        "Tổ chức thành công Đại hội Công đoàn cơ sở nhiệm kỳ mới; thực hiện các chỉ tiêu "
        "Nghị quyết Đại hội Công đoàn tỉnh đề ra.",
        "Phát triển đoàn viên mới, xây dựng công đoàn cơ sở vững mạnh.",
    ],
    5: [
        "Chăm lo đời sống, bảo vệ quyền lợi hợp pháp, chính đáng của đoàn viên; ký kết thỏa "
        "thuận với các đối tác mang lại ưu đãi cho đoàn viên.",
    ],
}
TARGETS = {
    1: [
        ("Sáng kiến, cải tiến kỹ thuật", "sáng kiến", 2, 12),
        ("Giá trị làm lợi", "triệu đồng", 20, 400),
    ],
    2: [
        ("Đoàn viên được bồi dưỡng, tập huấn", "người", 10, 120),
        ("Lớp học tập chuyên đề", "lớp", 1, 6),
    ],
    3: [("Ngày công đóng góp xây dựng nông thôn mới", "ngày công", 50, 600)],
    4: [
        ("Đoàn viên mới kết nạp", "người", 3, 60),
        ("Tỷ lệ đoàn viên tham gia Đại hội", "%", 90, 100),
    ],
    5: [
        ("Thỏa thuận hợp tác ưu đãi cho đoàn viên", "thỏa thuận", 1, 5),
        ("Đoàn viên khó khăn được hỗ trợ", "lượt", 5, 80),
    ],
}
WORKS = [
    ("Nhà văn hóa công nhân", "Công trình chào mừng Đại hội Công đoàn các cấp"),
    (
        "Dây chuyền sản xuất cải tiến",
        "Sản phẩm đăng ký gắn biển chào mừng ngày thành lập Công đoàn Việt Nam",
    ),
    ("Sân thể thao cho người lao động", "Công trình phúc lợi cho đoàn viên"),
    ("Phần mềm quản lý hồ sơ một cửa", "Sản phẩm sáng tạo chào mừng Đại hội"),
]
RETURN_COMMENTS = [
    "Đề nghị bổ sung chỉ tiêu cụ thể cho nội dung 1 (số sáng kiến, giá trị làm lợi).",
    "Nội dung cam kết còn chung chung, đề nghị nêu rõ công việc và thời gian thực hiện.",
]
# The states of this year's registrations, drawn with these weights for units with no fixed one.
WEIGHTS = [("none", 18), ("draft", 12), ("submitted", 22), ("returned", 8), ("approved", 40)]
# Last year's copy, in its final review: what was not approved by now never will be.
SETTLED_WEIGHTS = [("none", 12), ("approved", 88)]
# Fixed states: Hoa Lư's units tell the whole story in one queue.
FIXED = {
    "NB-HL-01": "none",  # cdcs1: a visitor registers it
    "NB-HL-02": "returned",  # cdcs2 sees the comment
    "NB-HL-03": "submitted",
    "NB-HL-04": "submitted",
    "NB-HL-05": "submitted",
    "NB-HL-06": "submitted",
    "NB-HL-07": "approved",
    "NB-HL-08": "approved",
    "NB-HL-09": "approved",
    "NB-HL-10": "approved",
    "NB-HL-11": "reopened",
    "NB-HL-12": "draft",
    "NB-HL-13": "draft",
    "NB-HL-14": "extended",
    "NB-HL": "submitted",
    "NB-GD": "approved",
    "NB-GD-01": "approved",  # cdcs3
}


def _content(rng: random.Random, themes: list, *, works: bool) -> dict:
    chosen = sorted(rng.sample(themes, rng.choice((2, 2, 3))), key=lambda t: t.number)
    data = {"themes": [], "key_works": []}
    for theme in chosen:
        number = (theme.number - 1) % len(COMMITMENTS) + 1
        targets = rng.sample(TARGETS[number], rng.randint(1, len(TARGETS[number])))
        data["themes"].append(
            {
                "theme": theme.pk,
                "commitment": rng.choice(COMMITMENTS[number]),
                "targets": [
                    {"name": name, "unit": unit, "value": str(rng.randint(low, high))}
                    for name, unit, low, high in targets
                ],
            }
        )
    if works:
        name, description = rng.choice(WORKS)
        data["key_works"].append(
            {
                "name": name,
                "description": description,
                "estimated_value": str(rng.choice((150, 320, 500, 1200))),
                "expected_completion": None,
            }
        )
    return data


def _people() -> tuple[dict, dict]:
    """The demo people by unit: who prepares (officer or leader of the unit) and who reviews
    (leader or staff of the unit)."""
    officers, reviewers = {}, {}
    for membership in Membership.objects.select_related("user", "organization"):
        code = membership.organization.code
        if membership.role in (Role.OFFICER, Role.LEADER):
            officers.setdefault(code, membership.user)
        if membership.role in (Role.LEADER, Role.STAFF):
            reviewers.setdefault(code, membership.user)
    return officers, reviewers


def _extend(campaign: Campaign, unit, reviewer, today: dt.date, reason: str) -> None:
    """Ten more days for ``unit``, from the deadline or from today when it has passed (within
    the campaign's year)."""
    deadline = campaign.registration_deadline
    if deadline is None:
        return
    until = min(max(deadline, today) + dt.timedelta(days=10), campaign.year_end)
    if until > deadline and until >= today:
        services.deadline_extend(
            campaign=campaign,
            organization=unit,
            by=reviewer,
            until=until,
            reason=reason,
            today=today,
        )


def seed_current(campaign: Campaign, admin, today: dt.date, *, settled: bool = False) -> dict:
    """The registrations of an active copy, made on ``today`` (on the deadline when it has
    passed); ``settled``: approved or never made (last year's copy)."""
    rng = random.Random(campaign.year)
    themes = list(campaign.themes.all())
    officers, reviewers = _people()
    province_staff = reviewers.get(campaign.issuer.code, admin)
    code_by_path = dict(Organization.objects.values_list("path", "code"))
    table = SETTLED_WEIGHTS if settled else WEIGHTS
    states = [state for state, _weight in table]
    weights = [weight for _state, weight in table]
    deadline = campaign.registration_deadline
    acted = min(today, deadline) if deadline else today
    counts: dict[str, int] = {}
    for unit in participants(campaign).order_by("path"):
        if settled:
            state = "approved" if unit.code in FIXED else rng.choices(states, weights)[0]
        else:
            state = FIXED.get(unit.code) or rng.choices(states, weights)[0]
            if unit.code == "NB-HL" and deadline and deadline < today:
                # Hoa Lư's own registration was approved in time: it reports like the others.
                state = "approved"
        counts[state] = counts.get(state, 0) + 1
        parent_code = code_by_path.get(unit.parent_path)
        officer = officers.get(unit.code, admin)
        reviewer = reviewers.get(parent_code, province_staff)
        if state == "extended":
            _extend(
                campaign, unit, reviewer, today, "Đơn vị đang chuẩn bị Đại hội Công đoàn cơ sở."
            )
            continue
        if state == "none":
            if unit.code == "NB-HL-01" and deadline and deadline < today:
                # cdcs1's unit: the visitor registers it, on an extension.
                _extend(campaign, unit, reviewer, today, "Đơn vị mới kiện toàn Ban Chấp hành.")
            continue
        data = _content(rng, themes, works=rng.random() < 0.2)
        registration = services.registration_save_draft(
            campaign=campaign, organization=unit, by=officer, data=data
        )
        if state == "draft":
            continue
        services.registration_submit(registration, by=officer, today=acted)
        if state == "submitted":
            continue
        if state == "returned":
            services.registration_return(
                registration, by=reviewer, comment=rng.choice(RETURN_COMMENTS)
            )
            continue
        services.registration_approve(registration, by=reviewer)
        if state == "reopened":
            registration = services.registration_reopen(
                registration,
                by=officer,
                reason="Bổ sung công trình đăng ký gắn biển chào mừng Đại hội.",
            )
            data["key_works"] = [
                {
                    "name": "Nhà văn hóa công nhân",
                    "description": "Công trình chào mừng Đại hội Công đoàn các cấp",
                    "estimated_value": "850",
                }
            ]
            services.registration_save_draft(
                campaign=campaign,
                organization=unit,
                by=officer,
                data=data,
                expected_version=registration.version,
            )
    return counts


def seed_2017(campaign: Campaign, admin) -> int:
    """Approved registrations of three branches of 2017, written as a historical record."""
    rng = random.Random(2017)
    themes = list(campaign.themes.all())
    submitted = timezone.make_aware(dt.datetime(2017, 3, 20, 9, 0))
    reviewed = timezone.make_aware(dt.datetime(2017, 3, 30, 15, 0))
    branches = Q()
    for code in ("NB-HL", "NB-GD", "NB-YT"):
        path = Organization.objects.get(code=code).path
        branches |= Q(path__startswith=path)
    units = list(participants(campaign).filter(branches).order_by("path"))
    created = 0
    for unit in units:
        if rng.random() < 0.15:
            continue  # some units never registered
        data = _content(rng, themes, works=rng.random() < 0.15)
        registration = Registration.objects.create(
            campaign=campaign,
            organization=unit,
            status="approved",
            version=3,
            submitted_at=submitted,
            reviewed_at=reviewed,
            created_by=admin,
        )
        for item in data["themes"]:
            registered = RegisteredTheme.objects.create(
                registration=registration,
                theme_id=item["theme"],
                commitment=item["commitment"],
            )
            Target.objects.bulk_create(
                Target(
                    registered_theme=registered,
                    position=position,
                    name=t["name"],
                    unit=t["unit"],
                    value=Decimal(t["value"]),
                    key=target_key(t["name"], t["unit"]),
                )
                for position, t in enumerate(item["targets"])
            )
        for position, work in enumerate(data["key_works"]):
            KeyWork.objects.create(
                registration=registration,
                position=position,
                name=work["name"],
                description=work["description"],
                estimated_value=Decimal(work["estimated_value"]),
                expected_completion=dt.date(2017, 7, 28),
            )
        created += 1
    rebuild(campaign)  # written without the services: count them in one go
    return created


def seed(stdout, today: dt.date) -> None:
    admin = get_user_model().objects.get(username="admin")
    province = Organization.objects.get(code="NB")
    for current in demo_campaigns(today):
        if current.registrations.exists():
            continue
        counts = seed_current(current, admin, today, settled=current.year_end < today)
        summary = ", ".join(f"{state} {count}" for state, count in sorted(counts.items()))
        stdout.write(f"Registrations {current.year}: {summary}.")
    closed = Campaign.objects.filter(
        issuer=province, year=2017, number=13, status=CampaignStatus.CLOSED
    ).first()
    if closed is not None and not closed.registrations.exists():
        stdout.write(f"Registrations 2017: {seed_2017(closed, admin)} approved (historical).")
