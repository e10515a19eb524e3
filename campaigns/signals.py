from django.dispatch import Signal

# Sent inside the transaction of ``campaign_copy`` with ``source`` and ``copy``: apps that keep
# settings of their own per campaign (report indicators, reminder rules ...) copy them along.
campaign_copied = Signal()
