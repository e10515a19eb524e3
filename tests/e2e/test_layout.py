"""Every page of the foundation, on a desktop and on a phone: it loads with no script or
Content-Security-Policy error, nothing sticks out sideways or is cut, and axe-core finds no
serious or critical WCAG 2.1 A/AA violation; and the HTML of each is valid (Nu HTML checker).

Set ``E2E_SCREENSHOTS=/tmp/shots`` to keep a full-page screenshot of each page to look at.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from federation.models import Role
from federation.services.people import membership_add_person
from federation.services.units import organization_update
from tests.e2e.helpers import BAD_ROWS, DESKTOP, PHONE, as_upload, login
from tests.e2e.pagecheck import Documents, axe_problems, vnu_missing, vnu_problems
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("E2E_SCREENSHOTS", "")

# Elements wider than the screen, and text cut by a box that hides its overflow. Tables may
# scroll inside their .table-responsive box; the page itself may not.
LAYOUT_PROBLEMS = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`page is ${document.documentElement.scrollWidth}px wide on a ${width}px screen`);
  }
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ' "' + (el.innerText || el.value || '').trim().slice(0, 40) + '"';
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.visually-hidden, .visually-hidden-focusable, .table-responsive, .dropdown-menu:not(.show), .collapse:not(.show), datalist, select, option, script, style')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 1) problems.push('sticks out: ' + describe(el));
    const clips = ['hidden', 'clip'].includes(style.overflowX);
    if (clips && el.scrollWidth > el.clientWidth + 1 && (el.innerText || '').trim()) {
      problems.push('text cut: ' + describe(el));
    }
  }
  return problems;
}"""


class Visit:
    """Opens pages for one persona, checks each, and keeps a screenshot when asked; with
    ``documents``, only keeps the HTML of each page (for the Nu HTML checker)."""

    def __init__(self, new_context, size_name, viewport, username=None, documents=None):
        self.size_name = size_name
        self.page = new_context().new_page()
        self.page.set_viewport_size(viewport)
        self.page.set_default_timeout(10_000)
        self.documents = documents
        if documents is not None:
            documents.watch(self.page)
        self.errors = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"script error: {exc}"))
        self.page.on(
            "console",
            lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )
        if username:
            login(self.page, username)

    def check(self, name, problems, status=200, response=None):
        if response is not None and response.status != status:
            problems.append(f"{name}: HTTP {response.status}, expected {status}")
        if self.documents is not None:
            self.documents.keep(self.page, name)
            return
        # 404 pages leave one console error (the failed document load); that one is expected.
        errors = [e for e in self.errors if not (status == 404 and "404" in e)]
        problems.extend(f"{name}: {e}" for e in errors)
        self.errors.clear()
        problems.extend(f"{name}: {p}" for p in self.page.evaluate(LAYOUT_PROBLEMS))
        problems.extend(axe_problems(self.page, name))
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=f"{SHOTS}/{name}-{self.size_name}.png", full_page=True)

    def open(self, name, path, problems, status=200):
        response = self.page.goto(path)
        self.check(name, problems, status, response)


def give_unit_a_history(world):
    organization_update(
        org=world.unit_a, by=world.staff, data={"email": "alpha@example.vn", "member_count": 125}
    )
    membership_add_person(
        org=world.unit_a,
        email="tran.thi.hoa@example.vn",
        full_name="Trần Thị Hoa",
        role=Role.LEADER,
        by=world.staff,
    )


def walk_the_foundation(world, visit_as) -> list[str]:
    """Open every page of the foundation, some in two states (an error shown, a menu open);
    ``visit_as(username)`` gives a :class:`Visit` for that persona. Returns the problems."""
    give_unit_a_history(world)
    UserFactory(username="newcomer", full_name="Lê Văn Chưa Có Đơn Vị")
    problems = []
    visit = visit_as()
    visit.open("login", "/accounts/login/", problems)
    visit.page.get_by_test_id("login-username").fill("officer_a")
    visit.page.get_by_test_id("login-password").fill("wrong")
    visit.page.get_by_test_id("login-submit").click()
    expect(visit.page.get_by_test_id("login-error")).to_be_visible()
    visit.check("login-error", problems)
    visit.open("password-reset", "/accounts/password/reset/", problems)

    officer = visit_as("officer_a")
    officer.open("my-unit-officer", "/units/mine/", problems)
    officer.open("profile", "/accounts/profile/", problems)
    officer.open("password-change", "/accounts/password/change/", problems)
    officer.open("not-found", f"/units/{world.unit_b.pk}/", problems, status=404)

    visit_as("newcomer").open("no-unit", "/units/mine/", problems)

    staff = visit_as("staff")
    page = staff.page
    staff.open("unit-staff", world.unit_a.get_absolute_url(), problems)
    staff.open("unit-province", world.province.get_absolute_url(), problems)
    if staff.size_name == "phone":
        page.locator(".navbar-toggler").click()
        expect(page.locator("#nav-main")).to_have_class(re.compile(r"\bshow\b"))
        expect(page.get_by_test_id("user-menu")).to_be_visible()
        page.get_by_test_id("user-menu").click()
        expect(page.get_by_test_id("logout")).to_be_visible()
        staff.check("menu-open", problems)
    else:
        page.get_by_test_id("manage-menu").click()
        staff.check("manage-menu-open", problems)

    staff.open("tree", "/units/tree/", problems)
    for code in ("NB", "NB-P"):
        node = page.locator(f'[data-testid="tree-node"][data-code="{code}"]')
        node.locator(':scope > .tree-row > [data-testid="tree-toggle"]').click()
        expect(node.locator(":scope > .tree-slot li").first).to_be_visible()
    staff.check("tree-open", problems)
    staff.open("tree-search", "/units/tree/?q=c%C3%B4ng+%C4%91o%C3%A0n", problems)

    staff.open("import", "/units/import/", problems)
    page.locator("input[type=file]").set_input_files(as_upload(BAD_ROWS, "csv"))
    page.get_by_test_id("import-submit").click()
    expect(page.get_by_test_id("import-problems")).to_be_visible()
    staff.check("import-problems", problems)
    staff.open("import-people", "/units/people/import/", problems)

    staff.open("merge", f"/units/{world.unit_b.pk}/merge/", problems)
    page.locator("#id_target").fill("KHONG-CO-MA-NAY")
    page.get_by_test_id("pick-submit").click()
    expect(page.locator("#div_id_target .invalid-feedback")).to_be_visible()
    staff.check("merge-error", problems)
    staff.open("move", f"/units/{world.unit_b.pk}/move/", problems)

    staff.open("member-add", f"/units/{world.unit_a.pk}/members/add/", problems)
    page.locator("#id_email").fill("khong-phai-email")
    page.get_by_test_id("member-submit").click()
    expect(page.locator("#div_id_email .invalid-feedback")).to_be_visible()
    staff.check("member-add-error", problems)

    staff.open("unit-edit", f"/units/{world.unit_a.pk}/edit/", problems)
    staff.open("unit-add-child", f"/units/{world.district.pk}/add/", problems)
    staff.open("department-add", f"/units/{world.province.pk}/departments/add/", problems)
    staff.open("unit-delete", f"/units/{world.unit_b.pk}/delete/", problems)
    staff.open("history", f"/units/{world.unit_a.pk}/history/", problems)
    expect(page.get_by_test_id("history").locator("tbody tr")).to_have_count(2)

    # The confirmation page of an act that asks first (removing a role), then left as it was.
    staff.page.goto(world.unit_a.get_absolute_url())
    page.locator('form[action*="/members/"] button[type=submit]').first.click()
    expect(page.get_by_test_id("confirmation")).to_be_visible()
    staff.check("remove-role-confirm", problems)
    page.get_by_test_id("confirm-cancel").click()
    expect(page.get_by_test_id("unit-name")).to_be_visible()

    walk_the_grading(world, visit_as, problems)
    walk_the_clusters(world, visit_as, problems)
    return problems


