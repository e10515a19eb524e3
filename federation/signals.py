from django.dispatch import Signal

# Sent inside the merge transaction with source, target and by: apps above the union tree
# listen to it to move their records from the merged unit to the one that absorbs it.
organization_merged = Signal()

# Sent inside the transaction of a change that puts existing units under other ancestors or
# changes what they count as: a move, a merge, a change of kind. ``paths`` holds the affected
# units' paths before and after the change. Apps that keep per-branch counters of their own
# records (registrations, reports) listen to it to recompute the counters of those branches.
# Creating a new unit does not send it: a new unit has no records yet.
tree_changed = Signal()
