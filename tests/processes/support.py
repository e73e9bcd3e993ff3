"""A configured process for tests (every step of the palette, six kinds of field) and a
generic API client that completes a file of any configured permit type by reading only
/api/v1: the catalogue's fields, each file's `available_actions` and their hints."""

import io
import subprocess

from werkzeug.datastructures import FileStorage

from app import office_time
from app.extensions import db
from app.seed.demo import ensure_user
from app.services import processes
from models import PermitCategory, PermitType
from tests.api.support import api
from tests.conftest import DEMO_PASSWORD
from tests.support import PDF, PNG, SIGNING_PASSPHRASE, user

TRIAL_YAML = """
code: uji_reklame
name: Izin Uji Reklame
description: Izin penyelenggaraan reklame untuk pengujian.
form:
  - {name: judul_reklame, type: text, label: Judul reklame, max_length: 120}
  - {name: keterangan, type: textarea, label: Keterangan reklame, required: false}
  - {name: luas_bidang, type: number, label: Luas bidang reklame, min: 0.5, max: 200,
     decimals: 2, unit: m²}
  - {name: mulai_tayang, type: date, label: Mulai tayang}
  - {name: jenis, type: choice, label: Jenis reklame,
     options: [{value: papan, label: Papan / billboard}, {value: baliho, label: Baliho}]}
  - {name: kecamatan, type: kecamatan, label: Kecamatan}
  - {name: titik, type: coordinates, label: Titik lokasi}
  - {name: di_tanah_pemda, type: yesno, label: Berdiri di tanah milik pemda, required: false}
requirements:
  - {name: KTP pemohon, accept: [pdf, jpg]}
  - {name: Desain reklame, accept: [pdf, png]}
  - {name: Surat kuasa, mandatory: false}
steps:
  - {code: periksa, type: document_check, label: Pemeriksaan berkas, role: Pemeriksa}
  - code: teknis
    type: recommendation
    label: Rekomendasi teknis
    role: Dinas Uji
    partial: true
    fields:
      - {name: konstruksi_aman, type: yesno, label: Konstruksi aman, required: false}
  - code: cek_lapangan
    type: inspection
    label: Cek lapangan
    role: DPUPR
    when: {field: luas_bidang, op: gt, value: 10}
  - code: pajak
    type: fee
    label: Retribusi reklame
    role: Pengelola Aset
    tariff: {basis: per_m2, rate: 20000, field: luas_bidang}
  - code: catat
    type: data_entry
    label: Pencatatan
    role: Back Office
    fields:
      - {name: nomor_arsip, type: text, label: Nomor arsip, visible_to: staff}
decree: {numbering_role: Back Office, signing_role: Kepala Dinas}
"""


def publish_trial_process(yaml_text=TRIAL_YAML, permit_code="UJI-REKLAME"):
    """The trial process imported and published, with a permit type using it."""
    admin = user("admin")
    process = processes.import_process(yaml_text, admin, publish_now=False)
    category = db.session.query(PermitCategory).first()
    if db.session.query(PermitType).filter_by(code=permit_code).first() is None:
        db.session.add(PermitType(code=permit_code, name=process.name, category=category,
                                  workflow_kind=process.code, service_days=10))
        db.session.commit()
    processes.publish(process, admin)
    return process


def officer(username, role_name):
    """A staff user of a role a process names (an agency officer), made if missing."""
    created, _new = ensure_user(username, role_name, f"Petugas {role_name}", None,
                                "+6281299990001", DEMO_PASSWORD)
    db.session.commit()
    return created


