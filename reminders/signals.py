"""Reminders listen to the apps below them; none of them imports reminders."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from campaigns.models import Campaign
from emulation.workflow import review_transition


@receiver(post_save, sender=Campaign, dispatch_uid="reminders_default_rules")
def campaign_default_rules(sender, instance, created, raw=False, **kwargs):
    """A new campaign gets the default rules, in the transaction that creates it."""
    if created and not raw:
        from reminders.services.planning import create_default_rules

        create_default_rules(instance)


@receiver(review_transition, dispatch_uid="reminders_review_transition")
def review_transition_notify(sender, instance, transition, by=None, comment="", **kwargs):
    """Registrations, phase reports and nominations tell their people in the app."""
    from reminders.services.notifications import notify_transition

    notify_transition(instance=instance, transition=transition, by=by, comment=comment)
