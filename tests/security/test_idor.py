"""IDOR sweep: every URL of the app (screens and API) that names one application, or
one of its documents, artifacts or its decree, is tried on someone else's files by a
second applicant and by the Pengelola Aset of another agency (DISPORAPAR; the hall is
BPKAD's). Each gets 404 (or 403) with valid input, and nothing changes."""

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.security import roles
from app.storage.files import upload_root
from app.workflow.registry import WORKFLOWS
from models import SKM_ELEMENTS, Agency, Application
from tests.factories import make_user
from tests.security.routes import (
    Caller,
    Probe,
    _with_file,
    build,
    changed_tables,
    database_fingerprint,
    is_api,
    methods_of,
    object_level,
    rules,
    values_for,
    view_of,
    with_earlier_version,
)
from tests.support import (
    PDF,
    action_input,
    asset_application_data,
    make_asset_use,
    make_pkkpr,
    pkkpr_application_data,
    recommendation_input,
    retribution_proof_input,
)

PASSWORD = "Rahasia123"
REFUSALS = (403, 404)


@pytest.fixture
def victims_files(objects):
    """The applicant `pemohon`'s files in the states where each action is possible:
    a draft, a PKKPR file waiting for payment, a hall file waiting for its agency, and
    the signed files of both kinds (decree, survey, revocation, the signed revocation
    decree)."""
    waiting = make_pkkpr("menunggu_pembayaran")
    draft = make_pkkpr("draft", documents="pending")
    hall = make_asset_use("diteruskan_opd")
    for application, issuer in ((waiting, "atrbpn"), (draft, "frontoffice"),
                                (hall, "pemeriksa")):
        _with_file("uji", application, issuer)
        with_earlier_version(application)
    db.session.commit()
    return [draft, waiting, objects.files["pkkpr_nb"].done, hall,
            objects.files["aset"].done]


@pytest.fixture
def intruders(app):
    make_user(username="tetangga", password=PASSWORD)
    agency = db.session.scalar(select(Agency).where(Agency.code == "DISPORAPAR"))
    make_user(roles.PENGELOLA_ASET, username="pora", password=PASSWORD, agency_id=agency.id)
    return [Caller(app, "tetangga", PASSWORD), Caller(app, "pora", PASSWORD)]


def object_rules(app):
    """Every rule naming one application, found in the URL map (not listed by hand)."""
    found = []
    for rule in rules(app):
        if not object_level(app, rule):
            continue
        if rule.endpoint.endswith(".action") and not rule.endpoint.startswith("Application"):
            # Flask-AppBuilder's generic row action: the application lists declare none.
            assert not view_of(app, rule.endpoint).actions, rule.endpoint
            continue
        found.append(rule)
    return found


def valid_input(application, endpoint, action=None):
    """What the owner (or the officer) would send: the attack is the id, not the form."""
    if endpoint.endswith((".upload",)):
        return {"file": (io.BytesIO(PDF), "ktp.pdf"),
                "requirement_id": str(application.documents[0].requirement_id)}
    if endpoint.endswith((".judge", ".verdict")):
        return {"verdict": "rejected", "reason": "Tidak terbaca"}
    if endpoint.endswith(".revoke"):
        return {"alasan": "Dicabut untuk uji"}
    if endpoint.endswith(".survey"):
        return {name: "4" for name in SKM_ELEMENTS} | {"comment": "Bagus"}
    if endpoint.endswith(".edit") and endpoint.startswith("ApplicationView"):
        if application.kind == "aset":
            use = application.asset_use
            return asset_application_data(use.asset, use.period_start, use.period_end)
        return pkkpr_application_data()
    if action is None:
        return {}
    if application.kind == "aset" and action == "terbitkan_rekomendasi":
        use = application.asset_use
        return dict(recommendation_input(use.period_start, use.period_end))
    if application.kind == "aset" and action == "unggah_bukti_bayar":
        return dict(retribution_proof_input())
    return dict(action_input(action)) | {"expected_version": str(application.version)}


def sweep_probes(app, objects, application):
    """[(probe, workflow action or None)] for every object URL of `application`."""
    probes = []
    for rule in object_rules(app):
        actions = list(WORKFLOWS[application.kind].by_action) if "action" in rule.arguments \
            else [None]
        for method in methods_of(rule):
            for action in actions:
                values = values_for(app, rule, objects, application=application)
                if action:
                    values["action"] = action
                key = f"{method} {rule.endpoint} [{application.kind} {application.status}" \
                      f"{' ' + action if action else ''}]"
                probes.append((Probe(key, rule.rule, method, build(rule, values),
                                     api=is_api(rule)), action))
    return probes


def state(application_id):
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    return (application.status, application.version, len(application.events),
            sorted((d.id, d.stored_name, d.verdict) for d in application.documents),
            len(application.artifacts),
            application.decree.status if application.decree else None)


