"""What the security tests share: every route the app registers (from `app.url_map`),
filled in with the ids of real objects, called as a role and classified.

Outcomes of one call:
    allowed      2xx, or a redirect to a page other than the login page
    bad_request  400, 409 or 422: the handler was reached and refused the input
    login        a redirect to the login page (browser) or 401 (API)
    forbidden    403
    refused      a redirect with Flask-AppBuilder's "Access is Denied" message (its
                 handlers refuse like that: a GET delete/action, an action not held)
    not_found    404
    not_allowed  405
    error_<code> anything else (500 ...), always a failure
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlparse

from flask_appbuilder.security.sqla.models import Group, RegisterUser
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select, text

from app import office_time
from app.extensions import db
from app.security.input_guard import MAX_ID
from app.services import processes
from app.storage.files import store_bytes, upload_root
from app.workflow import walk_in
from app.workflow.registry import WORKFLOWS
from models import (
    Agency,
    Application,
    Artifact,
    AuditEntry,
    Decree,
    DocumentTemplate,
    DocumentVersion,
    Holiday,
    IssuedDocument,
    OutboxMessage,
    PermitType,
    Process,
    SigningDelegation,
)
from models.application import utcnow
from models.service import StageTarget
from tests.conftest import DEMO_PASSWORD, login
from tests.factories import make_user
from tests.signing.test_decree import ready_file
from tests.support import PDF, SIGNABLE_PDF, make_asset_use, user

ANONYMOUS = "anonymous"
USERS = ("pemohon", "frontoffice", "pemeriksa", "dpupr", "atrbpn", "pengelolaaset",
         "backoffice", "kabidperizinan", "kepaladinas", "admin")
ROLES = (ANONYMOUS, *USERS)
REACHED = ("allowed", "bad_request")
# Flask-AppBuilder flashes this (translated) when its handler refuses.
ACCESS_DENIED = ("Access is Denied", "Akses ditolak")
# Flask's and Flask-AppBuilder's static files: public, one entry each.
STATIC_ENDPOINTS = ("static", "appbuilder.static", "leaflet.static")
# A name in the form of Flask-AppBuilder's uploads (<uuid>_sep_<name>).
DOWNLOAD_NAME = "0_sep_berkas.pdf"


# --- the objects the routes are filled with ------------------------------------------


@dataclass
class Files:
    """One permit kind's files of the applicant `pemohon`: `done` is signed (decree,
    documents, an issued artifact with a file), `ready` waits for the signature (the
    draft decree can be drawn)."""

    kind: str
    done: Application
    ready: Application

    def for_endpoint(self, endpoint):
        return self.ready if endpoint.endswith(".draft_decree") else self.done


@dataclass
class Objects:
    files: dict  # kind → Files
    asset_id: int
    token: str
    bystander_id: int  # a user nobody signs in as: actions that end sessions run on them
    walk_in: Application  # a signed walk-in file (no account): the pages of its signed link
    model_pks: dict = field(default_factory=dict)  # model class → a real primary key


def _with_file(artifact_kind, application, issuer):
    stored = store_bytes(PDF, "pdf", f"{artifact_kind}.pdf")
    artifact = Artifact(application=application, kind=artifact_kind, number="X-1", data={},
                        issued_by_id=user(issuer).id, **stored.columns())
    db.session.add(artifact)
    return artifact


def with_earlier_version(application):
    """The first document of `application` was replaced once: its earlier file stays."""
    document = application.documents[0]
    version = DocumentVersion.of(document, utcnow())
    for name, value in store_bytes(PDF, "pdf", "versi-lama.pdf").columns().items():
        setattr(version, name, value)
    db.session.add(version)
    return version


def _sign(application):
    """A signed decree, as `tandatangani` leaves it (without running the signer)."""
    kepala = user("kepaladinas")
    stored = store_bytes(SIGNABLE_PDF, "pdf", f"SK-{application.registration_number}.pdf")
    application.decree = Decree(token=secrets.token_urlsafe(32), signed_at=utcnow(),
                                signer_id=kepala.id, signer_name=kepala.full_name,
                                backend="local", **stored.columns())
    return application.decree


def _issue(application):
    """A signed revocation decree of the file (its permit stays as it is: the routes
    are what is probed)."""
    kepala = user("kepaladinas")
    stored = store_bytes(SIGNABLE_PDF, "pdf", "SK Pencabutan.pdf")
    document = IssuedDocument(kind="sk_pencabutan", application=application,
                              number=f"REV/{application.id}", token=secrets.token_urlsafe(32),
                              signed_at=utcnow(), signer_id=kepala.id,
                              signer_name=kepala.full_name, backend="local",
                              **stored.columns())
    db.session.add(document)
    return document


def seed_objects():
    """The files of `pemohon` (a PKKPR file and a use of the BPKAD meeting hall, each
    signed — with a signed revocation decree — and ready to sign) and one row of every
    table a screen lists."""
    pkkpr_done, pkkpr_ready = ready_file("selesai"), ready_file("siap_ds")
    _with_file("sps", pkkpr_done, "atrbpn")
    walk_in_done = ready_file("selesai", owner=None, created_by="frontoffice")
    start = office_time.today() + timedelta(days=40)
    hall_done = make_asset_use("selesai", start=start, booking="eksklusif", fee=1500000)
    hall_ready = make_asset_use("siap_ds", start=start + timedelta(days=10),
                                booking="eksklusif", fee=1500000)
    for number, application in enumerate((hall_done, hall_ready), start=1):
        application.sk_number = f"030/{number:03d}/409.104/2026"
        application.sk_date = office_time.today()
    _with_file("rekomendasi", hall_done, "pengelolaaset")
    decree = _sign(pkkpr_done)
    _sign(hall_done)
    _sign(walk_in_done)
    _issue(pkkpr_done)
    _issue(hall_done)
    _issue(walk_in_done)
    with_earlier_version(pkkpr_done)
    with_earlier_version(hall_done)
    # Screens whose table is empty after seeding get a row to show, edit and delete.
    db.session.add_all([
        Holiday(date=date(2030, 1, 2), name="Cuti bersama (uji)"),
        StageTarget(permit_type=db.session.scalar(
            select(PermitType).where(PermitType.code == "PKKPR-NB")), status="diajukan",
            days=2),
        OutboxMessage(recipient_number="+6281234567890", template_key="status_berubah",
                      body="Uji", status="sent", application=pkkpr_done),
        RegisterUser(first_name="Calon", last_name="Pemohon", username="calonpemohon",
                     email="calon@example.id", registration_hash="f" * 32),
        Group(name="uji", label="Uji"),
        AuditEntry(event="auth.login", actor_name="admin", object_type="user"),
        # An appointment long over: it gives the back office nothing today.
        SigningDelegation(delegate_id=user("backoffice").id, kind="plh",
                          start_date=date(2020, 1, 6), end_date=date(2020, 1, 10),
                          letter_number="800/1/409.110/2020",
                          created_by_id=user("kepaladinas").id),
    ])
    db.session.commit()
    # A process draft for the designer's pages (its one step: the examiner's check).
    processes.create_process("uji_rute", "Izin Uji Rute", user("admin"))
    # What Flask-AppBuilder's generic /<view>/download/<name> serves: a file at the top
    # of the upload folder (the app's own files are in dated folders below it).
    decoy = upload_root() / DOWNLOAD_NAME
    decoy.parent.mkdir(parents=True, exist_ok=True)
    decoy.write_bytes(PDF)
    objects = Objects(
        files={"pkkpr_nb": Files("pkkpr_nb", pkkpr_done, pkkpr_ready),
               "aset": Files("aset", hall_done, hall_ready)},
        asset_id=hall_done.asset_use.asset_id,
        token=decree.token,
        bystander_id=make_user(username="pengamat").id,
        walk_in=walk_in_done,
    )
    return objects


def first_pk(model):
    mapper = sa_inspect(model)
    key = mapper.primary_key[0]
    return db.session.scalar(select(key).order_by(key).limit(1))


# --- the routes --------------------------------------------------------------------


def views_by_blueprint(app):
    return {view.blueprint.name: view for view in app.appbuilder.baseviews
            if getattr(view, "blueprint", None) is not None}


def view_of(app, endpoint):
    return views_by_blueprint(app).get(endpoint.rsplit(".", 1)[0])


def is_api(rule):
    return rule.rule.startswith("/api/")


def shows_applications(view):
    """A Flask-AppBuilder model view or API whose rows are applications."""
    datamodel = getattr(view, "datamodel", None)
    if datamodel is not None and datamodel.obj is Application:
        return True
    return type(view).__name__ == "ApplicationsApi"


def object_level(app, rule):
    """The rule addresses one application (or one of its documents, artifacts or its
    decree): it takes an application id."""
    if "application_id" in rule.arguments:
        return True
    return "pk" in rule.arguments and shows_applications(view_of(app, rule.endpoint))


def per_kind(rule):
    """Rules of one application's page or API run on each permit kind's file."""
    if rule.endpoint.startswith("WalkInView."):
        return False  # the pages of a walk-in file's link: one file, whatever its kind
    return "application_id" in rule.arguments or (
        rule.endpoint.startswith("ApplicationsApi.") and "pk" in rule.arguments)


def methods_of(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


# Actions that end the sessions of the users they run on.
SESSION_ENDING_ACTIONS = ("end_sessions",)


def rules(app):
    """Every rule except static files, sorted (log-outs last: they end the session)."""
    found = [r for r in app.url_map.iter_rules() if r.endpoint not in STATIC_ENDPOINTS]
    return sorted(found, key=lambda r: (r.endpoint.endswith(".logout"), r.rule))


@dataclass(frozen=True)
class Probe:
    key: str
    rule: str
    method: str
    path: str
    api: bool
    data: dict | None = None
    json: dict | None = None
    files: Files | None = None  # the files it addresses (object-level rules)


def static_file(app, endpoint):
    if endpoint == "static":
        folder = app.static_folder
    else:
        folder = app.blueprints[endpoint.split(".")[0]].static_folder
    for path in sorted(Path(folder).rglob("*.css")) if Path(folder).is_dir() else []:
        return str(path.relative_to(folder))
    return "none.css"  # an empty static folder: every role gets 404


class UnknownParameter(KeyError):
    pass


def values_for(app, rule, objects, files=None, application=None):
    """Real values for the rule's path parameters: those of one application are
    `application`'s, or those of the file of `files` the endpoint needs."""
    view = view_of(app, rule.endpoint)
    if application is None and rule.endpoint.startswith("WalkInView."):
        application = objects.walk_in
    if application is None and files is not None:
        application = files.for_endpoint(rule.endpoint)
    values = {}
    for name in rule.arguments:
        if name == "application_id" or (name == "pk" and shows_applications(view)):
            values[name] = (application or objects.files["pkkpr_nb"].done).id
        elif name == "pk":
            values[name] = objects.model_pks.setdefault(view.datamodel.obj,
                                                        first_pk(view.datamodel.obj))
        elif name == "document_id":
            values[name] = application.documents[0].id
        elif name == "version_id":
            values[name] = application.documents[0].versions[0].id
        elif name == "artifact_id":
            values[name] = next(a.id for a in application.artifacts if a.stored_name)
        elif name == "requirement_id":
            values[name] = application.documents[0].requirement_id
        elif name == "file_id":
            values[name] = f"dokumen-{application.documents[0].id}"
        elif name == "action":
            values[name] = "tolak"
        elif name == "code":
            values[name] = "PKKPR-NB"
        elif name == "token":
            values[name] = objects.token
        elif name == "link":  # the signed link of the file's page (refused but a walk-in's)
            values[name] = walk_in.link_token(application)
        elif name == "asset_id":
            values[name] = objects.asset_id
        elif name == "name":  # a Flask-AppBuilder action of the view
            values[name] = next(iter(getattr(view, "actions", {}) or {"none": None}))
        elif name == "filename":
            values[name] = (static_file(app, rule.endpoint) if rule.endpoint in STATIC_ENDPOINTS
                            else DOWNLOAD_NAME)
        elif name == "locale":
            values[name] = "id"
        elif name == "activation_hash":
            values[name] = "0" * 32
        elif name == "group_by":
            values[name] = "0"
        elif name == "fmt":
            values[name] = "csv"
        elif name == "issued_id":
            owner = application or objects.files["pkkpr_nb"].done
            values[name] = next((d.id for d in owner.issued_documents), MAX_ID)
        elif name == "template_id":
            values[name] = first_pk(DocumentTemplate)
        elif name == "agency_id":
            values[name] = first_pk(Agency)
        elif name == "kind":  # a configured process's lists: none is published here
            values[name] = "uji_reklame"
        elif name == "process_id":  # the designer's draft
            values[name] = first_pk(Process)
        elif name == "place":
            values[name] = "steps"
        elif name in ("position", "number"):  # its first step; its first version
            values[name] = 1
        else:
            raise UnknownParameter(f"{rule.rule}: no value for <{name}>; add one in "
                                   "tests/security/routes.py")
    return values


