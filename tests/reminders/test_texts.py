"""Rule texts: named placeholders only, filled by substitution, bounded in length."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from reminders.models import OutboxMessage, ReminderRule
from reminders.services.dispatch import dispatch
from reminders.texts import MAX_BODY, fill, readable, validate_template
from tests.reminders.test_views import form_data

HOSTILE = [
    "{unit:>100000000}",  # a format specification: a 100 MB string with str.format
    "{unit!r}",
    "{unit.__class__}",
    "{unit[0]}",
    "{0}",
    "{}",
    "{{unit}}",
    "Hạn {deadline",
    "Hạn deadline}",
]


@pytest.mark.parametrize("template", HOSTILE)
def test_anything_but_a_named_placeholder_is_refused(template):
    with pytest.raises(ValidationError):
        validate_template(template)


def test_known_placeholders_and_plain_text_pass():
    validate_template("Kính gửi {unit}: hạn {deadline}, còn {days_left} ngày. {link} {campaign}")
    validate_template("Không có biến nào.")


def test_length_is_bounded():
    validate_template("x" * MAX_BODY)
    with pytest.raises(ValidationError) as refused:
        validate_template("x" * (MAX_BODY + 1))
    assert refused.value.code == "length"


def test_fill_substitutes_and_never_formats():
    values = {"unit": "CĐCS Alpha", "days_left": 3}
    assert fill("{unit}: còn {days_left} ngày", values) == "CĐCS Alpha: còn 3 ngày"
    # A text stored before these checks existed is shown as written, not formatted.
    assert fill("{unit:>100000000}", values) == "{unit:>100000000}"
    assert fill("{unit.__class__} {0} {deadline}", values) == "{unit.__class__} {0} {deadline}"
    # A value that looks like a placeholder is not filled again.
    assert fill("{unit}", {"unit": "{days_left}", "days_left": 9}) == "{days_left}"


def test_readable_names_each_placeholder():
    with translation.override("vi"):
        shown = readable("[{campaign}] Còn {days_left} ngày đến hạn ({deadline}) {other}")
    assert shown == [
        ("[", False),
        ("tên phong trào", True),
        ("] Còn ", False),
        ("số ngày còn lại", True),
        (" ngày đến hạn (", False),
        ("hạn chót", True),
        (") {other}", False),
    ]


@pytest.mark.django_db
def test_the_form_refuses_a_format_spec_on_the_field(world, campaign, client_for):
    url = reverse("reminders:rule-add", args=[campaign.pk])
    with translation.override("vi"):
        response = client_for(world.staff).post(
            url, {**form_data(body="Kính gửi {unit:>100000000}"), "preview": "1"}
        )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Biến không hợp lệ: {unit:&gt;100000000}" in text
    assert len(text) < 200_000  # the preview was not rendered
    assert "Kính gửi {unit:&gt;100000000}" in text  # what was typed is kept
    response = client_for(world.staff).post(url, form_data(body="x" * (MAX_BODY + 1)))
    assert "Nội dung quá dài" in response.content.decode()
    assert not ReminderRule.objects.filter(offset_days=-3).exists()


@pytest.mark.django_db
def test_a_hostile_rule_stored_by_other_means_dispatches_as_written(world, campaign):
    rule = ReminderRule.objects.create(
        campaign=campaign,
        event="registration_deadline",
        offset_days=-3,
        audience="not_submitted",
        subject="Nhắc {unit:>100000000}",
        body="{unit:>100000000} {unit.__class__}",
    )
    dispatch(today=campaign.registration_deadline + dt.timedelta(days=rule.offset_days))
    sent = list(OutboxMessage.objects.filter(delivery__rule=rule))
    assert sent
    assert all(message.subject == "Nhắc {unit:>100000000}" for message in sent)
    assert all(len(message.text) < 2000 and len(message.html) < 5000 for message in sent)


@pytest.mark.django_db
def test_the_rules_page_shows_readable_placeholders(world, campaign, client_for):
    ReminderRule.objects.create(
        campaign=campaign,
        event="registration_deadline",
        offset_days=-5,
        audience="not_submitted",
        subject="[{campaign}] Còn {days_left} ngày",
        body="{unit}",
    )
    with translation.override("vi"):
        response = client_for(world.staff).get(reverse("reminders:rules", args=[campaign.pk]))
    text = response.content.decode()
    chip = '<span class="placeholder-chip">%s</span>'
    assert f"[{chip % 'tên phong trào'}] Còn {chip % 'số ngày còn lại'} ngày" in text
    assert "{days_left}" not in text
