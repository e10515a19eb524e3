"""The confirmation page of approving every registration awaiting review costs the same number
of queries for 10 units as for 500, and lists each unit once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emulation.workflow import ReviewStatus
from federation.models import Organization, Role
from registrations.models import Registration
from tests.factories import bulk_units, make_member

pytestmark = pytest.mark.django_db


def _submitted(campaign, prefix):
    Registration.objects.bulk_create(
        Registration(campaign=campaign, organization=unit, status=ReviewStatus.SUBMITTED)
        for unit in Organization.objects.filter(code__startswith=prefix)
    )


def _count(client, address) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries.captured_queries), len(response.context["confirmation"].affected)


def test_the_confirmation_of_approving_all_keeps_a_constant_number_of_queries(
    world, campaign, client_for
):
    leader_q = make_member(world.district_q, Role.LEADER, "leader_q")
    bulk_units("NB-Q", 10, "NB-Q-Y")
    _submitted(campaign, "NB-Q-Y")
    bulk_units("NB-P", 500, "NB-P-X")
    _submitted(campaign, "NB-P-X")

    def address(unit):
        return reverse("registrations:bulk-approve", args=[campaign.pk, unit.pk]) + "?all=1"

    small_client = client_for(leader_q)
    small_client.get(address(world.district_q))  # warm up
    small, small_rows = _count(small_client, address(world.district_q))
    large, large_rows = _count(client_for(world.leader), address(world.district))
    assert (small_rows, large_rows) == (10, 500)
    assert small == large
    body = client_for(world.leader).get(address(world.district)).content.decode()
    # The page lists 200 of them and counts the rest; the form carries all 500.
    assert body.count('data-testid="confirm-affected-item"') == 200
    assert body.count('name="items"') == 500
