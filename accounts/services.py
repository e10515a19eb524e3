import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import override

from emulation.mail import send_templated_email

log = logging.getLogger(__name__)


def password_setup_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path


def user_send_invitation(user) -> int:
    """Email a new user a link to choose a password (the link is valid as long as a reset link)."""
    if not user.email:
        return 0
    with override(settings.LANGUAGE_CODE):
        return send_templated_email(
            "invitation", {"user": user, "link": password_setup_link(user)}, [user.email]
        )


def invitations_queue(user_ids: list[int]) -> None:
    """Queue the invitation emails (called once the accounts are committed): a worker sends
    them, never the web request. A broker that is down loses the email, not the account: the
    person can still ask for a password reset, which reaches accounts without a password."""
    from accounts.tasks import send_invitation

    for user_id in user_ids:
        try:
            send_invitation.delay(user_id)
        except Exception:  # noqa: BLE001 - the account is kept; the reset page reaches it
            log.exception("could not queue the invitation of user %s", user_id)
            return
