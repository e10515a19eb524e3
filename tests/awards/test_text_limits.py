"""A nomination's texts: a 1 MB achievement summary is refused next to the field (it was
accepted), the nominee's name is stored composed and on one line."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.models import Nomination

pytestmark = pytest.mark.django_db


def form_data(world, campaign, awards, **changes):
    return {
        "campaign": campaign.pk,
        "award_type": awards["person"].pk,
        "occasion": "year_end",
        "nominee_unit": world.unit_a.code,
        "person_name": "Trần Thị Lan",
        "gender": "female",
        "birth_year": "1982",
        "position": "Kế toán",
        "achievement": "Xuất sắc.",
        **changes,
    }


def test_a_megabyte_of_achievements_is_refused(world, campaign, awards, client_for):
    client = client_for(world.officer_a)
    url = reverse("awards:nomination-create")
    response = client.post(url, form_data(world, campaign, awards, achievement="x" * 1_000_000))
    assert response.status_code == 200
    assert "Giá trị này chỉ có tối đa 20000 kí tự (hiện có 1000000)" in response.content.decode()
    assert not Nomination.objects.exists()
    # The model says so too, for any other path.
    response = client.post(url, form_data(world, campaign, awards))
    nomination = Nomination.objects.get()
    nomination.achievement = "x" * 20_001
    with pytest.raises(ValidationError) as refused:
        nomination.full_clean()
    assert "achievement" in refused.value.message_dict


def test_the_nominee_name_is_composed_and_on_one_line(world, campaign, awards, client_for):
    client = client_for(world.officer_a)
    url = reverse("awards:nomination-create")
    decomposed = unicodedata.normalize("NFD", "Lê Thị Hòa")
    refused = client.post(url, form_data(world, campaign, awards, person_name="Lê Thị\nHòa"))
    assert refused.status_code == 200
    assert "Tên chỉ được viết trên một dòng" in refused.content.decode()
    assert (
        client.post(url, form_data(world, campaign, awards, person_name=decomposed)).status_code
        == 302
    )
    assert Nomination.objects.get().person_name == "Lê Thị Hòa"
