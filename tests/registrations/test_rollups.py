"""The branch counters of registrations: after every change they equal what ``rebuild()``
computes from the base tables; two units of one parent changed at once lose nothing."""

import random
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import Sum

from emulation.workflow import ReviewStatus
from federation.models import OrganizationKind
from registrations import services
from registrations.models import (
    Registration,
    RegistrationCount,
    TargetSum,
    ThemeChoiceCount,
)
from registrations.rollups.reads import (
    branch_figures,
    level_figures,
    status_counts,
    target_sums,
    theme_counts,
    themes_chosen,
)
from registrations.rollups.rebuilding import rebuild, rebuild_over
from registrations.rollups.recording import COUNTED_CONTENT
from tests.conftest import build_world, make_unit
from tests.registrations.conftest import make_campaign

TARGETS = [
    ("Sáng kiến, cải tiến kỹ thuật", "sáng kiến"),
    ("Sáng kiến, cải tiến  KỸ THUẬT", "Sáng kiến"),  # the same key, typed differently
    ("Đoàn viên được bồi dưỡng", "người"),
    ("Tỷ lệ đoàn viên tham gia", "%"),
]


def snapshot(campaign) -> dict:
    """Every non-zero counter of the campaign."""
    counts = {
        (c.branch_id, c.level, c.kind, c.status): (
            c.units,
            c.key_works,
            Decimal(c.key_works_value).quantize(Decimal("0.01")),
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
            Decimal(c.total).quantize(Decimal("0.01")),
        )
        for c in TargetSum.objects.filter(campaign=campaign)
        if c.units or c.targets or c.total
    }
    return {"counts": counts, "themes": themes, "targets": targets}


def assert_counters_match(campaign, step=""):
    kept = snapshot(campaign)
    rebuild(campaign)
    rebuilt = snapshot(campaign)
    assert kept == rebuilt, step


def random_data(rng: random.Random, campaign) -> dict:
    themes = list(campaign.themes.order_by("number"))
    chosen = rng.sample(themes, rng.randint(2, len(themes)))
    return {
        "themes": [
            {
                "theme": theme.pk,
                "commitment": "Phấn đấu hoàn thành vượt mức.",
                "targets": [
                    {
                        "name": name,
                        "unit": unit,
                        "value": str(rng.choice([1, 2, 5, 12, "2,5", "97,5"])),
                    }
                    for name, unit in rng.sample(TARGETS, rng.randint(0, 3))
                ],
            }
            for theme in chosen
        ],
        "key_works": [
            {"name": f"Công trình {i}", "estimated_value": str(rng.choice(["", "150", "12,5"]))}
            for i in range(rng.choice([0, 0, 1, 2]))
        ],
    }


@pytest.fixture
def tree(world):
    """The world's province with one more level: a sector union with two units below it, one
    of which has a unit below it."""
    sector = make_unit("NB-S", "Công đoàn ngành Y tế", OrganizationKind.SECTOR, world.province)
    hospital = make_unit("NB-S-1", "Công đoàn Bệnh viện tỉnh", OrganizationKind.UPPER, sector)
    ward = make_unit("NB-S-1-K", "Công đoàn khoa Nội", OrganizationKind.GRASSROOTS, hospital)
    school = make_unit("NB-S-2", "Công đoàn Trường Y", OrganizationKind.GRASSROOTS, sector)
    units = [world.district, world.unit_a, world.unit_b, world.district_q, world.unit_c]
    units += [sector, hospital, ward, school]
    for unit in units:
        unit.refresh_from_db()
    return units


@pytest.mark.django_db
def test_counters_equal_rebuild_after_every_change(world, tree):
    campaign = make_campaign(world)
    rng = random.Random(2017)
    by = world.admin
    seen = set()
    for step in range(70):
        unit = rng.choice(tree)
        registration = Registration.objects.filter(campaign=campaign, organization=unit).first()
        status = registration.status if registration else None
        if status in (None, ReviewStatus.DRAFT, ReviewStatus.RETURNED):
            registration = services.registration_save_draft(
                campaign=campaign, organization=unit, by=by, data=random_data(rng, campaign)
            )
            if rng.random() < 0.6:
                services.registration_submit(registration, by=by)
        elif status == ReviewStatus.SUBMITTED:
            choice = rng.random()
            if choice < 0.4:
                services.registration_approve(registration, by=by)
            elif choice < 0.7:
                services.registration_return(registration, by=by, comment="Bổ sung.")
            else:
                waiting = Registration.objects.filter(
                    campaign=campaign, status=ReviewStatus.SUBMITTED
                )
                services.registrations_bulk_approve(
                    items=[(r.pk, r.version) for r in waiting], by=by
                )
        else:
            services.registration_reopen(registration, by=by, reason="Điều chỉnh chỉ tiêu.")
        assert_counters_match(campaign, f"step {step}: {unit.code} from {status}")
        seen.update(Registration.objects.filter(campaign=campaign).values_list("status", flat=True))
    assert seen == set(ReviewStatus.values)  # the walk went through every state


