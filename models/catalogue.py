"""The permit catalogue: categories, permit types and their requirements.

Admins manage all three without code; the public page /persyaratan shows them."""

import enum

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import Role
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, ForeignKey, Integer, Numeric, String, Table, Text
from sqlalchemy.orm import relationship

from models.asset import TARIFF_UNITS, USE_FORMS
from models.choices import Choices, refuse_unknown_choices

# File types an applicant may upload, by extension; the content is checked on upload.
UPLOAD_TYPES = ("pdf", "jpg", "png")


class WorkflowKind(enum.StrEnum):
    """Which workflow definition processes a permit type's applications."""

    PKKPR_NB = "pkkpr_nb"  # Persetujuan KKPR Non Berusaha (DPUPR + ATR/BPN)
    ASET = "aset"  # Izin Pemanfaatan Aset Daerah (the managing agency)


WORKFLOW_KIND_LABELS = {
    WorkflowKind.PKKPR_NB: _l("PKKPR Non Berusaha"),
    WorkflowKind.ASET: _l("Asset Use Permit"),
}
WORKFLOW_KINDS = Choices(WORKFLOW_KIND_LABELS)


class PermitCategory(Model):
    __tablename__ = "permit_category"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), unique=True, nullable=False)
    position = Column(Integer, nullable=False, default=0)
    icon = Column(String(50), nullable=False, default="fa-folder-open")
    description = Column(Text, nullable=True)

    permit_types = relationship(
        "PermitType", back_populates="category", order_by="PermitType.position"
    )

    def __repr__(self):
        return self.name


# The roles whose initials (paraf koordinasi) a permit type's decree needs before the
# signature (app/workflow/initials.py).
permit_type_initial_role = Table(
    "permit_type_initial_role",
    Model.metadata,
    Column("permit_type_id", ForeignKey("permit_type.id", ondelete="CASCADE"),
           primary_key=True),
    Column("role_id", ForeignKey("ab_role.id", ondelete="CASCADE"), primary_key=True),
)


class PermitType(Model):
    __tablename__ = "permit_type"
    __table_args__ = (
        USE_FORMS.check("use_form", "ck_permit_type_use_form"),
        TARIFF_UNITS.check("tariff_unit", "ck_permit_type_tariff_unit"),
    )

    id = Column(Integer, primary_key=True)
    code = Column(String(30), unique=True, nullable=False)
    name = Column(String(150), nullable=False)
    category_id = Column(ForeignKey("permit_category.id"), nullable=False, index=True)
    category = relationship(PermitCategory, back_populates="permit_types")
    workflow_kind = Column(String(20), nullable=False)
    description = Column(Text, nullable=True)
    service_days = Column(Integer, nullable=False, default=20)
    active = Column(Boolean, nullable=False, default=True)
    position = Column(Integer, nullable=False, default=0)
    # Number formats: placeholders {code} {seq} {year} {month} {roman_month}; see
    # app/workflow/numbering.py. The sequence restarts every year.
    registration_format = Column(
        String(100), nullable=False, default="{code}/{year}/{seq:06d}"
    )
    sk_format = Column(String(100), nullable=False, default="503/{seq:03d}/409.110/{year}")

    # Asset types only (workflow kind "aset"): who manages them and what they cost.
    agency_id = Column(ForeignKey("agency.id"), nullable=True, index=True)
    agency = relationship("Agency")
    use_form = Column(String(30), nullable=True)
    tariff_amount = Column(Numeric(14, 2), nullable=True)
    tariff_unit = Column(String(20), nullable=True)
    # The retribution's account code (kode rekening) the SKRD prints, e.g. 4.1.02.02.01.
    retribution_code = Column(String(40), nullable=True)
    # Nullable: FAB makes a NOT NULL checkbox required, so it could not be left unticked.
    exclusive = Column(Boolean, nullable=True, default=False)
    # The holder of a signed permit of this type may apply for its renewal (perpanjangan,
    # app/services/renewal.py). Nullable for the same reason as `exclusive`.
    renewable = Column(Boolean, nullable=True, default=False)

    # The deadlines' numbers for this permit type's files, in working days; empty: the
    # application's default (app/workflow/deadline_settings.py). Reminders are lists
    # such as "3, 1" (days before the deadline; a correction reminder may be a share of
    # the correction period, "50%").
    billing_reminder_days = Column(String(60), nullable=True)
    skrd_reminder_days = Column(String(60), nullable=True)
    correction_days = Column(Integer, nullable=True)
    correction_reminder_days = Column(String(60), nullable=True)
    reopen_days = Column(Integer, nullable=True)
    validity_reminder_days = Column(String(60), nullable=True)

    # Paraf koordinasi: after the SK number the file waits for the initials of a holder
    # of each of these roles before it reaches Siap DS. None: straight to Siap DS.
    initialling_roles = relationship(Role, secondary=permit_type_initial_role,
                                     order_by=Role.name, passive_deletes=True)

    requirements = relationship(
        "Requirement",
        back_populates="permit_type",
        order_by="Requirement.position",
        cascade="all, delete-orphan",
    )

    _refuse_unknown_choices = refuse_unknown_choices(
        use_form=(USE_FORMS, _l("Use form")),
        tariff_unit=(TARIFF_UNITS, _l("Tariff unit")),
    )

    @property
    def active_requirements(self):
        """What a file created now must provide (and the public catalogue lists)."""
        return [requirement for requirement in self.requirements if requirement.active]

    @property
    def tariff_unit_label(self):
        return TARIFF_UNITS.label(self.tariff_unit) if self.tariff_unit else ""

    def __repr__(self):
        return self.name


class Requirement(Model):
    __tablename__ = "permit_requirement"

    id = Column(Integer, primary_key=True)
    permit_type_id = Column(
        ForeignKey("permit_type.id", ondelete="CASCADE"), nullable=False, index=True
    )
    permit_type = relationship(PermitType, back_populates="requirements")
    name = Column(String(200), nullable=False)
    description = Column(Text, nullable=True)
    mandatory = Column(Boolean, nullable=False, default=True)
    accepted_types = Column(String(50), nullable=False, default="pdf")
    max_size_mb = Column(Integer, nullable=False, default=5)
    position = Column(Integer, nullable=False, default=0)
    # Inactive: not asked of new files; the files created with it keep it (see
    # Application.requirement_set).
    active = Column(Boolean, nullable=False, default=True)

    @property
    def accepted_type_list(self):
        return [t.strip() for t in self.accepted_types.split(",") if t.strip()]

    def __repr__(self):
        return self.name
