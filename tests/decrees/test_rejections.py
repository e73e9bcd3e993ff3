"""A file refused after submission gets a numbered rejection (the letter's number, the
reasons, who refused it in which role) in the refusing action's transaction; a refusal
at signature cancels the SK number, which is never given again."""


import pytest
from flask import current_app
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.errors import InvalidInput
from app.extensions import db
from app.workflow import clock
from app.workflow.engine import apply_action
from app.workflow.numbering import peek_next_value, sequence_for
from app.workflow.rejections import rejection_facts
from models import Application, Rejection
from tests.api.support import api, token
from tests.support import action_input, make_asset_use, make_pkkpr, user

REASON = "Lokasi berada di kawasan lindung"


def next_letter_number():
    """The number the next rejection letter takes (the default format)."""
    year = clock.today().year
    number_format = current_app.config["REJECTION_NUMBER_FORMAT"]
    assert number_format == "503/{seq:03d}/SP/409.110/{year}"
    seq = peek_next_value(sequence_for("surat_penolakan", number_format, None), year)
    return f"503/{seq:03d}/SP/409.110/{year}"


def reject(application_id, action, username, reason=REASON):
    apply_action(application_id, action, user(username), MultiDict({"alasan": reason}))
    db.session.expire_all()
    return db.session.get(Application, application_id)


def test_a_rejection_by_dpupr_is_numbered_with_its_reasons_and_who_refused_it(login_as):
    application = make_pkkpr("diteruskan_dinas")
    number = next_letter_number()
    response = login_as("dpupr").post(f"/permohonan/{application.id}/aksi/tolak",
                                      data={"alasan": REASON})
    assert response.status_code == 302
    db.session.expire_all()
    rejection = db.session.get(Application, application.id).rejection
    assert rejection.number == number and rejection.reasons == REASON
    assert (rejection.action, rejection.from_status) == ("tolak", "diteruskan_dinas")
    assert rejection.rejected_by_id == user("dpupr").id
    assert rejection.rejected_by_role == "DPUPR"
    assert rejection.cancelled_sk_number is None
    event = rejection.application.events[-1]
    assert event.action == "tolak" and event.data["rejection_number"] == number


def test_the_applicant_sees_the_rejection_on_the_file_page_and_in_the_api(login_as, client):
    application = reject(make_pkkpr("krk_terbit").id, "tolak", "dpupr")
    number = application.rejection.number
    page = login_as("pemohon").get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert f"Surat penolakan Nomor {number}" in page
    assert REASON in page and "Ditolak oleh: DPUPR." in page
    body = api(client, token(client, "pemohon"), "GET",
               f"/applications/{application.id}").get_json()
    assert body["rejection"]["number"] == number
    assert body["rejection"]["reasons"] == REASON and body["rejection"]["role"] == "DPUPR"
    assert api(client, token(client, "pemohon"), "GET",
               f"/applications/{make_pkkpr('diajukan').id}").get_json()["rejection"] is None


def test_a_rejection_by_the_agency_managing_an_asset_is_numbered_too():
    application = reject(make_asset_use("diteruskan_opd").id, "tolak", "pengelolaaset")
    assert application.rejection.rejected_by_role == "Pengelola Aset"
    assert application.rejection.number.endswith(f"/SP/409.110/{clock.today().year}")


def test_a_rejection_at_signature_cancels_the_sk_number_and_it_is_never_given_again(login_as):
    application = make_pkkpr("rekomendasi_terbit")
    apply_action(application.id, "input_nomor_sk", user("backoffice"),
                 action_input("input_nomor_sk"))
    sk_number = db.session.get(Application, application.id).sk_number
    application = reject(application.id, "tolak_ds", "kepaladinas")
    assert application.status == "ditolak" and application.sk_number == sk_number
    rejection = application.rejection
    assert rejection.cancelled_sk_number == sk_number and rejection.action == "tolak_ds"
    assert rejection.rejected_by_role == "Kepala Dinas"
    page = login_as("pemohon").get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert f"Nomor SK {sk_number} dibatalkan" in page and 'id="sk-dibatalkan"' in page

    other = make_pkkpr("rekomendasi_terbit")
    apply_action(other.id, "input_nomor_sk", user("backoffice"),
                 action_input("input_nomor_sk"))
    assert db.session.get(Application, other.id).sk_number not in (sk_number, None)


def test_a_refused_rejection_leaves_no_letter_number_behind():
    application = make_pkkpr("diteruskan_dinas")
    number = next_letter_number()
    with pytest.raises(InvalidInput):
        reject(application.id, "tolak", "dpupr", reason="")
    assert db.session.scalar(select(func.count(Rejection.id))) == 0
    assert reject(application.id, "tolak", "dpupr").rejection.number == number


def test_the_rejection_facts_give_what_the_rejection_letter_states():
    application = make_pkkpr("pertek_terbit")
    application.acts_for_organisation, application.organisation_name = True, "Yayasan Al-Ikhlas"
    db.session.commit()
    facts = rejection_facts(reject(application.id, "tolak", "dpupr").rejection)
    assert facts.number == application.rejection.number and facts.reasons == REASON
    assert facts.at_signature is False and facts.from_status == "pertek_terbit"
    assert (facts.rejected_by, facts.rejected_by_role) == (user("dpupr").full_name, "DPUPR")
    assert facts.applicant_name == "Budi Santoso"
    assert facts.organisation_name == "Yayasan Al-Ikhlas"
    assert facts.registration_number == application.registration_number
    assert facts.permit_type == "PKKPR Non Berusaha" and facts.dated == clock.today()