def register_at_random(world, campaign, units, *, seed: int, submitted: float, approved: float):
    """A registration for each unit, submitted with the chance ``submitted`` and, once
    submitted, approved with the chance ``approved``."""
    rng = random.Random(seed)
    for unit in units:
        registration = services.registration_save_draft(
            campaign=campaign, organization=unit, by=world.admin, data=random_data(rng, campaign)
        )
        if rng.random() < submitted:
            registration = services.registration_submit(registration, by=world.admin)
            if rng.random() < approved:
                services.registration_approve(registration, by=world.admin)


@pytest.mark.django_db
def test_tree_changes_recompute_the_branches_they_go_through(world, tree):
    """After a move, a merge and a change of kind (each recomputing only the branches on the
    changed units' paths), the counters equal a full rebuild."""
    from federation.services.units import organization_merge, organization_move, organization_update

    campaign = make_campaign(world)
    register_at_random(world, campaign, tree, seed=5, submitted=0.7, approved=0.6)
    assert_counters_match(campaign, "before")
    sector, hospital = tree[5], tree[6]
    organization_move(org=hospital, new_parent=world.district, by=world.admin)
    assert_counters_match(campaign, "move")
    organization_merge(source=world.district_q, target=sector, by=world.admin)
    assert_counters_match(campaign, "merge")
    world.unit_b.refresh_from_db()
    organization_update(org=world.unit_b, by=world.admin, data={"kind": OrganizationKind.UPPER})
    assert_counters_match(campaign, "kind")
    kinds = status_counts(campaign, [world.province.pk], kind=OrganizationKind.UPPER)
    assert sum(kinds[world.province.pk].values()) == 2  # the hospital and unit B


@pytest.mark.django_db
def test_status_theme_and_target_reads(world, campaign, make_registration):
    make_registration("approved", unit=world.unit_a, officer=world.officer_a)
    make_registration("submitted", unit=world.unit_b, officer=world.officer_b)
    make_registration("draft", unit=world.unit_c)
    counts = status_counts(campaign, [world.province.pk, world.district.pk, world.district_q.pk])
    assert counts[world.province.pk] == {"approved": 1, "submitted": 1, "draft": 1}
    assert counts[world.district.pk] == {"approved": 1, "submitted": 1}
    assert counts[world.district_q.pk] == {"draft": 1}
    children = status_counts(campaign, [world.province.pk], level=1)
    assert children[world.province.pk] == {}
    assert status_counts(campaign, [world.district.pk], level=1)[world.district.pk] == {
        "approved": 1,
        "submitted": 1,
    }
    assert status_counts(campaign, [world.province.pk], kind="local") == {world.province.pk: {}}
    themes = list(campaign.themes.order_by("number"))
    assert theme_counts(campaign, world.province.pk) == {themes[0].pk: 1, themes[1].pk: 1}
    both = theme_counts(campaign, world.province.pk, statuses=COUNTED_CONTENT)
    assert both == {themes[0].pk: 2, themes[1].pk: 2}
    sums = target_sums(campaign, world.district.pk, statuses=COUNTED_CONTENT)
    assert {(s["theme_id"], s["name"], s["units"], s["total"]) for s in sums} == {
        (themes[0].pk, "Sáng kiến, cải tiến kỹ thuật", 2, Decimal(10)),
        (themes[1].pk, "Sáng kiến, cải tiến kỹ thuật", 2, Decimal(10)),
    }


@pytest.mark.django_db
def test_tree_change_rebuilds_the_campaigns_above(world, campaign, make_registration):
    make_registration("approved", unit=world.unit_a, officer=world.officer_a)
    # A unit closed without the services (as an import or a merge would leave it).
    type(world.unit_a).objects.filter(pk=world.unit_a.pk).update(is_active=False)
    assert rebuild_over([world.unit_a.path]) == 1
    assert status_counts(campaign, [world.province.pk])[world.province.pk] == {}
    # Outside every campaign's issuer: nothing to rebuild.
    assert rebuild_over(["0009"]) == 0


