"""Message templates: Indonesian defaults, the placeholders each may use, rendering."""

import string

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from models import MessageTemplate

# key → (description, allowed placeholders, default Indonesian text)
DEFAULTS = {
    "status_pemohon": (
        "Kepada pemohon, setiap kali status permohonannya berubah.",
        ("nama", "nomor", "jenis_izin", "status", "langkah", "tautan"),
        "Yth. {nama}, status permohonan {jenis_izin} nomor {nomor} sekarang: {status}.\n"
        "{langkah}\nLihat rincian: {tautan}\n— DPMPTSP Kabupaten Blitar (SIAP n LOSS)",
    ),
    "antrian_petugas": (
        "Kepada petugas, ketika sebuah berkas masuk ke antrean perannya.",
        ("nama", "nomor", "jenis_izin", "status", "tautan"),
        "Yth. {nama}, berkas {jenis_izin} nomor {nomor} menunggu tindakan Anda "
        "(status: {status}). Buka: {tautan}",
    ),
    "izin_dicabut": (
        "Kepada pemegang izin, ketika izinnya dicabut.",
        ("nama", "nomor", "jenis_izin", "nomor_sk", "nomor_pencabutan", "tanggal", "alasan",
         "tautan"),
        "Yth. {nama}, izin {jenis_izin} Nomor {nomor_sk} (permohonan {nomor}) DICABUT pada "
        "{tanggal} dengan Keputusan Nomor {nomor_pencabutan}.\nAlasan: {alasan}\n"
        "Lihat rincian: {tautan}\n— DPMPTSP Kabupaten Blitar (SIAP n LOSS)",
    ),
    "surat_penolakan_terbit": (
        "Kepada pemohon, ketika surat penolakan permohonannya telah ditandatangani.",
        ("nama", "nomor", "jenis_izin", "nomor_surat", "tanggal", "tautan"),
        "Yth. {nama}, surat penolakan permohonan {jenis_izin} nomor {nomor} telah "
        "ditandatangani pada {tanggal} dengan Nomor {nomor_surat}. Surat tersebut dapat "
        "diunduh pada: {tautan}\n— DPMPTSP Kabupaten Blitar (SIAP n LOSS)",
    ),
    "sk_pencabutan_terbit": (
        "Kepada pemegang izin, ketika keputusan pencabutan izinnya telah ditandatangani.",
        ("nama", "nomor", "jenis_izin", "nomor_sk", "nomor_surat", "tanggal", "tautan"),
        "Yth. {nama}, Keputusan Nomor {nomor_surat} tentang pencabutan izin {jenis_izin} "
        "Nomor {nomor_sk} (permohonan {nomor}) telah ditandatangani pada {tanggal}. "
        "Keputusan tersebut dapat diunduh pada: {tautan}\n— DPMPTSP Kabupaten Blitar "
        "(SIAP n LOSS)",
    ),
    "pengingat_pnbp": (
        "Kepada pemohon PKKPR, sebelum kode billing PNBP kedaluwarsa.",
        ("nama", "nomor", "jenis_izin", "jumlah", "kode", "batas", "sisa", "tautan"),
        "Yth. {nama}, PNBP permohonan {jenis_izin} nomor {nomor} sebesar {jumlah} belum "
        "dibayar. Bayarlah dengan kode billing {kode} paling lambat {batas} ({sisa} hari "
        "kerja lagi), lalu unggah bukti bayarnya di: {tautan}\n— DPMPTSP Kabupaten Blitar "
        "(SIAP n LOSS)",
    ),
    "pengingat_retribusi": (
        "Kepada pemohon pemanfaatan aset, sebelum SKRD jatuh tempo.",
        ("nama", "nomor", "jenis_izin", "jumlah", "kode", "batas", "sisa", "tautan"),
        "Yth. {nama}, retribusi permohonan {jenis_izin} nomor {nomor} sebesar {jumlah} "
        "(SKRD {kode}) jatuh tempo pada {batas} ({sisa} hari kerja lagi). Setelah membayar, "
        "unggah bukti bayarnya di: {tautan}\n— DPMPTSP Kabupaten Blitar (SIAP n LOSS)",
    ),
    "pengingat_perbaikan": (
        "Kepada pemohon, sebelum batas waktu perbaikan permohonan yang dikembalikan.",
        ("nama", "nomor", "jenis_izin", "alasan", "batas", "sisa", "tautan"),
        "Yth. {nama}, permohonan {jenis_izin} nomor {nomor} dikembalikan kepada Anda untuk "
        "diperbaiki.\nAlasan: {alasan}\nPerbaiki dan ajukan kembali paling lambat {batas} "
        "({sisa} hari kerja lagi); bila tidak, permohonan gugur. Perbaiki di: {tautan}\n"
        "— DPMPTSP Kabupaten Blitar (SIAP n LOSS)",
    ),
    "pengingat_masa_berlaku": (
        "Kepada pemegang izin, sebelum masa berlaku izinnya berakhir.",
        ("nama", "nomor", "jenis_izin", "nomor_sk", "batas", "sisa", "tautan"),
        "Yth. {nama}, izin {jenis_izin} Nomor {nomor_sk} (permohonan {nomor}) berlaku sampai "
        "{batas} ({sisa} hari kerja lagi). Bila izin masih diperlukan, ajukan permohonan "
        "sebelum tanggal tersebut. Lihat rincian: {tautan}\n— DPMPTSP Kabupaten Blitar "
        "(SIAP n LOSS)",
    ),
    "akun_dikunci": (
        "Kepada pemilik akun, ketika akunnya dikunci sementara karena kata sandi salah "
        "berulang kali.",
        ("nama", "jumlah", "menit"),
        "Yth. {nama}, akun SIAP n LOSS Anda dikunci selama {menit} menit setelah {jumlah} "
        "kali percobaan masuk dengan kata sandi salah. Jika itu bukan Anda, segera ganti "
        "kata sandi setelah kunci berakhir atau hubungi DPMPTSP Kabupaten Blitar.",
    ),
    "reset_kata_sandi": (
        "Kepada pemilik akun, ketika meminta kode untuk mengatur ulang kata sandi (Lupa "
        "kata sandi).",
        ("nama", "pengguna", "kode", "menit", "tautan"),
        "Yth. {nama}, kode untuk mengatur ulang kata sandi akun SIAP n LOSS {pengguna}: "
        "{kode}\nKode ini berlaku {menit} menit dan hanya dapat dipakai sekali. Masukkan "
        "di {tautan} bersama kata sandi baru Anda. Jangan berikan kode ini kepada siapa "
        "pun, termasuk petugas.\nJika Anda tidak meminta atur ulang kata sandi, abaikan "
        "pesan ini; kata sandi Anda tidak berubah.\n— DPMPTSP Kabupaten Blitar (SIAP n LOSS)",
    ),
    "berkas_ditarik": (
        "Kepada petugas yang memegang tindakan berikutnya, ketika pemohon menarik "
        "permohonannya.",
        ("nama", "nomor", "jenis_izin", "status", "alasan", "tautan"),
        "Yth. {nama}, permohonan {jenis_izin} nomor {nomor} DITARIK oleh pemohon saat "
        "berstatus {status}; berkas ini tidak perlu diproses lagi.\nAlasan: {alasan}\n"
        "Lihat rincian: {tautan}",
    ),
    "ringkasan_terlambat": (
        "Kepada petugas, sekali setiap hari kerja: berkas yang melewati target tahap atau "
        "standar waktu pelayanan dan menunggu tindakannya; berkas yang melewati standar "
        "pelayanan juga kepada peran eskalasi (Kepala Dinas).",
        ("nama", "jumlah", "tanggal", "daftar", "tautan"),
        "Yth. {nama}, ringkasan {tanggal}: {jumlah} berkas melewati target waktu "
        "pelayanan. {daftar}.\nSegera tindak lanjuti: {tautan}",
    ),
    "ringkasan_tanda_tangan": (
        "Kepada penandatangan keputusan, sekali setiap hari kerja: berkas Siap DS yang "
        "menunggu tanda tangan lebih lama dari batasnya.",
        ("nama", "jumlah", "hari", "tanggal", "daftar", "tautan"),
        "Yth. {nama}, {jumlah} berkas menunggu tanda tangan Anda lebih dari {hari} hari "
        "kerja. {daftar}.\nTandatangani di: {tautan}",
    ),
    "ringkasan_antrean": (
        "Kepada petugas yang memilih ringkasan harian, sekali setiap hari kerja: berkas "
        "yang masuk ke antreannya sejak ringkasan sebelumnya.",
        ("nama", "jumlah", "total", "tanggal", "daftar", "tautan"),
        "Yth. {nama}, ringkasan {tanggal}: {jumlah} berkas baru masuk ke antrean Anda. "
        "{daftar}.\nSeluruhnya {total} berkas menunggu tindakan Anda: {tautan}",
    ),
}