def pdf_text(content):
    """A PDF's text, white space folded."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                          capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())


# --- the generic client --------------------------------------------------------------------

def value_for(field):
    """A value a careful client would send for a field, from its hints alone."""
    kind, hint = field["type"], field.get("input")
    if kind == "file":
        accept = field.get("accept", ["pdf"])
        content, name = (PDF, "berkas.pdf") if "pdf" in accept else (PNG, "berkas.png")
        return FileStorage(io.BytesIO(content), filename=name)
    if kind == "password":
        return SIGNING_PASSPHRASE
    if kind == "boolean":
        return "y"
    if kind == "date":
        return office_time.today().isoformat()
    if kind == "choice":
        return field["choices"][0]["value"]
    if kind in ("number", "integer"):
        low = float(field.get("min", 1))
        high = float(field.get("max", low + 100))
        wanted = 12.5 if field.get("decimals", 0) else 12
        return str(min(max(low, wanted), high))
    if hint == "coordinates":
        return "-8.1, 112.2"
    if "pattern" in field:
        return field.get("default") or "ABC1234567890123"
    return field.get("default") or f"Isian {field['label']}"[:field.get("max_length", 200)]


# The applicant's own identity, as a client reads it from the user's profile.
PROFILE = {"applicant_name": "Budi Santoso", "applicant_nik": "3505011204850001",
           "applicant_whatsapp": "+6281234567890", "applicant_address": "Jl. Merdeka 1"}


def fill(fields):
    return {f["name"]: PROFILE.get(f["name"]) or value_for(f) for f in fields
            if f["required"] or f["type"] in ("file",)}


def multipart(data):
    return {name: (io.BytesIO(value.stream.read()), value.filename)
            if isinstance(value, FileStorage) else value for name, value in data.items()}


class GenericClient:
    """Completes a file through /api/v1 only, as the users holding each step would."""

    def __init__(self, client, tokens):
        self.client, self.tokens = client, tokens  # username → bearer token
        self.trail = []  # (username, action) in order

    def call(self, username, method, url, **kwargs):
        return api(self.client, self.tokens[username], method, url, **kwargs)

    def permit_type(self, code):
        body = api(self.client, None, "GET", "/permit-types").get_json()
        for category in body["categories"]:
            for permit_type in category["permit_types"]:
                if permit_type["code"] == code:
                    return permit_type
        raise AssertionError(f"{code} is not in the catalogue")

    def apply(self, code, applicant="pemohon"):
        permit_type = self.permit_type(code)
        assert permit_type["open_for_applications"]
        data = {"permit_type": code, **fill(permit_type["fields"])}
        response = self.call(applicant, "POST", "/applications", json=data)
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        self.upload_requirements(applicant, body)
        return body["id"]

    def upload_requirements(self, applicant, body):
        for requirement in body["requirements"]:
            kind = requirement["accepted_types"][0]
            content = PDF if kind == "pdf" else PNG
            response = self.call(applicant, "POST", f"/applications/{body['id']}/documents",
                                 content_type="multipart/form-data",
                                 data={"requirement_id": str(requirement["id"]),
                                       "file": (io.BytesIO(content), f"dokumen.{kind}")})
            assert response.status_code == 201, response.get_json()

    def detail(self, username, application_id):
        response = self.call(username, "GET", f"/applications/{application_id}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def accept_documents(self, username, body):
        for document in body["documents"]:
            if document["verdict"] != "accepted":
                response = self.call(
                    username, "POST",
                    f"/applications/{body['id']}/documents/{document['id']}/verdict",
                    json={"verdict": "accepted"})
                assert response.status_code == 200, response.get_json()

    def act(self, username, body, offer):
        data = fill(offer["fields"])
        url = f"/applications/{body['id']}/actions/{offer['action']}"
        if any(isinstance(value, FileStorage) for value in data.values()):
            response = self.call(username, "POST", url, content_type="multipart/form-data",
                                 data={**multipart(data),
                                       "expected_version": str(body["version"])})
        else:
            response = self.call(username, "POST", url,
                                 json={**data, "expected_version": body["version"]})
        if response.status_code == 400 and "dokumen" in response.get_json()["message"]:
            self.accept_documents(username, body)  # the step judges the documents first
            return self.act(username, self.detail(username, body["id"]), offer)
        assert response.status_code == 200, (offer["action"], response.get_json())
        self.trail.append((username, offer["action"]))
        return response.get_json()

    def complete(self, application_id, applicant="pemohon", limit=40, until="selesai"):
        """Take the way forward until the file is final (or in the state `until`):
        whoever is offered a forward action takes it (the applicant first, so that a
        payment is made)."""
        order = [applicant, *[name for name in self.tokens if name != applicant]]
        for _ in range(limit):
            for username in order:
                body = self.detail(username, application_id) if username == applicant \
                    else self._visible(username, application_id)
                if body is None:
                    continue
                offers = [o for o in body["available_actions"]
                          if o["forward"] and o["style"] != "danger"
                          and not o["action"].endswith("_jadwal")]
                if offers:
                    body = self.act(username, body, offers[0])
                    break
            else:
                return self.detail(applicant, application_id)
            if body["status"] in ("selesai", until):
                return body
        raise AssertionError(f"not finished after {limit} actions: {self.trail}")

    def _visible(self, username, application_id):
        response = self.call(username, "GET", f"/applications/{application_id}")
        return response.get_json() if response.status_code == 200 else None
