"""The registration summary's spreadsheet never runs what units typed (issue 15, point 3)."""

from django.urls import reverse

from federation.models import Organization
from registrations.models import KeyWork, Target
from tests.xlsx import HYPERLINK, ONE_PLUS_ONE, assert_stored_as_text


def test_summary_xlsx_stores_formulas_as_text(world, campaign, make_registration, client_for):
    registration = make_registration("approved")
    Organization.objects.filter(pk=world.unit_a.pk).update(name=HYPERLINK)
    Target.objects.filter(registered_theme__registration=registration).update(name=ONE_PLUS_ONE)
    KeyWork.objects.create(registration=registration, position=1, name="@SUM(A1:A9)")
    response = client_for(world.staff).get(
        reverse("registrations:summary-xlsx", args=[campaign.pk, world.province.pk])
    )
    assert response.status_code == 200
    assert_stored_as_text(response.content, [HYPERLINK, ONE_PLUS_ONE, "@SUM(A1:A9)"])
