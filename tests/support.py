"""Helpers for workflow tests: sample files, valid form input for every action, and a
factory that puts a PKKPR file straight into any state."""

import io
import itertools
import struct
import zlib
from datetime import timedelta

import pikepdf
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict

from app import office_time
from app.extensions import db
from app.storage.files import store_bytes
from app.workflow.engine import STATUS_WRITERS, record_event, set_status
from models import Application, ApplicationDocument, PermitType, PkkprDetail, SiapUser
from models.application import utcnow

SIGNING_PASSPHRASE = "Rahasia-DS-2026"


def blank_pdf():
    """A small well-formed PDF of one blank page (uploads are parsed: a PDF without a
    cross-reference table is refused as damaged)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    output = io.BytesIO()
    pdf.save(output, deterministic_id=True)
    return output.getvalue()


PDF = blank_pdf()


def tiny_png():
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


PNG = tiny_png()


def real_pdf(text="Dokumen uji"):
    """A well-formed PDF (pyHanko needs a cross-reference table to sign)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


SIGNABLE_PDF = real_pdf()
_serial = itertools.count(1)
TODAY = office_time.today()
POLYGON = ('{"type": "Polygon", "coordinates": [[[112.16, -8.10], [112.1605, -8.10], '
           '[112.1605, -8.1005], [112.16, -8.1005], [112.16, -8.10]]]}')


def upload(content=PDF, name="berkas.pdf"):
    return FileStorage(stream=io.BytesIO(content), filename=name)


def pkkpr_application_data(**changes):
    data = {
        "applicant_name": "Budi Santoso",
        "applicant_nik": "3505011204850001",
        "applicant_address": "Jl. Merdeka 1, Kanigoro",
        "applicant_whatsapp": "081234567890",
        "location_address": "Jl. Raya Kanigoro 10",
        "desa": "Kanigoro",
        "kecamatan": "Kanigoro",
        "latitude": "-8.100000",
        "longitude": "112.160000",
        "polygon_geojson": POLYGON,
        "land_area_m2": "250",
        "land_title_status": "SHM",
        "activity": "Rumah tinggal",
        "planned_floors": "2",
        "planned_floor_area_m2": "180",
    }
    data.update(changes)
    return data


def action_input(action):
    """Valid form input for each PKKPR action (files fresh each call)."""
    d = TODAY.isoformat()
    inputs = {
        "kembalikan": {"alasan": "Dokumen kurang jelas"},
        "buka_kembali": {"alasan": "Pemohon sakit selama masa perbaikan"},
        "tolak_bukti_bayar": {"alasan": "NTPN tidak cocok"},
        "tolak": {"alasan": "Tidak sesuai rencana tata ruang"},
        "kembalikan_bo": {"alasan": "Perbaiki tanggal"},
        "tolak_ds": {"alasan": "Tidak memenuhi syarat"},
        "batalkan": {"catatan": "Tidak jadi"},
        "tarik_permohonan": {"alasan": "Kegiatan dibatalkan oleh panitia"},
        "konfirmasi_pembayaran": {"catatan": ""},
        "terbitkan_krk": {
            "nomor_krk": "650/12/409.114/2026", "tanggal_krk": d, "luas_disetujui": "250",
            "peruntukan": "Perumahan kepadatan sedang", "kdb_maks": "60", "klb": "1.2",
            "kdh_min": "20", "gsb": "5", "lantai_maks": "3", "peta_tervalidasi": "y",
            "berkas_krk": upload(name="krk.pdf"),
        },
        "terbitkan_sps": {
            "nomor_sps": "SPS-0012/2026", "jumlah": "1250000", "kode_billing": "820260000012345",
            "kedaluwarsa_billing": (TODAY + timedelta(days=3)).isoformat(),
            "berkas_sps": upload(name="sps.pdf"),
        },
        "terbitkan_ulang_sps": {
            "nomor_sps": "SPS-0013/2026", "jumlah": "1250000", "kode_billing": "820260000099999",
            "kedaluwarsa_billing": (TODAY + timedelta(days=5)).isoformat(),
            "berkas_sps": upload(name="sps-baru.pdf"),
        },
        "unggah_bukti_bayar": {
            "bukti_bayar": upload(PNG, "bukti.png"), "tanggal_bayar": d,
            "ntpn": "A1B2C3D4E5F6G7H8",
        },
        "terbitkan_pertek": {
            "nomor_pertek": "PTK/45/2026", "tanggal_pertek": d,
            "berkas_pertek": upload(name="pertek.pdf"),
        },
        "terbitkan_rekomendasi": {
            "nomor_rekomendasi": "600/77/409.114/2026", "tanggal_rekomendasi": d,
            "keputusan": "disetujui", "luas_disetujui": "240",
            "gambar_peta": upload(PNG, "peta.png"), "poligon_geojson": POLYGON,
            "berkas_rekomendasi": upload(name="rekomendasi.pdf"),
        },
        "input_nomor_sk": {"tanggal_sk": d},
        "tandatangani": {"passphrase": SIGNING_PASSPHRASE},
    }
    return MultiDict(inputs.get(action, {}))


