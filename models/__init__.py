"""All database models. Every model subclasses Flask-AppBuilder's ``Model`` so that
Alembic sees one metadata (``flask_appbuilder.Model.metadata``) covering ``ab_*`` too."""

from models.catalogue import PermitCategory, PermitType, Requirement, WorkflowKind
from models.user import SiapUser

__all__ = ["PermitCategory", "PermitType", "Requirement", "SiapUser", "WorkflowKind"]