def build(rule, values):
    _, path = rule.build(values, append_unknown=False)
    return path


def _key(method, rule, duplicated, variant=""):
    key = f"{method} {rule.endpoint}"
    if (method, rule.endpoint) in duplicated:
        key += f" {rule.rule}"
    return f"{key} [{variant}]" if variant else key


def _duplicated(all_rules):
    seen, duplicated = set(), set()
    for rule in all_rules:
        for method in methods_of(rule):
            if (method, rule.endpoint) in seen:
                duplicated.add((method, rule.endpoint))
            seen.add((method, rule.endpoint))
    return duplicated


def matrix_probes(app, objects):
    """One call per rule and role: GET when the rule answers GET, otherwise POST with
    empty data. Rules of one application run on each permit kind's file; the API's
    workflow actions once per action; static files once per folder."""
    all_rules = rules(app)
    duplicated = _duplicated(all_rules)
    probes = []
    for endpoint in STATIC_ENDPOINTS:
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        path = build(rule, values_for(app, rule, objects, None))
        probes.append(Probe(f"GET {endpoint}", rule.rule, "GET", path, api=False))
    for rule in all_rules:
        method = "GET" if "GET" in rule.methods else "POST"
        variants = ([objects.files[kind] for kind in WORKFLOWS] if per_kind(rule)
                    else [None])
        for files in variants:
            values = values_for(app, rule, objects, files)
            if rule.endpoint == "ApplicationsApi.action":
                for action in WORKFLOWS[files.kind].by_action:
                    probes.append(Probe(
                        _key(method, rule, duplicated, f"{files.kind}:{action}"), rule.rule,
                        method, build(rule, values | {"action": action}), api=True,
                        data={}, files=files))
                continue
            data = {} if method == "POST" else None
            if rule.endpoint == "ApplicationsApi.upload":
                # Name the requirement, so the answer is about the file, not the form.
                data = {"requirement_id": str(files.done.documents[0].requirement_id)}
            path = build(rule, values)
            if rule.endpoint == "TrackApi.get":  # what the public tracking form asks
                tracked = objects.files["pkkpr_nb"].done
                path += "?" + urlencode({"number": tracked.registration_number,
                                         "phone_suffix": tracked.applicant_whatsapp[-4:]})
            probes.append(Probe(_key(method, rule, duplicated, files.kind if files else ""),
                                rule.rule, method, path, api=is_api(rule), data=data,
                                files=files))
        view = view_of(app, rule.endpoint)
        single = rule.endpoint.endswith(".action")
        if single or rule.endpoint.endswith(".action_post"):
            # A GET action is always refused (CSRFProtect is registered) and an empty
            # POST names no action: also POST each of the view's actions, on one row
            # (`single`) or as a list (`multiple`), as its buttons do.
            for name, item in (getattr(view, "actions", None) or {}).items():
                if not (item.single if single else item.multiple):
                    continue
                if name in SESSION_ENDING_ACTIONS:
                    pk = objects.bystander_id
                elif name == "muldelete":
                    # It would really delete an unused seeded row: it is asked to delete
                    # a row that does not exist (who may call it is the point).
                    pk = MAX_ID
                else:
                    pk = first_pk(view.datamodel.obj)
                path = build(rule, {"name": name, "pk": pk}) if single else rule.rule
                data = {} if single else {"action": name, "rowid": str(pk)}
                probes.append(Probe(_key("POST", rule, duplicated, name), rule.rule, "POST",
                                    path, api=False, data=data))
    return probes


