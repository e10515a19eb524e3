"""What campaigns do when the union tree changes under them."""

from django.dispatch import receiver

from campaigns.models import Campaign
from federation.models import Organization
from federation.signals import units_changed


@receiver(units_changed, dispatch_uid="campaigns-units-changed")
def on_units_changed(sender, paths=(), **kwargs) -> None:
    """A unit created, edited or deleted shows on the dashboards of every campaign issued by
    it or by a unit above it: their cached pages go (``Campaign.figures_version``)."""
    step = Organization.steplen
    prefixes = {path[:end] for path in paths for end in range(step, len(path) + 1, step)}
    if prefixes:
        Campaign.figures_changed(Campaign.objects.filter(issuer__path__in=prefixes))
