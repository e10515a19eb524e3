from django.dispatch import Signal

# Sent inside the merge transaction with source, target and by: apps above the union tree
# listen to it to move their records from the merged unit to the one that absorbs it.
organization_merged = Signal()
