"""The main menu shows each person the pages they may open, and no other."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("staff", True), ("admin", True), ("leader", False), ("officer_a", False)],
)
def test_outbox_in_the_administration_menu(world, client, persona, shown):
    user = getattr(world, persona)
    client.force_login(user)
    page = client.get(reverse("campaigns:list")).content.decode()
    assert ('data-testid="nav-outbox"' in page) is shown
    outbox = client.get(reverse("reminders:outbox"))
    assert outbox.status_code == (200 if shown else 403)
