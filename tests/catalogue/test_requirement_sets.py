"""A file keeps the requirement set it was created with: a requirement the admin adds,
makes mandatory or deactivates later applies to files created after the change."""

import io
import re

from sqlalchemy import select

from app.extensions import db
from models import Application, Requirement
from tests.api.support import api, token
from tests.support import PDF, action_input, make_pkkpr, pkkpr_application_data, pkkpr_type
from tests.workflow.test_pkkpr_flow import act, status_of

NEW_REQUIREMENT = "Rekomendasi kelurahan"


def add_mandatory_requirement(admin):
    response = admin.post("/requirementview/add", data={
        "permit_type": str(pkkpr_type().id), "name": NEW_REQUIREMENT, "mandatory": "y",
        "accepted_types": "pdf", "max_size_mb": "5", "position": "5", "active": "y"})
    assert response.status_code == 302
    return db.session.scalar(select(Requirement).where(Requirement.name == NEW_REQUIREMENT))


def new_file(pemohon):
    response = pemohon.post("/permohonan/baru/PKKPR-NB", data=pkkpr_application_data())
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return int(re.search(r"/permohonan/(\d+)$", response.headers["Location"]).group(1))


def upload(client, application_id, requirement_id):
    return client.post(f"/permohonan/{application_id}/dokumen/{requirement_id}",
                       data={"file": (io.BytesIO(PDF), "dokumen.pdf")},
                       content_type="multipart/form-data", follow_redirects=True)


def test_a_mandatory_requirement_added_after_submission_does_not_block_the_files_next_steps(
    login_as
):
    application = make_pkkpr("diterima_fo")
    add_mandatory_requirement(login_as("admin"))

    frontoffice = login_as("frontoffice")
    page = frontoffice.get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert NEW_REQUIREMENT not in page
    act(frontoffice, application.id, "teruskan_pemeriksa")
    assert status_of(application.id) == "diperiksa"
    act(login_as("pemeriksa"), application.id, "teruskan_dinas")
    assert status_of(application.id) == "diteruskan_dinas"


def test_a_file_returned_for_correction_is_submitted_again_without_the_new_requirement(
    login_as
):
    application = make_pkkpr("perlu_perbaikan")
    add_mandatory_requirement(login_as("admin"))
    act(login_as("pemohon"), application.id, "ajukan")
    assert status_of(application.id) == "diajukan"


def test_a_new_file_must_provide_a_requirement_added_before_it_was_created(login_as):
    requirement = add_mandatory_requirement(login_as("admin"))
    pemohon = login_as("pemohon")
    application_id = new_file(pemohon)
    assert NEW_REQUIREMENT in pemohon.get(f"/permohonan/{application_id}").get_data(
        as_text=True)
    for entry in db.session.get(Application, application_id).requirements:
        if entry.mandatory and entry.requirement_id != requirement.id:
            upload(pemohon, application_id, entry.requirement_id)

    page = pemohon.post(f"/permohonan/{application_id}/aksi/ajukan", data=action_input("ajukan"),
                        follow_redirects=True).get_data(as_text=True)
    assert f"Dokumen wajib berikut belum ada: {NEW_REQUIREMENT}." in page
    assert status_of(application_id) == "draft"
    upload(pemohon, application_id, requirement.id)
    act(pemohon, application_id, "ajukan")
    assert status_of(application_id) == "diajukan"


def test_a_draft_keeps_the_requirements_it_was_created_with(login_as):
    """Decided: the set is fixed when the file is created, draft or not, so what the
    applicant was shown when starting is what they must provide."""
    application = make_pkkpr("draft")
    add_mandatory_requirement(login_as("admin"))
    act(login_as("pemohon"), application.id, "ajukan")
    assert status_of(application.id) == "diajukan"


def test_making_an_optional_requirement_mandatory_later_does_not_block_existing_files(
    login_as
):
    npwp = next(r for r in pkkpr_type().requirements if r.name == "NPWP")
    application = make_pkkpr("diterima_fo", documents=None)
    for entry in application.requirements:  # only the mandatory ones are uploaded
        if entry.mandatory:
            upload(login_as("frontoffice"), application.id, entry.requirement_id)
    npwp.mandatory = True
    db.session.commit()
    act(login_as("frontoffice"), application.id, "teruskan_pemeriksa")
    assert status_of(application.id) == "diperiksa"


def test_a_file_cannot_receive_a_document_for_a_requirement_outside_its_set(login_as):
    application = make_pkkpr("draft", documents=None)
    requirement = add_mandatory_requirement(login_as("admin"))
    page = upload(login_as("pemohon"), application.id, requirement.id)
    assert page.status_code == 404
    assert not db.session.get(Application, application.id).documents


def test_the_api_lists_the_files_own_requirements(app, login_as):
    application = make_pkkpr("draft", documents=None, owner="pemohon")
    add_mandatory_requirement(login_as("admin"))
    client = app.test_client()
    body = api(client, token(client, "pemohon"), "GET",
               f"/applications/{application.id}").get_json()
    names = [requirement["name"] for requirement in body["requirements"]]
    assert NEW_REQUIREMENT not in names and "Surat permohonan" in names


def test_a_deactivated_requirement_is_not_asked_of_new_files_but_existing_files_keep_it(
    login_as, client
):
    site_plan = next(r for r in pkkpr_type().requirements if r.name.startswith("Rencana"))
    existing = make_pkkpr("draft", documents=None)
    admin = login_as("admin")
    response = admin.post(f"/requirementview/edit/{site_plan.id}", data={
        "permit_type": str(site_plan.permit_type_id), "name": site_plan.name,
        "description": site_plan.description or "", "mandatory": "y",
        "accepted_types": site_plan.accepted_types, "max_size_mb": str(site_plan.max_size_mb),
        "position": str(site_plan.position)})  # "active" unticked
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Requirement, site_plan.id).active is False

    pemohon = login_as("pemohon")
    created = new_file(pemohon)
    assert site_plan.id not in {e.requirement_id
                                for e in db.session.get(Application, created).requirements}
    assert site_plan.id in {e.requirement_id
                            for e in db.session.get(Application, existing.id).requirements}
    assert site_plan.name in pemohon.get(f"/permohonan/{existing.id}").get_data(as_text=True)
    assert site_plan.name not in client.get("/persyaratan/").get_data(as_text=True)
