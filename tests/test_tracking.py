"""/lacak: the public tracking page shows the stage, the office holding the file, the
timeline and the clock — to whoever knows the number and the phone's last four digits —
and nothing else."""

import pytest
from flask import current_app
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.security import roles
from app.workflow.engine import apply_action
from app.workflow.registry import WORKFLOWS
from tests.signing.test_decree import ready_file
from tests.support import action_input, make_asset_use, make_pkkpr, permit_type, user

PKKPR = WORKFLOWS["pkkpr_nb"]
ASSET = WORKFLOWS["aset"]
APPLICANT, FRONT, EXAMINER = "Pemohon", "Front office DPMPTSP", "Pemeriksa DPMPTSP"
DPUPR, LAND_OFFICE = "DPUPR (Dinas Pekerjaan Umum dan Penataan Ruang)", "Kantor Pertanahan ATR/BPN"
BACK, HEAD = "Back office DPMPTSP", "Kepala DPMPTSP"
LICENSING = "Bidang Perizinan DPMPTSP"
BPKAD = "Badan Pengelolaan Keuangan dan Aset Daerah"
# Who holds a file in each state with the default grants (DESIGN.md sections 3 and 4).
HOLDERS = {
    "pkkpr_nb": {
        "diajukan": FRONT, "diterima_fo": FRONT, "perlu_perbaikan": APPLICANT,
        "diperiksa": EXAMINER, "diteruskan_dinas": DPUPR, "krk_terbit": LAND_OFFICE,
        "menunggu_pembayaran": APPLICANT, "billing_kedaluwarsa": LAND_OFFICE,
        "pembayaran_pnbp": LAND_OFFICE,
        "penerbitan_pertek": LAND_OFFICE, "pertek_terbit": DPUPR, "rekomendasi_terbit": BACK,
        "menunggu_paraf": LICENSING, "siap_ds": HEAD,
    },
    "aset": {
        "diajukan": FRONT, "diterima_fo": FRONT, "perlu_perbaikan": APPLICANT,
        "diperiksa": EXAMINER, "diteruskan_opd": BPKAD, "menunggu_pembayaran": APPLICANT,
        "verifikasi_pembayaran": BPKAD, "penyiapan_sk": BACK, "menunggu_paraf": LICENSING,
        "siap_ds": HEAD,
    },
}


@pytest.fixture(autouse=True)
def _initials_before_the_signature():
    """The permit types of these files ask the licensing division for its initials (a
    file waiting for them is with that division)."""
    licensing = current_app.appbuilder.sm.find_role(roles.KEPALA_BIDANG_PERIZINAN)
    for code in ("PKKPR-NB", "ASET-GEDUNG-PERTEMUAN"):
        permit_type(code).initialling_roles = [licensing]
    db.session.commit()


def track(client, number, suffix):
    return client.post("/lacak/", data={"nomor": number, "akhiran": suffix})


def expected(workflow, state):
    with force_locale("id"):
        return str(workflow.label(state)), HOLDERS[workflow.kind].get(state.value)


@pytest.mark.parametrize("state", [s for s in PKKPR.states if s != PKKPR.initial], ids=str)
def test_a_pkkpr_file_in_each_stage_shows_its_stage_and_office(client, state):
    application = make_pkkpr(state.value)
    response = track(client, application.registration_number, "7890")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    label, office = expected(PKKPR, state)
    assert f"<strong>{label}</strong>" in page
    if state in PKKPR.terminal:
        assert 'id="kantor"' not in page
    else:
        assert f'<td id="kantor">{office}</td>' in page
    for personal in ("Budi Santoso", "3505011204850001", "Jl. Merdeka"):
        assert personal not in page


@pytest.mark.parametrize("state", [s for s in ASSET.states if s != ASSET.initial], ids=str)
def test_an_asset_file_names_the_managing_agency_when_it_holds_the_file(client, state):
    application = make_asset_use(state.value)
    page = track(client, application.registration_number, "7891").get_data(as_text=True)
    label, office = expected(ASSET, state)
    assert f"<strong>{label}</strong>" in page
    if office:
        assert f'<td id="kantor">{office}</td>' in page
    else:
        assert 'id="kantor"' not in page


def test_the_timeline_lists_each_stage_with_its_office_and_what_comes_next(client):
    application = make_pkkpr("diajukan")
    apply_action(application.id, "terima", user("frontoffice"))
    apply_action(application.id, "teruskan_pemeriksa", user("frontoffice"))
    apply_action(application.id, "kembalikan", user("pemeriksa"),
                 MultiDict({"alasan": "KTP buram"}))
    page = track(client, application.registration_number, "7890").get_data(as_text=True)
    timeline = page[page.index('id="linimasa"'):]
    assert timeline.index("Diterima Front Office") < timeline.index("Diperiksa")
    assert timeline.index("Diperiksa") < timeline.index("Perlu Perbaikan")
    assert "Pemeriksa DPMPTSP" in timeline
    assert "dijeda: menunggu pemohon" in page  # the clock waits for the applicant
    assert "Perbaiki data atau unggah ulang dokumen" in page  # what comes next


def test_a_file_waiting_for_initials_names_the_office_still_to_initial_in_one_stage(client):
    """Two roles initial; after the first, the file is one stage with the other."""
    sm = current_app.appbuilder.sm
    sm.add_permission_role(sm.find_role(roles.BACK_OFFICE),
                           sm.find_permission_view_menu("paraf", "Workflow pkkpr_nb"))
    permit_type("PKKPR-NB").initialling_roles = [
        sm.find_role(roles.KEPALA_BIDANG_PERIZINAN), sm.find_role(roles.BACK_OFFICE)]
    db.session.commit()
    application = ready_file("rekomendasi_terbit")
    apply_action(application.id, "input_nomor_sk", user("backoffice"),
                 action_input("input_nomor_sk"))
    apply_action(application.id, "paraf", user("kabidperizinan"), MultiDict())
    page = track(client, application.registration_number, "7890").get_data(as_text=True)
    assert f'<td id="kantor">{BACK}</td>' in page
    timeline = page[page.index('id="linimasa"'):]
    assert timeline.count("Menunggu paraf") == 1


@pytest.mark.parametrize(("number", "suffix"), [
    ("TEST/999999", "7890"), (None, "0000"), (None, "789"), (None, "abcd"), (None, ""),
])
def test_a_wrong_number_or_suffix_reveals_nothing(client, number, suffix):
    application = make_pkkpr("diperiksa")
    response = track(client, number or application.registration_number, suffix)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Tidak ada berkas yang cocok" in page
    assert application.permit_type.name not in page and "Diperiksa" not in page


def test_a_draft_without_number_cannot_be_tracked(client):
    make_pkkpr("draft")
    assert track(client, "", "7890").status_code == 404


def test_repeated_wrong_guesses_are_rate_limited_but_right_lookups_are_not(client, rate_limits):
    application = make_pkkpr("diperiksa")
    for _ in range(12):
        assert track(client, application.registration_number, "7890").status_code == 200
    codes = [track(client, application.registration_number, f"{n:04d}").status_code
             for n in range(11)]
    assert codes[:10] == [404] * 10 and codes[10] == 429
