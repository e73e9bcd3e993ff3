"""The decree of a finished file: its public verification token, the signed PDF, the
period it is in force, and whether it still stands (berlaku) or was revoked (dicabut)."""

import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import backref, relationship

from models.application import StoredFileMixin, utcnow
from models.choices import Choices, refuse_unknown_choices


class DecreeStatus(enum.StrEnum):
    BERLAKU = "berlaku"  # in force
    DICABUT = "dicabut"  # revoked by the head of office


DECREE_STATUSES = Choices({DecreeStatus.BERLAKU: _l("In force"),
                           DecreeStatus.DICABUT: _l("Revoked")})


class Decree(StoredFileMixin, Model):
    __tablename__ = "decree"
    __table_args__ = (DECREE_STATUSES.check("status", "ck_decree_status"),)

    id = Column(Integer, primary_key=True)
    application_id = Column(ForeignKey("application.id", ondelete="CASCADE"), nullable=False,
                            unique=True)
    application = relationship("Application",
                               backref=backref("decree", uselist=False, cascade="all"))
    # Printed in the QR code; unguessable so the public page reveals nothing by enumeration.
    token = Column(String(64), nullable=False, unique=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    signed_at = Column(DateTime, nullable=True)
    signer_id = Column(ForeignKey("ab_user.id"), nullable=True)
    signer = relationship("SiapUser", foreign_keys=[signer_id])
    signer_name = Column(String(128), nullable=True)
    backend = Column(String(20), nullable=True)
    status = Column(String(10), nullable=False, default=DecreeStatus.BERLAKU.value)
    revoked_at = Column(DateTime, nullable=True)
    revoked_by_id = Column(ForeignKey("ab_user.id"), nullable=True)
    revoked_by = relationship("SiapUser", foreign_keys=[revoked_by_id])
    revoke_reason = Column(Text, nullable=True)
    # The template version the signed decree was made from (models/documents.py).
    template_version_id = Column(ForeignKey("document_template_version.id"), nullable=True)
    template_version = relationship("DocumentTemplateVersion")
    # The revocation is a decree of its own: its number, from the SK register
    # (app/services/revocation.py).
    revocation_number = Column(String(80), nullable=True, unique=True)
    # The period the permit is in force, fixed when it is signed (app/workflow/validity.py);
    # empty until then. Expiry is not stored: it follows from valid_until and the date.
    valid_from = Column(Date, nullable=True)
    valid_until = Column(Date, nullable=True, index=True)  # validity reminders (app/jobs)

    _refuse_unknown_choices = refuse_unknown_choices(status=(DECREE_STATUSES, _l("Status")))

    @property
    def is_signed(self):
        return self.signed_at is not None and bool(self.stored_name)