def placeholders_in(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def check_template(key, body):
    """Return a message about unknown placeholders or a broken body, else None."""
    allowed = set(DEFAULTS[key][1]) if key in DEFAULTS else set()
    try:
        used = placeholders_in(body)
    except ValueError:
        return _l("The text has an unbalanced { or }.")
    unknown = sorted(used - allowed)
    if unknown:
        return _l("Unknown placeholders: %(names)s. Allowed: %(allowed)s.",
                  names=", ".join(f"{{{n}}}" for n in unknown),
                  allowed=", ".join(f"{{{n}}}" for n in sorted(allowed)))
    return None


def ensure_templates():
    """Add the default templates that are missing (never overwrites an admin's text)."""
    existing = set(db.session.scalars(select(MessageTemplate.key)))
    added = 0
    for key, (description, _, body) in DEFAULTS.items():
        if key not in existing:
            db.session.add(MessageTemplate(key=key, description=description, body=body))
            added += 1
    db.session.commit()
    return added


def template(key):
    found = db.session.scalar(
        select(MessageTemplate).where(MessageTemplate.key == key,
                                      MessageTemplate.active.is_(True)))
    if found is not None:
        return found.body, found.content_sid
    return DEFAULTS[key][2], None


class _Blank(dict):
    def __missing__(self, key):
        return ""


def render(key, values):
    body, content_sid = template(key)
    return body.format_map(_Blank(values)).strip(), content_sid
