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


def test_a_page_measured_after_a_change_is_computed_again(client):
    """The "after a change" pages must miss the dashboard's cache: their ``before`` step counts
    up the campaign's figures_version, as the services do."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    generate_tree(50, wide_children=20)
    create_personas()
    scenario = load_scenario()
    run_setup_steps(scenario, create=True)
    (page,) = [p for p in page_registry.PAGES if p.label.endswith("after a change: province")]
    client.force_login(scenario.users[page.persona])
    url = page.url(scenario)

    def queries():
        with CaptureQueriesContext(connection) as read:
            assert client.get(url).status_code == 200
        return len(read)

    computed = queries()
    cached = queries()
    page.before(scenario)
    assert queries() == computed > cached


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
    tree = "tree changes: move, merge, kind"
    grading = "grading publication: 1,000 grades"
    assert chosen() == (len(page_registry.PAGES), [dispatch, tree, grading])
    assert chosen("--jobs", "grading") == (0, [grading])
    assert chosen("--jobs", "tree") == (0, [tree])
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
    # Each officer and leader of a unit at their own address, and its mailbox when it has one.
    assert m.notes["emails"] >= m.notes["deliveries"]
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
    from benchmarks.scenario import SETUP_STEPS

    jobs = page_registry.JOBS
    assert needed_steps([], jobs[:1]) == [reminders_steps.reminders_campaign]
    named = {name for job in jobs for name in job.steps}
    assert needed_steps([], jobs) == [step for step in SETUP_STEPS if step.__name__ in named]
    assert needed_steps(page_registry.PAGES[:1], jobs) is None  # a page: every step
    assert needed_steps(page_registry.PAGES, []) is None


# ---------------------------------------------------------------------------------------------
# Under load (--http): the mixes played through Django's test client, the figures, the table.
# No server and no load here: see docs/benchmarks.md, "Under load".

urlpatterns = []  # this module's URLconf for the tests below: the project's and the floor


def _floor_urls():
    from django.urls import path

    from emulation import urls, views

    urlpatterns[:] = [*urls.urlpatterns, path("_floor/", views.FloorView.as_view(), name="floor")]


class _DjangoTransport:
    """The virtual user's requests sent through Django's test client, CSRF checks on."""

    def __init__(self):
        from django.test import Client

        self.client = Client(enforce_csrf_checks=True)
        self.problems: list[str] = []
        self.sent: Counter = Counter()

    def request(self, method, path, *, label, headers, body, check):
        from benchmarks.http_mixes import Answer, parse_set_cookie

        headers = dict(headers)
        content_type = headers.pop("Content-Type", "application/octet-stream")
        if method == "GET":
            response = self.client.get(path, headers=headers)
        else:
            response = self.client.generic(
                method, path, data=body or "", content_type=content_type, headers=headers
            )
        answer = Answer(
            status=response.status_code,
            location=response.get("Location", ""),
            text=response.content.decode(),
            set_cookies=parse_set_cookie([m.OutputString() for m in response.cookies.values()]),
        )
        self.sent[label] += 1
        problem = check(answer)
        if problem:
            self.problems.append(f"{label} ({method} {path}): {problem}")
        return answer

    def failure(self, method, label, reason):
        self.problems.append(f"{label} ({method}): {reason}")


@pytest.mark.urls(__name__)
def test_the_http_mixes_resolve_and_play_through_django():
    import time

    from django.urls import resolve

    from benchmarks.http_mixes import MIXES, RECYCLE_REOPEN, RECYCLE_SUBMIT, VirtualUser
    from benchmarks.under_load import prepare, split_plan
    from registrations.models import Registration

    _floor_urls()
    generate_tree(50, wide_children=12)
    create_personas()
    scenario = load_scenario()
    run_setup_steps(scenario, create=True)
    prepared = prepare(scenario, users=2)
    plan, preflight = split_plan(prepared.plan, 2)
    assert {name: len(plans) for name, plans in plan["mixes"].items()} == {
        "floor": 2,
        "officer": 2,
        "reviewer": 2,
    }
    assert len(preflight["mixes"]["reviewer"]) == 1
    assert (
        prepared.approvable
        == Registration.objects.filter(
            campaign=scenario.extra["registration_campaign"], status="submitted"
        )
        .filter(organization__path__startswith=scenario.wide_unit.path)
        .count()
    )

    # Every step of every mix names a URL of the project, for every user.
    for name, mix in MIXES.items():
        for user in plan["mixes"][name]:
            for step in mix.steps:
                assert resolve(user["urls"][step.key].split("?")[0]), (name, step.label)
            for item in user.get("items", ()):
                for key in ("approve", "reopen", "submit", "unit"):
                    assert resolve(item[key])

    # Played as a browser would (forms read and posted back, CSRF checked, the flash message
    # read): no answer is wrong; the reviewer, out of registrations, reopens and resubmits.
    plan["origin"] = "http://testserver"
    for name, iterations in (("floor", 1), ("officer", 2), ("reviewer", 6)):
        for i, user_plan in enumerate(plan["mixes"][name]):
            transport = _DjangoTransport()
            user = VirtualUser(
                MIXES[name],
                user_plan,
                transport,
                origin=plan["origin"],
                deadline=time.monotonic() + 120,
                max_steps=1000,
                start=3 * i,  # the officer's 4th step is a POST: it starts with the 5th
            )
            for _ in range(iterations):
                user.iteration()
            assert transport.problems == [], name
            steps = MIXES[name].steps
            assert all(transport.sent[s.label] == iterations for s in steps), transport.sent
            if name == "reviewer":
                assert len(user_plan["items"]) < iterations  # so some were approved twice
                assert user.recycled == iterations - len(user_plan["items"]) > 0
                assert transport.sent[RECYCLE_REOPEN] == transport.sent[RECYCLE_SUBMIT]

    # Safe to prepare again (a kept database): every registration awaits approval again.
    again = prepare(scenario, users=2)
    assert again.approvable == prepared.approvable
    assert again.changed > 0


def test_http_figures_keep_the_measured_window_and_the_table_shows_them():
    from benchmarks.under_load import HttpResult, figures, mixes_table, render

    def output(mix, per_second, ms, errors=0):
        # 10 s of warm-up then 20 s measured; answers every 1/per_second s from t0.
        records = [
            [f"{mix} page", "GET", 1000 + i / per_second - ms / 1000, ms, 2048, ""]
            for i in range(int(per_second * 40))
        ]
        records += [[f"{mix} page", "POST", 1015, 5, 0, "refused"]] * errors
        return {"mix": mix, "t0": 1000, "warmup": 10, "seconds": 20, "users": 5, "records": records}

    result = HttpResult(users=5, seconds=20, warmup=10)
    result.mixes = [
        figures(output("floor", 100, 50), "floor (base.html only)"),
        figures(output("officer", 25, 200, errors=3), "officer's mix"),
    ]
    floor, officer = result.mixes
    assert floor.answers == 100 * 20 + 1  # the ends of the window included
    assert officer.per_second == pytest.approx(25, rel=0.01)
    assert officer.errors == 3 and officer.p50 == officer.p95 == 200
    table = mixes_table(result)
    assert table[2] == "| *floor (base.html only)* | 5 | 2,001 | 100.0 | 1.0 | 50 | 50 | 0 | 0.0 |"
    assert table[3] == "| officer's mix | 5 | 501 | 25.1 | 4.0 | 200 | 200 | 3 | 0.0 |"
    text = "\n".join(render(result))
    assert "| officer's mix | officer page | 501 | 200 | 200 | 3 | 2 |" in text
    assert "- 3 × officer page: refused" in text


def test_the_flash_messages_of_a_redirect_are_read_as_the_next_page_would():
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    from benchmarks.http_mixes import Answer, _done, message_levels, parse_set_cookie

    def redirect_with(*levels):
        request = HttpRequest()
        storage = CookieStorage(request)
        for level in levels:
            storage.add(level, "Đăng ký của đơn vị đã được duyệt. " * 5)  # compressed
        response = HttpResponse(status=302, headers={"Location": "/registrations/1/"})
        storage.update(response)
        cookies = parse_set_cookie([m.OutputString() for m in response.cookies.values()])
        return Answer(302, "/registrations/1/", "", cookies)

    ok = redirect_with(constants.SUCCESS)
    assert message_levels(ok.set_cookies[0][1]) == [constants.SUCCESS]
    assert _done(ok) == ""
    assert _done(redirect_with(constants.ERROR)) == "refused (an error message)"
    assert _done(redirect_with()) == "redirected without a message"
    assert _done(Answer(302, "/accounts/login/?next=/x/")) == "redirected to the login page"
    assert _done(Answer(200)) == "answered 200 instead of 302"


def test_http_options():
    from benchmarks.runner import parse_args

    args = parse_args(["--http", "--sizes", "5000", "--http-users", "50", "--http-seconds", "20"])
    assert args.http and args.sizes == [5000]
    assert (args.http_users, args.http_seconds, args.http_warmup) == (50, 20, 5)
    with pytest.raises(SystemExit):
        parse_args(["--http", "--http-users", "0"])


def test_the_grading_job_publishes_the_wide_units_grades_and_undoes_it():
    from benchmarks import grading_steps
    from benchmarks.measure import measure_job
    from grading.models import Assessment, GradeCount

    generate_tree(50, wide_children=20)
    create_personas()
    scenario = load_scenario()
    run_setup_steps(scenario, create=True)
    waiting = grading_steps._waiting(scenario)
    assert waiting.count() == 20 and not waiting.filter(published_at__isnull=False).exists()

    def counted():
        return sorted(
            GradeCount.objects.filter(units__gt=0).values_list("branch", "grade", "units")
        )

    counters = counted()
    (job,) = page_registry.select(page_registry.JOBS, "grading")
    m = measure_job(job, scenario, runs=2)
    assert len(m.runs) == 2 and m.notes["published"] == 20
    # Undone: nothing of the wide unit is published, the counters are as before.
    assert not waiting.filter(published_at__isnull=False).exists()
    assert counted() == counters
    assert Assessment.objects.filter(published_at__isnull=False).exists()  # the others
