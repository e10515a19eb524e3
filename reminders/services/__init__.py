"""Dispatch of reminders, exactly once: ``planning`` (what is due on a day), ``dispatch``
(deliveries written once), ``processing`` and ``rendering`` (deliveries become emails and
notifications: a unit's or a department's to each of its people at their own address and to
its mailbox), ``outbox`` (emails sent with retries, resent on demand), ``digest`` (weekly and
on demand), ``council`` (the council members' notices), ``notifications``, ``rows`` and
``limits`` (the batch sizes, read at call time: patch them there)."""
