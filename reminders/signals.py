"""Reminders listen to the apps below them; none of them imports reminders."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from campaigns.models import Campaign


@receiver(post_save, sender=Campaign, dispatch_uid="reminders_default_rules")
def campaign_default_rules(sender, instance, created, raw=False, **kwargs):
    """A new campaign gets the default rules, in the transaction that creates it."""
    if created and not raw:
        from reminders.services import create_default_rules

        create_default_rules(instance)
