"""The officer's registration form keeps faith with what was typed: shown again after an
error it adds no blank rows, and with no theme chosen it saves nothing and says so next to the
themes, keeping what was typed."""

import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse

from registrations import services
from registrations.forms import BLANK_TARGET_ROWS, BLANK_WORK_ROWS, RegistrationForm
from registrations.models import Registration
from tests.registrations.conftest import registration_data

pytestmark = pytest.mark.django_db

NOTHING_CHOSEN = "Hãy chọn ít nhất một nội dung thi đua trước khi lưu."


def text_of(response) -> str:
    return unicodedata.normalize("NFC", response.content.decode())


def form_url(campaign, unit):
    return reverse("registrations:form", args=[campaign.pk, unit.pk])


def rendered_rows(body: str, theme_id) -> dict[int, str]:
    """The target rows of a theme on the page: row number -> the name typed in it."""
    return {
        int(row): value
        for row, value in re.findall(
            rf'name="theme-{theme_id}-target-(\d+)-name" id="[^"]*" value="([^"]*)"', body
        )
    }


def rendered_works(body: str) -> dict[int, str]:
    return {
        int(row): value
        for row, value in re.findall(r'name="work-(\d+)-name" id="[^"]*" value="([^"]*)"', body)
    }


def post_as_shown(body: str, theme, *, values: dict[int, str], works: dict[int, str]) -> dict:
    """What the browser posts back from the page ``body``: every row it shows, the filled
    ones with their value, the blank ones blank."""
    data = {"action": "save", "themes": [theme.pk], f"theme-{theme.pk}-commitment": "Cam kết."}
    for row, name in rendered_rows(body, theme.pk).items():
        data[f"theme-{theme.pk}-target-{row}-name"] = name
        data[f"theme-{theme.pk}-target-{row}-value"] = values.get(row, "")
        data[f"theme-{theme.pk}-target-{row}-unit"] = ""
    for row, name in works.items():
        data[f"work-{row}-name"] = name
        data[f"work-{row}-estimated_value"] = ""
    return data


def test_a_form_shown_again_after_an_error_adds_no_blank_rows(world, campaign, client_for):
    client = client_for(world.officer_a)
    theme = campaign.themes.order_by("number").first()
    page = text_of(client.get(form_url(campaign, world.unit_a)))
    assert len(rendered_rows(page, theme.pk)) == BLANK_TARGET_ROWS
    assert len(rendered_works(page)) == BLANK_WORK_ROWS

    # One target typed with a wrong value, the other row left blank; the page comes back with
    # the error three times in a row, with the rows it was sent with each time.
    data = post_as_shown(page, theme, values={}, works=rendered_works(page))
    data[f"theme-{theme.pk}-target-0-name"] = "Sáng kiến"
    data[f"theme-{theme.pk}-target-0-value"] = "-3"
    for _attempt in range(3):
        response = client.post(form_url(campaign, world.unit_a), data)
        assert response.status_code == 200
        body = text_of(response)
        rows = rendered_rows(body, theme.pk)
        assert rows == {0: "Sáng kiến", 1: ""}
        assert rendered_works(body) == {0: ""}
        assert "không được âm" in body
        data = post_as_shown(body, theme, values={0: "-3"}, works=rendered_works(body))
    assert not Registration.objects.exists()


