"""What the reports app does when a campaign is copied to a later year."""

from campaigns.signals import campaign_copied
from reports.models import Indicator


def copy_indicators(sender, source, copy, **kwargs) -> None:
    """The copy reports the same indicators, in the same order."""
    Indicator.objects.bulk_create(
        Indicator(
            campaign=copy,
            position=indicator.position,
            name=indicator.name,
            unit=indicator.unit,
            whole_numbers=indicator.whole_numbers,
        )
        for indicator in Indicator.objects.filter(campaign=source).order_by("position", "id")
    )


campaign_copied.connect(copy_indicators, dispatch_uid="reports_copy_indicators")
