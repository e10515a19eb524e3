"""The review stack that registrations, phase reports and nominations share, around the one
review mechanism of :mod:`emulation.workflow` (draft, submitted, returned, approved; the
reviewer is the unit above):

- ``models``: the abstract deadline extension (a later deadline granted to one unit by its
  reviewer) and the deadline it makes;
- ``extensions``: :class:`~emulation.review.extensions.Extensions`, the lookups and the service
  that grants an extension;
- ``forms``: the reviewer's comment, the extension and the queue's filters;
- ``progress``: counts per status with the shares of a progress bar, and the queue's filters;
- ``views``: the base views (load the objects of the address, check the rule, dispatch), the
  transition buttons, the comment page (return, reopen), the extension page and the history;
- ``templates/review/``: the pages and blocks they render.

An app declares what differs: its models, who may act (the names of its rules), what must hold
(the checks of its services), its addresses and its texts; it subclasses what is here and
fills in the hooks. Nothing here imports an app: the apps hand in their classes and functions.
"""
