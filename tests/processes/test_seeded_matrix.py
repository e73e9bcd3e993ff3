"""Every (state, action, role) combination of the three seeded configured processes
(app/seed/processes/*.yaml, published as the catalogue seed does) against the tables
written by hand in tests/workflow/oracle.py: the allowed ones succeed and land where the
table says, every other is refused and changes nothing; the condition routing (an
incidental advertisement is not inspected, a practice in a health facility is not
visited) and a permit type asking no initials too.

One test per process walks its whole matrix after a single publication (publishing for
each combination would cost more than the combinations) and lists every disagreement.
The permit types ask the licensing division for its initials, as the built-in matrices'
do."""

import itertools
from datetime import timedelta

import pytest
from flask import current_app
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.security import roles
from app.seed.processes import ensure_processes
from app.storage.files import store_bytes
from app.workflow.access import remembered_permissions
from app.workflow.clock import runs_in
from app.workflow.engine import STATUS_WRITERS, record_event, set_status
from app.workflow.registry import current, workflow_of
from models import Application, ApplicationDocument
from models.application import utcnow
from tests.processes.support import officer
from tests.support import PDF, PNG, TODAY, action_input, await_initials, permit_type, upload, user
from tests.workflow.oracle import (
    AGENCY_USERS,
    PAUD,
    REKLAME,
    REKLAME_INSIDENTIL,
    ROLE_USERS,
    SIP_NAKES,
    SIP_NAKES_FASYANKES,
    WITHOUT_INITIALS,
    check_combination,
    combinations,
)

ALL_USERS = {**ROLE_USERS, **AGENCY_USERS}
_serial = itertools.count(1)

# The application form's answers of each process's file, as the form stores them.
SIP_NAKES_DATA = {
    "jenis_nakes": "bidan", "nomor_str": "KR00001234567890", "jenis_praktik": "mandiri",
    "urutan_tempat_praktik": "1", "nama_tempat_praktik": "Praktik Mandiri Bidan Rina",
    "alamat_praktik": "Jl. Melati 5, Kanigoro", "kecamatan_praktik": "Kanigoro",
    "desa_praktik": "Kanigoro", "titik_praktik": "-8.1, 112.2",
    "jadwal_praktik": "Senin–Sabtu 16.00–20.00",
}
REKLAME_DATA = {
    "jenis_reklame": "papan", "sifat_reklame": "permanen",
    "naskah_reklame": "Toko Bangunan Sumber Rejeki", "ukuran_reklame": "4 m × 6 m",
    "jumlah_muka": "2", "luas_reklame": "48.00", "tinggi_konstruksi": "6.0",
    "alamat_lokasi": "Jl. Raya Kanigoro 21", "kecamatan_lokasi": "Kanigoro",
    "desa_lokasi": "Kanigoro", "titik_lokasi": "-8.1, 112.2",
    "mulai_tayang": TODAY.isoformat(), "akhir_tayang": (TODAY + timedelta(days=365)).isoformat(),
    "di_tanah_daerah": False,
}
PAUD_DATA = {
    "nama_satuan": "KB Tunas Bangsa", "bentuk_satuan": "kb",
    "nama_penyelenggara": "Yayasan Tunas Bangsa", "nama_kepala_satuan": "Sri Wahyuni",
    "tanggal_berdiri": "2020-07-13", "jumlah_peserta_didik": "30", "jumlah_rombel": "2",
    "jumlah_pendidik": "3", "luas_tanah": "400.00", "luas_bangunan": "150.00",
    "status_tanah": "milik_sendiri", "alamat_satuan": "Jl. Anggrek 2, Sananwetan",
    "kecamatan_satuan": "Sananwetan", "desa_satuan": "Sananwetan",
}
# process code → (permit type code, the file's answers, hand table)
PROCESSES = {
    "sip_nakes": ("SIP-NAKES", SIP_NAKES_DATA, SIP_NAKES),
    "reklame": ("REKLAME", REKLAME_DATA, REKLAME),
    "paud_operasional": ("PAUD-OPERASIONAL", PAUD_DATA, PAUD),
}
# The states a fee's invoice has been issued in: the file records its amount.
INVOICED = {"pajak_bayar", "pajak_verifikasi"}


@pytest.fixture
def seeded():
    ensure_processes()
    for role_name, username in AGENCY_USERS.items():
        officer(username, role_name)


def ask_initials(*codes):
    kabid = current_app.appbuilder.sm.find_role(roles.KEPALA_BIDANG_PERIZINAN)
    for code in codes:
        permit_type(code).initialling_roles = [kabid]
    db.session.commit()


