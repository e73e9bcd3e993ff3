"""A numbered document a step draws from a letter template (`generate: true`) instead of
taking an upload: the officer enters its number and date, the letter is drawn from the
step's template with the file's data and kept as the step's artifact; publishing checks
the template like the decree's, the dry run previews it, the template screen edits and
previews it."""

import pytest
import yaml

from app.extensions import db
from app.services import processes
from app.services.dry_run import dry_run
from app.workflow.document_templates import published_version, template_by_key
from models import DocumentTemplate
from tests.api.support import token
from tests.processes.support import GenericClient, officer, pdf_text, publish_trial_process
from tests.support import user

LETTER_YAML = """
code: uji_surat
name: Izin Uji Surat
form:
  - {name: nama_usaha, type: text, label: Nama usaha}
  - {name: luas_tempat, type: number, label: Luas tempat, min: 1, max: 500, unit: m²}
requirements:
  - {name: KTP pemohon}
steps:
  - {code: periksa, type: document_check, label: Pemeriksaan berkas, role: Pemeriksa}
  - code: keterangan
    type: numbered_document
    label: Surat keterangan
    role: Dinas Uji
    document: Surat Keterangan Kelayakan
    generate: true
decree: {numbering_role: Back Office, signing_role: Kepala Dinas}
"""
STAFF = ("frontoffice", "pemeriksa", "backoffice", "kepaladinas")


@pytest.fixture
def tokens(client):
    publish_trial_process(LETTER_YAML, permit_code="UJI-SURAT")
    agency_officer = officer("dinasuji", "Dinas Uji")
    agency_officer.first_name, agency_officer.last_name = "Sri", "Rahayu"
    db.session.commit()
    return {username: token(client, username) for username in ("pemohon", *STAFF, "dinasuji")}


def test_the_officer_numbers_the_document_and_the_letter_is_drawn_from_the_template(
        client, tokens):
    template = template_by_key("uji_surat.keterangan")
    assert (template.kind, template.scope) == ("surat", "uji_surat")
    generic = GenericClient(client, tokens)
    application_id = generic.apply("UJI-SURAT")
    offered = {}
    original_act = generic.act

    def act(username, body, offer):
        offered[offer["action"]] = [f["name"] for f in offer["fields"]]
        return original_act(username, body, offer)

    generic.act = act
    final = generic.complete(application_id)

    assert final["status"] == "selesai"
    assert offered["keterangan"] == ["nomor", "tanggal"]  # no upload: it is drawn
    letter = next(a for a in final["artifacts"] if a["kind"] == "keterangan")
    response = generic.call("pemohon", "GET",
                            f"/applications/{application_id}/files/{letter['file_id']}")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert letter["number"] in text and "Surat Keterangan Kelayakan" in text
    assert "Budi Santoso" in text  # the applicant it is addressed to
    assert "Nama usaha: Isian Nama usaha" in text and "Luas tempat: 12 m²" in text
    assert "Sri Rahayu" in text  # the officer who issued it signs it
    assert "DINAS UJI" in text


def test_a_letter_template_with_an_unknown_placeholder_is_refused_at_publication(app):
    broken = LETTER_YAML.replace("    generate: true\n", """    generate: true
    template:
      place: Blitar
      hal: Surat Keterangan
      addressee: "{{ pemohon.nama }}"
      paragraphs: ["Luas {{ isian.luas_lahan }}"]
      signer_title: KEPALA DINAS UJI
""")
    problems = processes.problems_of(yaml.safe_load(broken))
    assert any("keterangan" in problem and "isian.luas_lahan" in problem
               for problem in problems), problems


def test_only_a_numbered_document_is_drawn_from_a_template(app):
    spec = yaml.safe_load(LETTER_YAML)
    spec["steps"][0]["generate"] = True
    problems = processes.problems_of(spec)
    assert any("periksa" in problem and "templat" in problem for problem in problems), \
        problems


def test_the_dry_run_previews_the_drawn_letter(app):
    process = processes.import_process(LETTER_YAML, user("admin"), publish_now=False)
    report = dry_run(process, user("admin"))
    db.session.rollback()
    assert report.problems == []
    main = next(path for path in report.paths if path.kind == "main")
    drawn = [document for step in main.steps if step.action == "keterangan"
             for document in step.documents]
    assert drawn and drawn[0].pdf.startswith(b"%PDF-")
    assert "Surat Keterangan Kelayakan" in pdf_text(drawn[0].pdf)
    assert db.session.query(DocumentTemplate).filter_by(
        key="uji_surat.keterangan").first() is None  # the trial left nothing


def test_the_template_screen_previews_the_step_letter(login_as, tokens):
    template = template_by_key("uji_surat.keterangan")
    version = published_version(template)
    admin = login_as("admin")
    response = admin.get(f"/templat-dokumen/{template.id}/pratinjau")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.data.startswith(b"%PDF-")
    assert "Surat Keterangan Kelayakan" in pdf_text(response.data)
    assert version.content["hal"] == "Surat Keterangan Kelayakan"
