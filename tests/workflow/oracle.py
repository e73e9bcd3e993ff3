"""Hand-written oracles of the workflows, and the driver that checks a definition against
one over every (state, action, role) combination.

Each table says, for every state, which action which roles may take there and where the
file then goes. It is written by hand from DESIGN.md sections 3 and 4 and the seed, and
from the README for what later issues added (withdrawal, initials, deadlines, reopening)
— never computed from app/workflow, so a wrong definition or a wrong default grant fails
the matrix instead of being copied into the expectation.

The files under test are the applicant's own (not walk-ins registered by the front
office): the applicant's acts (ajukan, unggah_bukti_bayar, batalkan, tarik_permohonan)
are the Pemohon's alone. Where an action chooses its target, the table gives the target
for the fixture's situation, written next to the table.

Adding a process: a table here, and one test parametrized with `combinations(workflow)`
calling `check_combination(workflow, TABLE, file_factory, state, action)`.
"""

from sqlalchemy import func, select

from app.errors import SiapError
from app.extensions import db
from app.security.roles import (
    ADMIN,
    ATR_BPN,
    BACK_OFFICE,
    DPUPR,
    FRONT_OFFICE,
    KEPALA_BIDANG_PERIZINAN,
    KEPALA_DINAS,
    PEMERIKSA,
    PEMOHON,
    PENGELOLA_ASET,
)
from app.workflow.engine import apply_action, take_system_transition
from models import Application, HistoryEvent
from models.application import utcnow
from tests.support import action_input, user

# A deadline passing: the scheduled jobs take it (by_system), no role may.
NOBODY = frozenset()
# Returning for correction: the front office at the counter, the examiner at the check.
RETURNERS = {FRONT_OFFICE, PEMERIKSA}
# Withdrawing a submitted file, from any state before the signature (README,
# "Cancelling and withdrawing").
WITHDRAW = {"tarik_permohonan": ({PEMOHON}, "ditarik")}

# PKKPR Non Berusaha: DESIGN.md section 3. The permit type asks the Kepala Bidang
# Perizinan for initials, so the SK number leads to menunggu_paraf and that one initial
# to siap_ds.
PKKPR = {
    "draft": {
        "ajukan": ({PEMOHON}, "diajukan"),
        "batalkan": ({PEMOHON}, "dibatalkan"),
    },
    "diajukan": {
        "terima": ({FRONT_OFFICE}, "diterima_fo"),
        "kembalikan": (RETURNERS, "perlu_perbaikan"),
        **WITHDRAW,
    },
    "diterima_fo": {
        "kembalikan": (RETURNERS, "perlu_perbaikan"),
        "teruskan_pemeriksa": ({FRONT_OFFICE}, "diperiksa"),
        **WITHDRAW,
    },
    "perlu_perbaikan": {
        "ajukan": ({PEMOHON}, "diajukan"),
        "perbaikan_lewat_tempo": (NOBODY, "gugur_perbaikan"),
        **WITHDRAW,
    },
    "diperiksa": {
        "kembalikan": (RETURNERS, "perlu_perbaikan"),
        "teruskan_dinas": ({PEMERIKSA}, "diteruskan_dinas"),
        **WITHDRAW,
    },
    "diteruskan_dinas": {
        "terbitkan_krk": ({DPUPR}, "krk_terbit"),
        "tolak": ({DPUPR}, "ditolak"),
        **WITHDRAW,
    },
    "krk_terbit": {
        "terbitkan_sps": ({ATR_BPN}, "menunggu_pembayaran"),
        "tolak": ({DPUPR}, "ditolak"),
        **WITHDRAW,
    },
    "menunggu_pembayaran": {
        "unggah_bukti_bayar": ({PEMOHON}, "pembayaran_pnbp"),
        "billing_kedaluwarsa": (NOBODY, "billing_kedaluwarsa"),
        **WITHDRAW,
    },
    "billing_kedaluwarsa": {
        "terbitkan_ulang_sps": ({ATR_BPN}, "menunggu_pembayaran"),
        **WITHDRAW,
    },
    "pembayaran_pnbp": {
        "tolak_bukti_bayar": ({ATR_BPN}, "menunggu_pembayaran"),
        "konfirmasi_pembayaran": ({ATR_BPN}, "penerbitan_pertek"),
        **WITHDRAW,
    },
    "penerbitan_pertek": {
        "terbitkan_pertek": ({ATR_BPN}, "pertek_terbit"),
        **WITHDRAW,
    },
    "pertek_terbit": {
        "terbitkan_rekomendasi": ({DPUPR}, "rekomendasi_terbit"),
        "tolak": ({DPUPR}, "ditolak"),
        **WITHDRAW,
    },
    "rekomendasi_terbit": {
        "input_nomor_sk": ({BACK_OFFICE}, "menunggu_paraf"),
        **WITHDRAW,
    },
    "menunggu_paraf": {
        "paraf": ({KEPALA_BIDANG_PERIZINAN}, "siap_ds"),
        "kembalikan_bo": ({KEPALA_DINAS}, "rekomendasi_terbit"),
        **WITHDRAW,
    },
    "siap_ds": {
        "tandatangani": ({KEPALA_DINAS}, "selesai"),
        "tolak_ds": ({KEPALA_DINAS}, "ditolak"),
        "kembalikan_bo": ({KEPALA_DINAS}, "rekomendasi_terbit"),
        **WITHDRAW,
    },
    "selesai": {},
    "ditolak": {},
    "dibatalkan": {},
    "ditarik": {},
    # Final, but the front office may reopen it within the reopening window.
    "gugur_perbaikan": {"buka_kembali": ({FRONT_OFFICE}, "perlu_perbaikan")},
}

