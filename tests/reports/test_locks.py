"""Registrations and phase reports go through their whole review while someone else holds the
rows every unit shares (the issuing unit, the unit above, the unit itself, the phase): the
services lock the registration or the report they change (``FOR UPDATE OF`` its own table),
never the rows they join. Plan services lock the campaign they change, not its issuing unit.
Needs PostgreSQL (see ``tests/locks.py``).

The campaign row is not held here: every change the dashboards count writes the campaign's
``figures_version`` in its transaction, so those changes do wait for one another on it."""

import pytest
from django.db import transaction

from campaigns.models import Campaign
from campaigns.services.campaign import campaign_create, campaign_update
from registrations import services as registration_services
from registrations.models import Registration
from reports.models import PhaseReport
from reports.services.config import indicator_add
from reports.services.transitions import report_receive, report_return
from tests.locks import held_elsewhere, postgresql_only, referable_elsewhere, waits
from tests.reports.conftest import phase, registration_payload

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def test_reports_and_registrations_are_reviewed_while_the_shared_rows_are_held(
    world, registered, make_report
):
    campaign = registered
    shared = (world.province, world.district, world.unit_a, phase(campaign, 1))
    with held_elsewhere(*shared):
        # What the services did before: a joined SELECT ... FOR UPDATE waits for the held rows.
        assert waits(
            Registration.objects.select_for_update()
            .select_related("campaign__issuer", "organization")
            .filter(organization=world.unit_a)
        )
        report = make_report("approved")
        assert report.status == "approved"
        assert waits(PhaseReport.objects.select_for_update().select_related("phase"))
        report = make_report("submitted", unit=world.district)
        report = report_receive(report, by=world.staff)
        report = report_return(report, by=world.staff, comment="Bổ sung.")
        assert report.status == "returned"

        registration = Registration.objects.get(campaign=campaign, organization=world.unit_a)
        registration = registration_services.registration_reopen(
            registration, by=world.leader, reason="Sửa chỉ tiêu."
        )
        registration = registration_services.registration_save_draft(
            campaign=campaign,
            organization=world.unit_a,
            by=world.officer_a,
            data=registration_payload(campaign),
        )
        registration = registration_services.registration_submit(registration, by=world.officer_a)
        result = registration_services.registrations_bulk_approve(
            items=[(registration.pk, registration.version)], by=world.leader
        )
        assert [r.pk for r in result.approved] == [registration.pk]


def test_plan_services_lock_the_campaign_not_its_issuing_unit(world, campaign):
    with held_elsewhere(world.province):
        assert waits(
            Campaign.objects.select_for_update().select_related("issuer").filter(pk=campaign.pk)
        )
        indicator_add(
            campaign=campaign, by=world.staff, data={"name": "Sáng kiến mới", "unit": "sáng kiến"}
        )
        campaign_update(campaign=campaign, by=world.staff, data={"title": "Kế hoạch thi đua (sửa)"})
    campaign.refresh_from_db()
    assert campaign.title == "Kế hoạch thi đua (sửa)"


def test_creating_a_campaign_leaves_its_unit_to_the_others(world):
    """Creating a campaign serialises with other creations by the same unit (their numbers and
    slugs) but lets the work that refers to the issuing unit go on meanwhile."""
    with transaction.atomic():
        campaign_create(
            by=world.staff,
            issuer=world.province,
            year=2031,
            data={"title": "Kế hoạch thi đua năm 2031", "number": 7, "symbol": "KH-LĐLĐ"},
        )
        assert referable_elsewhere(world.province)
