"""Plt./Plh.: an officer appointed in writing to act as head of office for a period.

While a delegation runs (its dates are the office's, both days included), the delegate
holds the head of office's permissions (app/workflow/delegation.py) and signs as
"Plt. KEPALA DINAS …" or "Plh. …" (app/workflow/signers.py)."""

import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import relationship

from models.application import utcnow
from models.choices import Choices, refuse_unknown_choices


class DelegationKind(enum.StrEnum):
    PLT = "plt"  # pelaksana tugas: the position is vacant or its holder permanently absent
    PLH = "plh"  # pelaksana harian: its holder is away for a while (leave, duty travel)


DELEGATION_KINDS = Choices({
    DelegationKind.PLT: _l("Plt. (pelaksana tugas)"),
    DelegationKind.PLH: _l("Plh. (pelaksana harian)"),
})
# What the signature block prints before the office title.
PREFIXES = {DelegationKind.PLT: "Plt.", DelegationKind.PLH: "Plh."}


class SigningDelegation(Model):
    __tablename__ = "signing_delegation"
    __table_args__ = (
        DELEGATION_KINDS.check("kind", "ck_signing_delegation_kind"),
        CheckConstraint("end_date >= start_date", name="ck_signing_delegation_period"),
        # "Does this user act as head of office today?", asked on every request.
        Index("ix_signing_delegation_delegate_period", "delegate_id", "start_date",
              "end_date"),
    )

    id = Column(Integer, primary_key=True)
    delegate_id = Column(ForeignKey("ab_user.id"), nullable=False)
    delegate = relationship("SiapUser", foreign_keys=[delegate_id])
    kind = Column(String(3), nullable=False)
    start_date = Column(Date, nullable=False)
    end_date = Column(Date, nullable=False)  # the last day the delegate acts
    # Nomor surat perintah: the letter that appoints the delegate.
    letter_number = Column(String(100), nullable=False)
    created_by_id = Column(ForeignKey("ab_user.id"), nullable=False)
    created_by = relationship("SiapUser", foreign_keys=[created_by_id])
    created_at = Column(DateTime, nullable=False, default=utcnow)

    _refuse_unknown_choices = refuse_unknown_choices(kind=(DELEGATION_KINDS, _l("Kind")))

    @property
    def prefix(self):
        return PREFIXES[DelegationKind(self.kind)]

    def runs_on(self, day):
        return self.start_date <= day <= self.end_date

    def __repr__(self):
        return f"{self.prefix} {self.delegate.full_name if self.delegate else ''}".strip()