# Izin Pemanfaatan Aset: DESIGN.md section 4. The file is a use of the meeting hall,
# which has a tariff: the recommendation leads to the retribution payment (a free use
# would skip it). Its permit type asks for initials as PKKPR's does.
ASSET = {
    "draft": {
        "ajukan": ({PEMOHON}, "diajukan"),
        "batalkan": ({PEMOHON}, "dibatalkan"),
    },
    "diajukan": {
        "terima": ({FRONT_OFFICE}, "diterima_fo"),
        "kembalikan": (RETURNERS, "perlu_perbaikan"),
        **WITHDRAW,
    },
    "diterima_fo": {
        "kembalikan": (RETURNERS, "perlu_perbaikan"),
        "teruskan_pemeriksa": ({FRONT_OFFICE}, "diperiksa"),
        **WITHDRAW,
    },
    "perlu_perbaikan": {
        "ajukan": ({PEMOHON}, "diajukan"),
        "perbaikan_lewat_tempo": (NOBODY, "gugur_perbaikan"),
        **WITHDRAW,
    },
    "diperiksa": {
        "kembalikan": (RETURNERS, "perlu_perbaikan"),
        "teruskan_dinas": ({PEMERIKSA}, "diteruskan_opd"),
        **WITHDRAW,
    },
    "diteruskan_opd": {
        "terbitkan_rekomendasi": ({PENGELOLA_ASET}, "menunggu_pembayaran"),
        "tolak": ({PENGELOLA_ASET}, "ditolak"),
        **WITHDRAW,
    },
    "menunggu_pembayaran": {
        "unggah_bukti_bayar": ({PEMOHON}, "verifikasi_pembayaran"),
        # The agency may give a later due date once; the file keeps waiting for payment.
        "perpanjang_jatuh_tempo": ({PENGELOLA_ASET}, "menunggu_pembayaran"),
        "retribusi_lewat_tempo": (NOBODY, "gugur"),
        **WITHDRAW,
    },
    "verifikasi_pembayaran": {
        "tolak_bukti_bayar": ({PENGELOLA_ASET}, "menunggu_pembayaran"),
        "konfirmasi_pembayaran": ({PENGELOLA_ASET}, "penyiapan_sk"),
        **WITHDRAW,
    },
    "penyiapan_sk": {
        "input_nomor_sk": ({BACK_OFFICE}, "menunggu_paraf"),
        **WITHDRAW,
    },
    "menunggu_paraf": {
        "paraf": ({KEPALA_BIDANG_PERIZINAN}, "siap_ds"),
        "kembalikan_bo": ({KEPALA_DINAS}, "penyiapan_sk"),
        **WITHDRAW,
    },
    "siap_ds": {
        "tandatangani": ({KEPALA_DINAS}, "selesai"),
        "tolak_ds": ({KEPALA_DINAS}, "ditolak"),
        "kembalikan_bo": ({KEPALA_DINAS}, "penyiapan_sk"),
        **WITHDRAW,
    },
    "selesai": {},
    "ditolak": {},
    "dibatalkan": {},
    "ditarik": {},
    "gugur": {},
    "gugur_perbaikan": {"buka_kembali": ({FRONT_OFFICE}, "perlu_perbaikan")},
}

