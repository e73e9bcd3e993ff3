"""The whole PKKPR Non Berusaha flow, 1 → 14, through the HTTP endpoints the screens
use, each step by the role that does it."""

import re
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.signing import get_signer
from app.signing.pades import is_authentic
from models import Application, PermitType
from tests.support import (
    PDF,
    PNG,
    SIGNING_PASSPHRASE,
    action_input,
    make_pkkpr,
    pkkpr_application_data,
    pkkpr_type,
)


def act(client, application_id, action, data=None):
    payload = dict(action_input(action)) if data is None else data
    response = client.post(f"/permohonan/{application_id}/aksi/{action}", data=payload,
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return response


def status_of(application_id):
    db.session.expire_all()
    return db.session.get(Application, application_id).status


def inbox_has(client, registration_number):
    return registration_number in client.get("/inboxview/list/").get_data(as_text=True)


def test_a_pkkpr_file_goes_from_draft_to_a_signed_decree_through_every_agency(login_as):
    pemohon = login_as("pemohon")
    response = pemohon.post("/permohonan/baru/PKKPR-NB", data=pkkpr_application_data())
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    application_id = int(re.search(r"/permohonan/(\d+)$", response.headers["Location"]).group(1))
    assert status_of(application_id) == "draft"

    page = pemohon.get(f"/permohonan/{application_id}").get_data(as_text=True)
    assert "Belum diunggah" in page
    for requirement in pkkpr_type().requirements:
        if requirement.mandatory:
            content, name = (PDF, "dokumen.pdf")
            response = pemohon.post(
                f"/permohonan/{application_id}/dokumen/{requirement.id}",
                data={"file": (__import__("io").BytesIO(content), name)},
                content_type="multipart/form-data",
            )
            assert response.status_code == 302

    act(pemohon, application_id, "ajukan")
    application = db.session.get(Application, application_id)
    number = application.registration_number
    assert re.fullmatch(r"PKKPR-NB/\d{4}/000001", number)
    assert status_of(application_id) == "diajukan"

    frontoffice = login_as("frontoffice")
    assert inbox_has(frontoffice, number)
    act(frontoffice, application_id, "terima")
    act(frontoffice, application_id, "teruskan_pemeriksa")

    pemeriksa = login_as("pemeriksa")
    assert inbox_has(pemeriksa, number)
    assert not inbox_has(frontoffice, number)
    for document in db.session.get(Application, application_id).documents:
        response = pemeriksa.post(
            f"/permohonan/{application_id}/dokumen/{document.id}/verifikasi",
            data={"verdict": "accepted"},
        )
        assert response.status_code == 302
    act(pemeriksa, application_id, "teruskan_dinas")

    dpupr = login_as("dpupr")
    assert inbox_has(dpupr, number)
    act(dpupr, application_id, "terbitkan_krk")
    assert status_of(application_id) == "krk_terbit"

    atrbpn = login_as("atrbpn")
    act(atrbpn, application_id, "terbitkan_sps")
    assert status_of(application_id) == "menunggu_pembayaran"
    act(pemohon, application_id, "unggah_bukti_bayar")
    assert status_of(application_id) == "pembayaran_pnbp"
    act(atrbpn, application_id, "konfirmasi_pembayaran")
    act(atrbpn, application_id, "terbitkan_pertek")
    assert status_of(application_id) == "pertek_terbit"

    act(dpupr, application_id, "terbitkan_rekomendasi")
    assert status_of(application_id) == "rekomendasi_terbit"

    backoffice = login_as("backoffice")
    form = backoffice.get(f"/permohonan/{application_id}/aksi/input_nomor_sk")
    year = application.created_at.year
    assert f"503/001/409.110/{year}" in form.get_data(as_text=True)
    print_view = backoffice.get(f"/permohonan/{application_id}/cetak").get_data(as_text=True)
    assert "DRAFT" in print_view and number in print_view
    act(backoffice, application_id, "input_nomor_sk")

    db.session.expire_all()
    application = db.session.get(Application, application_id)
    assert application.status == "siap_ds"
    assert application.sk_number == f"503/001/409.110/{year}"
    kinds = [artifact.kind for artifact in application.artifacts]
    assert kinds == ["krk", "sps", "bukti_bayar", "pertek", "rekomendasi", "peta"]
    upload_root = Path(current_app.config["UPLOAD_FOLDER"])
    for artifact in application.artifacts:
        assert (upload_root / artifact.stored_name).is_file()
    peta = application.artifacts[-1]
    assert peta.content_type == "image/png"
    assert (upload_root / peta.stored_name).read_bytes() == PNG
    transitions = [(e.action, e.from_status, e.to_status) for e in application.events
                   if e.from_status]
    assert [t[0] for t in transitions] == [
        "ajukan", "terima", "teruskan_pemeriksa", "teruskan_dinas", "terbitkan_krk",
        "terbitkan_sps", "unggah_bukti_bayar", "konfirmasi_pembayaran", "terbitkan_pertek",
        "terbitkan_rekomendasi", "input_nomor_sk",
    ]
    assert transitions[0][1:] == ("draft", "diajukan")
    assert transitions[-1][1:] == ("rekomendasi_terbit", "siap_ds")
    assert all(e.actor_id for e in application.events if not e.action.startswith("jam_"))
    sps = next(e for e in application.events if e.action == "terbitkan_sps")
    assert sps.actor_role == "ATR BPN"

    page = pemohon.get(f"/permohonan/{application_id}").get_data(as_text=True)
    assert "Siap ditandatangani" in page
    for artifact in application.artifacts:
        download = pemohon.get(f"/permohonan/{application_id}/berkas/artefak/{artifact.id}")
        assert download.status_code == 200
        assert download.headers["Content-Disposition"].startswith("attachment")

    kepaladinas = login_as("kepaladinas")
    assert inbox_has(kepaladinas, number)
    signed = kepaladinas.post("/tandatangan/", data={"application_id": str(application_id),
                                                     "passphrase": SIGNING_PASSPHRASE})
    assert signed.status_code == 302
    assert status_of(application_id) == "selesai"
    decree = pemohon.get(f"/permohonan/{application_id}/sk.pdf")
    assert decree.status_code == 200
    assert is_authentic(decree.data, get_signer().trust_roots())
    assert "Unduh SK bertanda tangan" in pemohon.get(f"/permohonan/{application_id}").get_data(
        as_text=True)


def test_a_returned_file_is_corrected_by_re_uploading_only_the_rejected_document(login_as):
    from tests.support import make_pkkpr

    application = make_pkkpr("diterima_fo", documents="accepted")
    rejected = application.documents[0]
    frontoffice = login_as("frontoffice")
    frontoffice.post(f"/permohonan/{application.id}/dokumen/{rejected.id}/verifikasi",
                     data={"verdict": "rejected", "reason": "Tidak terbaca"})
    act(frontoffice, application.id, "kembalikan", {"alasan": "Perbaiki KTP"})
    assert status_of(application.id) == "perlu_perbaikan"

    pemohon = login_as("pemohon")
    page = pemohon.get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert "Tidak terbaca" in page
    accepted = application.documents[1]
    refused = pemohon.post(
        f"/permohonan/{application.id}/dokumen/{accepted.requirement_id}",
        data={"file": (__import__("io").BytesIO(PDF), "baru.pdf")},
        content_type="multipart/form-data", follow_redirects=True,
    )
    assert "Hanya dokumen yang ditandai ditolak" in refused.get_data(as_text=True)
    response = pemohon.post(f"/permohonan/{application.id}/aksi/ajukan",
                            follow_redirects=True)
    assert "Unggah berkas perbaikan untuk" in response.get_data(as_text=True)
    assert status_of(application.id) == "perlu_perbaikan"
    pemohon.post(
        f"/permohonan/{application.id}/dokumen/{rejected.requirement_id}",
        data={"file": (__import__("io").BytesIO(PDF), "ktp-baru.pdf")},
        content_type="multipart/form-data",
    )
    act(pemohon, application.id, "ajukan")
    assert status_of(application.id) == "diajukan"


def test_the_front_office_registers_a_walk_in_applicant_and_digitises_paper_documents(login_as):
    frontoffice = login_as("frontoffice")
    response = frontoffice.post("/permohonan/baru/PKKPR-NB",
                                data=pkkpr_application_data(applicant_name="Mbah Sarmi"))
    application_id = int(re.search(r"/permohonan/(\d+)$", response.headers["Location"]).group(1))
    application = db.session.get(Application, application_id)
    assert application.owner_id is None
    act(frontoffice, application_id, "ajukan")  # documents still on paper
    act(frontoffice, application_id, "terima")
    refused = frontoffice.post(f"/permohonan/{application_id}/aksi/teruskan_pemeriksa",
                               follow_redirects=True)
    assert "Dokumen wajib berikut belum ada" in refused.get_data(as_text=True)
    page = frontoffice.get(f"/permohonan/{application_id}").get_data(as_text=True)
    assert "btn-danger\"><i class=\"fa fa-upload\"></i>" in page
    for requirement in pkkpr_type().requirements:
        if requirement.mandatory:
            frontoffice.post(
                f"/permohonan/{application_id}/dokumen/{requirement.id}",
                data={"file": (__import__("io").BytesIO(PDF), "scan.pdf")},
                content_type="multipart/form-data",
            )
    act(frontoffice, application_id, "teruskan_pemeriksa")
    assert status_of(application_id) == "diperiksa"
    mine = frontoffice.get("/myapplicationsview/list/").get_data(as_text=True)
    assert "Mbah Sarmi" in mine


def test_every_page_of_the_flow_renders_for_the_role_that_uses_it(login_as):
    from app.workflow.pkkpr_nb import DEFAULT_ROLES, WORKFLOW
    from tests.support import make_pkkpr

    usernames = {"Pemohon": "pemohon", "Front Office": "frontoffice", "Pemeriksa": "pemeriksa",
                 "DPUPR": "dpupr", "ATR BPN": "atrbpn", "Back Office": "backoffice",
                 "Kepala Bidang Perizinan": "kabidperizinan", "Kepala Dinas": "kepaladinas"}
    # The initials page is for a role the permit type names.
    pkkpr_type().initialling_roles = [
        current_app.appbuilder.sm.find_role("Kepala Bidang Perizinan")]
    db.session.commit()
    for transition in (t for t in WORKFLOW.transitions if not t.by_system):
        application = make_pkkpr(transition.sources[0].value)
        client = login_as(usernames[DEFAULT_ROLES[transition.action][0]])
        detail = client.get(f"/permohonan/{application.id}").get_data(as_text=True)
        assert str(transition.label) in detail, transition.action
        page = client.get(f"/permohonan/{application.id}/aksi/{transition.action}")
        assert page.status_code == 200, transition.action
        assert 'name="csrf_token"' in page.get_data(as_text=True)
    pemohon = login_as("pemohon")
    assert "PKKPR Non Berusaha" in pemohon.get("/permohonan/baru").get_data(as_text=True)
    draft = make_pkkpr("draft")
    edit = pemohon.get(f"/permohonan/{draft.id}/ubah").get_data(as_text=True)
    assert "Jl. Raya 10" in edit and "Kanigoro" in edit
    for listing in ("/myapplicationsview/list/",):
        assert pemohon.get(listing).status_code == 200


def test_the_history_speaks_indonesian_in_local_time(login_as):
    from tests.support import make_pkkpr

    application = make_pkkpr("diajukan")
    page = login_as("pemohon").get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert "Permohonan dibuat" in page
    created = application.events[0].created_at
    wib = (created.hour + 7) % 24
    assert f"{wib:02d}.{created.minute:02d}" in page


def test_the_catalogue_offers_to_apply_only_for_open_permit_types(login_as, client):
    closed = db.session.scalar(select(PermitType).where(PermitType.code == "ASET-GOR"))
    closed.active = False
    db.session.commit()
    open_types = db.session.scalars(select(PermitType).where(PermitType.active.is_(True))).all()
    page = login_as("pemohon").get("/persyaratan/").get_data(as_text=True)
    assert page.count("Ajukan izin ini") == len(open_types)
    assert "/permohonan/baru/PKKPR-NB" in page and "/permohonan/baru/ASET-SEWA-TANAH" in page
    assert "/permohonan/baru/ASET-GOR" not in page
    assert "Ajukan izin ini" not in client.get("/persyaratan/").get_data(as_text=True)


def test_the_application_form_starts_from_the_applicants_profile(login_as):
    """The applicant does not retype what the profile holds (editable: someone may apply
    on behalf of another); the counter's form for a walk-in applicant starts empty."""
    page = login_as("pemohon").get("/permohonan/baru/PKKPR-NB").get_data(as_text=True)
    assert 'value="Budi Santoso"' in page and 'value="3505011204850001"' in page
    assert 'value="+6281234567890"' in page
    counter = login_as("frontoffice").get("/permohonan/baru/PKKPR-NB").get_data(as_text=True)
    assert 'value="Budi Santoso"' not in counter and "3505011204850001" not in counter


def test_required_choices_start_blank_and_must_be_chosen(login_as):
    """Nobody applies for the first kecamatan, title or activity of a list by not
    looking: they start at "— pilih —", and left there the form says so."""
    from tests.support import pkkpr_application_data

    pemohon = login_as("pemohon")
    page = pemohon.get("/permohonan/baru/PKKPR-NB").get_data(as_text=True)
    for name in ("kecamatan", "land_title_status", "activity"):
        select = page[page.index(f'name="{name}"'):]
        first_option = select[select.index("<option"):select.index("</option>")]
        assert 'value=""' in first_option and "pilih" in first_option, name
        assert "selected" not in select[:select.index("</select>")], name
    response = pemohon.post("/permohonan/baru/PKKPR-NB",
                            data=pkkpr_application_data(kecamatan=""))
    assert response.status_code == 200  # the form again, with the field's message
    assert "wajib" in response.get_data(as_text=True).lower()


def test_submitting_and_rejecting_ask_first(login_as):
    """An act that cannot be undone is never one tap on the file page: "Submit" opens its
    own page, which asks before it runs; a rejection's page asks too."""
    draft = make_pkkpr("draft")
    pemohon = login_as("pemohon")
    page = pemohon.get(f"/permohonan/{draft.id}").get_data(as_text=True)
    assert f'href="/permohonan/{draft.id}/aksi/ajukan"' in page
    assert f'action="/permohonan/{draft.id}/aksi/ajukan"' not in page
    question = pemohon.get(f"/permohonan/{draft.id}/aksi/ajukan").get_data(as_text=True)
    assert 'id="konfirmasi"' in question and "Ajukan permohonan ini?" in question
    with_dpupr = make_pkkpr("diteruskan_dinas")
    rejection = login_as("dpupr").get(f"/permohonan/{with_dpupr.id}/aksi/tolak")
    assert "Tolak permohonan ini?" in rejection.get_data(as_text=True)


def test_after_an_action_the_message_says_what_happened_and_what_comes_next(login_as):
    """Not "Selesai: Terima. Status sekarang …": a sentence about the file and who moves
    it on next (the applicant reads their own next step)."""
    submitted = make_pkkpr("diajukan")
    frontoffice = login_as("frontoffice")
    act(frontoffice, submitted.id, "terima")
    page = frontoffice.get(f"/permohonan/{submitted.id}").get_data(as_text=True)
    assert "Terima: selesai. Berkas kini berstatus “Diterima Front Office”." in page
    assert "Berikutnya: Front office DPMPTSP." in page
    draft = make_pkkpr("draft")
    pemohon = login_as("pemohon")
    act(pemohon, draft.id, "ajukan")
    page = pemohon.get(f"/permohonan/{draft.id}").get_data(as_text=True)
    assert "Ajukan: selesai. Berkas kini berstatus “Diajukan”." in page
    assert "Berikutnya: " not in page  # the applicant's own next step instead
