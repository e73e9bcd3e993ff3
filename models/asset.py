"""Regional assets (Barang Milik Daerah) and the agencies (OPD) that manage them.

An asset type is a permit type of the `aset` workflow: its managing agency, use form,
tariff and exclusivity sit on the permit type (models/catalogue.py), so a new asset type
added by an admin appears in the catalogue with its requirements, without code."""

import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import relationship


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


class Agency(Model):
    """An OPD (perangkat daerah) managing asset types; its officers are its users."""

    __tablename__ = "agency"

    id = Column(Integer, primary_key=True)
    code = Column(String(20), nullable=False, unique=True)
    name = Column(String(200), nullable=False)

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