def files_on_disk():
    return {p for p in Path(upload_root()).rglob("*") if p.is_file()}


def test_the_sweep_covers_every_kind_of_object_url(app):
    endpoints = {rule.endpoint for rule in object_rules(app)}
    for expected in ("ApplicationView.detail", "ApplicationView.download_document",
                     "ApplicationView.download_document_version",
                     "ApplicationView.download_artifact", "ApplicationView.download_decree",
                     "ApplicationView.download_issued", "ApplicationsApi.revoke",
                     "ApplicationView.action", "ApplicationView.upload",
                     "ApplicationsApi.get", "ApplicationsApi.file", "ApplicationsApi.decree",
                     "ApplicationsApi.action", "ApplicationsApi.upload",
                     "AllApplicationsView.show"):
        assert expected in endpoints


def test_someone_elses_files_answer_404_on_every_object_url_and_nothing_changes(
    app, objects, victims_files, intruders, login_as
):
    owner = login_as("pemohon")
    for application in victims_files:  # the ids are real: their owner opens them
        assert owner.get(f"/permohonan/{application.id}").status_code == 200
    before = {a.id: state(a.id) for a in victims_files}
    fingerprint, disk = database_fingerprint(), files_on_disk()

    leaks = []
    for application in victims_files:
        for probe, action in sweep_probes(app, objects, application):
            for intruder in intruders:
                overrides = {}
                if probe.method == "POST":
                    endpoint = probe.key.split()[1]
                    overrides = {"data": valid_input(application, endpoint, action),
                                 "content_type": "multipart/form-data"}
                _, status = intruder.call(probe, **overrides)
                code = int(str(status).split()[0])
                if code not in REFUSALS:
                    leaks.append(f"{intruder.role}: {probe.method} {probe.path} → {status}")

    assert not leaks, "reached someone else's file:\n  " + "\n  ".join(leaks)
    assert {a.id: state(a.id) for a in victims_files} == before
    assert changed_tables(fingerprint, database_fingerprint()) == []
    assert files_on_disk() == disk


def test_someone_elses_files_appear_in_no_list_of_the_screens_or_the_api(
    objects, victims_files, intruders
):
    numbers = [a.registration_number for a in victims_files if a.registration_number]
    for intruder in intruders:
        pages = ["/myapplicationsview/list/", "/allapplicationsview/list/", "/inboxview/list/",
                 "/allfilesasetview/list/", "/inboxasetview/list/", "/dasbor/", "/statistik/",
                 f"/aset/{objects.asset_id}"]  # the hall's booked periods
        for page in pages:
            text = intruder.web.get(page).get_data(as_text=True)
            assert not [n for n in numbers if n in text], (intruder.role, page)
        for query in ("", "?inbox=1", "?status=selesai", "?type=ASET-GEDUNG-PERTEMUAN"):
            answer = intruder.api.get(f"/api/v1/applications{query}", headers=intruder.headers)
            assert answer.status_code == 200
            ids = {row["id"] for row in answer.get_json()["result"]}
            assert not ids & {a.id for a in victims_files}, (intruder.role, query)


def test_the_other_agencys_officer_still_sees_their_own_agencys_file(intruders):
    """The sweep's refusals come from the row rules, not from a broken officer."""
    gor_file = make_asset_use("diteruskan_opd", asset_name="Gedung Olahraga Kanigoro")
    pora = intruders[1]
    assert pora.web.get(f"/permohonan/{gor_file.id}").status_code == 200
    answer = pora.api.get(f"/api/v1/applications/{gor_file.id}", headers=pora.headers)
    assert answer.status_code == 200


def test_the_sweeps_input_does_the_work_for_those_entitled_to_it(app, objects, victims_files):
    """The refusals above are about the id: the same requests work for the owner and
    for the hall's own agency."""
    draft, waiting, _, hall, _ = victims_files
    owner, bpkad = Caller(app, "pemohon"), Caller(app, "pengelolaaset")
    requests = [
        (owner, draft, "ApplicationsApi.upload", None, 201),
        (owner, draft, "ApplicationView.upload", None, 302),
        (owner, waiting, "ApplicationsApi.action", "unggah_bukti_bayar", 200),
        (bpkad, hall, "ApplicationView.action", "terbitkan_rekomendasi", 302),
    ]
    for caller, application, endpoint, action, expected in requests:
        before = state(application.id)
        probe = next(p for p, a in sweep_probes(app, objects, application)
                     if p.key.split()[1] == endpoint and a == action and p.method == "POST")
        response = caller.open(probe, data=valid_input(application, endpoint, action),
                               content_type="multipart/form-data")
        assert response.status_code == expected, (endpoint, response.get_data(as_text=True))
        assert state(application.id) != before, endpoint
