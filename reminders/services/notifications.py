"""In-app notifications: read marks, the person's email preference, and the notices of review
transitions (the workflow's signal, after commit)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from federation.models import SUBTREE_ROLES, Membership, Role
from reminders.models import Notification, UserPreference


def notifications_mark_read(*, user, ids=None) -> int:
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())


def preference_set(*, user, email_enabled: bool) -> UserPreference:
    preference, _created = UserPreference.objects.update_or_create(
        user=user, defaults={"email_enabled": email_enabled}
    )
    return preference


# ---------------------------------------------------------------------------------------------
# In-app notifications of review transitions (the workflow's signal, after commit).


def _transition_labels() -> dict:
    return {
        "submit": _("sent for review"),
        "approve": _("approved"),
        "return": _("returned with a comment"),
        "reopen": _("reopened for a new revision"),
    }


def _object_link(instance) -> str:
    campaign_id = getattr(instance, "campaign_id", None)
    organization_id = getattr(instance, "organization_id", None)
    if type(instance).__name__ == "Registration" and campaign_id and organization_id:
        return reverse("registrations:unit", args=[campaign_id, organization_id])
    if hasattr(instance, "get_absolute_url"):
        return instance.get_absolute_url()
    return ""


def notify_transition(*, instance, transition: str, by, comment: str = "") -> int:
    """Tell the people concerned, in the app: the unit's reviewers above when it sends
    something; the unit's officers and leaders when it is approved, returned or reopened."""
    organization = getattr(instance, "organization", None)
    label = _transition_labels().get(transition)
    if organization is None or label is None:
        return 0
    if transition == "submit":
        if organization.depth <= 1:
            return 0
        users = Membership.objects.filter(
            organization__path=organization.parent_path, role__in=SUBTREE_ROLES
        )
    else:
        users = Membership.objects.filter(
            organization=organization, role__in=(Role.OFFICER, Role.LEADER)
        )
    user_ids = set(users.filter(user__is_active=True).values_list("user_id", flat=True))
    user_ids.discard(getattr(by, "pk", None))
    if not user_ids:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(object)s of %(unit)s: %(action)s") % {
            "object": str(instance._meta.verbose_name).capitalize(),
            "unit": organization.name,
            "action": label,
        }
    link = _object_link(instance)
    Notification.objects.bulk_create(
        Notification(user_id=user_id, subject=subject[:255], body=comment or "", link=link)
        for user_id in sorted(user_ids)
    )
    return len(user_ids)