# --- the configured processes the product seeds (app/seed/processes/*.yaml) -----------
#
# Written from what an office reading each YAML expects, not from app/workflow/configured.py:
# the applicant submits, the front office receives the file (or returns it) and hands it
# to the first step; each step is taken by the role the YAML names, who may also return
# the file for correction (a step may unless the YAML says otherwise) and, at a
# recommendation, reject it; the last step leads to the decree, which the Back Office
# numbers, the licensing division initials (the tests' permit types ask for it, as the
# built-in ones above do) and the Kepala Dinas signs, returns or rejects. The agency roles
# the YAML files name, spelled as their demo officers have them:
DINKES = "Dinas Kesehatan"
BAPENDA = "Bapenda"
DISDIK = "Dinas Pendidikan"


def _configured_front(first_step):
    """What every configured process shares around its steps: submission, reception to
    `first_step`, correction, the decree, the final states."""
    return {
        "draft": {
            "ajukan": ({PEMOHON}, "diajukan"),
            "batalkan": ({PEMOHON}, "dibatalkan"),
        },
        "diajukan": {
            "terima": ({FRONT_OFFICE}, first_step),
            # Only the counter: the examiner returns the file from the document check.
            "kembalikan": ({FRONT_OFFICE}, "perlu_perbaikan"),
            **WITHDRAW,
        },
        "perlu_perbaikan": {
            "ajukan": ({PEMOHON}, "diajukan"),
            "perbaikan_lewat_tempo": (NOBODY, "gugur_perbaikan"),
            **WITHDRAW,
        },
        "penyiapan_sk": {
            "input_nomor_sk": ({BACK_OFFICE}, "menunggu_paraf"),
            **WITHDRAW,
        },
        "menunggu_paraf": {
            "paraf": ({KEPALA_BIDANG_PERIZINAN}, "siap_ds"),
            "kembalikan_bo": ({KEPALA_DINAS}, "penyiapan_sk"),
            **WITHDRAW,
        },
        "siap_ds": {
            "tandatangani": ({KEPALA_DINAS}, "selesai"),
            "tolak_ds": ({KEPALA_DINAS}, "ditolak"),
            "kembalikan_bo": ({KEPALA_DINAS}, "penyiapan_sk"),
            **WITHDRAW,
        },
        "selesai": {},
        "ditolak": {},
        "dibatalkan": {},
        "ditarik": {},
        "gugur_perbaikan": {"buka_kembali": ({FRONT_OFFICE}, "perlu_perbaikan")},
    }


