"""Dispatch of reminders, exactly once: ``planning`` (what is due on a day), ``dispatch``
(deliveries written once), ``processing`` and ``rendering`` (deliveries become emails and
notifications), ``outbox`` (emails sent with retries), ``digest``, ``notifications``, ``rows``
and ``limits`` (the batch sizes, read at call time: patch them there)."""