def start_clock(application):
    """A submitted file's clock as if it had just entered its status."""
    from app.workflow.clock import runs_in
    from app.workflow.registry import WORKFLOWS

    if application.status != "draft":
        application.submitted_at = application.status_changed_at
        if runs_in(WORKFLOWS[application.kind], application.status):
            application.clock_running_since = application.status_changed_at


def await_initials(application):
    """A file waiting for initials waits for those its permit type names (as entering
    the SK number leaves it)."""
    if application.status == "menunggu_paraf":
        from app.workflow.initials import open_round

        open_round(application)


def user(username):
    return db.session.scalar(select(SiapUser).where(SiapUser.username == username))


def pkkpr_type():
    return db.session.scalar(select(PermitType).where(PermitType.code == "PKKPR-NB"))


def make_pkkpr(status="draft", owner="pemohon", created_by=None, documents="accepted",
               registration_number=None):
    """A PKKPR file in `status`, with every requirement uploaded (documents=None for
    none, "pending" or "accepted" for their verdict)."""
    owner_user = user(owner) if owner else None
    creator = user(created_by) if created_by else owner_user
    permit_type = pkkpr_type()
    application = Application(
        permit_type=permit_type, kind="pkkpr_nb", owner_id=owner_user.id if owner_user else None,
        created_by_id=creator.id, applicant_name="Budi Santoso",
        applicant_nik="3505011204850001", applicant_address="Jl. Merdeka 1",
        applicant_whatsapp="+6281234567890",
    )
    application.pkkpr = PkkprDetail(
        location_address="Jl. Raya 10", desa="Kanigoro", kecamatan="Kanigoro",
        latitude=-8.1, longitude=112.16, land_area_m2=250, land_title_status="SHM",
        activity="Rumah tinggal", planned_floors=2, planned_floor_area_m2=180,
    )
    application.record_requirement_set()
    if documents:
        for requirement in permit_type.active_requirements:
            stored = store_bytes(PDF, "pdf", f"{requirement.name}.pdf")
            application.documents.append(
                ApplicationDocument(requirement=requirement, uploaded_by_id=creator.id,
                                    verdict=documents, **stored.columns())
            )
    db.session.add(application)
    set_status(application, status, utcnow())
    if status != "draft":
        application.registration_number = registration_number or f"TEST/{next(_serial):06d}"
    start_clock(application)
    record_event(application, "buat", creator, to_status=status)
    await_initials(application)
    db.session.commit()
    db.session.info.pop(STATUS_WRITERS, None)
    return application


# --- asset use ------------------------------------------------------------------


def permit_type(code):
    return db.session.scalar(select(PermitType).where(PermitType.code == code))


def asset_named(name):
    from models import Asset

    return db.session.scalar(select(Asset).where(Asset.name == name))


