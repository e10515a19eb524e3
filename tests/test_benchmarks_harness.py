"""The benchmark's tree generator builds a valid tree (no timings here: see docs/benchmarks.md)."""

from collections import Counter

import pytest

from benchmarks import pages as page_registry
from benchmarks.scenario import PERSONAS, create_personas, load_scenario, run_setup_steps
from benchmarks.tree import PROVINCES, apportion, generate_tree, plan_tree, upper_count_for
from federation.models import Membership, Organization, OrganizationKind

pytestmark = pytest.mark.django_db


def test_apportion_sums_to_the_total_and_respects_the_minimum():
    assert sum(apportion(130_000, [w for *_, w in PROVINCES])) == 130_000
    parts = apportion(50, [16, 1, 0.5], minimum=1)
    assert sum(parts) == 50 and min(parts) >= 1
    assert sum(apportion(2, [1, 1, 1], minimum=1)) == 2  # too small for the minimum


def test_full_size_plan_has_the_confederation_shape():
    assert upper_count_for(130_000) == 1_200
    assert upper_count_for(1_000) == len(PROVINCES)


def test_generated_tree_is_valid():
    stats = generate_tree(50, wide_children=20)

    # treebeard's own check: bad characters, step lengths, orphans, depths, numchild.
    assert all(problems == [] for problems in Organization.objects.find_problems())
    units = list(Organization.objects.all())
    assert stats.units == len(units) == len(plan_tree(50, wide_children=20))
    kinds = Counter(u.kind for u in units)
    assert kinds[OrganizationKind.NATIONAL] == 1
    assert kinds[OrganizationKind.PROVINCIAL] == 34
    assert kinds[OrganizationKind.GRASSROOTS] == 50 + 20
    assert stats.upper == len(units) - 1 - 34 - 70 == upper_count_for(50) + 1

    # numchild matches the children actually below each unit, and depths follow the shape.
    children = Counter(u.path[: -Organization.steplen] for u in units if u.depth > 1)
    for u in units:
        assert u.numchild == children[u.path], u.code
    root = Organization.objects.get(depth=1)
    assert root.numchild == 34
    assert {u.depth for u in units if u.kind == OrganizationKind.PROVINCIAL} == {2}
    assert {u.depth for u in units if u.kind == OrganizationKind.GRASSROOTS} == {4}
    wide = Organization.objects.get(code=stats.wide_code)
    assert wide.numchild == 20
    assert Organization.objects.get(code=stats.largest_province_code).path == wide.path[:8]


def test_personas_and_every_registered_page_have_what_they_need():
    generate_tree(50, wide_children=20)
    create_personas()
    scenario = load_scenario()
    run_setup_steps(scenario, create=True)
    for persona, (_username, _name, role, _unit) in PERSONAS.items():
        membership = Membership.objects.get(user=scenario.users[persona])
        assert membership.role == role
    assert scenario.grassroots.kind == OrganizationKind.GRASSROOTS
    assert scenario.grassroots.path.startswith(scenario.upper_unit.path)
    assert scenario.wide_unit.numchild == 20
    for page in page_registry.PAGES:
        assert page.persona in PERSONAS, page.label
        assert page.url(scenario).startswith("/"), page.label


def test_the_generator_refuses_a_database_that_has_units():
    generate_tree(5, wide_children=0)
    with pytest.raises(RuntimeError):
        generate_tree(5, wide_children=0)


def test_pages_and_jobs_are_chosen_by_pages_and_jobs():
    from benchmarks.runner import parse_args, select

    def chosen(*argv):
        pages, jobs = select(page_registry, parse_args(list(argv)))
        return len(pages), [j.label for j in jobs]

    dispatch = "reminder dispatch: all late units"
    assert chosen() == (len(page_registry.PAGES), [dispatch])
    assert chosen("--pages", "dispatch") == (0, [dispatch])
    assert chosen("--jobs", "dispatch") == (0, [dispatch])
    assert chosen("--pages", "tree search") == (2, [])
    assert chosen("--pages", "tree search", "--jobs", "dispatch") == (2, [dispatch])


def test_the_dispatch_job_measures_twice_and_leaves_the_database_as_it_was():
    from django.contrib.auth import get_user_model

    from benchmarks import reminders_steps
    from benchmarks.measure import measure_job
    from benchmarks.report import SizeResult, render
    from reminders.models import Delivery, Notification, OutboxMessage

    generate_tree(50, wide_children=20)
    create_personas()
    scenario = load_scenario()
    run_setup_steps(scenario, create=True)
    users = get_user_model().objects.count()
    (job,) = page_registry.select(page_registry.JOBS, "dispatch")
    m = measure_job(job, scenario, runs=2)

    assert len(m.runs) == 2 and m.step_names == ["first day", "same day again"]
    # Every unit but the national root, plus the reviewers' notices and the department's digest.
    assert m.notes["deliveries"] == m.notes["due"] > Organization.objects.count() - 1 + 1
    assert m.notes["emails"] == m.notes["deliveries"]
    assert m.notes["notifications"] >= m.notes["deliveries"] - 1  # one officer per unit
    assert m.notes["created_again"] == 0
    first, again = (m.runs[-1].steps[name] for name in m.step_names)
    assert 0 < again.queries < first.queries
    # Undone: the pages measured on the same database never see the job's rows.
    assert not Delivery.objects.exists() and not OutboxMessage.objects.exists()
    assert not Notification.objects.exists()
    assert get_user_model().objects.count() == users
    assert not Organization.objects.filter(email__endswith=reminders_steps.MAIL_DOMAIN).exists()

    result = SizeResult(grassroots=50, wide_children=20, database="test", jobs=[m])
    result.generation = {"migrate": 0.0, "plan": 0.0, "insert": 0.0, "personas": 0.0}
    table = render([result], vendor="sqlite", repeat=2, warmup=0)
    assert "| reminder dispatch: all late units | first day | 2 |" in table


def test_jobs_alone_run_only_the_setup_steps_they_name():
    from benchmarks import reminders_steps
    from benchmarks.runner import needed_steps

    jobs = page_registry.JOBS
    assert needed_steps([], jobs) == [reminders_steps.reminders_campaign]
    assert needed_steps(page_registry.PAGES[:1], jobs) is None  # a page: every step
    assert needed_steps(page_registry.PAGES, []) is None
