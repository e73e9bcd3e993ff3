"""An applicant downloads everything the office holds about them from their profile: a
ZIP with a JSON file of every personal column (their account, sign-ins, messages,
notifications, survey answers, and each of their files with its data, documents,
issued documents, decree and history) and the stored files of their applications —
and nothing of anybody else."""

import io
import json
import re
import zipfile

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.storage.files import delete_stored, read_stored
from models import (
    Application,
    ApplicationDocument,
    AuditEntry,
    InAppNotification,
    OutboxMessage,
    PkkprDetail,
    SiapUser,
    SurveyResponse,
)
from tests.conftest import login
from tests.privacy.support import (
    applicant,
    file_of,
    rejection_letter,
    signed,
    with_artifact,
    with_earlier_version,
)
from tests.support import make_pkkpr, user

EXPORT = "/data-pribadi/unduh"


def export_of(client, **data):
    response = client.post(EXPORT, data=data)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    assert "no-store" in response.headers["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def data_of(archive):
    return json.loads(archive.read("data-pribadi.json"))


def column_names(model, leave_out=()):
    return {a.key for a in sa_inspect(model).column_attrs} - set(leave_out)


@pytest.fixture
def rina(app):
    """An applicant with a signed file (an earlier version of a document, an SPS, a
    decree), a draft, a refused file with its rejection letter, a notification, a message
    sent to her and a survey answer."""
    owner = applicant(email="rina@example.id")
    done = file_of(owner, "selesai")
    with_earlier_version(done)
    with_artifact(done, "sps")
    signed(done)
    draft = file_of(owner, "draft")
    refused = file_of(owner, "ditolak")
    rejection_letter(refused)
    db.session.add_all([
        InAppNotification(user_id=owner.id, application_id=done.id, text="SK Anda terbit"),
        OutboxMessage(recipient_user_id=owner.id, recipient_number=owner.whatsapp,
                      template_key="status_pemohon", body="Yth. Rina, SK Anda terbit",
                      status="sent", application=done),
        SurveyResponse(application=done, respondent_id=owner.id, comment="Cepat",
                       **dict.fromkeys(("persyaratan", "prosedur", "waktu", "biaya",
                                        "produk", "kompetensi", "perilaku", "sarana",
                                        "pengaduan"), 4)),
    ])
    db.session.commit()
    return owner, {"done": done, "draft": draft, "refused": refused}


def test_the_archive_holds_every_column_of_the_account_but_the_password(app, rina):
    owner, _ = rina
    data = data_of(export_of(login(app.test_client(), owner.username)))
    account = data["account"]
    assert set(account) >= column_names(SiapUser, leave_out=("password",))
    assert "password" not in account
    assert (account["first_name"], account["last_name"], account["username"],
            account["email"], account["nik"], account["whatsapp"]) == (
        "Rina", "Wulandari", owner.username, "rina@example.id", "3505016007900003",
        "+6281377770001")
    assert account["roles"] == ["Pemohon"]
    # The sign-in that made the request, without the session's key.
    assert data["sign_ins"] and all("key_hash" not in row for row in data["sign_ins"])


def test_each_file_is_there_whole_with_its_documents_history_and_decisions(app, rina):
    owner, files = rina
    data = data_of(export_of(login(app.test_client(), owner.username)))
    by_id = {record["id"]: record for record in data["applications"]}
    assert set(by_id) == {application.id for application in files.values()}
    done = by_id[files["done"].id]
    assert set(done) >= column_names(Application)
    assert set(done["pkkpr"]) >= column_names(PkkprDetail, leave_out=("application_id",))
    assert (done["applicant_name"], done["applicant_nik"], done["applicant_address"],
            done["applicant_whatsapp"]) == ("Rina Wulandari", "3505016007900003",
                                            "Jl. Anggrek 7, Sanankulon", "+6281377770001")
    assert done["pkkpr"]["desa"] == "Kanigoro" and done["status_label"]
    assert {d["requirement"] for d in done["documents"]} == {
        d.requirement.name for d in files["done"].documents}
    assert set(done["documents"][0]) >= column_names(
        ApplicationDocument, leave_out=("stored_name", "application_id"))
    assert len(done["documents"][0]["earlier_versions"]) == 1
    assert [a["kind"] for a in done["issued"]] == ["sps"]
    assert done["decree"]["status"] == "berlaku" and done["sk_number"]
    assert done["decree"]["verification_url"].endswith(f"/verifikasi/{files['done'].decree.token}")
    assert [e["action"] for e in done["history"]] == ["buat"]
    assert done["history"][0]["by_you"] is True
    assert "actor_id" not in done["history"][0]  # an officer's act says the role only
    refused = by_id[files["refused"].id]
    assert [d["kind"] for d in refused["issued_documents"]] == ["surat_penolakan"]
    assert by_id[files["draft"].id]["registration_number"] is None
    assert [n["text"] for n in data["notifications"]] == ["SK Anda terbit"]
    assert [m["body"] for m in data["messages"]] == ["Yth. Rina, SK Anda terbit"]
    assert data["survey_answers"][0]["comment"] == "Cepat"


def test_the_archive_holds_the_stored_files_uploaded_and_issued(app, rina):
    owner, files = rina
    archive = export_of(login(app.test_client(), owner.username))
    done, refused = files["done"], files["refused"]
    expected = {
        **{("dokumen", d.id): d for f in files.values() for d in f.documents},
        ("versi", done.documents[0].versions[0].id): done.documents[0].versions[0],
        **{(a.kind, a.id): a for a in done.artifacts},
        ("sk", done.decree.id): done.decree,
        **{(d.kind, d.id): d for d in refused.issued_documents},
    }
    names = [name for name in archive.namelist() if name.startswith("berkas/")]
    found = {}
    for name in names:
        label, number, _ = name.rsplit("/", 1)[1].split("-", 2)
        found[(label, int(number))] = archive.read(name)
    assert set(found) == set(expected)
    for key, row in expected.items():
        assert found[key] == read_stored(row.stored_name), key
    data = data_of(archive)
    listed = {record["file_in_archive"] for application in data["applications"]
              for record in (*application["documents"], *application["issued"],
                             *application["issued_documents"], application["decree"],
                             *(v for d in application["documents"]
                               for v in d["earlier_versions"]))
              if record}
    assert set(names) == listed - {None}
    assert "BACA-SAYA.txt" in archive.namelist()


def test_nothing_of_another_applicant_is_in_the_archive(app, rina):
    owner, _ = rina
    others = make_pkkpr("selesai", owner="pemohon", registration_number="LAIN/000777")
    signed(others)
    # The form cannot name another account: the archive is the signed-in user's.
    archive = export_of(login(app.test_client(), owner.username),
                        user_id=str(user("pemohon").id), username="pemohon")
    text = archive.read("data-pribadi.json").decode()
    other = user("pemohon")
    for value in ("LAIN/000777", "Budi Santoso", "3505011204850001", others.decree.token,
                  f"\"{other.username}\"", other.email, other.whatsapp):
        if value:
            assert value not in text, value
    assert not any("LAIN-000777" in name for name in archive.namelist())


@pytest.mark.parametrize("username", ["frontoffice", "admin", "kepaladinas"])
def test_officers_get_no_export_page_or_archive(login_as, username):
    client = login_as(username)
    assert client.post(EXPORT).status_code == 403
    assert client.get("/data-pribadi/").status_code == 403


def test_a_visitor_is_sent_to_the_sign_in_page(client):
    response = client.post(EXPORT)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_export_is_a_csrf_checked_post(app, rina):
    owner, _ = rina
    client = login(app.test_client(), owner.username)
    assert client.get(EXPORT).status_code == 405
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(EXPORT).status_code == 400
    page = client.get("/data-pribadi/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(EXPORT, data={"csrf_token": token}).status_code == 200


def test_a_file_missing_from_storage_is_said_not_sent(app, rina):
    owner, files = rina
    document = files["done"].documents[0]
    delete_stored([document.stored_name])
    data = data_of(export_of(login(app.test_client(), owner.username)))
    record = next(d for a in data["applications"] for d in a["documents"]
                  if d["id"] == document.id)
    assert record["file_missing"] is True and record["file_in_archive"] is None


def test_the_profile_page_leads_to_the_export_and_the_notice(app, rina):
    owner, _ = rina
    client = login(app.test_client(), owner.username)
    page = client.get("/users/userinfo/").get_data(as_text=True)
    assert 'href="/data-pribadi/"' in page and 'href="/privasi/"' in page
    page = client.get("/data-pribadi/").get_data(as_text=True)
    assert 'action="/data-pribadi/unduh"' in page and 'href="/data-pribadi/hapus"' in page
    staff = login(app.test_client(), "frontoffice").get("/users/userinfo/").get_data(
        as_text=True)
    assert 'href="/privasi/"' in staff and 'href="/data-pribadi/"' not in staff


def test_the_export_is_in_the_audit_log_with_counts_only(app, rina):
    owner, _ = rina
    export_of(login(app.test_client(), owner.username))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.event == audit.EXPORTED))
    assert (entry.actor_id, entry.object_type, entry.object_id) == (owner.id, "user", owner.id)
    assert entry.details["what"] == "personal_data" and entry.details["format"] == "zip"
    assert entry.details["applications"] >= 1 and entry.details["files"] >= 1
    assert owner.nik not in json.dumps(entry.details)