# --- calling as a role ---------------------------------------------------------------


def classify(response, flashes=()):
    code = response.status_code
    if 300 <= code < 400:
        if urlparse(response.headers.get("Location", "")).path.rstrip("/").endswith("/login"):
            return "login"
        if any(message in ACCESS_DENIED for _, message in flashes):
            return "refused"
        return "allowed"
    if 200 <= code < 300:
        return "allowed"
    return {400: "bad_request", 409: "bad_request", 422: "bad_request", 401: "login",
            403: "forbidden", 404: "not_found", 405: "not_allowed"}.get(code, f"error_{code}")


def api_token(app, username, password=DEMO_PASSWORD):
    response = app.test_client().post("/api/v1/security/login", json={
        "username": username, "password": password, "provider": "db"})
    assert response.status_code == 200, f"API login of {username}: {response.status_code}"
    return response.get_json()["access_token"]


class Caller:
    """A role's browser session (one log-in) and its API token (one log-in)."""

    def __init__(self, app, username=ANONYMOUS, password=DEMO_PASSWORD):
        self.role = username
        self.web = app.test_client()
        self.api = app.test_client()
        self.headers = {}
        if username != ANONYMOUS:
            login(self.web, username, password)
            self.headers = {"Authorization": f"Bearer {api_token(app, username, password)}"}

    def open(self, probe, **overrides):
        kwargs = {"method": probe.method}
        if probe.json is not None:
            kwargs["json"] = probe.json
        elif probe.data is not None:
            kwargs["data"] = probe.data
        kwargs.update(overrides)
        if probe.api:
            return self.api.open(probe.path, headers=self.headers, **kwargs)
        # Error pages as JSON (app.errors): the same status, without drawing the menu.
        return self.web.open(probe.path, headers={"Accept": "application/json"}, **kwargs)

    def flashes(self):
        with self.web.session_transaction() as session:
            return session.pop("_flashes", [])

    def call(self, probe, **overrides):
        """(outcome, HTTP status) of the probe; an exception (the test client raises
        them) is an error 500 with the exception's name."""
        try:
            response = self.open(probe, **overrides)
        except Exception as error:  # noqa: BLE001 - reported as the probe's outcome
            return "error_500", f"500 {type(error).__name__}: {error}"
        # Only a redirect needs its flashed messages to be classified (reading the
        # session is slow); they are cleared then, so they never pile up for long.
        flashes = self.flashes() if not probe.api and response.status_code in (
            301, 302, 303, 307, 308) else []
        return classify(response, flashes), response.status_code


# --- "nothing changed" ------------------------------------------------------------------


def database_fingerprint(skip=()):
    """A digest of every row of every table but `skip`."""
    db.session.expire_all()
    digest = {}
    with db.engine.connect() as connection:
        for table in sorted(sa_inspect(db.engine).get_table_names()):
            if table in skip:
                continue
            rows = connection.execute(text(f"SELECT * FROM {table}")).all()
            digest[table] = hashlib.sha256(
                repr(sorted(map(repr, rows))).encode()).hexdigest()
    return digest


def changed_tables(before, after):
    return sorted(name for name in before.keys() | after.keys()
                  if before.get(name) != after.get(name))