# Surat Izin Praktik Tenaga Kesehatan (sip_nakes.yaml). The file is a praktik mandiri,
# so the Dinas Kesehatan visits the place before its recommendation (a practice in a
# health facility goes from the document check straight to the recommendation:
# SIP_NAKES_FASYANKES below).
SIP_NAKES = {
    **_configured_front("periksa"),
    "periksa": {  # the examiner checks the documents
        "periksa": ({PEMERIKSA}, "tinjau_tempat"),
        "periksa_kembalikan": ({PEMERIKSA}, "perlu_perbaikan"),
        **WITHDRAW,
    },
    "tinjau_tempat": {  # Dinas Kesehatan schedules the visit, then reports on it
        "tinjau_tempat_jadwal": ({DINKES}, "tinjau_tempat"),
        "tinjau_tempat": ({DINKES}, "rekomendasi"),
        "tinjau_tempat_kembalikan": ({DINKES}, "perlu_perbaikan"),
        **WITHDRAW,
    },
    "rekomendasi": {  # Dinas Kesehatan recommends, or rejects (can_reject)
        "rekomendasi": ({DINKES}, "pencatatan"),
        "rekomendasi_kembalikan": ({DINKES}, "perlu_perbaikan"),
        "rekomendasi_tolak": ({DINKES}, "ditolak"),
        **WITHDRAW,
    },
    "pencatatan": {  # the Back Office records until when the SIP holds
        "pencatatan": ({BACK_OFFICE}, "penyiapan_sk"),
        "pencatatan_kembalikan": ({BACK_OFFICE}, "perlu_perbaikan"),
        **WITHDRAW,
    },
}
# Where a practice in a health facility (jenis_praktik = fasyankes) goes instead.
SIP_NAKES_FASYANKES = {"periksa": {"periksa": ({PEMERIKSA}, "rekomendasi")}}

# Izin Penyelenggaraan Reklame (reklame.yaml). The file is a permanent billboard
# (sifat_reklame = permanen), so DPUPR inspects the site before its technical
# recommendation; then Bapenda sets the advertisement tax (Rp25.000 per m² of the file's
# area, never 0 as the area is at least 0.01 m²), the applicant pays it and Bapenda
# confirms the payment or refuses the proof.
REKLAME = {
    **_configured_front("periksa"),
    "periksa": {
        "periksa": ({PEMERIKSA}, "tinjau_lokasi"),
        "periksa_kembalikan": ({PEMERIKSA}, "perlu_perbaikan"),
        **WITHDRAW,
    },
    "tinjau_lokasi": {
        "tinjau_lokasi_jadwal": ({DPUPR}, "tinjau_lokasi"),
        "tinjau_lokasi": ({DPUPR}, "teknis"),
        "tinjau_lokasi_kembalikan": ({DPUPR}, "perlu_perbaikan"),
        **WITHDRAW,
    },
    "teknis": {
        "teknis": ({DPUPR}, "pajak"),
        "teknis_kembalikan": ({DPUPR}, "perlu_perbaikan"),
        "teknis_tolak": ({DPUPR}, "ditolak"),
        **WITHDRAW,
    },
    "pajak": {  # Bapenda issues the tax invoice
        "pajak": ({BAPENDA}, "pajak_bayar"),
        "pajak_kembalikan": ({BAPENDA}, "perlu_perbaikan"),
        **WITHDRAW,
    },
    "pajak_bayar": {  # the applicant pays and uploads the proof
        "pajak_bayar": ({PEMOHON}, "pajak_verifikasi"),
        # Unpaid after the invoice's due date, the scheduled jobs close the file.
        "pajak_lewat_tempo": (NOBODY, "gugur"),
        **WITHDRAW,
    },
    "pajak_verifikasi": {  # Bapenda checks the proof
        "pajak_konfirmasi": ({BAPENDA}, "penyiapan_sk"),
        "pajak_tolak_bukti": ({BAPENDA}, "pajak_bayar"),
        **WITHDRAW,
    },
    "gugur": {},  # lapsed: the tax was not paid by its due date (final)
}
# Where an incidental advertisement (sifat_reklame = insidentil) goes instead: no site
# inspection.
REKLAME_INSIDENTIL = {"periksa": {"periksa": ({PEMERIKSA}, "teknis")}}

