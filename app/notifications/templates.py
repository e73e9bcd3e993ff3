"""Message templates: Indonesian defaults, the placeholders each may use, rendering, and
the variables of each kind's approved WhatsApp content template."""

import re
import string
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from models import MessageTemplate


class MessageKind(NamedTuple):
    description: str
    # The placeholders the text may use. In this order they are also the variables of
    # the kind's WhatsApp content template: {{1}} is the first, {{2}} the second, ...
    placeholders: tuple
    body: str  # the default Indonesian text

    @property
    def content_variables(self):
        """{"1": "nama", "2": "nomor", ...}: the numbered variables of its content template."""
        return {str(number): name for number, name in enumerate(self.placeholders, start=1)}

    @property
    def content_template_text(self):
        """The default text with each placeholder as its numbered variable: what to
        register at Twilio for WhatsApp's approval."""
        numbers = {name: number for number, name in self.content_variables.items()}
        return re.sub(r"\{(\w+)\}", lambda match: f"{{{{{numbers[match.group(1)]}}}}}",
                      self.body)


# key → the message kind: description, placeholders, default Indonesian text
DEFAULTS = {
    "status_pemohon": MessageKind(
        "Kepada pemohon, setiap kali status permohonannya berubah.",
        ("nama", "nomor", "jenis_izin", "status", "langkah", "tautan"),
        "Yth. {nama}, status permohonan {jenis_izin} nomor {nomor} sekarang: {status}.\n"
        "{langkah}\nLihat rincian: {tautan}\n— DPMPTSP Kabupaten Blitar (SIAP n LOSS)",
    ),
    "antrian_petugas": MessageKind(
        "Kepada petugas, ketika sebuah berkas masuk ke antrean perannya.",
        ("nama", "nomor", "jenis_izin", "status", "tautan"),
        "Yth. {nama}, berkas {jenis_izin} nomor {nomor} menunggu tindakan Anda "
        "(status: {status}). Buka: {tautan}\n— DPMPTSP Kabupaten Blitar (SIAP n LOSS)",
    ),
    "izin_dicabut": MessageKind(
        "Kepada pemegang izin, ketika izinnya dicabut.",
        ("nama", "nomor", "jenis_izin", "nomor_sk", "nomor_pencabutan", "tanggal", "alasan",
         "tautan"),
        "Yth. {nama}, izin {jenis_izin} Nomor {nomor_sk} (permohonan {nomor}) DICABUT pada "
        "{tanggal} dengan Keputusan Nomor {nomor_pencabutan}.\nAlasan: {alasan}\n"
        "Lihat rincian: {tautan}\n— DPMPTSP Kabupaten Blitar (SIAP n LOSS)",
    ),
    "surat_penolakan_terbit": MessageKind(
        "Kepada pemohon, ketika surat penolakan permohonannya telah ditandatangani.",
        ("nama", "nomor", "jenis_izin", "nomor_surat", "tanggal", "tautan"),
        "Yth. {nama}, surat penolakan permohonan {jenis_izin} nomor {nomor} telah "
        "ditandatangani pada {tanggal} dengan Nomor {nomor_surat}. Surat tersebut dapat "
        "diunduh pada: {tautan}\n— DPMPTSP Kabupaten Blitar (SIAP n LOSS)",
    ),
    "sk_pencabutan_terbit": MessageKind(
        "Kepada pemegang izin, ketika keputusan pencabutan izinnya telah ditandatangani.",
        ("nama", "nomor", "jenis_izin", "nomor_sk", "nomor_surat", "tanggal", "tautan"),
        "Yth. {nama}, Keputusan Nomor {nomor_surat} tentang pencabutan izin {jenis_izin} "
        "Nomor {nomor_sk} (permohonan {nomor}) telah ditandatangani pada {tanggal}. "
        "Keputusan tersebut dapat diunduh pada: {tautan}\n— DPMPTSP Kabupaten Blitar "
        "(SIAP n LOSS)",
    ),
    "pengingat_pnbp": MessageKind(
        "Kepada pemohon PKKPR, sebelum kode billing PNBP kedaluwarsa.",
        ("nama", "nomor", "jenis_izin", "jumlah", "kode", "batas", "sisa", "tautan"),
        "Yth. {nama}, PNBP permohonan {jenis_izin} nomor {nomor} sebesar {jumlah} belum "
        "dibayar. Bayarlah dengan kode billing {kode} paling lambat {batas} ({sisa} hari "
        "kerja lagi), lalu unggah bukti bayarnya di: {tautan}\n— DPMPTSP Kabupaten Blitar "
        "(SIAP n LOSS)",
    ),
    "pengingat_retribusi": MessageKind(
        "Kepada pemohon pemanfaatan aset, sebelum SKRD jatuh tempo.",
        ("nama", "nomor", "jenis_izin", "jumlah", "kode", "batas", "sisa", "tautan"),
        "Yth. {nama}, retribusi permohonan {jenis_izin} nomor {nomor} sebesar {jumlah} "
        "(SKRD {kode}) jatuh tempo pada {batas} ({sisa} hari kerja lagi). Setelah membayar, "
        "unggah bukti bayarnya di: {tautan}\n— DPMPTSP Kabupaten Blitar (SIAP n LOSS)",
    ),
    "pengingat_perbaikan": MessageKind(
        "Kepada pemohon, sebelum batas waktu perbaikan permohonan yang dikembalikan.",
        ("nama", "nomor", "jenis_izin", "alasan", "batas", "sisa", "tautan"),
        "Yth. {nama}, permohonan {jenis_izin} nomor {nomor} dikembalikan kepada Anda untuk "
        "diperbaiki.\nAlasan: {alasan}\nPerbaiki dan ajukan kembali paling lambat {batas} "
        "({sisa} hari kerja lagi); bila tidak, permohonan gugur. Perbaiki di: {tautan}\n"
        "— DPMPTSP Kabupaten Blitar (SIAP n LOSS)",
    ),
    "pengingat_masa_berlaku": MessageKind(
        "Kepada pemegang izin, sebelum masa berlaku izinnya berakhir.",
        ("nama", "nomor", "jenis_izin", "nomor_sk", "batas", "sisa", "tautan"),
        "Yth. {nama}, izin {jenis_izin} Nomor {nomor_sk} (permohonan {nomor}) berlaku sampai "
        "{batas} ({sisa} hari kerja lagi). Bila izin masih diperlukan, ajukan permohonan "
        "sebelum tanggal tersebut. Lihat rincian: {tautan}\n— DPMPTSP Kabupaten Blitar "
        "(SIAP n LOSS)",
    ),
    "akun_dikunci": MessageKind(
        "Kepada pemilik akun, ketika akunnya dikunci sementara karena kata sandi salah "
        "berulang kali.",
        ("nama", "jumlah", "menit"),
        "Yth. {nama}, akun SIAP n LOSS Anda dikunci selama {menit} menit setelah {jumlah} "
        "kali percobaan masuk dengan kata sandi salah. Jika itu bukan Anda, segera ganti "
        "kata sandi setelah kunci berakhir atau hubungi DPMPTSP Kabupaten Blitar.",
    ),
    "reset_kata_sandi": MessageKind(
        "Kepada pemilik akun, ketika meminta kode untuk mengatur ulang kata sandi (Lupa "
        "kata sandi).",
        ("nama", "pengguna", "kode", "menit", "tautan"),
        "Yth. {nama}, kode untuk mengatur ulang kata sandi akun SIAP n LOSS {pengguna}: "
        "{kode}\nKode ini berlaku {menit} menit dan hanya dapat dipakai sekali. Masukkan "
        "di {tautan} bersama kata sandi baru Anda. Jangan berikan kode ini kepada siapa "
        "pun, termasuk petugas.\nJika Anda tidak meminta atur ulang kata sandi, abaikan "
        "pesan ini; kata sandi Anda tidak berubah.\n— DPMPTSP Kabupaten Blitar (SIAP n LOSS)",
    ),
    "berkas_ditarik": MessageKind(
        "Kepada petugas yang memegang tindakan berikutnya, ketika pemohon menarik "
        "permohonannya.",
        ("nama", "nomor", "jenis_izin", "status", "alasan", "tautan"),
        "Yth. {nama}, permohonan {jenis_izin} nomor {nomor} DITARIK oleh pemohon saat "
        "berstatus {status}; berkas ini tidak perlu diproses lagi.\nAlasan: {alasan}\n"
        "Lihat rincian: {tautan}\n— DPMPTSP Kabupaten Blitar (SIAP n LOSS)",
    ),
    "ringkasan_terlambat": MessageKind(
        "Kepada petugas, sekali setiap hari kerja: berkas yang melewati target tahap atau "
        "standar waktu pelayanan dan menunggu tindakannya; berkas yang melewati standar "
        "pelayanan juga kepada peran eskalasi (Kepala Dinas).",
        ("nama", "jumlah", "tanggal", "daftar", "tautan"),
        "Yth. {nama}, ringkasan {tanggal}: {jumlah} berkas melewati target waktu "
        "pelayanan. {daftar}.\nSegera tindak lanjuti: {tautan}\n— DPMPTSP Kabupaten Blitar "
        "(SIAP n LOSS)",
    ),
    "ringkasan_tanda_tangan": MessageKind(
        "Kepada penandatangan keputusan, sekali setiap hari kerja: berkas siap "
        "ditandatangani yang menunggu tanda tangan lebih lama dari batasnya.",
        ("nama", "jumlah", "hari", "tanggal", "daftar", "tautan"),
        "Yth. {nama}, ringkasan {tanggal}: {jumlah} berkas menunggu tanda tangan Anda lebih "
        "dari {hari} hari kerja. {daftar}.\nTandatangani di: {tautan}\n— DPMPTSP Kabupaten "
        "Blitar (SIAP n LOSS)",
    ),
    "ringkasan_antrean": MessageKind(
        "Kepada petugas yang memilih ringkasan harian, sekali setiap hari kerja: berkas "
        "yang masuk ke antreannya sejak ringkasan sebelumnya.",
        ("nama", "jumlah", "total", "tanggal", "daftar", "tautan"),
        "Yth. {nama}, ringkasan {tanggal}: {jumlah} berkas baru masuk ke antrean Anda. "
        "{daftar}.\nSeluruhnya {total} berkas menunggu tindakan Anda: {tautan}\n"
        "— DPMPTSP Kabupaten Blitar (SIAP n LOSS)",
    ),
}


