"""Celery tasks of accounts: thin, ids in, a service call."""

from celery import shared_task
from django.contrib.auth import get_user_model

from accounts.services import user_send_invitation


@shared_task(name="accounts.send_invitation", bind=True, max_retries=3)
def send_invitation(self, user_id: int) -> int:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    try:
        return user_send_invitation(user)
    except OSError as error:  # the mail server did not answer: try again a little later
        raise self.retry(countdown=60 * 2**self.request.retries, exc=error) from error