HALL = "Gedung Pertemuan Kanigoro"  # ASET-GEDUNG-PERTEMUAN: BPKAD, Rp1.500.000 a day
HALL_ROOM = "Ruang Serbaguna Kantor Kecamatan Srengat"  # ASET-PINJAM-PAKAI: BPKAD, free


def asset_application_data(asset, start, end, **changes):
    data = {
        "applicant_name": "Siti Aminah",
        "applicant_nik": "3505014506900002",
        "applicant_address": "Jl. Kenanga 3, Sananwetan",
        "applicant_whatsapp": "081234567891",
        "asset_id": str(asset.id),
        "purpose": "Resepsi pernikahan",
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "area_m2": "",
    }
    data.update(changes)
    return data


def recommendation_input(start, end, **changes):
    data = {
        "nomor_rekomendasi": "030/15/409.104/2026",
        "tanggal_rekomendasi": TODAY.isoformat(),
        "tanggal_mulai": start.isoformat(),
        "tanggal_selesai": end.isoformat(),
        "luas": "", "biaya": "", "alasan_biaya": "", "catatan": "",
    }
    data.update(changes)
    return MultiDict(data)


def retribution_proof_input():
    return MultiDict({"bukti_bayar": upload(PNG, "bukti.png"),
                      "tanggal_bayar": TODAY.isoformat(), "nomor_referensi": "JTM2026112800017"})


def make_asset_use(status="diteruskan_opd", asset_name=HALL, start=None, end=None,
                   owner="pemohon", booking=None, fee=0):
    """An asset-use file in `status` with every document accepted; `booking` books the
    period as a recommendation would (for statuses after it)."""
    from models import AssetUse

    start = start or TODAY + timedelta(days=20)
    end = end or start + timedelta(days=1)
    asset = asset_named(asset_name)
    owner_user = user(owner)
    application = Application(
        permit_type=asset.asset_type, kind="aset", owner_id=owner_user.id,
        created_by_id=owner_user.id, applicant_name="Siti Aminah",
        applicant_nik="3505014506900002", applicant_address="Jl. Kenanga 3",
        applicant_whatsapp="+6281234567891",
    )
    application.asset_use = AssetUse(
        asset=asset, use_form=asset.asset_type.use_form, purpose="Resepsi", period_start=start,
        period_end=end, fee_estimate=0,
    )
    if booking:
        use = application.asset_use
        use.approved_start, use.approved_end, use.booking = start, end, booking
        use.fee = fee
    application.record_requirement_set()
    for requirement in asset.asset_type.active_requirements:
        stored = store_bytes(PDF, "pdf", f"{requirement.name}.pdf")
        application.documents.append(
            ApplicationDocument(requirement=requirement, uploaded_by_id=owner_user.id,
                                verdict="accepted", **stored.columns())
        )
    db.session.add(application)
    set_status(application, status, utcnow())
    if status != "draft":
        application.registration_number = f"ASET-TEST/{next(_serial):06d}"
    start_clock(application)
    record_event(application, "buat", owner_user, to_status=status)
    await_initials(application)
    db.session.commit()
    db.session.info.pop(STATUS_WRITERS, None)
    return application


def returned_pkkpr(reason="Dokumen kurang jelas", rejected=("KTP pemohon",)):
    """A PKKPR file the examiner returned for correction with `reason`: the documents of
    the requirements named in `rejected` rejected ("<name> tidak terbaca"), the others
    accepted."""
    from app.services.applications import judge_document
    from app.workflow.engine import apply_action

    application = make_pkkpr("diperiksa", documents="pending")
    examiner = user("pemeriksa")
    for document in application.documents:
        name = document.requirement.name
        verdict = "rejected" if name in rejected else "accepted"
        judge_document(application.id, document.id, examiner, verdict,
                       f"{name} tidak terbaca" if verdict == "rejected" else "")
    apply_action(application.id, "kembalikan", examiner, MultiDict({"alasan": reason}))
    return db.session.get(Application, application.id)
