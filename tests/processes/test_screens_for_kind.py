"""A process published while the app runs — here or on another worker sharing the
database — gets the screens of a permit kind without a restart: its menu group with the
inbox and the number of files waiting (for the roles acting in it, not for others), its
lists, the catalogue, the new-application page, tracking, statistics, the survey, the
API's permit types and stage targets for its steps."""

import re

import pytest
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.workflow import clock, registry
from app.workflow.registry import workflow_of
from models import SKM_ELEMENTS, Application, StageTarget
from tests.api.support import api, token
from tests.processes.support import GenericClient, officer, publish_trial_process
from tests.support import permit_type

GROUP = "Izin Uji Reklame"
INBOX, FILES = "/processinboxview/list/uji_reklame/", "/processfilesview/list/uji_reklame/"
STAFF = ("frontoffice", "pemeriksa", "dpupr", "pengelolaaset", "backoffice", "kepaladinas")


def menu_of(page):
    """The navbar's HTML (the menus only)."""
    start = page.index('class="navbar')
    return page[start:page.index("</nav>", start)] if "</nav>" in page[start:] else page


def group_in(page):
    return GROUP in menu_of(page)


def badge(page, href):
    match = re.search(rf'href="{re.escape(href)}".*?</a>', page, re.S)
    found = re.search(r'class="badge"[^>]*>(\d+)<', match.group(0)) if match else None
    return int(found.group(1)) if found else 0


def published_on_another_worker():
    """Publish the trial process as another worker would: this worker's registry keeps
    what it knew, and has checked the database just now."""
    known = dict(vars(registry._PUBLISHED))
    publish_trial_process()
    vars(registry._PUBLISHED).update(known)
    registry._PUBLISHED.checked_at = registry.time.monotonic()


def recheck_due():
    """PROCESS_RECHECK_SECONDS have passed since this worker last looked."""
    registry._PUBLISHED.checked_at -= current_app.config.get("PROCESS_RECHECK_SECONDS", 2)


@pytest.fixture
def long_recheck(app):
    missing = object()
    before = app.config.get("PROCESS_RECHECK_SECONDS", missing)
    app.config["PROCESS_RECHECK_SECONDS"] = 3600
    yield
    if before is missing:
        del app.config["PROCESS_RECHECK_SECONDS"]
    else:
        app.config["PROCESS_RECHECK_SECONDS"] = before


def waiting_for_technical_advice(client):
    """A file of the trial process submitted, accepted and checked: it waits for the
    technical recommendation of "Dinas Uji"."""
    tokens = {name: token(client, name) for name in ("pemohon", "frontoffice", "pemeriksa")}
    generic = GenericClient(client, tokens)
    application_id = generic.apply("UJI-REKLAME")
    for username, action in (("pemohon", "ajukan"), ("frontoffice", "terima"),
                             ("pemeriksa", "periksa")):
        generic.act(username, generic.detail(username, application_id),
                    {"action": action, "fields": []})
    return db.session.get(Application, application_id)


def test_a_process_published_on_another_worker_gets_its_menu_group_without_a_restart(
        client, login_as, long_recheck):
    examiner = login_as("pemeriksa")
    assert not group_in(examiner.get("/lacak/").get_data(as_text=True))

    published_on_another_worker()
    officer("dinasuji", "Dinas Uji")
    # Until this worker rechecks, it does not know the process.
    assert not group_in(examiner.get("/lacak/").get_data(as_text=True))
    assert examiner.get(INBOX).status_code == 404

    recheck_due()
    page = examiner.get("/lacak/").get_data(as_text=True)
    assert group_in(page) and INBOX in page and FILES in page

    application = waiting_for_technical_advice(client)
    advisor = login_as("dinasuji")
    page = advisor.get("/lacak/").get_data(as_text=True)
    assert group_in(page) and badge(page, INBOX) == 1
    assert badge(page, "/inboxpkkprnbview/list/") == 0  # the built-in groups are not its
    inbox = advisor.get(INBOX).get_data(as_text=True)
    assert f"/permohonan/{application.id}" in inbox and "Kotak masuk: Izin Uji Reklame" in inbox
    assert f"/permohonan/{application.id}" in advisor.get(FILES).get_data(as_text=True)
    # The examiner checked it: no longer in the examiner's inbox, still in the file list.
    page = examiner.get("/lacak/").get_data(as_text=True)
    assert badge(page, INBOX) == 0
    assert f"/permohonan/{application.id}" not in examiner.get(INBOX).get_data(as_text=True)
    assert f"/permohonan/{application.id}" in examiner.get(FILES).get_data(as_text=True)

    # Roles acting in no step see no group, and its lists are refused.
    for username in ("atrbpn", "pemohon"):
        other = login_as(username)
        assert not group_in(other.get("/lacak/").get_data(as_text=True)), username
        assert other.get(INBOX).status_code == 403, username
        assert other.get(FILES).status_code == 403, username
    # The built-in groups stay as they were.
    page = login_as("atrbpn").get("/lacak/").get_data(as_text=True)
    assert "PKKPR Non Berusaha" in menu_of(page)


