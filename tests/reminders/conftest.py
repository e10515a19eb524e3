import datetime as dt

import pytest

from tests.registrations.conftest import make_campaign


@pytest.fixture
def campaign(world):
    campaign = make_campaign(world, year=2030, deadline=dt.date(2030, 3, 31))
    campaign.receiving_department = world.department
    campaign.save(update_fields=["receiving_department"])
    return campaign
