"""Vietnamese everywhere: the admin (Django's and the libraries' texts, our titles, the
greeting), the labels that mean different things in different places, and the admin's scripts."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext, pgettext

from emulation.audit import audit_record, describe_changes
from emulation.models import AuditEntry
from tests.registrations.conftest import make_campaign


@pytest.fixture
def admin_client_vi(world, client):
    get_user_model().objects.filter(pk=world.admin.pk).update(full_name="Nguyễn Thị Minh Hằng")
    client.force_login(world.admin)
    return client


def test_the_admin_has_its_own_vietnamese_titles_and_greets_by_the_whole_name(admin_client_vi):
    page = admin_client_vi.get(reverse("admin:index")).content.decode()
    assert "<title>Quản trị hệ thống | Thi đua - Khen thưởng</title>" in page
    assert "Quản trị hệ thống Thi đua - Khen thưởng</a>" in page
    assert "Django" not in page.split("</head>")[1]  # "Trang quản trị cho Django" is gone
    assert "<strong>Nguyễn Thị Minh Hằng</strong>" in page  # not "Hằng"
    for english in ("Skip to main content", "Toggle theme", "Model name", "Axes", "Access"):
        assert english not in page, english
    assert "Chuyển đến nội dung chính" in page and "Các danh mục trong" in page
    # django-axes under Vietnamese names.
    assert "Theo dõi đăng nhập" in page
    assert "Lượt đăng nhập sai" in page and "Nhật ký đăng nhập" in page


def test_the_admin_pages_of_the_libraries_speak_vietnamese(world, admin_client_vi):
    page = admin_client_vi.get(reverse("admin:axes_accesslog_changelist")).content.decode()
    assert "Thời điểm đăng nhập" in page and "Địa chỉ IP" in page and "Trình duyệt" in page
    assert "Attempt Time" not in page and "IP Address" not in page
    page = admin_client_vi.get(reverse("admin:federation_organization_add")).content.decode()
    assert "Vị trí trong cây tổ chức" in page and "So với đơn vị" in page
    assert "Relative to" not in page and "First child of" not in page
    page = admin_client_vi.get(
        reverse("admin:accounts_user_change", args=[world.officer_a.pk])
    ).content.decode()
    assert "Raw passwords are not stored" not in page and "Reset password" not in page
    assert "Đặt lại mật khẩu" in page


def test_the_admins_audit_log_names_the_actions(world, admin_client_vi):
    audit_record(actor=world.staff, action="create", obj=world.unit_a, changes={})
    page = admin_client_vi.get(reverse("admin:emulation_auditentry_changelist")).content.decode()
    assert "Tạo đơn vị" in page
    entry = AuditEntry.objects.latest("id")
    page = admin_client_vi.get(
        reverse("admin:emulation_auditentry_change", args=[entry.pk])
    ).content.decode()
    assert "Loại đối tượng" in page and "Content type" not in page


def test_the_admins_scripts_speak_vietnamese(admin_client_vi):
    """The calendar and the choosers of the admin read their texts from the JavaScript
    catalogue, which takes ours (locale/vi/LC_MESSAGES/djangojs.po) with Django's."""
    script = admin_client_vi.get("/admin/jsi18n/").content.decode()
    for vietnamese in ("Chủ nhật", "Thứ bảy", "Chọn tất cả %s", "Hôm nay"):
        assert json.dumps(vietnamese)[1:-1] in script, vietnamese


def test_labels_that_mean_different_things_are_translated_apart():
    # A date column of the queues and a state of the outbox.
    assert pgettext("date", "Sent") == "Ngày gửi"
    assert gettext("Sent") == "Đã gửi"
    # A campaign's title, a council session's, anything else's.
    assert pgettext("campaign", "Title") == "Tên phong trào"
    assert pgettext("council session", "Title") == "Tên phiên họp"
    assert gettext("Title") == "Tiêu đề"
    # One button for a registration's and a report's deadline.
    assert gettext("Extend the deadline") == "Gia hạn"


def test_the_outbox_state_reads_sent():
    from reminders.models import OutboxStatus

    assert str(OutboxStatus.SENT.label) == "Đã gửi"


def test_the_council_session_form_names_its_own_fields(world):
    from awards.forms import SessionForm
    from awards.models import CouncilSession, ExemplaryModel
    from campaigns.models import Campaign

    form = SessionForm(nominations=None)
    assert str(form.fields["title"].label) == "Tên phiên họp"
    assert str(form.fields["place"].label) == "Địa điểm họp"
    assert str(CouncilSession._meta.get_field("title").verbose_name) == "tên phiên họp"
    assert str(ExemplaryModel._meta.get_field("title").verbose_name) == "tiêu đề"
    assert str(Campaign._meta.get_field("title").verbose_name) == "tên phong trào (trích yếu)"
    assert describe_changes({"title": "Phát động"})[0][0] == "Tên phong trào"


def test_the_queue_dates_read_ngay_gui(world, client):
    campaign = make_campaign(world)
    client.force_login(world.leader)
    page = client.get(
        reverse("registrations:queue", args=[campaign.pk, world.district.pk])
    ).content.decode()
    assert ">Ngày gửi</th>" in page


def test_the_admins_script_catalogue_is_complete():
    from pathlib import Path

    import polib

    po = polib.pofile(
        str(Path(__file__).resolve().parents[2] / "locale/vi/LC_MESSAGES/djangojs.po")
    )
    assert len(po) > 20
    assert not po.untranslated_entries() and not po.fuzzy_entries()


def test_a_place_in_a_list_is_not_a_persons_position():
    from accounts.models import User
    from registrations.models import KeyWork
    from reports.models import Indicator

    assert str(User._meta.get_field("position").verbose_name) == "chức vụ"
    assert str(KeyWork._meta.get_field("position").verbose_name) == "thứ tự"
    assert str(Indicator._meta.get_field("position").verbose_name) == "thứ tự"
