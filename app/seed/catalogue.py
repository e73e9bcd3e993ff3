"""The default permit catalogue (DESIGN.md sections 3 and 4, reference/domain.md).

Seeding adds what is missing, matched by category name, permit type code and
requirement name; it never overwrites what an admin has changed."""

from sqlalchemy import select

from app.extensions import db
from models import PermitCategory, PermitType, Requirement, WorkflowKind

# (name, description, mandatory, accepted types, max MB)
PKKPR_REQUIREMENTS = [
    ("Surat permohonan", "Surat permohonan PKKPR Non Berusaha yang ditandatangani pemohon.",
     True, "pdf", 5),
    ("Surat pernyataan kebenaran dokumen dan tanggung jawab",
     "Bermeterai Rp10.000 dan ditandatangani pemohon.", True, "pdf", 5),
    ("KTP pemohon", "Kartu Tanda Penduduk pemohon atau penanggung jawab.",
     True, "pdf,jpg,png", 2),
    ("NPWP", "Nomor Pokok Wajib Pajak pemohon, bila ada.", False, "pdf,jpg,png", 2),
    ("Bukti penguasaan tanah", "Sertifikat atau surat keterangan tanah (SKT).", True, "pdf", 10),
    ("Bukti pelunasan PBB tahun terakhir", "SPPT dan tanda lunas PBB tahun terakhir.",
     True, "pdf,jpg,png", 5),
    ("Persetujuan tetangga",
     "Diketahui ketua RT, kepala desa/lurah dan camat setempat.", True, "pdf", 10),
    ("Peta lokasi dan titik koordinat",
     "Gambar lokasi dengan titik koordinat atau poligon bidang tanah.", False, "pdf,jpg,png", 10),
    ("Rencana teknis / site plan",
     "Gambar rencana bangunan: jumlah lantai dan luas lantai.", True, "pdf", 20),
    ("Akta pendirian badan hukum", "Untuk yayasan atau badan hukum.", False, "pdf", 10),
    ("Dasar hukum pembentukan instansi", "Untuk instansi pemerintah.", False, "pdf", 10),
    ("Surat kuasa", "Bila permohonan dikuasakan kepada orang lain.", False, "pdf", 5),
]

ASSET_REQUIREMENTS = [
    ("Surat permohonan",
     "Memuat data pemohon, maksud pemanfaatan dan jangka waktu.", True, "pdf", 5),
    ("KTP pemohon", "Kartu Tanda Penduduk pemohon atau penanggung jawab.",
     True, "pdf,jpg,png", 2),
    ("Surat pernyataan kesanggupan memelihara aset",
     "Bermeterai Rp10.000.", True, "pdf", 5),
    ("Denah / foto lokasi yang dimohon", "Denah rencana pemanfaatan atau foto lokasi.",
     True, "pdf,jpg,png", 10),
    ("NPWP", "Untuk badan usaha atau badan hukum.", False, "pdf,jpg,png", 2),
    ("Izin usaha / akta badan hukum", "Untuk badan usaha atau badan hukum.", False, "pdf", 10),
]

# (code, name, description, service days)
ASSET_PERMIT_TYPES = [
    ("ASET-SEWA-TANAH", "Sewa Tanah Milik Daerah",
     "Sewa bidang tanah milik Pemerintah Kabupaten Blitar, tarif per m² per tahun.", 14),
    ("ASET-SEWA-BANGUNAN", "Sewa Bangunan Milik Daerah",
     "Sewa gedung atau ruang bangunan milik daerah.", 14),
    ("ASET-GEDUNG-PERTEMUAN", "Sewa Gedung Pertemuan",
     "Pemakaian gedung pertemuan atau aula milik daerah per hari.", 5),
    ("ASET-GOR", "Sewa Gedung Olahraga (GOR)",
     "Pemakaian gedung olahraga dan lapangan milik daerah per hari.", 5),
    ("ASET-KIOS-PASAR", "Sewa Kios Pasar", "Sewa kios atau los pasar daerah per bulan.", 10),
    ("ASET-ALAT-BERAT", "Sewa Alat Berat", "Sewa alat berat milik daerah per hari.", 7),
    ("ASET-REKLAME", "Pemanfaatan Tanah Daerah untuk Reklame",
     "Penempatan papan reklame di atas tanah milik daerah.", 14),
    ("ASET-UTILITAS", "Penempatan Tiang/Kabel Utilitas di Ruang Milik Jalan",
     "Tiang, kabel atau pipa utilitas di ruang milik jalan kabupaten.", 14),
    ("ASET-RUMAH-DINAS", "Sewa Rumah Dinas", "Penghunian rumah dinas milik daerah.", 14),
    ("ASET-PINJAM-PAKAI", "Pinjam Pakai Barang Milik Daerah",
     "Pinjam pakai untuk instansi pemerintah atau kegiatan sosial, tanpa biaya.", 14),
]

CATALOGUE = [
    {
        "name": "Tata Ruang",
        "icon": "fa-map",
        "position": 10,
        "description": "Persetujuan kesesuaian kegiatan pemanfaatan ruang.",
        "permit_types": [
            {
                "code": "PKKPR-NB",
                "name": "PKKPR Non Berusaha",
                "workflow_kind": WorkflowKind.PKKPR_NB.value,
                "description": (
                    "Persetujuan Kesesuaian Kegiatan Pemanfaatan Ruang untuk kegiatan "
                    "non berusaha: rumah tinggal, tempat ibadah, sekolah yayasan, fasilitas "
                    "sosial dan bangunan pemerintah. Berlaku 3 tahun."
                ),
                "service_days": 20,
                "requirements": PKKPR_REQUIREMENTS,
            }
        ],
    },
    {
        "name": "Pemanfaatan Aset Daerah",
        "icon": "fa-building",
        "position": 20,
        "description": "Izin pemanfaatan Barang Milik Daerah Kabupaten Blitar.",
        "permit_types": [
            {
                "code": code,
                "name": name,
                "workflow_kind": WorkflowKind.ASET.value,
                "description": description,
                "service_days": days,
                # The holder of a rent or loan for use may apply for its renewal.
                "renewable": True,
                "requirements": ASSET_REQUIREMENTS,
            }
            for code, name, description, days in ASSET_PERMIT_TYPES
        ],
    },
]


def ensure_catalogue():
    """Add the default categories, permit types and requirements that are missing."""
    added = 0
    for category_data in CATALOGUE:
        category = db.session.scalar(
            select(PermitCategory).where(PermitCategory.name == category_data["name"])
        )
        if category is None:
            category = PermitCategory(
                name=category_data["name"],
                icon=category_data["icon"],
                position=category_data["position"],
                description=category_data["description"],
            )
            db.session.add(category)
            added += 1
        for type_position, type_data in enumerate(category_data["permit_types"]):
            permit_type = db.session.scalar(
                select(PermitType).where(PermitType.code == type_data["code"])
            )
            if permit_type is None:
                permit_type = PermitType(
                    category=category,
                    position=type_position * 10,
                    **{k: v for k, v in type_data.items() if k != "requirements"},
                )
                db.session.add(permit_type)
                added += 1
            known = {requirement.name for requirement in permit_type.requirements}
            for position, (name, description, mandatory, types, max_mb) in enumerate(
                type_data["requirements"]
            ):
                if name not in known:
                    permit_type.requirements.append(
                        Requirement(
                            name=name,
                            description=description,
                            mandatory=mandatory,
                            accepted_types=types,
                            max_size_mb=max_mb,
                            position=position * 10,
                        )
                    )
                    added += 1
    db.session.commit()
    return added
