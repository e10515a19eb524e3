"""Quotas of nominations per award, year and unit: a number or a share, enforced when a
nomination is submitted or endorsed upward, with the count used and left shown to the endorser."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.models import Quota, QuotaScope, RatioBase
from awards.quotas import quota_uses
from awards.services.review import nomination_endorse, nomination_return, nomination_submit
from emulation.workflow import ReviewStatus

pytestmark = pytest.mark.django_db


def submitted(nominate, world, *names):
    return [
        nomination_submit(nomination=nominate(name, dossier=True), by=world.officer_a)
        for name in names
    ]


def test_a_number_per_unit_is_reached_at_submit(world, nominate, awards):
    Quota.objects.create(award_type=awards["person"], year=2017, max_count=2)
    Quota.objects.create(award_type=awards["person"], year=2016, max_count=0)  # another year
    submitted(nominate, world, "Một", "Hai")
    third = nominate("Ba", dossier=True)
    (use,) = quota_uses(third, world.unit_a)
    assert (use.limit, use.used, use.left, use.reached) == (2, 2, 0, True)
    with pytest.raises(ValidationError, match="2/2|2 trên 2|đã gửi lên 2"):
        nomination_submit(nomination=third, by=world.officer_a)
    third.refresh_from_db()
    assert third.status == ReviewStatus.DRAFT


def test_a_returned_nomination_frees_its_place(world, nominate, awards):
    Quota.objects.create(award_type=awards["person"], year=2017, max_count=1)
    (first,) = submitted(nominate, world, "Một")
    second = nominate("Hai", dossier=True)
    with pytest.raises(ValidationError):
        nomination_submit(nomination=second, by=world.officer_a)
    nomination_return(nomination=first, by=world.leader, comment="Bổ sung hồ sơ.")
    assert nomination_submit(nomination=second, by=world.officer_a).status == "submitted"


def test_a_quota_of_one_unit_is_reached_at_endorse(world, nominate, awards):
    """The district may send one Bằng khen up; unit A's nominations reach it freely."""
    Quota.objects.create(
        award_type=awards["person"],
        year=2017,
        scope=QuotaScope.ONE_UNIT,
        unit=world.district,
        max_count=1,
    )
    first, second = submitted(nominate, world, "Một", "Hai")
    (use,) = quota_uses(first, world.district)
    assert (use.used, use.left) == (0, 1)
    nomination_endorse(nomination=first, by=world.leader)
    (use,) = quota_uses(second, world.district)
    assert (use.used, use.left, use.reached) == (1, 0, True)
    with pytest.raises(ValidationError, match="Liên đoàn Lao động huyện"):
        nomination_endorse(nomination=second, by=world.leader)
    second.refresh_from_db()
    assert second.current_level == world.district


def test_a_total_for_all_units(world, nominate, awards):
    Quota.objects.create(
        award_type=awards["person"], year=2017, scope=QuotaScope.TOTAL, max_count=1
    )
    submitted(nominate, world, "Một")
    with pytest.raises(ValidationError, match="tất cả các đơn vị"):
        submitted(nominate, world, "Hai")


def test_a_share_of_the_members(world, nominate, awards):
    """Unit A has 120 members: 2 % of them is 2.4, so 2 may go up."""
    Quota.objects.create(
        award_type=awards["person"],
        year=2017,
        ratio_percent=2,
        ratio_base=RatioBase.MEMBERS,
    )
    submitted(nominate, world, "Một", "Hai")
    third = nominate("Ba", dossier=True)
    (use,) = quota_uses(third, world.unit_a)
    assert (use.limit, use.used) == (2, 2)
    with pytest.raises(ValidationError):
        nomination_submit(nomination=third, by=world.officer_a)


def test_the_endorser_sees_the_count_used_and_left(world, nominate, awards, client_for):
    Quota.objects.create(award_type=awards["person"], year=2017, max_count=3)
    first, _second = submitted(nominate, world, "Một", "Hai")
    body = client_for(world.leader).get(first.get_absolute_url()).content.decode()
    # At the district: nothing endorsed yet by it; 0 of 3.
    assert "Liên đoàn Lao động huyện Phượng, năm 2017" in body and "0/3" in body and "còn 3" in body
    draft = nominate("Ba", dossier=True)
    body = client_for(world.officer_a).get(reverse("awards:nomination-detail", args=[draft.pk]))
    assert "2/3" in body.content.decode()