def test_blank_rows_between_filled_ones_are_dropped_and_the_rest_keep_their_numbers(
    world, campaign
):
    """Read directly: rows 0 and 3 typed, 1 and 2 blank; the errors of row 3 stay on row 3."""
    theme = campaign.themes.order_by("number").first()
    data = QueryDict(mutable=True)
    data.setlist("themes", [str(theme.pk)])
    for row, name in ((0, "Sáng kiến"), (1, ""), (2, " "), (3, "Đề tài")):
        data[f"theme-{theme.pk}-target-{row}-name"] = name
        data[f"theme-{theme.pk}-target-{row}-value"] = {0: "2", 3: "x"}.get(row, "")
    data["work-0-name"] = ""
    data["work-1-name"] = "Nhà văn hóa"
    form = RegistrationForm(list(campaign.themes.all()), None, data=data)
    assert [t.row for t in form.target_rows[theme.pk]] == [0, 3]
    assert [w.row for w in form.work_rows] == [1]
    form.add_error(ValidationError({f"theme-{theme.pk}-target-3-value": ["Sai."]}))
    panel = next(p for p in form.panels if p.theme == theme)
    assert [t.row for t in panel.targets] == [0, 3, 4]  # one blank row to type another in
    assert panel.targets[1].errors["value"] == ["Sai."]
    assert [w.row for w in form.works] == [1, 2]
    # What the services receive is what was typed, blank rows left out.
    targets = form.service_data()["themes"][0]["targets"]
    assert [(t["row"], t["name"]) for t in targets] == [(0, "Sáng kiến"), (3, "Đề tài")]


@pytest.mark.parametrize("action", ["save", "submit"])
def test_nothing_chosen_saves_nothing_and_says_so_beside_the_themes(
    world, campaign, client_for, action
):
    client = client_for(world.officer_a)
    t1 = campaign.themes.order_by("number").first()
    data = {
        "action": action,
        f"theme-{t1.pk}-commitment": "Phấn đấu 100% đoàn viên tham gia.",
        f"theme-{t1.pk}-target-0-name": "Sáng kiến",
        f"theme-{t1.pk}-target-0-value": "4",
        "work-0-name": "Nhà văn hóa công nhân",
    }
    response = client.post(form_url(campaign, world.unit_a), data)
    assert response.status_code == 200
    body = text_of(response)
    assert not Registration.objects.exists()
    # The message stands next to the themes (not only in the banner), in Vietnamese ...
    themes_errors = re.search(r'data-testid="themes-errors">(.*?)</div></div>', body, re.S)
    assert themes_errors and NOTHING_CHOSEN in themes_errors.group(1)
    assert 'aria-describedby="themes-errors"' in body
    assert "Chưa lưu gì" in body
    # ... and what was typed is still there, to tick a theme and save again.
    assert "Phấn đấu 100% đoàn viên tham gia." in body
    assert 'value="Sáng kiến"' in body and 'value="4"' in body
    assert 'value="Nhà văn hóa công nhân"' in body


def test_unticking_every_theme_of_a_draft_changes_nothing(
    world, campaign, make_registration, client_for
):
    registration = make_registration("draft")
    response = client_for(world.officer_a).post(
        form_url(campaign, world.unit_a),
        {"action": "save", "version": str(registration.version)},
    )
    assert response.status_code == 200
    assert NOTHING_CHOSEN in text_of(response)
    registration.refresh_from_db()
    assert registration.themes.count() == 2


def test_the_service_refuses_a_registration_without_themes(world, campaign):
    with pytest.raises(ValidationError) as caught:
        services.registration_save_draft(
            campaign=campaign,
            organization=world.unit_a,
            by=world.officer_a,
            data={"themes": [], "key_works": [{"name": "Nhà văn hóa"}]},
        )
    assert caught.value.message_dict == {"themes": [NOTHING_CHOSEN]}
    assert not Registration.objects.exists()
    # With a wrong work as well, both are said at once.
    with pytest.raises(ValidationError) as caught:
        services.registration_save_draft(
            campaign=campaign,
            organization=world.unit_a,
            by=world.officer_a,
            data={"themes": [], "key_works": [{"name": "Nhà", "estimated_value": "-1"}]},
        )
    assert set(caught.value.message_dict) == {"themes", "work-0-estimated_value"}
    # A registration with themes saves as before.
    services.registration_save_draft(
        campaign=campaign,
        organization=world.unit_a,
        by=world.officer_a,
        data=registration_data(campaign),
    )
    assert Registration.objects.get().themes.count() == 2