# Izin Operasional Satuan PAUD (paud.yaml): every file is visited by the Dinas
# Pendidikan, which issues the numbered visit report and then its recommendation.
PAUD = {
    **_configured_front("periksa"),
    "periksa": {
        "periksa": ({PEMERIKSA}, "visitasi"),
        "periksa_kembalikan": ({PEMERIKSA}, "perlu_perbaikan"),
        **WITHDRAW,
    },
    "visitasi": {
        "visitasi_jadwal": ({DISDIK}, "visitasi"),
        "visitasi": ({DISDIK}, "ba_visitasi"),
        "visitasi_kembalikan": ({DISDIK}, "perlu_perbaikan"),
        **WITHDRAW,
    },
    "ba_visitasi": {
        "ba_visitasi": ({DISDIK}, "rekomendasi"),
        "ba_visitasi_kembalikan": ({DISDIK}, "perlu_perbaikan"),
        **WITHDRAW,
    },
    "rekomendasi": {
        "rekomendasi": ({DISDIK}, "penyiapan_sk"),
        "rekomendasi_kembalikan": ({DISDIK}, "perlu_perbaikan"),
        "rekomendasi_tolak": ({DISDIK}, "ditolak"),
        **WITHDRAW,
    },
}
# A permit type that asks nobody for initials: the SK number leads to the signature.
WITHOUT_INITIALS = {"penyiapan_sk": {"input_nomor_sk": ({BACK_OFFICE}, "siap_ds")}}

# One demo user per role. Admin configures and decides nothing: it takes no action.
ROLE_USERS = {
    PEMOHON: "pemohon",
    FRONT_OFFICE: "frontoffice",
    PEMERIKSA: "pemeriksa",
    DPUPR: "dpupr",
    ATR_BPN: "atrbpn",
    PENGELOLA_ASET: "pengelolaaset",
    BACK_OFFICE: "backoffice",
    KEPALA_BIDANG_PERIZINAN: "kabidperizinan",
    KEPALA_DINAS: "kepaladinas",
    ADMIN: "admin",
}
# The seeded processes' agency officers (their YAML files' demo users): every process's
# matrix tries them all, so an agency acting on another's process fails it too.
AGENCY_USERS = {DINKES: "dinkes", BAPENDA: "bapenda", DISDIK: "disdik"}


def combinations(workflow):
    """Every (state, action) of a definition, as (state value, action) pairs to
    parametrize a test with."""
    return [(state.value, transition.action)
            for state in workflow.states for transition in workflow.transitions]


def check_oracle_covers(workflow, table):
    """The table names exactly the definition's states and actions: a state or an action
    added to a definition without its oracle fails."""
    assert set(table) == {state.value for state in workflow.states}
    assert {action for actions in table.values() for action in actions} == {
        transition.action for transition in workflow.transitions}


def snapshot(application_id):
    """What a refused action must leave as it was: status, version, history, artifacts."""
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    events = db.session.scalar(
        select(func.count(HistoryEvent.id)).where(HistoryEvent.application_id == application_id)
    )
    return application.status, application.version, events, len(application.artifacts)


def pkkpr_form_input(action, application):
    return action_input(action)


def check_combination(workflow, table, file_factory, state, action,
                      form_input=pkkpr_form_input, role_users=ROLE_USERS):
    """Every role of `role_users` (role → username) tries `action` on a file in `state`
    made by `file_factory(state)` (with `form_input(action, application)` as the form):
    the roles the table allows
    succeed and land in its target, every other is refused and changes nothing. Then
    the scheduled jobs try it: only a deadline transition (NOBODY) is theirs, and it
    lands in the table's target."""
    check_oracle_covers(workflow, table)
    allowed, target = table[state].get(action, (NOBODY, None))
    application = file_factory(state)
    for role, username in role_users.items():
        where = (state, action, role)
        before = snapshot(application.id)
        try:
            apply_action(application.id, action, user(username),
                         form_input(action, application))
        except SiapError:
            succeeded = False
        else:
            succeeded = True
        assert succeeded == (role in allowed), where
        if succeeded:
            assert snapshot(application.id)[0] == target, where
            application = file_factory(state)
        else:
            assert snapshot(application.id) == before, where
    check_system(application, state, action, by_system=target is not None and not allowed,
                 target=target)


def check_system(application, state, action, by_system, target):
    """The deadline jobs take exactly the table's role-less transitions."""
    where = (state, action, "system")
    before = snapshot(application.id)
    try:
        take_system_transition(application, action, utcnow())
        db.session.commit()
    except SiapError:
        db.session.rollback()
        taken = False
    else:
        taken = True
    assert taken == by_system, where
    if taken:
        assert snapshot(application.id)[0] == target, where
    else:
        assert snapshot(application.id) == before, where
