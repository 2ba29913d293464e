"""The database models. Import them from here."""

from awareness.models.access import ApiToken, LoginSession
from awareness.models.audit import AuditEvent
from awareness.models.content import (
    ContentAsset,
    ContentSync,
    Module,
    ModuleAudience,
    ModuleRevision,
    ModuleTranslation,
    Option,
    Question,
)
from awareness.models.imports import PeopleImport, PeopleImportStep
from awareness.models.live import (
    Attendance,
    LiveSession,
    LiveSessionDepartment,
    LiveSessionLayer,
    Registration,
)
from awareness.models.mail import EmailMessage, PasswordToken
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
    "ApiToken",
    "Assignment",
    "Attempt",
    "AttemptAnswer",
    "Attendance",
    "AuditEvent",
    "ContentAsset",
    "ContentSync",
    "Department",
    "EmailMessage",
    "Layer",
    "LiveSession",
    "LiveSessionDepartment",
    "LiveSessionLayer",
    "LoginSession",
    "Module",
    "ModuleAudience",
    "ModuleRevision",
    "ModuleTranslation",
    "Option",
    "PasswordToken",
    "PeopleImport",
    "PeopleImportStep",
    "Person",
    "Question",
    "Registration",
    "TrendGeneration",
    "TrendPoint",
    "utcnow",
]
