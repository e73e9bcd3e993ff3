"""Row visibility: another applicant (and a role without a view permission) can
neither list, open, act on, upload to, nor download anything of someone's file."""

import io

import pytest

from app.extensions import db
from app.security import roles
from app.storage.files import store_bytes
from app.workflow.access import inbox_statuses
from app.workflow.pkkpr_nb import WORKFLOW
from models import Application, Artifact
from tests.factories import make_user
from tests.support import PDF, action_input, make_pkkpr, user


@pytest.fixture
def file_of_first_applicant():
    application = make_pkkpr("menunggu_pembayaran", documents="accepted")
    stored = store_bytes(PDF, "pdf", "sps.pdf")
    db.session.add(Artifact(application=application, kind="sps", number="SPS-1", data={},
                            issued_by_id=user("atrbpn").id, **stored.columns()))
    db.session.commit()
    return application


def object_urls(application):
    document = application.documents[0]
    artifact = application.artifacts[0]
    base = f"/permohonan/{application.id}"
    gets = [base, f"{base}/ubah", f"{base}/cetak", f"{base}/aksi/unggah_bukti_bayar",
            f"{base}/berkas/dokumen/{document.id}", f"{base}/berkas/artefak/{artifact.id}"]
    posts = [f"{base}/aksi/unggah_bukti_bayar", f"{base}/aksi/batalkan", f"{base}/ubah",
             f"{base}/dokumen/{document.requirement_id}",
             f"{base}/dokumen/{document.id}/verifikasi"]
    return gets, posts


def test_a_second_applicant_gets_404_on_every_url_of_someone_elses_file(
    login_as, file_of_first_applicant
):
    application = file_of_first_applicant
    make_user(username="tetangga")
    other = login_as("tetangga")
    gets, posts = object_urls(application)
    for url in gets:
        assert other.get(url).status_code == 404, url
    for url in posts:
        response = other.post(url, data={"file": (io.BytesIO(PDF), "x.pdf"), "verdict": "accepted",
                                         "alasan": "x"}, content_type="multipart/form-data")
        assert response.status_code == 404, url
    for listing in ("/myapplicationsview/list/",):
        assert application.registration_number not in other.get(listing).get_data(as_text=True)
    assert other.get("/inboxview/list/").status_code == 403
    assert other.get("/allapplicationsview/list/").status_code == 403


def test_the_owner_reaches_the_same_urls(login_as, file_of_first_applicant):
    owner = login_as("pemohon")
    gets, _ = object_urls(file_of_first_applicant)
    for url in gets:
        if url.endswith("/ubah"):
            continue  # no longer editable: a redirect with a message, not a 404
        assert owner.get(url).status_code == 200, url


def test_a_role_without_view_permission_cannot_open_pkkpr_files(login_as):
    application = make_pkkpr("diajukan")
    agency = login_as("pengelolaaset")
    assert agency.get(f"/permohonan/{application.id}").status_code == 404
    page = agency.get("/allapplicationsview/list/").get_data(as_text=True)
    assert application.registration_number not in page


def test_a_draft_is_private_to_its_creator_even_for_staff(login_as):
    draft = make_pkkpr("draft")
    for username in ("frontoffice", "pemeriksa", "dpupr", "kepaladinas"):
        assert login_as(username).get(f"/permohonan/{draft.id}").status_code == 404, username


def test_each_role_inbox_holds_exactly_the_states_waiting_for_it():
    expected = {
        roles.FRONT_OFFICE: ["diajukan", "diterima_fo"],
        roles.PEMERIKSA: ["diperiksa"],
        roles.DPUPR: ["diteruskan_dinas", "pertek_terbit"],
        roles.ATR_BPN: ["billing_kedaluwarsa", "krk_terbit", "pembayaran_pnbp",
                        "penerbitan_pertek"],
        roles.BACK_OFFICE: ["rekomendasi_terbit"],
        roles.KEPALA_BIDANG_PERIZINAN: ["menunggu_paraf"],
        roles.KEPALA_DINAS: ["siap_ds"],
        roles.PEMOHON: [],
        roles.PENGELOLA_ASET: [],
    }
    usernames = {roles.PEMOHON: "pemohon", roles.FRONT_OFFICE: "frontoffice",
                 roles.PEMERIKSA: "pemeriksa", roles.DPUPR: "dpupr", roles.ATR_BPN: "atrbpn",
                 roles.PENGELOLA_ASET: "pengelolaaset", roles.BACK_OFFICE: "backoffice",
                 roles.KEPALA_BIDANG_PERIZINAN: "kabidperizinan",
                 roles.KEPALA_DINAS: "kepaladinas"}
    for role, statuses in expected.items():
        assert inbox_statuses(user(usernames[role]), WORKFLOW) == statuses, role


def test_an_admin_regrants_an_action_without_code(app, login_as):
    """e.g. give terbitkan_sps to DPUPR in the Security screens."""
    application = make_pkkpr("krk_terbit")
    dpupr = login_as("dpupr")
    refused = dpupr.post(f"/permohonan/{application.id}/aksi/terbitkan_sps")
    assert refused.status_code == 403
    sm = app.appbuilder.sm
    grant = sm.find_permission_view_menu("terbitkan_sps", WORKFLOW.permission_view)
    assert grant is not None
    sm.add_permission_role(sm.find_role(roles.DPUPR), grant)
    accepted = login_as("dpupr").post(f"/permohonan/{application.id}/aksi/terbitkan_sps",
                                      data=dict(action_input("terbitkan_sps")),
                                      content_type="multipart/form-data")
    assert accepted.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "menunggu_pembayaran"
