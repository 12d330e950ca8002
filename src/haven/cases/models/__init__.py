"""Case models, one module per part of the journey."""

from haven.cases.models.core import (  # noqa: F401
    AccompanyingChild,
    Case,
    CaseStatus,
    Document,
    EntryRoute,
    ExploitationForm,
    Handover,
    IdentificationStatus,
    Reception,
    Recruitment,
    ReferenceSequence,
    TimelineEvent,
)
from haven.cases.models.identification import (  # noqa: F401
    DecisionEvidence,
    IdentificationDecision,
    Screening,
)
from haven.cases.models.returns import ReturnStep  # noqa: F401
from haven.cases.models.tasks import Task  # noqa: F401
