"""Service standards: the working-day calendar's extra days off, per-stage targets, and
the applicants' satisfaction survey (SKM, PermenPAN-RB 14/2017)."""

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from models.application import utcnow

# The nine SKM elements, in the regulation's order, and what they are called.
SKM_ELEMENT_LABELS = {
    "persyaratan": _l("Requirements"),
    "prosedur": _l("Procedure"),
    "waktu": _l("Service time"),
    "biaya": _l("Cost/tariff"),
    "produk": _l("Service product"),
    "kompetensi": _l("Staff competence"),
    "perilaku": _l("Staff behaviour"),
    "sarana": _l("Facilities"),
    "pengaduan": _l("Complaint handling"),
}
SKM_ELEMENTS = tuple(SKM_ELEMENT_LABELS)


class Holiday(Model):
    """A day off the `holidays` package does not know: cuti bersama, regional days."""

    __tablename__ = "holiday"

    id = Column(Integer, primary_key=True)
    date = Column(Date, nullable=False, unique=True)
    name = Column(String(150), nullable=False)

    def __repr__(self):
        return f"{self.date} {self.name}"


class StageTarget(Model):
    """How many working days a permit type's files may spend in one status."""

    __tablename__ = "stage_target"
    __table_args__ = (
        UniqueConstraint("permit_type_id", "status", name="uq_stage_target_type_status"),
        CheckConstraint("days > 0", name="ck_stage_target_days"),
    )

    id = Column(Integer, primary_key=True)
    permit_type_id = Column(ForeignKey("permit_type.id", ondelete="CASCADE"), nullable=False)
    permit_type = relationship("PermitType")
    status = Column(String(30), nullable=False)
    days = Column(Integer, nullable=False)


class SurveyResponse(Model):
    """One applicant's rating (1–4) of the nine SKM elements for one finished file."""

    __tablename__ = "survey_response"
    __table_args__ = tuple(
        CheckConstraint(f"{name} BETWEEN 1 AND 4", name=f"ck_survey_{name}")
        for name in SKM_ELEMENTS
    )

    id = Column(Integer, primary_key=True)
    application_id = Column(ForeignKey("application.id", ondelete="CASCADE"), nullable=False,
                            unique=True)
    application = relationship("Application")
    respondent_id = Column(ForeignKey("ab_user.id"), nullable=False)
    persyaratan = Column(Integer, nullable=False)
    prosedur = Column(Integer, nullable=False)
    waktu = Column(Integer, nullable=False)
    biaya = Column(Integer, nullable=False)
    produk = Column(Integer, nullable=False)
    kompetensi = Column(Integer, nullable=False)
    perilaku = Column(Integer, nullable=False)
    sarana = Column(Integer, nullable=False)
    pengaduan = Column(Integer, nullable=False)
    comment = Column(Text, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)

    @property
    def scores(self):
        return [getattr(self, name) for name in SKM_ELEMENTS]
