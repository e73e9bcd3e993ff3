"""Regional assets (Barang Milik Daerah) and the agencies (OPD) that manage them.

An asset type is a permit type of the `aset` workflow: its managing agency, use form,
tariff and exclusivity sit on the permit type (models/catalogue.py), so a new asset type
added by an admin appears in the catalogue with its requirements, without code."""

import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import relationship

from models.choices import Choices, refuse_unknown_choices


class UseForm(enum.StrEnum):
    SEWA = "sewa"
    PINJAM_PAKAI = "pinjam_pakai"
    KSP = "kerja_sama_pemanfaatan"
    BGS_BSG = "bgs_bsg"
    KSPI = "kspi"


USE_FORM_LABELS = {
    UseForm.SEWA: _l("Rent (sewa)"),
    UseForm.PINJAM_PAKAI: _l("Loan for use (pinjam pakai)"),
    UseForm.KSP: _l("Utilisation partnership (KSP)"),
    UseForm.BGS_BSG: _l("Build-operate-transfer (BGS/BSG)"),
    UseForm.KSPI: _l("Infrastructure partnership (KSPI)"),
}
USE_FORMS = Choices(USE_FORM_LABELS)


class TariffUnit(enum.StrEnum):
    PER_DAY = "per_hari"
    PER_MONTH = "per_bulan"
    PER_YEAR = "per_tahun"
    PER_M2_YEAR = "per_m2_tahun"


TARIFF_UNIT_LABELS = {
    TariffUnit.PER_DAY: _l("per day"),
    TariffUnit.PER_MONTH: _l("per month"),
    TariffUnit.PER_YEAR: _l("per year"),
    TariffUnit.PER_M2_YEAR: _l("per m² per year"),
}
TARIFF_UNITS = Choices(TARIFF_UNIT_LABELS)


class Agency(Model):
    """An OPD (perangkat daerah) managing asset types; its officers are its users."""

    __tablename__ = "agency"

    id = Column(Integer, primary_key=True)
    code = Column(String(20), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    # An agency that asset types or officers use is deactivated, never deleted.
    active = Column(Boolean, nullable=False, default=True)

    def __repr__(self):
        return self.name


class Asset(Model):
    __tablename__ = "asset"

    id = Column(Integer, primary_key=True)
    kode_barang = Column(String(60), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    permit_type_id = Column(ForeignKey("permit_type.id"), nullable=False, index=True)
    asset_type = relationship("PermitType")
    address = Column(Text, nullable=False)
    kecamatan = Column(String(50), nullable=False)
    area_m2 = Column(Numeric(14, 2), nullable=True)
    certificate_number = Column(String(100), nullable=True)
    notes = Column(Text, nullable=True)
    active = Column(Boolean, nullable=False, default=True)

    def __repr__(self):
        return f"{self.name} ({self.kode_barang})"


class Booking(enum.StrEnum):
    """How an asset use holds its asset: set at the recommendation, cleared when the
    file is rejected or the permit revoked."""

    SHARED = "bersama"  # a non-exclusive asset: shown in the availability view only
    EXCLUSIVE = "eksklusif"  # no other exclusive booking of the asset may overlap it


BOOKINGS = Choices({Booking.SHARED: _l("Shared"), Booking.EXCLUSIVE: _l("Exclusive")})


class AssetUse(Model):
    """What an asset-use application asks for and what the managing agency recommends.

    On PostgreSQL an exclusion constraint (migration 0006) refuses two overlapping
    exclusive bookings of the same asset, whatever the application code checked."""

    __tablename__ = "asset_use"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="ck_asset_use_period"),
        USE_FORMS.check("use_form", "ck_asset_use_use_form"),
        BOOKINGS.check("booking", "ck_asset_use_booking"),
        Index("ix_asset_use_asset_booking", "asset_id", "booking"),
    )

    application_id = Column(ForeignKey("application.id", ondelete="CASCADE"), primary_key=True)
    application = relationship("Application", back_populates="asset_use")
    asset_id = Column(ForeignKey("asset.id"), nullable=False)
    asset = relationship(Asset)
    use_form = Column(String(30), nullable=False)  # copied from the asset type when applying
    purpose = Column(Text, nullable=False)
    period_start = Column(Date, nullable=False)
    period_end = Column(Date, nullable=False)
    area_m2 = Column(Numeric(14, 2), nullable=True)
    fee_estimate = Column(Numeric(16, 0), nullable=False, default=0)

    # The recommendation of the managing agency (Pengelola Aset).
    approved_start = Column(Date, nullable=True)
    approved_end = Column(Date, nullable=True)
    approved_area_m2 = Column(Numeric(14, 2), nullable=True)
    fee = Column(Numeric(16, 0), nullable=True)
    fee_change_reason = Column(Text, nullable=True)
    booking = Column(String(10), nullable=True)

    _refuse_unknown_choices = refuse_unknown_choices(
        use_form=(USE_FORMS, _l("Use form")), booking=(BOOKINGS, _l("Booking")),
    )

    @property
    def use_form_label(self):
        return USE_FORMS.label(self.use_form)
