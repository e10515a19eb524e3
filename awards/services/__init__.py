"""Every change to commendation goes through one of these functions.

Each is keyword-only and runs in one transaction: check the permission, lock the row it
changes (``select_for_update`` on that row alone, never on the campaign, award or units it
refers to), validate everything first (a ``ValidationError`` keyed by the form's field, with a
translatable message), then write and record the change in the audit log. Nothing is saved
half-done; files written to the storage are removed again when the transaction fails.

The review of a nomination uses the shared workflow (``emulation/workflow.py``): ``submit``
sends it to the unit above; each unit on the way *endorses* it (forwards it one level up:
an awards step, recorded as an :class:`Endorsement`, the state staying "submitted") or
*returns* it to the nominating unit with a comment; at the granting unit the council votes,
and closing the session *approves* it or *returns* it marked rejected.

The functions live in modules by topic and are all importable from here:

- :mod:`~awards.services.nominations`: a unit's drafts (create, edit, delete);
- :mod:`~awards.services.dossier`: the files of a nomination's dossier;
- :mod:`~awards.services.review`: submit, endorse and return on the way up;
- :mod:`~awards.services.council`: council sessions, the secret ballot and its count;
- :mod:`~awards.services.decisions`: award decisions;
- :mod:`~awards.services.advanced_models`: advanced models for the public gallery;
- :mod:`~awards.services.plaques`: plaques for registered key works.
"""

from awards.selectors import missing_documents
from awards.services.advanced_models import model_propose, model_publish, model_withdraw
from awards.services.council import (
    ballot_cast,
    council_members,
    passes,
    session_close,
    session_open,
    vote_cast,
)
from awards.services.decisions import DECISION_FIELDS, MULTILINE_FIELDS, decision_issue
from awards.services.dossier import dossier_file_add, dossier_file_remove
from awards.services.nominations import (
    EDIT_FIELDS,
    PERSON_FIELDS,
    nomination_create,
    nomination_delete,
    nomination_update,
)
from awards.services.plaques import plaque_attach, plaque_grant
from awards.services.review import (
    ENDORSE,
    nomination_endorse,
    nomination_return,
    nomination_submit,
)

__all__ = [
    "DECISION_FIELDS",
    "ENDORSE",
    "EDIT_FIELDS",
    "MULTILINE_FIELDS",
    "PERSON_FIELDS",
    "ballot_cast",
    "council_members",
    "decision_issue",
    "dossier_file_add",
    "dossier_file_remove",
    "missing_documents",
    "model_propose",
    "model_publish",
    "model_withdraw",
    "nomination_create",
    "nomination_delete",
    "nomination_endorse",
    "nomination_return",
    "nomination_submit",
    "nomination_update",
    "passes",
    "plaque_attach",
    "plaque_grant",
    "session_close",
    "session_open",
    "vote_cast",
]
