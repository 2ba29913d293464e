"""The database models. Import them from here."""

from awareness.models.content import (
    Module,
    ModuleAudience,
    ModuleRevision,
    ModuleTranslation,
    Option,
    Question,
)
from awareness.models.org import ROLES, Department, Layer, Person
from awareness.models.progress import (
    Assignment,
    Attempt,
    AttemptAnswer,
    TrendGeneration,
    TrendPoint,
)
from awareness.models.types import utcnow

__all__ = [
    "ROLES",
    "Assignment",
    "Attempt",
    "AttemptAnswer",
    "Department",
    "Layer",
    "Module",
    "ModuleAudience",
    "ModuleRevision",
    "ModuleTranslation",
    "Option",
    "Person",
    "Question",
    "TrendGeneration",
    "TrendPoint",
    "utcnow",
]
