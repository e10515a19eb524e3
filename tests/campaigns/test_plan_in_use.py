"""A plan that units already work on: its themes and phases cannot vanish under their records,
and its copy to the next year takes the report indicators along."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import Phase, Theme
from campaigns.services.campaign import campaign_copy
from campaigns.services.plan import phase_delete, theme_delete
from reports.models import Indicator
from reports.services.drafts import report_save_draft
from tests.reports.conftest import full_data, make_report_campaign, phase, register


@pytest.fixture
def campaign(world):
    campaign = make_report_campaign(world)
    register(campaign, world.unit_a, world.officer_a, world.leader)
    return campaign


def test_theme_chosen_by_a_unit_cannot_be_deleted(world, campaign):
    themes = list(campaign.themes.order_by("number"))
    chosen, free = themes[0], themes[-1]
    with pytest.raises(ValidationError) as error:
        theme_delete(theme=chosen, by=world.staff)
    assert "không thể xoá" in " ".join(error.value.messages)
    assert Theme.objects.filter(pk=chosen.pk).exists()
    assert campaign.themes.count() == len(themes)
    # A theme nobody chose still goes, and the numbers close up.
    theme_delete(theme=free, by=world.staff)
    assert campaign.themes.count() == len(themes) - 1


def test_phase_reported_on_cannot_be_deleted(world, campaign, client):
    first = phase(campaign, 1)
    report_save_draft(
        campaign=campaign,
        phase=first,
        organization=world.unit_a,
        by=world.officer_a,
        data=full_data(campaign),
    )
    with pytest.raises(ValidationError) as error:
        phase_delete(phase=first, by=world.staff)
    assert "không thể xoá" in " ".join(error.value.messages)
    assert Phase.objects.filter(pk=first.pk).exists()
    # Through the page: a message, not a server error.
    client.force_login(world.staff)
    url = reverse("campaigns:phase-delete", args=[campaign.pk, first.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "không thể xoá" in response.content.decode()
    assert Phase.objects.filter(pk=first.pk).exists()


def test_copy_takes_the_indicators_along(world, campaign):
    source = list(
        Indicator.objects.filter(campaign=campaign).values_list("name", "unit", "position")
    )
    assert len(source) == 5
    copy = campaign_copy(campaign=campaign, by=world.staff).campaign
    copied = list(Indicator.objects.filter(campaign=copy).values_list("name", "unit", "position"))
    assert copied == source