@pytest.mark.django_db
def test_a_move_of_the_union_tree_moves_the_counters(world, campaign, make_registration):
    from federation.services.units import organization_move

    make_registration("approved", unit=world.unit_a, officer=world.officer_a)
    organization_move(org=world.unit_a, new_parent=world.district_q, by=world.admin)
    counts = status_counts(campaign, [world.district.pk, world.district_q.pk], level=1)
    assert counts == {world.district.pk: {}, world.district_q.pk: {"approved": 1}}
    assert_counters_match(campaign)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_siblings_at_once_lose_nothing():
    world = build_world()
    campaign = make_campaign(world)
    regs = {}
    for unit, officer in ((world.unit_a, world.officer_a), (world.unit_b, world.officer_b)):
        data = random_data(random.Random(unit.pk), campaign)
        regs[unit.pk] = services.registration_save_draft(
            campaign=campaign, organization=unit, by=officer, data=data
        )
    barrier = threading.Barrier(2)
    errors = []

    def walk(registration, officer):
        try:
            barrier.wait(timeout=10)
            for _ in range(4):
                registration = services.registration_submit(registration, by=officer)
                registration = services.registration_return(
                    registration, by=world.leader, comment="Bổ sung."
                )
            registration = services.registration_submit(registration, by=officer)
            services.registration_approve(registration, by=world.leader)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=walk, args=(regs[world.unit_a.pk], world.officer_a)),
        threading.Thread(target=walk, args=(regs[world.unit_b.pk], world.officer_b)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    counts = status_counts(campaign, [world.province.pk, world.district.pk], level=None)
    assert counts[world.district.pk] == {"approved": 2}
    assert counts[world.province.pk] == counts[world.district.pk]
    assert_counters_match(campaign)


@pytest.mark.django_db
def test_the_demo_leaves_the_counters_right():
    import io

    from django.core.management import call_command

    from campaigns.models import Campaign

    call_command("seed_demo", stdout=io.StringIO())
    campaigns = [c for c in Campaign.objects.all() if c.registrations.exists()]
    # This year's (and last year's in January and February) through the services, and 2017's
    # (written).
    assert len(campaigns) in (2, 3)
    for campaign in campaigns:
        assert snapshot(campaign)["counts"]
        assert_counters_match(campaign, str(campaign))


def test_rebuild_counters_command_repairs_the_registration_counters(
    world, campaign, make_registration
):
    from django.core.management import call_command

    make_registration("approved", unit=world.unit_a, officer=world.officer_a)
    kept = snapshot(campaign)
    RegistrationCount.objects.filter(campaign=campaign).update(units=42)
    ThemeChoiceCount.objects.filter(campaign=campaign).delete()
    call_command("rebuild_counters", stdout=None)
    assert snapshot(campaign) == kept


@pytest.mark.django_db
def test_consolidation_reads_equal_the_other_reads(world, tree):
    """The consolidation's reads (``branch_figures``: one row per branch with a sum per
    status; ``themes_chosen``; the units per branch read with the children) give the sums of
    ``level_figures``, ``theme_counts`` and the union tree's counters."""
    from federation.models import BranchUnitCount
    from registrations.selectors.summary import unit_and_children

    campaign = make_campaign(world)
    register_at_random(world, campaign, tree, seed=11, submitted=0.8, approved=0.5)
    for branch in [world.province, world.district, tree[5], tree[6], world.unit_a]:
        step = type(branch).steplen
        children = [u for u in tree if u.path[:-step] == branch.path]
        child_ids = [child.pk for child in children]
        levels = level_figures(campaign, [branch.pk, *child_ids])
        read = unit_and_children(branch)
        assert [unit.pk for unit in read] == [branch.pk, *child_ids]
        units = dict(
            BranchUnitCount.objects.filter(branch_id__in=[branch.pk, *child_ids])
            .values("branch_id")
            .annotate(n=Sum("units"))
            .values_list("branch_id", "n")
        )
        for statuses in (COUNTED_CONTENT[-1:], COUNTED_CONTENT):
            figures = branch_figures(campaign, branch.pk, child_ids, statuses)

            def summed(rows, names=("units",), statuses=None):
                total: dict = {}
                for status, row in rows.items():
                    if statuses is None or status in statuses:
                        for name in names:
                            key = status if names == ("units",) else name
                            total[key] = total.get(key, 0) + row[name]
                return total

            own = summed(levels[branch.pk].get(0, {}))
            whole: dict = {}
            works = {"key_works": 0, "key_works_value": 0, "units_with_key_works": 0}
            for rows in levels[branch.pk].values():
                for status, count in summed(rows).items():
                    whole[status] = whole.get(status, 0) + count
                for name, value in summed(rows, tuple(works), statuses).items():
                    works[name] += value
            if branch == world.province:  # the walk left something to compare
                assert len(children) == 3 and all(figures.children.values())
                assert figures.key_works["key_works"] and len(whole) > 2
            assert figures.own == own
            assert figures.whole == whole
            assert figures.key_works == works
            assert {unit.pk: unit.branch_units for unit in read if unit.pk in units} == units
            for child in children:
                below: dict = {}
                for rows in levels[child.pk].values():
                    for status, count in summed(rows).items():
                        below[status] = below.get(status, 0) + count
                assert figures.children[child.pk] == below
            themes = list(themes_chosen(campaign, branch.pk, statuses=statuses))
            assert [theme.pk for theme in themes] == list(
                campaign.themes.order_by("number").values_list("pk", flat=True)
            )
            assert {theme.pk: theme.units for theme in themes if theme.units} == (
                theme_counts(campaign, branch.pk, statuses=statuses)
            )
