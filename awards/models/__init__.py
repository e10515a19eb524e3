"""Commendation (khen thưởng): the catalogue of awards, nominations sent up the union tree, the
council's secret ballot, award decisions and their certificates, advanced models published for
the public, and the plaques given to registered key works.

A nomination goes through the shared review workflow (``emulation/workflow.py``): it is prepared
as a draft by the nominating unit, submitted to the unit above, endorsed (forwarded) level by
level until it stands at the unit that grants the award, where the council votes on it. The
workflow's states say where it is in the hands of people (draft, submitted, returned, approved);
``current_level`` says which unit holds it and ``council_result`` what the council decided.
"""

from awards.models.core import (
    DEFAULT_QUORUM,
    DEFAULT_THRESHOLD,
    HIGHEST_TITLE_THRESHOLD,
    AwardCategory,
    AwardScope,
    AwardType,
    CouncilResult,
    DossierFile,
    Endorsement,
    Gender,
    Nomination,
    NomineeKind,
    Occasion,
    Stage,
    dossier_path,
    nominee_search_key,
)
from awards.models.council import (
    Council,
    CouncilMember,
    CouncilSession,
    Decision,
    SessionItem,
    SessionMember,
    SessionStatus,
    Vote,
    VoteChoice,
)
from awards.models.rules import (
    LEVEL_RANK,
    BaseSalary,
    Declaration,
    EligibilityRule,
    Initiative,
    InitiativeFile,
    InitiativeLevel,
    PriorAward,
    Quota,
    QuotaScope,
    RatioBase,
    RuleKind,
    RuleSeverity,
    initiative_file_path,
)
from awards.models.showcase import (
    ExemplaryModel,
    ModelStatus,
    Plaque,
    photo_path,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "HIGHEST_TITLE_THRESHOLD",
    "DEFAULT_QUORUM",
    "AwardCategory",
    "NomineeKind",
    "AwardScope",
    "AwardType",
    "Occasion",
    "Gender",
    "CouncilResult",
    "Stage",
    "Nomination",
    "nominee_search_key",
    "dossier_path",
    "DossierFile",
    "Endorsement",
    "Council",
    "CouncilMember",
    "SessionStatus",
    "CouncilSession",
    "SessionMember",
    "SessionItem",
    "VoteChoice",
    "Vote",
    "Decision",
    "InitiativeLevel",
    "LEVEL_RANK",
    "RuleKind",
    "RuleSeverity",
    "EligibilityRule",
    "PriorAward",
    "Declaration",
    "QuotaScope",
    "RatioBase",
    "Quota",
    "Initiative",
    "initiative_file_path",
    "InitiativeFile",
    "BaseSalary",
    "ModelStatus",
    "photo_path",
    "ExemplaryModel",
    "Plaque",
]
