"""A member's unit, the tree browser, people, and what a sibling may not see."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from federation.models import Membership, Role
from tests.e2e.helpers import login, open_manage_menu

pytestmark = pytest.mark.e2e


def test_officer_sees_my_unit(page, e2e_world):
    unit = e2e_world.unit_a
    login(page, "officer_a")

    page.goto("/units/mine/")
    expect(page).to_have_url(re.compile(rf"/units/{unit.pk}/$"))
    expect(page.get_by_test_id("unit-name")).to_have_text(unit.name)
    expect(page.get_by_test_id("stat-members")).to_have_text("120")
    expect(page.get_by_test_id("members")).to_contain_text(e2e_world.officer_a.full_name)
    # An officer reads their own unit only: no list of units below, no management menu.
    expect(page.get_by_test_id("children")).to_have_count(0)
    expect(page.get_by_test_id("manage-menu")).to_have_count(0)
    # The units above are named in the breadcrumb but are not links for an officer.
    breadcrumb = page.locator("ol.breadcrumb")
    expect(breadcrumb).to_contain_text(e2e_world.district.name)
    expect(breadcrumb.locator("a")).to_have_count(0)


def toggle(node):
    """The open/close box of a tree node (its own, not those of the nodes below)."""
    return node.locator(':scope > .tree-row > [data-testid="tree-toggle"]')


def test_tree_expands_nodes_and_finds_a_unit_by_name(page, e2e_world):
    world = e2e_world
    login(page, "staff")
    page.goto("/units/tree/")

    tree = page.get_by_test_id("tree")
    province = tree.locator('[data-testid="tree-node"][data-code="NB"]')
    expect(province).to_contain_text(world.province.name)
    expect(tree.locator('[data-code="NB-P"]')).to_have_count(0)

    # Opening a node loads its children from the server (htmx).
    children_url = re.compile(rf"/units/{world.province.pk}/children/")
    with page.expect_response(children_url) as loaded:
        toggle(province).click()
    assert loaded.value.status == 200
    district = tree.locator('[data-testid="tree-node"][data-code="NB-P"]')
    expect(district).to_contain_text(world.district.name)
    expect(tree.locator('[data-testid="tree-node"][data-code="NB-Q"]')).to_be_visible()

    # Closing hides them; opening again shows them without asking the server again.
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if children_url.search(r.url) else None)
    toggle(province).click()
    expect(district).to_be_hidden()
    toggle(province).click()
    expect(district).to_be_visible()
    assert fetched == []

    toggle(district).click()
    expect(district.locator('[data-code="NB-P-A"]')).to_contain_text(world.unit_a.name)
    expect(district.locator('[data-code="NB-P-B"]')).to_contain_text(world.unit_b.name)
    # A grassroots union has nothing below it: no button to open it.
    expect(district.locator('[data-code="NB-P-A"] [data-testid="tree-toggle"]')).to_have_count(0)

    # Search by part of the name, in lower case, then open the unit found.
    page.get_by_test_id("tree-search").fill("bêta nam")
    page.get_by_test_id("tree-search-submit").click()
    expect(page).to_have_url(re.compile(r"/units/tree/\?q="))
    results = page.get_by_test_id("search-result")
    expect(results).to_have_count(1)
    expect(results).to_have_text(world.unit_b.name)
    # Each result names the chain of units above it.
    expect(page.get_by_test_id("search-results")).to_contain_text(world.district.name)
    results.click()
    expect(page).to_have_url(re.compile(rf"/units/{world.unit_b.pk}/$"))
    expect(page.get_by_test_id("unit-name")).to_have_text(world.unit_b.name)


def test_officer_of_a_sibling_unit_gets_not_found(page, e2e_world):
    unit_a = e2e_world.unit_a
    login(page, "officer_b")
    for path in (
        f"/units/{unit_a.pk}/",
        f"/units/{unit_a.pk}/history/",
        f"/units/{unit_a.pk}/children/",
    ):
        response = page.goto(path)
        assert response.status == 404, path
        expect(page.locator("body")).not_to_contain_text(unit_a.name)
    # Their own unit still opens.
    response = page.goto(f"/units/{e2e_world.unit_b.pk}/")
    assert response.status == 200
    expect(page.get_by_test_id("unit-name")).to_have_text(e2e_world.unit_b.name)


def test_staff_adds_a_person_to_a_unit(page, e2e_world, mailoutbox, eager_tasks):
    User = get_user_model()
    unit = e2e_world.unit_a
    memberships_before = Membership.objects.count()
    users_before = User.objects.count()
    login(page, "staff")
    page.goto(unit.get_absolute_url())
    open_manage_menu(page)
    page.locator(f'a[href="/units/{unit.pk}/members/add/"]').click()
    expect(page).to_have_url(re.compile(rf"/units/{unit.pk}/members/add/$"))

    # A wrong email: the message stands next to the field, and nothing is saved.
    page.locator("#id_email").fill("nguyen.van.moi-at-example.vn")
    page.locator("#id_full_name").fill("Nguyễn Văn Mới")
    page.locator("#id_role").select_option(Role.OFFICER.value)
    page.get_by_test_id("member-submit").click()
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.locator("#id_email")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#div_id_email .invalid-feedback")).to_be_visible()
    expect(page.locator("#id_email")).to_have_value("nguyen.van.moi-at-example.vn")
    expect(page.locator("#id_full_name")).to_have_value("Nguyễn Văn Mới")
    assert Membership.objects.count() == memberships_before
    assert User.objects.count() == users_before

    # Put right: the person gets an account, the role, and an invitation.
    page.locator("#id_email").fill("nguyen.van.moi@example.vn")
    page.get_by_test_id("member-submit").click()
    expect(page).to_have_url(re.compile(rf"/units/{unit.pk}/$"))
    expect(page.get_by_test_id("message")).to_contain_text("Nguyễn Văn Mới")
    expect(page.get_by_test_id("members")).to_contain_text("Nguyễn Văn Mới")
    expect(page.get_by_test_id("members")).to_contain_text("nguyen.van.moi@example.vn")

    person = User.objects.get(email="nguyen.van.moi@example.vn")
    assert person.full_name == "Nguyễn Văn Mới"
    assert not person.has_usable_password()
    assert Membership.objects.filter(user=person, organization=unit, role=Role.OFFICER).exists()
    assert [m.to for m in mailoutbox] == [["nguyen.van.moi@example.vn"]]


def test_opening_a_tree_node_after_the_session_ended_asks_to_log_in_again(page, e2e_world):
    login(page, "staff")
    page.goto("/units/tree/")
    province = page.get_by_test_id("tree").locator('[data-testid="tree-node"][data-code="NB"]')
    expect(province).to_be_visible()

    page.context.clear_cookies()  # the session ended (signed out in another tab, say)
    toggle(province).click()
    # The whole page goes to the login form (not the login form inside the tree) ...
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Funits%2Ftree%2F$"))
    expect(page.get_by_test_id("tree")).to_have_count(0)
    # ... and comes back to the tree afterwards.
    page.get_by_test_id("login-username").fill("staff")
    page.get_by_test_id("login-password").fill("thidua2017")
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(re.compile(r"/units/tree/$"))
    expect(page.get_by_test_id("tree")).to_be_visible()
