"""All database models. Every model subclasses Flask-AppBuilder's ``Model`` so that
Alembic sees one metadata (``flask_appbuilder.Model.metadata``) covering ``ab_*`` too."""

from models.application import (
    Application,
    ApplicationDocument,
    ApplicationRequirement,
    Artifact,
    DocumentVersion,
    HistoryEvent,
    NumberSequence,
    PkkprDetail,
)
from models.asset import Agency, Asset, AssetUse, Booking, TariffUnit, UseForm
from models.audit import AuditEntry
from models.cache import CacheGeneration
from models.catalogue import PermitCategory, PermitType, Requirement, WorkflowKind
from models.decree import Decree
from models.delegation import SigningDelegation
from models.documents import DocumentTemplate, DocumentTemplateVersion, Letterhead
from models.initials import ApplicationInitial
from models.issued import IssuedDocument
from models.job import JobAction, JobRun
from models.notification import InAppNotification, MessageTemplate, OutboxMessage
from models.privacy import AccountDeletion
from models.process import Process, ProcessVersion
from models.register import Register, RegisterEntry
from models.rejection import Rejection
from models.retribution import AgencyRetribution
from models.security import FailedAttempt, PasswordResetCode, UserSession
from models.service import SKM_ELEMENTS, Holiday, StageTarget, SurveyResponse
from models.statistics import ClockCount, FileCount, StageCount, SurveyTotal
from models.user import SiapUser

__all__ = [
    "AccountDeletion",
    "Agency",
    "AgencyRetribution",
    "Asset",
    "AssetUse",
    "AuditEntry",
    "Booking",
    "CacheGeneration",
    "ClockCount",
    "FileCount",
    "StageCount",
    "SurveyTotal",
    "TariffUnit",
    "UseForm",
    "Application",
    "ApplicationDocument",
    "ApplicationInitial",
    "ApplicationRequirement",
    "Artifact",
    "Decree",
    "DocumentTemplate",
    "DocumentTemplateVersion",
    "DocumentVersion",
    "FailedAttempt",
    "HistoryEvent",
    "InAppNotification",
    "IssuedDocument",
    "JobAction",
    "JobRun",
    "Letterhead",
    "MessageTemplate",
    "OutboxMessage",
    "PasswordResetCode",
    "NumberSequence",
    "PermitCategory",
    "PermitType",
    "PkkprDetail",
    "Process",
    "ProcessVersion",
    "Register",
    "RegisterEntry",
    "Rejection",
    "Requirement",
    "SiapUser",
    "SigningDelegation",
    "SKM_ELEMENTS",
    "Holiday",
    "StageTarget",
    "SurveyResponse",
    "UserSession",
    "WorkflowKind",
]
