"""The office's number registers (Buku Register): every decree number, revocation decree
number and rejection letter number given, one row each."""

import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import relationship

from models.application import utcnow
from models.choices import Choices, refuse_unknown_choices


class Register(enum.StrEnum):
    SK = "sk"  # the decree granting a permit
    SK_PENCABUTAN = "sk_pencabutan"  # the decree revoking one
    SURAT_PENOLAKAN = "surat_penolakan"  # the letter rejecting an application


REGISTERS = Choices({Register.SK: _l("Permit decree"),
                     Register.SK_PENCABUTAN: _l("Revocation decree"),
                     Register.SURAT_PENOLAKAN: _l("Rejection letter")})


class RegisterEntry(Model):
    """One number given from a counter (app/workflow/numbering.py), written in the
    transaction that takes it: the register lists every number exactly once, and a
    counter's values in a year are 1, 2, 3… without a gap. `seq` orders the register;
    what became of the number (issued, cancelled, revoked, expired) is read from its file
    and decree."""

    __tablename__ = "register_entry"
    __table_args__ = (
        UniqueConstraint("year", "sequence", "seq", name="uq_register_entry_seq"),
        REGISTERS.check("register", "ck_register_entry_register"),
    )

    id = Column(Integer, primary_key=True)
    register = Column(String(20), nullable=False)
    sequence = Column(String(60), nullable=False)  # the counter's name (NumberSequence)
    year = Column(Integer, nullable=False)
    seq = Column(Integer, nullable=False)
    number = Column(String(80), nullable=False, unique=True)
    application_id = Column(ForeignKey("application.id"), nullable=False, index=True)
    application = relationship("Application")
    created_at = Column(DateTime, nullable=False, default=utcnow)  # when it was taken

    _refuse_unknown_choices = refuse_unknown_choices(register=(REGISTERS, _l("Number register")))