def file_factory(code, data):
    """make(state): a file of the process `code` (the applicant's own, every
    requirement uploaded and accepted) with the answers `data`, put straight in `state`
    as tests/support.py's make_pkkpr does."""
    workflow = current(code)
    type_code = PROCESSES[code][0]

    def make(state):
        owner = user("pemohon")
        application = Application(
            permit_type=permit_type(type_code), kind=code,
            process_version_id=workflow.version_id, owner_id=owner.id,
            created_by_id=owner.id, applicant_name="Budi Santoso",
            applicant_nik="3505011204850001", applicant_address="Jl. Merdeka 1",
            applicant_whatsapp="+6281234567890",
            form_data={**data, **({"pajak_jumlah": "1200000"} if state in INVOICED else {})},
        )
        application.record_requirement_set()
        for requirement in application.permit_type.active_requirements:
            stored = store_bytes(PDF, "pdf", f"{requirement.name}.pdf")
            application.documents.append(ApplicationDocument(
                requirement=requirement, uploaded_by_id=owner.id, verdict="accepted",
                **stored.columns()))
        db.session.add(application)
        set_status(application, state, utcnow())
        if state != "draft":
            application.registration_number = f"CFG-TEST/{next(_serial):06d}"
            application.submitted_at = application.status_changed_at
            if runs_in(workflow_of(application), state):
                application.clock_running_since = application.status_changed_at
        record_event(application, "buat", owner, to_status=state)
        await_initials(application)
        db.session.commit()
        db.session.info.pop(STATUS_WRITERS, None)
        return application

    return make


def reusing(make):
    """A factory that hands out the same file in `state` again while it is still there:
    a refused action changes nothing (the driver checks it), so only a file an action
    moved needs replacing. It spares making a file for each of the hundreds of
    combinations no role may take."""
    files = {}

    def factory(state):
        application = files.get(state)
        if application is not None:
            db.session.refresh(application)
            if application.status == state:
                return application
        files[state] = make(state)
        return files[state]

    return factory


def form_input(action, application):
    """Valid input for every action of the seeded processes, by the palette's forms."""
    today = TODAY.isoformat()
    if action.endswith(("_kembalikan", "_tolak", "_tolak_bukti")):
        return MultiDict({"alasan": "Data tidak sesuai dengan dokumen"})
    if action.endswith("_jadwal"):
        return MultiDict({"tanggal": (TODAY + timedelta(days=2)).isoformat(),
                          "catatan": "Mohon pemohon hadir di lokasi"})
    if action in ("tinjau_tempat", "tinjau_lokasi", "visitasi"):  # inspection reports
        return MultiDict({"tanggal": today, "hasil": "Sesuai permohonan",
                          "berkas": upload(name="laporan.pdf")})
    if action == "ba_visitasi":  # a numbered document
        return MultiDict({"nomor": "421.1/15/409.107/2026", "tanggal": today,
                          "berkas": upload(name="ba.pdf")})
    if action in ("rekomendasi", "teknis"):  # recommendations
        return MultiDict({"nomor": "503/22/409.107/2026", "tanggal": today,
                          "keputusan": "disetujui", "catatan": "",
                          "berkas": upload(name="rekomendasi.pdf")})
    if action == "pajak":  # the invoice
        return MultiDict({"nomor": "SKPD/0042/2026",
                          "jatuh_tempo": (TODAY + timedelta(days=14)).isoformat()})
    if action == "pajak_bayar":
        return MultiDict({"bukti": upload(PNG, "bukti.png"), "tanggal_bayar": today,
                          "nomor_referensi": "BJTM2026113000042"})
    return action_input(action)


def run_matrix(workflow, table, make, combos):
    """check_combination over `combos`; every disagreement, not only the first. Each
    user's permissions are read once (as a scheduled pass does): nobody's roles or
    delegations change here, and reading them for every check of every visibility
    clause would take most of the time."""
    failures = []
    with remembered_permissions():
        for state, action in combos:
            failures += _disagreement(workflow, table, make, state, action)
    return failures


def _disagreement(workflow, table, make, state, action):
    try:
        check_combination(workflow, table, make, state, action,
                          form_input=form_input, role_users=ALL_USERS)
    except AssertionError as error:
        db.session.rollback()
        return [f"{state} {action}: {error}"]
    return []


def amend(table, changes):
    """The table with some of its rows' entries replaced."""
    return {state: {**actions, **changes.get(state, {})} for state, actions in table.items()}


@pytest.mark.parametrize("code", PROCESSES)
def test_every_state_action_role(seeded, code):
    type_code, data, table = PROCESSES[code]
    ask_initials(type_code)
    workflow = current(code)
    failures = run_matrix(workflow, table, reusing(file_factory(code, data)),
                          combinations(workflow))
    assert not failures, "\n".join(failures)


def test_the_conditions_route_and_a_type_without_initials_goes_to_the_signature(seeded):
    checks = [
        # An incidental advertisement is not inspected: from the check to DPUPR's
        # recommendation.
        ("reklame", {**REKLAME_DATA, "sifat_reklame": "insidentil"},
         amend(REKLAME, REKLAME_INSIDENTIL), [("periksa", "periksa")]),
        # A practice in a health facility is not visited.
        ("sip_nakes", {**SIP_NAKES_DATA, "jenis_praktik": "fasyankes"},
         amend(SIP_NAKES, SIP_NAKES_FASYANKES), [("periksa", "periksa")]),
        # PAUD's permit type (not asked here) names nobody to initial the decree.
        ("paud_operasional", PAUD_DATA, amend(PAUD, WITHOUT_INITIALS),
         [("penyiapan_sk", "input_nomor_sk")]),
    ]
    failures = []
    for code, data, table, combos in checks:
        failures += run_matrix(current(code), table, file_factory(code, data), combos)
    assert not failures, "\n".join(failures)
