"""Documents the office issues about a file besides its permit decree: the rejection
letter of a refused file and the decree revoking a signed permit."""

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import backref, relationship

from models.application import StoredFileMixin, utcnow
from models.choices import Choices, refuse_unknown_choices
from models.register import Register

# The kinds are the registers their numbers come from.
ISSUED_KINDS = Choices({Register.SURAT_PENOLAKAN: _l("Rejection letter"),
                        Register.SK_PENCABUTAN: _l("Revocation decree")})


class IssuedDocument(StoredFileMixin, Model):
    """Written unsigned in the transaction that numbers it (the rejecting action, the
    revocation), with the number it took from its register; signed later by whoever
    holds the signature, from the published version of its template. The signed PDF
    is stored and never made again: a later template version leaves it as it is."""

    __tablename__ = "issued_document"
    __table_args__ = (
        UniqueConstraint("application_id", "kind", name="uq_issued_document_kind"),
        ISSUED_KINDS.check("kind", "ck_issued_document_kind"),
    )

    id = Column(Integer, primary_key=True)
    kind = Column(String(20), nullable=False)
    application_id = Column(ForeignKey("application.id", ondelete="CASCADE"), nullable=False)
    application = relationship(
        "Application", backref=backref("issued_documents", cascade="all",
                                       order_by="IssuedDocument.id"))
    number = Column(String(80), nullable=False, unique=True)
    # Printed in the QR code of the signature: the public page of this document.
    token = Column(String(64), nullable=False, unique=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    template_version_id = Column(ForeignKey("document_template_version.id"), nullable=True)
    template_version = relationship("DocumentTemplateVersion")
    signed_at = Column(DateTime, nullable=True)
    signer_id = Column(ForeignKey("ab_user.id"), nullable=True)
    signer = relationship("SiapUser")
    signer_name = Column(String(128), nullable=True)
    # As app/workflow/signers.py capacity_record gives it: definitif, plt or plh, and a
    # delegate's appointing letter.
    signer_capacity = Column(String(10), nullable=True)
    signer_letter_number = Column(String(80), nullable=True)
    backend = Column(String(20), nullable=True)

    _refuse_unknown_choices = refuse_unknown_choices(kind=(ISSUED_KINDS, _l("Document")))

    @property
    def is_signed(self):
        return self.signed_at is not None and bool(self.stored_name)

    @property
    def kind_label(self):
        return ISSUED_KINDS.label(self.kind)
