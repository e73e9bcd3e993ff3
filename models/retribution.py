"""What an agency collecting retribution prints on its SKRD: the official who signs it
and where the payer pays. The agency's letterhead is a Letterhead row with its agency_id
(models/documents.py)."""

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import backref, relationship

from models.choices import refuse_unknown_choices
from models.user import PANGKAT_GOLONGAN


class AgencyRetribution(Model):
    """One agency's SKRD settings (an admin edits them in the SKRD settings screen;
    app/workflow/skrd.py refuses to issue an SKRD while they are incomplete)."""

    __tablename__ = "agency_retribution"
    __table_args__ = (
        CheckConstraint("length(official_nip) = 18", name="ck_agency_retribution_nip"),
        PANGKAT_GOLONGAN.check("official_rank", "ck_agency_retribution_rank"),
    )

    id = Column(Integer, primary_key=True)
    agency_id = Column(ForeignKey("agency.id"), nullable=False, unique=True)
    agency = relationship("Agency", backref=backref("retribution", uselist=False))
    # The official who signs the SKRD: name, position (jabatan), rank and NIP.
    official_name = Column(String(150), nullable=True)
    official_title = Column(String(250), nullable=True)
    official_rank = Column(String(5), nullable=True)
    official_nip = Column(String(18), nullable=True)
    # Where to pay: a bank account, or virtual account instructions, or both.
    bank_name = Column(String(100), nullable=True)
    account_number = Column(String(40), nullable=True)
    account_holder = Column(String(150), nullable=True)
    virtual_account = Column(Text, nullable=True)

    _refuse_unknown_choices = refuse_unknown_choices(
        official_rank=(PANGKAT_GOLONGAN, _l("Rank/grade")))

    @property
    def official_rank_label(self):
        return PANGKAT_GOLONGAN.label(self.official_rank) if self.official_rank else None

    @property
    def has_bank_account(self):
        return bool(self.bank_name and self.account_number and self.account_holder)

    def missing(self):
        """The translated names of what an SKRD needs and the settings lack."""
        gaps = []
        if not (self.official_name and self.official_title and self.official_nip):
            gaps.append(_l("the signing official (name, position and NIP)"))
        if not (self.has_bank_account or (self.virtual_account or "").strip()):
            gaps.append(_l("where to pay (a bank account or virtual account instructions)"))
        return gaps

    def __repr__(self):
        return f"{self.agency} (SKRD)"
