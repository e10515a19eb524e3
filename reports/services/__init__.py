"""Every change to a phase report, an indicator or a reporting date goes through one of these
functions.

Each one checks the permission, runs in one transaction, locks the row it changes
(``select_for_update``), validates, writes, records the change in the audit log, and leaves
notifications to the workflow's signal, sent once the transaction has committed. A refusal is a
``ValidationError`` with a translatable message (keyed by the report form's field names where a
field is at fault) and nothing changed: no row, and no file left on disk.

The functions live in modules by topic and are all importable from here:

- :mod:`~reports.services.drafts`: saving a draft, with its files;
- :mod:`~reports.services.transitions`: submit, approve, return, received;
- :mod:`~reports.services.extensions`: deadline extensions;
- :mod:`~reports.services.config`: indicators and reporting dates;
- :mod:`~reports.services.checks`: reading and checking what the officer typed;
- :mod:`~reports.services.common`: the checks every service makes first.
"""

from reports.services.checks import (
    MAX_NARRATIVE,
    MAX_TEXT,
    MAX_VALUE,
    clean_content,
    submission_problems,
)
from reports.services.common import approved_registration, check_open, opening_of, window_of
from reports.services.config import (
    DEFAULT_INDICATORS,
    IndicatorData,
    indicator_add,
    indicator_delete,
    indicator_update,
    indicators_add_defaults,
    reporting_opens_set,
)
from reports.services.drafts import report_save_draft
from reports.services.extensions import EXTENSIONS, MAX_EXTENSION, report_deadline_extend
from reports.services.transitions import (
    RECEIVE,
    report_approve,
    report_receive,
    report_return,
    report_submit,
)

__all__ = [
    "DEFAULT_INDICATORS",
    "EXTENSIONS",
    "MAX_EXTENSION",
    "MAX_NARRATIVE",
    "MAX_TEXT",
    "MAX_VALUE",
    "RECEIVE",
    "IndicatorData",
    "approved_registration",
    "check_open",
    "clean_content",
    "indicator_add",
    "indicator_delete",
    "indicator_update",
    "indicators_add_defaults",
    "opening_of",
    "report_approve",
    "report_deadline_extend",
    "report_receive",
    "report_return",
    "report_save_draft",
    "report_submit",
    "reporting_opens_set",
    "submission_problems",
    "window_of",
]
