"""Changes of the union tree move the per-branch counters of registrations and reports by their
difference (``federation.signals.apply_tree_changes``, with each app's handlers): after every
move, merge and change of kind, the counters of every campaign equal what a full rebuild
computes from the base tables.

The tree (the world of ``tests/conftest.py`` with more units) and three campaigns, issued at
three levels, with registrations and reports in every state:

TLĐ                          ← issuer of the national campaign
├── LĐLĐ tỉnh NB             ← issuer of the province's campaign
│   ├── LĐLĐ huyện P         ← issuer of the district's campaign
│   │   ├── CĐCS A
│   │   └── CĐCS B
│   ├── LĐLĐ huyện Q
│   │   └── CĐCS C
│   └── CĐ ngành Y tế S
│       ├── CĐ Bệnh viện H (upper)
│       │   └── CĐ khoa K
│       └── CĐ Trường Y
└── LĐLĐ TP. HN
    └── LĐLĐ quận R
        └── CĐCS D
"""

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign
from emulation.workflow import ReviewStatus
from federation import rollups as unit_rollups
from federation.models import Organization
from federation.models import OrganizationKind as K
from federation.services.units import organization_merge, organization_move, organization_update
from registrations import services as registration_services
from registrations.models import RegistrationCount, TargetSum, ThemeChoiceCount
from registrations.rollups.reads import status_counts
from registrations.rollups.rebuilding import rebuild
from reports import rollups as report_rollups
from reports.services.drafts import report_save_draft
from reports.services.transitions import report_approve, report_return, report_submit
from tests.factories import make_unit
from tests.federation.test_rollups import snapshot as unit_snapshot
from tests.reports.conftest import full_data, make_report_campaign, phase, registration_payload
from tests.reports.test_rollups import snapshot as report_snapshot

# The walks move units anywhere and give them any kind: every placement is allowed here.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("any_kind_anywhere")]


def registration_snapshot(campaign) -> dict:
    """Every non-zero registration counter of the campaign."""
    cents = Decimal("0.01")
    counts = {
        (c.branch_id, c.level, c.kind, c.status): (
            c.units,
            c.key_works,
            Decimal(c.key_works_value).quantize(cents),
            c.units_with_key_works,
        )
        for c in RegistrationCount.objects.filter(campaign=campaign)
        if c.units or c.key_works or c.key_works_value or c.units_with_key_works
    }
    themes = {
        (c.branch_id, c.kind, c.status, c.theme_id): c.units
        for c in ThemeChoiceCount.objects.filter(campaign=campaign)
        if c.units
    }
    targets = {
        (c.branch_id, c.kind, c.status, c.theme_id, c.key): (
            c.units,
            c.targets,
            Decimal(c.total).quantize(cents),
        )
        for c in TargetSum.objects.filter(campaign=campaign)
        if c.units or c.targets or c.total
    }
    return {"counts": counts, "themes": themes, "targets": targets}


def assert_counters_equal_rebuild(world, step: str = "") -> None:
    """The tree is sound (paths, depths, numbers of children) and the counters of every
    campaign and of the units equal a full rebuild."""
    assert Organization.objects.find_problems() == ([], [], [], [], []), step
    for campaign in Campaign.objects.order_by("pk"):
        kept = registration_snapshot(campaign), report_snapshot(campaign)
        rebuild(campaign)
        report_rollups.rebuild(campaign)
        rebuilt = registration_snapshot(campaign), report_snapshot(campaign)
        assert kept[0] == rebuilt[0], f"{step}: registrations of {campaign.issuer.code}"
        assert kept[1] == rebuilt[1], f"{step}: reports of {campaign.issuer.code}"
    kept = unit_snapshot()
    unit_rollups.rebuild()
    assert kept == unit_snapshot(), f"{step}: units"


class Tree:
    """The units of the module's tree, read again from the database on each access."""

    def __init__(self, world):
        self.world = world

    def __getattr__(self, code):
        return Organization.objects.get(code=CODES[code])


CODES = {
    "national": "TLD",
    "province": "NB",
    "district": "NB-P",
    "a": "NB-P-A",
    "b": "NB-P-B",
    "q": "NB-Q",
    "c": "NB-Q-C",
    "sector": "NB-S",
    "hospital": "NB-S-H",
    "ward": "NB-S-H-K",
    "school": "NB-S-T",
    "city": "HN",
    "r": "HN-R",
    "d": "HN-R-D",
}


def campaign_of(world, issuer):
    """A campaign with two phases and the usual indicators, issued by ``issuer``."""
    campaign = make_report_campaign(world)
    Campaign.objects.filter(pk=campaign.pk).update(issuer=issuer)
    campaign.refresh_from_db()
    return campaign


