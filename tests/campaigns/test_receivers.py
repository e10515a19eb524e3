"""A unit created, edited or deleted lets the cached dashboards of the campaigns above it go."""

from campaigns.models import Campaign
from federation.models import OrganizationKind
from federation.services.units import organization_create, organization_delete, organization_update


def versions(*campaigns):
    return [Campaign.objects.get(pk=c.pk).figures_version for c in campaigns]


def test_units_changed_counts_up_the_campaigns_above(make_plan, world):
    province = make_plan()
    district = make_plan(issuer=world.district, slug="ke-hoach-huyen")
    other = make_plan(issuer=world.district_q, slug="ke-hoach-que")
    before = versions(province, district, other)

    organization_update(
        org=world.unit_a, by=world.staff, data={"name": "Công đoàn cơ sở Alpha mới"}
    )
    after_rename = versions(province, district, other)
    assert after_rename == [before[0] + 1, before[1] + 1, before[2]]

    added = organization_create(
        parent=world.district_q,
        by=world.staff,
        data={
            "code": "NB-Q-D",
            "name": "Công đoàn cơ sở Delta",
            "kind": OrganizationKind.GRASSROOTS,
        },
    )
    after_create = versions(province, district, other)
    assert after_create == [after_rename[0] + 1, after_rename[1], after_rename[2] + 1]

    organization_delete(org=added, by=world.staff)
    assert versions(province, district, other) == [
        after_create[0] + 1,
        after_create[1],
        after_create[2] + 1,
    ]


def test_an_edit_that_changes_nothing_keeps_the_versions(make_plan, world):
    province = make_plan()
    before = versions(province)
    organization_update(org=world.unit_a, by=world.staff, data={"name": world.unit_a.name})
    assert versions(province) == before
