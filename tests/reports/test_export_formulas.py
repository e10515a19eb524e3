"""The dashboard's spreadsheet never runs what units typed (issue 15, point 3)."""

from django.urls import reverse

from federation.models import Organization
from registrations.models import Target
from tests.reports.test_views import _seed_reports
from tests.xlsx import HYPERLINK, ONE_PLUS_ONE, assert_stored_as_text


def test_dashboard_xlsx_stores_formulas_as_text(world, registered, client_for):
    Target.objects.filter(registered_theme__registration__campaign=registered).update(
        name=ONE_PLUS_ONE
    )
    _seed_reports(world, registered)
    Organization.objects.filter(pk=world.district.pk).update(name=HYPERLINK)
    response = client_for(world.staff).get(
        reverse("reports:dashboard-xlsx", args=[registered.pk, world.province.pk])
    )
    assert response.status_code == 200
    assert_stored_as_text(response.content, [HYPERLINK, ONE_PLUS_ONE])