def fill(world, campaign, units, rng: random.Random) -> None:
    """Registrations in every state; for the approved ones, reports on both phases in every
    state, with random figures."""
    admin = world.admin
    for unit in units:
        state = rng.choice(["none", "draft", "submitted", "approved", "approved", "approved"])
        if state == "none":
            continue
        registration = registration_services.registration_save_draft(
            campaign=campaign,
            organization=unit,
            by=admin,
            data=registration_payload(campaign),
        )
        if state == "draft":
            continue
        registration = registration_services.registration_submit(registration, by=admin)
        if state == "submitted":
            continue
        registration_services.registration_approve(registration, by=admin)
        for number in (1, 2):
            report_state = rng.choice(["none", "draft", "submitted", "returned", "approved"])
            if report_state == "none":
                continue
            data = full_data(
                campaign,
                achieved=tuple(str(rng.randint(0, 90)) for _ in range(3)),
                indicators=tuple(rng.randint(0, 500) for _ in range(5)),
            )
            on = phase(campaign, number)
            report = report_save_draft(
                campaign=campaign, phase=on, organization=unit, by=admin, data=data, today=on.start
            )
            if report_state == "draft":
                continue
            report = report_submit(report, by=admin, today=on.start)
            if report_state == "returned":
                report_return(report, by=admin, comment="Bổ sung.")
            elif report_state == "approved":
                report_approve(report, by=admin)


@pytest.fixture
def units(world):
    """The module's tree, and the three campaigns filled (units registered at random)."""
    sector = make_unit("NB-S", "Công đoàn ngành Y tế", K.SECTOR, world.province)
    hospital = make_unit("NB-S-H", "Công đoàn Bệnh viện tỉnh", K.UPPER, sector)
    make_unit("NB-S-H-K", "Công đoàn khoa Nội", K.GRASSROOTS, hospital)
    make_unit("NB-S-T", "Công đoàn Trường Y", K.GRASSROOTS, sector)
    world.national.refresh_from_db()
    city = make_unit("HN", "Liên đoàn Lao động thành phố Hà Nội", K.PROVINCIAL, world.national)
    r = make_unit("HN-R", "Liên đoàn Lao động quận R", K.LOCAL, city)
    make_unit("HN-R-D", "Công đoàn cơ sở Delta", K.GRASSROOTS, r, member_count=30)
    t = Tree(world)
    rng = random.Random(13)
    everyone = [getattr(t, code) for code in CODES if code != "national"]
    below = {  # the province's last: each is made as the province's, then given its issuer
        "national": everyone,
        "district": [t.a, t.b],
        "province": [u for u in everyone if u.path.startswith(t.province.path)],
    }
    for issuer, members in below.items():
        campaign = campaign_of(world, getattr(t, issuer))
        fill(world, campaign, [u for u in members if u.pk != campaign.issuer_id], rng)
    assert_counters_equal_rebuild(world, "before")
    return t


def campaign_issued_by(unit) -> Campaign:
    return Campaign.objects.get(issuer=unit)


def test_move_within_the_issuers(world, units):
    """The hospital (with its ward) from the sector union to district Q: inside the province
    and the national root, outside the district's campaign. No count from the base tables: a
    few upserts whatever the size of the campaigns."""
    province_campaign = campaign_issued_by(units.province)
    versions = dict(Campaign.objects.values_list("pk", "figures_version"))
    before = status_counts(province_campaign, [units.q.pk])[units.q.pk]
    moved = status_counts(province_campaign, [units.hospital.pk])
    with CaptureQueriesContext(connection) as queries:
        organization_move(org=units.hospital, new_parent=units.q, by=world.admin)
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"].upper()]
    assert grouped == []
    after = status_counts(province_campaign, [units.q.pk])[units.q.pk]
    for status, count in moved[units.hospital.pk].items():
        assert after[status] == before.get(status, 0) + count
    changed = {
        pk
        for pk, version in Campaign.objects.values_list("pk", "figures_version")
        if version != versions[pk]
    }
    assert changed == {province_campaign.pk, campaign_issued_by(units.national).pk}
    assert_counters_equal_rebuild(world, "move within")


