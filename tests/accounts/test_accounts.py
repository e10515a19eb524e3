import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD


def test_login_lands_on_my_work_and_logout_is_a_post(world, client):
    response = client.post(
        reverse("accounts:login"), {"username": "officer_a", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    html = response.content.decode()
    assert "Việc của tôi" in html and "Alpha Đông Á" in html
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_wrong_password_shows_vietnamese_error(world, client):
    response = client.post(reverse("accounts:login"), {"username": "officer_a", "password": "sai"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_login_is_throttled_after_five_failures(world, client, settings):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "officer_a", "password": "sai"})
    response = client.post(
        reverse("accounts:login"), {"username": "officer_a", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "tạm khóa 15 phút" in response.content.decode()
    # Another user from the same address is not locked out.
    response = client.post(
        reverse("accounts:login"), {"username": "officer_b", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_password_reset_by_email(world, client):
    response = client.post(reverse("accounts:password_reset"), {"email": world.officer_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Đặt lại mật khẩu" in message.subject
    assert message.alternatives and "<a href=" in message.alternatives[0][0]
    link = re.search(r"http://[^/]+(/accounts/password/reset/\S+/)", message.body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    new_password = "Mật-khẩu-mới-2026!"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert User.objects.get(pk=world.officer_a.pk).check_password(new_password)


def test_password_reset_unknown_email_sends_nothing(world, client):
    client.post(reverse("accounts:password_reset"), {"email": "nobody@example.vn"})
    assert mail.outbox == []


def test_profile_edit_and_bad_input(world, client):
    client.force_login(world.officer_a)
    url = reverse("accounts:profile")
    response = client.post(
        url, {"full_name": "   ", "email": world.officer_b.email, "phone": "", "position": "x"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Địa chỉ email này đã được một tài khoản khác sử dụng." in body
    assert 'value="x"' in body  # what the user typed is kept
    assert User.objects.get(pk=world.officer_a.pk).position == ""
    response = client.post(
        url,
        {
            "full_name": "Trần  Văn Ánh",
            "email": "anh@example.vn",
            "phone": "0912345678",
            "position": "Chủ tịch CĐCS",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(pk=world.officer_a.pk)
    assert (user.full_name, user.email, user.position) == (
        "Trần Văn Ánh",
        "anh@example.vn",
        "Chủ tịch CĐCS",
    )


def test_password_change_validates(world, client):
    client.force_login(world.officer_a)
    url = reverse("accounts:password_change")
    response = client.post(
        url, {"old_password": "sai", "new_password1": "123", "new_password2": "123"}
    )
    assert response.status_code == 200
    assert User.objects.get(pk=world.officer_a.pk).check_password(PASSWORD)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_language_switch(world, client, language):
    client.force_login(world.officer_a)
    response = client.post(
        reverse("set_language"), {"language": language, "next": "/accounts/profile/"}
    )
    assert response.status_code == 302
    body = client.get("/accounts/profile/").content.decode()
    assert ("Thông tin cá nhân" in body) == (language == "vi")
    assert ("My profile" in body) == (language == "en")


def test_vietnamese_whatever_the_browser_asks(world, client):
    client.force_login(world.officer_a)
    body = client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Thông tin cá nhân" in body


def _invitation_form(world, client):
    """The page where a new person (or one who forgot it) chooses a password."""
    client.post(reverse("accounts:password_reset"), {"email": world.officer_a.email})
    link = re.search(r"http://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[-1].body).group(1)
    return client.get(link, follow=True).redirect_chain[-1][0]


def test_the_password_rules_speak_vietnamese(world, client):
    form_url = _invitation_form(world, client)
    page = client.post(form_url, {"new_password1": "1234", "new_password2": "1234"})
    page = page.content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in page
    assert "Mật khẩu này quá phổ biến." in page
    assert "Mật khẩu này hoàn toàn là số." in page
    assert "This password" not in page and "too short" not in page
    # The person's full name counts among what a password must not resemble.
    User.objects.filter(pk=world.officer_a.pk).update(full_name="Hoàng Minh Châu")
    page = client.post(
        form_url, {"new_password1": "hoàng minh châu", "new_password2": "hoàng minh châu"}
    ).content.decode()
    assert "Mật khẩu quá giống với họ và tên." in page
    assert User.objects.get(pk=world.officer_a.pk).check_password(PASSWORD)


def test_password_reset_is_throttled_per_email(world, client):
    done = reverse("accounts:password_reset_done")
    for _ in range(15):
        response = client.post(reverse("accounts:password_reset"), {"email": world.officer_a.email})
        # The same neutral answer every time: nothing tells the sender it was throttled.
        assert response.status_code == 302 and response.url == done
    assert len(mail.outbox) == 3
    page = client.get(done).content.decode()
    assert "Nếu địa chỉ này thuộc về một tài khoản" in page


def test_password_reset_is_throttled_per_address(world, client):
    # One address trying many accounts (each account asked once) gets at most 3 emails.
    emails = [f"p{i}@example.vn" for i in range(6)]
    for i, email in enumerate(emails):
        User.objects.create_user(username=f"p{i}", email=email, password="x-Quite-long-9")
    for email in emails:
        client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR="203.0.113.7")
    assert len(mail.outbox) == 3
    # Another address still reaches the next account.
    client.post(reverse("accounts:password_reset"), {"email": emails[4]}, REMOTE_ADDR="203.0.113.8")
    assert len(mail.outbox) == 4 and mail.outbox[-1].to == [emails[4]]


def test_an_invited_person_who_never_chose_a_password_can_reset(world, client):
    invited = User.objects.create(username="moi@example.vn", email="moi@example.vn")
    invited.set_unusable_password()
    invited.save()
    assert not invited.has_usable_password()
    client.post(reverse("accounts:password_reset"), {"email": "MOI@example.vn"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["moi@example.vn"]
    link = re.search(r"http://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new_password = "Mật-khẩu-đầu-tiên-2026!"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert User.objects.get(pk=invited.pk).check_password(new_password)


def test_a_deactivated_account_gets_no_reset(world, client):
    world.officer_b.is_active = False
    world.officer_b.save()
    client.post(reverse("accounts:password_reset"), {"email": world.officer_b.email})
    assert mail.outbox == []
