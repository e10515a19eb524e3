"""The campaign page leads each person to their work in the campaign (the pages of the apps
above it, registered through ``emulation.links``)."""

import re

import pytest
from django.urls import reverse

from tests.reports.conftest import make_report_campaign, phase


@pytest.fixture
def campaign(world):
    return make_report_campaign(world)


def work_links(client, user, campaign) -> dict[str, list[str]]:
    client.force_login(user)
    response = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert response.status_code == 200
    found: dict[str, list[str]] = {}
    for href, testid in re.findall(
        r'href="([^"]+)" data-testid="(link-[a-z-]+)"', response.content.decode()
    ):
        found.setdefault(testid, []).append(href)
    return found


def test_officer_reaches_own_registration_and_reports(world, campaign, client):
    found = work_links(client, world.officer_a, campaign)
    assert found["link-registration"] == [
        reverse("registrations:unit", args=[campaign.pk, world.unit_a.pk])
    ]
    assert found["link-report"] == [
        reverse("reports:unit", args=[campaign.pk, phase(campaign, n).pk, world.unit_a.pk])
        for n in (1, 2)
    ]
    assert not {"link-registration-queue", "link-dashboard", "link-indicators"} & set(found)
    # Nothing of the sibling unit B.
    assert f"/{world.unit_b.pk}/" not in " ".join(h for hrefs in found.values() for h in hrefs)
    for hrefs in found.values():
        for href in hrefs:
            assert client.get(href).status_code == 200


def test_leader_reaches_queue_summary_and_dashboard(world, campaign, client):
    found = work_links(client, world.leader, campaign)
    district = world.district.pk
    assert found["link-registration-queue"] == [
        reverse("registrations:queue", args=[campaign.pk, district])
    ]
    assert found["link-registration-summary"] == [
        reverse("registrations:summary", args=[campaign.pk, district])
    ]
    assert found["link-dashboard"] == [reverse("reports:dashboard", args=[campaign.pk, district])]
    assert "link-inbox" not in found and "link-reminder-rules" not in found
    for hrefs in found.values():
        for href in hrefs:
            assert client.get(href).status_code == 200


def test_issuer_staff_reaches_settings_inbox_and_province_pages(world, campaign, client):
    found = work_links(client, world.staff, campaign)
    assert found["link-indicators"] == [reverse("reports:indicators", args=[campaign.pk])]
    assert found["link-reminder-rules"] == [reverse("reminders:rules", args=[campaign.pk])]
    assert found["link-inbox"] == [reverse("reports:inbox", args=[campaign.pk])]
    assert found["link-dashboard"] == [
        reverse("reports:dashboard", args=[campaign.pk, world.province.pk])
    ]
    for hrefs in found.values():
        for href in hrefs:
            assert client.get(href).status_code == 200


def test_draft_campaign_has_only_settings(world, client):
    campaign = make_report_campaign(world, activate=False)
    assert set(work_links(client, world.staff, campaign)) == {
        "link-indicators",
        "link-reminder-rules",
    }