def test_move_across_an_issuers_edge_and_back(world, units):
    """District Q (with C) to the city: out of the province's campaign (its rows go, the
    province's totals lose them), inside the national one; then back (counted again)."""
    province_campaign = campaign_issued_by(units.province)
    kept = registration_snapshot(province_campaign), report_snapshot(province_campaign)
    organization_move(org=units.q, new_parent=units.city, by=world.admin)
    assert not RegistrationCount.objects.filter(
        campaign=province_campaign, branch__in=[units.q, units.c]
    ).exists()
    assert_counters_equal_rebuild(world, "out")
    organization_move(org=units.q, new_parent=units.province, by=world.admin)
    assert_counters_equal_rebuild(world, "back in")
    # The same figures as before the trip (the units' ids are the same, their paths too).
    assert (
        registration_snapshot(province_campaign),
        report_snapshot(province_campaign),
    ) == kept


def test_move_into_and_out_of_a_district_issuer(world, units):
    """Unit C into district P (it enters the district's campaign, unregistered there) and the
    sector union's school as well; then C to the city (it leaves both the district's and the
    province's campaigns)."""
    organization_move(org=units.c, new_parent=units.district, by=world.admin)
    assert_counters_equal_rebuild(world, "C into P")
    organization_move(org=units.hospital, new_parent=units.district, by=world.admin)
    assert_counters_equal_rebuild(world, "the hospital into P")
    organization_move(org=units.c, new_parent=units.r, by=world.admin)
    assert_counters_equal_rebuild(world, "C out of P and the province")


def test_move_of_an_issuer_with_its_subtree(world, units):
    """District P, issuer of a campaign, to the city: its campaign's figures move along (the
    reports' counters of the units above the issuer too), it leaves the province's campaign;
    then one level deeper, under district R."""
    organization_move(org=units.district, new_parent=units.city, by=world.admin)
    assert_counters_equal_rebuild(world, "P to the city")
    organization_move(org=units.district, new_parent=units.r, by=world.admin)
    assert_counters_equal_rebuild(world, "P under R")


def test_merges(world, units):
    """District Q into district P (C enters the district's campaign, Q's own records count no
    more); the sector union into district R of the city (its units leave the province's
    campaign, it closes); unit D into the province (a grassroots union without children)."""
    organization_merge(source=units.q, target=units.district, by=world.admin)
    assert_counters_equal_rebuild(world, "Q into P")
    organization_merge(source=units.sector, target=units.r, by=world.admin)
    assert_counters_equal_rebuild(world, "the sector into R")
    organization_merge(source=units.d, target=units.province, by=world.admin)
    assert_counters_equal_rebuild(world, "D into the province")
    assert not Organization.objects.get(code="HN-R-D").is_active


def test_changes_of_kind(world, units):
    """A grassroots union, a district and a sector union change kind: their own records count
    under the new kind, those of the units below them do not change."""
    province_campaign = campaign_issued_by(units.province)
    organization_update(org=units.b, by=world.admin, data={"kind": K.UPPER})
    assert_counters_equal_rebuild(world, "B")
    organization_update(org=units.q, by=world.admin, data={"kind": K.SECTOR})
    assert_counters_equal_rebuild(world, "Q")
    organization_update(org=units.sector, by=world.admin, data={"kind": K.UPPER})
    assert_counters_equal_rebuild(world, "the sector union")
    registered = set(
        province_campaign.registrations.filter(
            organization__in=[units.b, units.q, units.sector]
        ).values_list("organization_id", flat=True)
    )
    counted = set(
        RegistrationCount.objects.filter(
            campaign=province_campaign, level=0, kind__in=[K.UPPER, K.SECTOR], units__gt=0
        ).values_list("branch_id", flat=True)
    )
    assert registered and registered <= counted


def test_a_long_walk_of_changes(world, units):
    """Random moves, merges and changes of kind, one after the other: the counters equal the
    rebuild after each."""
    rng = random.Random(2017)
    kinds = [K.GRASSROOTS, K.UPPER, K.LOCAL, K.SECTOR]
    for step in range(12):
        active = list(Organization.objects.filter(is_active=True, depth__gt=1))
        unit = rng.choice(active)
        targets = [
            o
            for o in Organization.objects.filter(is_active=True)
            if not o.path.startswith(unit.path)
        ]
        choice = rng.random()
        if choice < 0.5:
            parents = [o for o in targets if o.path != unit.parent_path]
            organization_move(org=unit, new_parent=rng.choice(parents), by=world.admin)
        elif choice < 0.7:
            organization_merge(source=unit, target=rng.choice(targets), by=world.admin)
        else:
            kind = rng.choice([k for k in kinds if k != unit.kind])
            organization_update(org=unit, by=world.admin, data={"kind": kind})
        assert_counters_equal_rebuild(world, f"step {step}: {unit.code}")
    assert Campaign.objects.filter(registrations__status=ReviewStatus.APPROVED).exists()
