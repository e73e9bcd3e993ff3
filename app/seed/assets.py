"""Default agencies, the asset terms of the seeded asset permit types, and a few assets.

Plausible figures for a regency; the real tariffs come from Kabupaten Blitar's
retribution regulation and are set by admins."""

from sqlalchemy import select

from app.extensions import db
from models import Agency, AgencyRetribution, Asset, Letterhead, PermitType

AGENCIES = [
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah"),
    ("DISPORAPAR", "Dinas Kepemudaan, Olahraga, Kebudayaan dan Pariwisata"),
    ("DISPERINDAG", "Dinas Perindustrian dan Perdagangan"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
]

# What each agency prints on its SKRD: its letterhead and (name, position, grade, NIP)
# of the official who signs it. Made-up officials; the account is the regency's treasury
# account (Rekening Kas Umum Daerah) at the regional bank, also made up: admins set the
# real ones in the SKRD settings screen.
AGENCY_ADDRESS = "Kompleks Perkantoran Pemerintah Kabupaten Blitar, Jalan Semeru, Kanigoro"
AGENCY_SETTINGS = {
    "BPKAD": ("bpkad", "Drs. Hendro Prasetyo, M.Si.",
              "KEPALA BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH KABUPATEN BLITAR", "IV/b",
              "197203151998031004"),
    "DISPORAPAR": ("disporapar", "Sri Wahyuni, S.Sos., M.M.",
                   "KEPALA DINAS KEPEMUDAAN, OLAHRAGA, KEBUDAYAAN DAN PARIWISATA "
                   "KABUPATEN BLITAR", "IV/b", "197106242000032002"),
    "DISPERINDAG": ("disperindag", "Bambang Suryanto, S.E., M.M.",
                    "KEPALA DINAS PERINDUSTRIAN DAN PERDAGANGAN KABUPATEN BLITAR", "IV/b",
                    "197009091997031005"),
    "DPUPR": ("dpupr", "Ir. Agus Salim, M.T.",
              "KEPALA DINAS PEKERJAAN UMUM DAN PENATAAN RUANG KABUPATEN BLITAR", "IV/c",
              "196912121996031003"),
}
TREASURY_ACCOUNT = ("Bank Jatim Cabang Blitar", "0011223344",
                    "RKUD Pemerintah Kabupaten Blitar")
# The code of the retribution on the use of regional assets (Retribusi Pemakaian Kekayaan
# Daerah) in the regional chart of accounts; admins refine it per asset type.
RETRIBUTION_CODE = "4.1.02.02.01"

# permit type code → (agency code, use form, tariff, unit, exclusive)
ASSET_TERMS = {
    "ASET-SEWA-TANAH": ("BPKAD", "sewa", 5000, "per_m2_tahun", True),
    "ASET-SEWA-BANGUNAN": ("BPKAD", "sewa", 25000, "per_m2_tahun", True),
    "ASET-GEDUNG-PERTEMUAN": ("BPKAD", "sewa", 1500000, "per_hari", True),
    "ASET-GOR": ("DISPORAPAR", "sewa", 750000, "per_hari", True),
    "ASET-KIOS-PASAR": ("DISPERINDAG", "sewa", 150000, "per_bulan", True),
    "ASET-ALAT-BERAT": ("DPUPR", "sewa", 2500000, "per_hari", True),
    "ASET-REKLAME": ("BPKAD", "sewa", 100000, "per_m2_tahun", True),
    "ASET-UTILITAS": ("DPUPR", "sewa", 20000, "per_m2_tahun", False),
    "ASET-RUMAH-DINAS": ("BPKAD", "sewa", 500000, "per_bulan", True),
    "ASET-PINJAM-PAKAI": ("BPKAD", "pinjam_pakai", 0, "per_tahun", True),
}

# (kode barang, name, permit type code, address, kecamatan, area m², certificate)
ASSETS = [
    ("1.3.1.01.01.001", "Tanah eks bengkok Desa Sumberdiren", "ASET-SEWA-TANAH",
     "Desa Sumberdiren", "Garum", 2500, "SHP 12/Sumberdiren"),
    ("1.3.2.01.01.014", "Gedung Pertemuan Kanigoro", "ASET-GEDUNG-PERTEMUAN",
     "Jl. Semeru, Kanigoro", "Kanigoro", 600, None),
    ("1.3.2.01.05.002", "Gedung Olahraga Kanigoro", "ASET-GOR",
     "Jl. Raya Kanigoro", "Kanigoro", 1800, None),
    ("1.3.2.01.07.112", "Kios Pasar Wlingi Blok A No. 12", "ASET-KIOS-PASAR",
     "Pasar Wlingi", "Wlingi", 9, None),
    ("1.3.2.03.01.003", "Ekskavator PC-200", "ASET-ALAT-BERAT",
     "UPT Peralatan DPUPR, Kanigoro", "Kanigoro", None, None),
    ("1.3.2.02.03.021", "Rumah Dinas Jl. Anggrek 5", "ASET-RUMAH-DINAS",
     "Jl. Anggrek 5, Kanigoro", "Kanigoro", 120, None),
    ("1.3.2.01.02.030", "Ruang Serbaguna Kantor Kecamatan Srengat", "ASET-PINJAM-PAKAI",
     "Kantor Kecamatan Srengat", "Srengat", 150, None),
]


def ensure_assets():
    """Add missing agencies, asset terms and assets; never overwrites an admin's edits."""
    added = 0
    agencies = {a.code: a for a in db.session.scalars(select(Agency))}
    for code, name in AGENCIES:
        if code not in agencies:
            agencies[code] = Agency(code=code, name=name)
            db.session.add(agencies[code])
            added += 1
    types = {t.code: t for t in db.session.scalars(
        select(PermitType).where(PermitType.code.in_(ASSET_TERMS)))}
    for code, (agency, use_form, tariff, unit, exclusive) in ASSET_TERMS.items():
        permit_type = types.get(code)
        if permit_type is not None and permit_type.agency_id is None:
            permit_type.agency = agencies[agency]
            permit_type.use_form, permit_type.tariff_amount = use_form, tariff
            permit_type.tariff_unit, permit_type.exclusive = unit, exclusive
            permit_type.retribution_code = RETRIBUTION_CODE if tariff else None
            added += 1
    known = set(db.session.scalars(select(Asset.kode_barang)))
    for kode, name, type_code, address, kecamatan, area, certificate in ASSETS:
        if kode not in known and type_code in types:
            db.session.add(Asset(kode_barang=kode, name=name, asset_type=types[type_code],
                                 address=address, kecamatan=kecamatan, area_m2=area,
                                 certificate_number=certificate))
            added += 1
    added += ensure_agency_settings(agencies)
    db.session.commit()
    return added


def ensure_agency_settings(agencies):
    """The demo agencies' letterheads and SKRD settings, where they have none."""
    added = 0
    with_letterhead = set(db.session.scalars(
        select(Letterhead.agency_id).where(Letterhead.agency_id.is_not(None))))
    with_settings = set(db.session.scalars(select(AgencyRetribution.agency_id)))
    for code, (site, name, title, rank, nip) in AGENCY_SETTINGS.items():
        agency = agencies.get(code)
        if agency is None:
            continue
        db.session.flush()  # the agency's id
        if agency.id not in with_letterhead:
            db.session.add(Letterhead(
                agency=agency, office=agency.name.upper(), address=AGENCY_ADDRESS,
                postal_code="66171", telephone="(0342) 801000",
                email=f"{site}@blitarkab.go.id", website=f"{site}.blitarkab.go.id"))
            added += 1
        if agency.id not in with_settings:
            bank, account, holder = TREASURY_ACCOUNT
            db.session.add(AgencyRetribution(
                agency=agency, official_name=name, official_title=title, official_rank=rank,
                official_nip=nip, bank_name=bank, account_number=account,
                account_holder=holder))
            added += 1
    return added