def placeholders_in(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def check_template(key, body):
    """Return a message about unknown placeholders or a broken body, else None."""
    allowed = set(DEFAULTS[key].placeholders) if key in DEFAULTS else set()
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


def _active(key):
    return db.session.scalar(
        select(MessageTemplate).where(MessageTemplate.key == key,
                                      MessageTemplate.active.is_(True)))


def template(key):
    found = _active(key)
    return found.body if found is not None else DEFAULTS[key].body


def content_sid(key):
    """The approved WhatsApp content template an admin registered for a kind, or None.
    Read when the message is sent: a message retried after the registration uses it."""
    found = _active(key) if key in DEFAULTS else None
    return ((found.content_sid or "").strip() or None) if found is not None else None


def _variable_value(value):
    """WhatsApp refuses a template variable that is empty or holds a line break, a tab
    or a run of spaces: several lines become sentences on one line, nothing becomes "-"."""
    lines = [" ".join(line.split()) for line in str("" if value is None else value).splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return "-"
    if len(lines) == 1:
        return lines[0]
    return " ".join(line if line[-1] in ".!?:;" else f"{line}." for line in lines)


def content_variables(key, values):
    """What Twilio's ContentVariables takes: each numbered variable of the kind's content
    template with the message's value."""
    return {number: _variable_value(values.get(name))
            for number, name in DEFAULTS[key].content_variables.items()}


class _Blank(dict):
    def __missing__(self, key):
        return ""


def render(key, values):
    return template(key).format_map(_Blank(values)).strip()