def walk_the_grading(world, visit_as, problems) -> None:
    """The grading pages: this year's sheet, unit A's form (with an error shown) and the
    district's dashboard."""
    from django.utils import timezone

    from grading.demo import build_sheet
    from grading.models import GradingProfile, ScoreSheet, UnitType

    year = timezone.localdate().year
    sheet = ScoreSheet.objects.filter(year=year, unit_type=UnitType.STATE).first()
    if sheet is None:
        sheet = build_sheet(year, UnitType.STATE)
        GradingProfile.objects.create(organization=world.unit_a, unit_type=UnitType.STATE)
    officer = visit_as("officer_a")
    officer.open("grading-form", f"/grading/{year}/u/{world.unit_a.pk}/", problems)
    officer.page.get_by_test_id("points").first.fill("-1")
    officer.page.get_by_test_id("grading-save").click()
    expect(officer.page.get_by_test_id("field-error").first).to_be_visible()
    officer.check("grading-form-error", problems)
    staff = visit_as("staff")
    staff.open("grading-index", "/grading/", problems)
    staff.open("grading-sheet", f"/grading/sheets/{sheet.pk}/", problems)
    staff.open("grading-branch", f"/grading/{year}/b/{world.district.pk}/", problems)


def walk_the_clusters(world, visit_as, problems) -> None:
    """The clusters: the province's list (with its form) and a cluster's page seen by a
    member."""
    from django.utils import timezone

    from clusters.models import Cluster, ClusterMember, MemberRole
    from clusters.services.membership import cluster_create, member_add, role_set

    year = timezone.localdate().year
    cluster = Cluster.objects.filter(name="Cụm thi đua số 1").first()
    if cluster is None:
        cluster = cluster_create(
            actor=world.staff,
            forming_unit=world.province,
            kind="cluster",
            name="Cụm thi đua số 1",
            term_start=year,
            term_end=year + 1,
        )
        for unit in (world.unit_a, world.unit_c):
            member_add(actor=world.staff, cluster=cluster, organization=unit, year=year)
        leader = ClusterMember.objects.get(cluster=cluster, organization=world.unit_a)
        role_set(actor=world.staff, member=leader, role=MemberRole.LEADER)
    staff = visit_as("staff")
    staff.open("clusters-index", "/clusters/", problems)
    staff.open("cluster-managed", f"/clusters/{cluster.pk}/?year={year}", problems)
    officer = visit_as("officer_a")
    officer.open("cluster", f"/clusters/{cluster.pk}/?year={year}", problems)


@pytest.mark.parametrize(
    "size_name, viewport", [("desktop", DESKTOP), ("phone", PHONE)], ids=["desktop", "phone"]
)
def test_every_page_fits_the_screen(new_context, e2e_world, size_name, viewport):
    def visit_as(username=None):
        return Visit(new_context, size_name, viewport, username)

    problems = walk_the_foundation(e2e_world, visit_as)
    assert not problems, "\n".join(problems)


def test_every_page_of_the_foundation_is_valid_html(new_context, e2e_world, tmp_path):
    missing = vnu_missing()
    if missing:
        pytest.skip(missing)
    documents = Documents()

    def visit_as(username=None):
        return Visit(new_context, "desktop", DESKTOP, username, documents=documents)

    problems = walk_the_foundation(e2e_world, visit_as)
    assert len(documents.items) >= 25
    problems += vnu_problems(documents, tmp_path / "html")
    assert not problems, "\n".join(problems)