def test_the_menu_entries_are_permissions_an_admin_moves_in_the_role_screen(login_as):
    publish_trial_process()
    sm = current_app.appbuilder.sm
    inbox_entry = sm.find_permission_view_menu("menu_access", "Inbox uji_reklame")
    assert inbox_entry is not None
    holders = {role.name for role in sm.get_all_roles() if inbox_entry in role.permissions}
    assert {"Pemeriksa", "Dinas Uji", "DPUPR", "Pengelola Aset", "Back Office",
            "Front Office", "Kepala Dinas", "Admin"} <= holders
    assert not {"Pemohon", "ATR BPN", "Public"} & holders

    # The admin takes the group away from the examiners: they no longer see it.
    role = sm.find_role("Pemeriksa")
    for name in ("Files uji_reklame", "Inbox uji_reklame"):
        role.permissions.remove(sm.find_permission_view_menu("menu_access", name))
    db.session.commit()
    examiner = login_as("pemeriksa")
    assert not group_in(examiner.get("/lacak/").get_data(as_text=True))
    assert examiner.get(INBOX).status_code == 403
    assert examiner.get(FILES).status_code == 200  # its file list entry is still held

    # The role screen names the entries by the menu they sit in.
    page = login_as("admin").get(f"/roles/edit/{role.id}").get_data(as_text=True)
    assert "Izin Uji Reklame › Kotak Masuk" in page


def test_the_public_and_applicant_screens_and_the_api_include_the_process(client, login_as):
    published_on_another_worker()
    recheck_due()
    for path in ("/persyaratan/", "/permohonan/baru"):
        page = login_as("pemohon").get(path).get_data(as_text=True)
        assert "Izin Uji Reklame" in page, path
    body = api(client, None, "GET", "/permit-types").get_json()
    codes = {t["code"] for c in body["categories"] for t in c["permit_types"]}
    assert "UJI-REKLAME" in codes

    application = waiting_for_technical_advice(client)
    tracked = client.post("/lacak/", data={"nomor": application.registration_number,
                                           "akhiran": application.applicant_whatsapp[-4:]})
    assert "Rekomendasi teknis" in tracked.get_data(as_text=True)

    statistics = login_as("kepaladinas").get("/statistik/")
    assert statistics.status_code == 200
    assert "Izin Uji Reklame" in statistics.get_data(as_text=True)


def test_the_applicant_rates_a_finished_file_of_the_process(client, login_as):
    publish_trial_process()
    officer("dinasuji", "Dinas Uji")
    tokens = {name: token(client, name) for name in ("pemohon", *STAFF, "dinasuji")}
    generic = GenericClient(client, tokens)
    application_id = generic.apply("UJI-REKLAME")
    assert generic.complete(application_id)["status"] == "selesai"
    applicant = login_as("pemohon")
    assert "Nilai layanan kami" in applicant.get(
        f"/permohonan/{application_id}").get_data(as_text=True)
    data = {name: "3" for name in SKM_ELEMENTS}
    response = applicant.post(f"/permohonan/{application_id}/survei", data=data,
                              follow_redirects=True)
    assert "Terima kasih atas penilaian Anda" in response.get_data(as_text=True)


def test_stage_targets_can_be_set_for_the_steps_of_the_process(client, login_as):
    published_on_another_worker()
    recheck_due()
    admin = login_as("admin")
    form = admin.get("/stagetargetview/add").get_data(as_text=True)
    assert "Rekomendasi teknis" in form and 'value="teknis"' in form
    reklame = permit_type("UJI-REKLAME")
    response = admin.post("/stagetargetview/add", data={
        "permit_type": str(reklame.id), "status": "teknis", "days": "3"})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    target = db.session.scalar(select(StageTarget).where(
        StageTarget.permit_type_id == reklame.id))
    assert (target.status, target.days) == ("teknis", 3)
    listed = admin.get("/stagetargetview/list/").get_data(as_text=True)
    assert "Rekomendasi teknis" in listed
    # The clock of a file waiting in the step reads the target.
    application = waiting_for_technical_advice(client)
    assert clock.read(application, workflow_of(application)).stage_target == 3
    # A step of another workflow is not one of this permit type's.
    refused = admin.post("/stagetargetview/add", data={
        "permit_type": str(reklame.id), "status": "diteruskan_dinas", "days": "3"})
    assert refused.status_code == 200
    assert "Status ini bukan bagian dari alur jenis izin tersebut." in refused.get_data(
        as_text=True)


def test_each_kinds_application_form_titles_its_own_part(login_as):
    """The part after the applicant is titled by the kind's definition (Workflow.applying):
    a configured process's is its data, not PKKPR's location."""
    published_on_another_worker()
    recheck_due()
    applicant = login_as("pemohon")
    legend = re.compile(r"<legend>\s*([^<]+?)\s*</legend>")
    pages = {code: applicant.get(f"/permohonan/baru/{code}").get_data(as_text=True)
             for code in ("UJI-REKLAME", "PKKPR-NB", "ASET-GEDUNG-PERTEMUAN")}
    assert legend.findall(pages["UJI-REKLAME"])[1] == "Data permohonan"
    assert legend.findall(pages["PKKPR-NB"])[1] == "Lokasi dan kegiatan"
    assert legend.findall(pages["ASET-GEDUNG-PERTEMUAN"])[1] == "Pemanfaatan aset"
    assert 'id="tarif"' in pages["ASET-GEDUNG-PERTEMUAN"]
    assert 'id="tarif"' not in pages["UJI-REKLAME"] + pages["PKKPR-NB"]
