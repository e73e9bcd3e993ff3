"""The dry run of a process's draft (uji coba): before publishing, a synthetic file goes
through every path of the draft as each role would, and the admin sees the steps, who
acts, the forms, the documents produced and the messages that would be sent.

Everything happens in one transaction that is rolled back at the end, whatever happens
(`rolled_back`): the dry run's session is bound to a connection whose transaction it
holds, so every commit inside (the engine's `unit_of_work`, Flask-AppBuilder's) only
releases a savepoint; the files written meanwhile are removed; the registry of published
versions is the session's own, so the draft published inside is never seen by another
request nor cached by the worker.

Inside, the draft is published as `processes.publish` would (permissions, roles, decree
template, requirements of a synthetic permit type of its code), synthetic users are made
(one per acting role, and an applicant), and the paths are driven through the engine:

- the main path, or for each condition of a step one path where it holds and one where it
  does not (at most MAX_MAIN_PATHS), each up to the decree ready for signature, whose
  draft PDF is previewed (the electronic signature itself is not run);
- one path that returns the file at every point that can return it: the applicant
  corrects, resubmits, and the file goes on;
- for each step that can reject, a path that ends in the rejection, with the rejection
  letter previewed.

    report = dry_run(process, admin)   # DryRunReport: problems, paths → steps"""

import base64
import secrets
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cached_property

from flask import current_app, g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from app import process_cache
from app.documents.formatting import angka
from app.documents.page_images import page_pngs
from app.errors import InvalidInput, SiapError
from app.extensions import db
from app.security import roles
from app.services import issued_pdf, processes
from app.services.applications import (
    applying_of,
    judge_document,
    new_draft,
    update_application,
    upload_document,
)
from app.services.synthetic_input import fill_form, upload_for, value_meeting
from app.storage.files import read_stored, remove_files
from app.workflow import decrees
from app.workflow.configured import OPERATORS, read_spec
from app.workflow.engine import DRY_RUN_FILES, apply_action, unit_of_work
from app.workflow.registry import isolate, workflow_of
from models import (
    Agency,
    Application,
    Artifact,
    IssuedDocument,
    OutboxMessage,
    PermitCategory,
    PermitType,
    Process,
    Register,
    SiapUser,
)

MAX_MAIN_PATHS = 8
MAX_ACTIONS = 80  # per path: a safety stop for a process that would loop
# The per-request cache a dry run must neither read nor leave behind (permissions): its
# users and grants exist only inside it; the per-process caches are bypassed within.
REQUEST_CACHES = ("_siap_permissions",)
APPLICANT = {"applicant_name": "Pemohon Uji Coba", "applicant_nik": "3505011204850001",
             "applicant_address": "Jl. Uji Coba No. 1, Kanigoro, Kabupaten Blitar",
             "applicant_whatsapp": "+6281234567890"}
NOT_RUN = _l("The electronic signature is not run in a dry run: each main path stops "
             "when the decree is ready for signature, and its draft is shown.")


# --- the report ------------------------------------------------------------------------

@dataclass
class DryDocument:
    """A document a step produced: a PDF to preview, or a reference (`pdf` None)."""

    title: str
    filename: str = ""
    pdf: bytes | None = None

    @property
    def data_uri(self):
        if self.pdf is None:
            return ""
        return "data:application/pdf;base64," + base64.b64encode(self.pdf).decode("ascii")

    @cached_property
    def page_images(self):
        """Each page as a PNG data URI: the preview the page shows."""
        if self.pdf is None:
            return []
        return ["data:image/png;base64," + base64.b64encode(png).decode("ascii")
                for png in page_pngs(self.pdf)]


@dataclass
class DryMessage:
    """A message the step queued in the outbox (nothing is sent)."""

    channel: str  # whatsapp, sms, email
    recipient: str  # the user's name, or the number/address without an account
    role: str  # the recipient's roles ("Pemohon" for the applicant)
    text: str


@dataclass
class DryStep:
    role: str  # the role the user acts in
    user: str  # the synthetic user's name
    action: str  # the action's code (ajukan, periksa, …)
    label: str  # the action as the screens name it
    from_status: str = ""
    to_status: str = ""
    fields: list = field(default_factory=list)  # labels of the form shown
    notes: list = field(default_factory=list)  # what else it recorded (a fee's amount)
    documents: list = field(default_factory=list)  # [DryDocument]
    messages: list = field(default_factory=list)  # [DryMessage]
    problem: str | None = None  # why the step failed (the path stops there)


@dataclass
class DryPath:
    kind: str  # "main", "returns" or "rejection"
    title: str
    data: list = field(default_factory=list)  # [(label, value)] of the synthetic file
    steps: list = field(default_factory=list)  # [DryStep]
    final_status: str = ""
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems and not any(step.problem for step in self.steps)

    def actions(self):
        return [step.action for step in self.steps]


@dataclass
class DryRunReport:
    process_code: str
    process_name: str
    version: int | None  # the draft's number
    problems: list = field(default_factory=list)  # the draft's or the dry run's own
    paths: list = field(default_factory=list)  # [DryPath]
    notes: list = field(default_factory=list)  # what the dry run did not do
    users: list = field(default_factory=list)  # [(role, synthetic user's name)]

    @property
    def ok(self):
        return not self.problems and all(path.ok for path in self.paths)


# --- the rolled-back transaction -------------------------------------------------------

@contextmanager
def rolled_back():
    """A session for everything inside, in a transaction rolled back at the end; yields
    the list of files written (removed at the end)."""
    connection = db.engine.connect()
    outer = connection.begin()
    if connection.dialect.name == "sqlite":
        # pysqlite begins a transaction only before a write: a SAVEPOINT released
        # outside one would commit. Begin it now, so that every savepoint nests in it.
        connection.exec_driver_sql("BEGIN")
    written = []
    session = Session(bind=connection, join_transaction_mode="create_savepoint",
                      info={DRY_RUN_FILES: written})
    isolate(session)
    original = db.session.registry()
    caches = {name: g.pop(name, None) for name in REQUEST_CACHES} \
        if has_request_context() else {}
    db.session.registry.set(session)
    try:
        with process_cache.bypassed():
            yield written
    finally:
        db.session.registry.set(original)
        try:
            session.close()
            outer.rollback()
        finally:
            connection.close()
            remove_files(written)
            if has_request_context():
                for name, value in caches.items():
                    g.pop(name, None)
                    if value is not None:
                        setattr(g, name, value)


# --- setting the draft up --------------------------------------------------------------

@dataclass
class Stage:
    """What the paths share: the draft's workflow, its permit type and the users."""

    spec: object
    permit_type: PermitType
    users: dict  # role name → SiapUser
    applicant: SiapUser

    def user(self, role):
        return self.users[role]


def _set_up(process, actor):
    """Publish the draft inside the transaction and make its permit type and users."""
    spec = read_spec(process.draft.spec)
    category = db.session.scalar(select(PermitCategory).order_by(PermitCategory.id)) or \
        PermitCategory(name="Uji coba", position=99)
    agency = db.session.scalar(select(Agency).order_by(Agency.id)) \
        if spec.scoped_by_agency else None
    permit_type = PermitType(code=f"UJICOBA-{spec.code.upper()}"[:30],
                             name=f"{spec.name} (uji coba)"[:150], category=category,
                             workflow_kind=spec.code, service_days=10, agency=agency)
    db.session.add(permit_type)
    db.session.commit()
    processes.publish(process, actor, note="Uji coba")  # in the rolled-back transaction
    acting = {roles.FRONT_OFFICE, spec.numbering_role, *(s.role for s in spec.steps)}
    sm = current_app.appbuilder.sm
    tag = secrets.token_hex(3)
    users = {}
    with unit_of_work():
        for number, role_name in enumerate(sorted(acting), start=1):
            users[role_name] = _synthetic_user(
                f"ujicoba{tag}{number}", "Petugas Uji", role_name,
                sm.find_role(role_name) or processes.new_staff_role(role_name),
                f"+62812000{number:05d}", agency)
        applicant = _synthetic_user(f"ujicoba{tag}p", "Pemohon", "Uji Coba",
                                    sm.find_role(roles.PEMOHON), APPLICANT[
                                        "applicant_whatsapp"], None)
    return Stage(spec, permit_type, users, applicant)


def _synthetic_user(username, first, last, role, whatsapp, agency):
    user = SiapUser(username=username, first_name=first, last_name=last,
                    email=f"{username}@uji-coba.invalid", whatsapp=whatsapp, active=True,
                    roles=[role], agency=agency,
                    password=generate_password_hash(secrets.token_urlsafe(24)))
    db.session.add(user)
    return user


# --- driving a path --------------------------------------------------------------------

class Stop(Exception):
    """The path cannot go on (its last step says why)."""


class Driver:
    """One synthetic file driven through the engine, each action recorded as a DryStep."""

    def __init__(self, stage, path, overrides):
        self.stage, self.path, self.overrides = stage, path, dict(overrides)
        self.spec = stage.spec
        self.known = self.spec.fields
        self.by_state = {}
        for step in self.spec.steps:
            for suffix in ("", "_bayar", "_verifikasi"):
                self.by_state[step.state(suffix)] = (step, suffix)
        self.application_id = None
        self.actions = 0

    # -- the file and its state

    @property
    def application(self):
        return db.session.get(Application, self.application_id)

    @property
    def workflow(self):
        return workflow_of(self.application)

    def state(self):
        return self.workflow.states(self.application.status)

    def label(self, status):
        return str(self.workflow.label(status)) if status else ""

    # -- recording

    def _marks(self):
        def top(column, *where):
            return db.session.scalar(select(func.coalesce(func.max(column), 0)).where(*where))

        return (top(OutboxMessage.id), top(Artifact.id), top(IssuedDocument.id))

    def _produced(self, step, marks):
        outbox, artifacts, issued = marks
        roles_of = {user.id: role for role, user in self.stage.users.items()}
        roles_of[self.stage.applicant.id] = roles.PEMOHON
        for message in db.session.scalars(select(OutboxMessage).where(
                OutboxMessage.id > outbox,
                OutboxMessage.application_id == self.application_id)
                .order_by(OutboxMessage.id)):
            recipient = message.recipient_user
            role = roles_of.get(message.recipient_user_id) or (
                ", ".join(r.name for r in recipient.roles) if recipient is not None
                else roles.PEMOHON)
            step.messages.append(DryMessage(
                channel=message.channel, role=role, text=message.body,
                recipient=recipient.full_name if recipient is not None
                else (message.recipient_number or message.recipient_email or "")))
        for artifact in db.session.scalars(select(Artifact).where(
                Artifact.id > artifacts, Artifact.application_id == self.application_id)
                .order_by(Artifact.id)):
            title = self._artifact_title(artifact.kind) + (
                f" {artifact.number}" if artifact.number else "")
            drawn = artifact.kind in self.drawing_steps and artifact.stored_name
            step.documents.append(DryDocument(
                title=title, filename=artifact.original_name or "",
                pdf=read_stored(artifact.stored_name) if drawn else None))
        for document in db.session.scalars(select(IssuedDocument).where(
                IssuedDocument.id > issued,
                IssuedDocument.application_id == self.application_id)):
            if document.kind == Register.SURAT_PENOLAKAN:
                rendered, _version = issued_pdf.render(document, draft=True)
                step.documents.append(DryDocument(
                    title=str(_l("Rejection letter %(number)s", number=document.number)),
                    filename="surat-penolakan-uji-coba.pdf", pdf=rendered.pdf))

    @cached_property
    def drawing_steps(self):
        """The codes of the steps whose document is drawn from a template: previewed."""
        return {step.code for step in self.spec.steps if step.generate}

    def _artifact_title(self, kind):
        """What a step's artifact is: its document's name, an invoice, a payment proof."""
        for step in self.spec.steps:
            if kind == step.code:
                return step.document or step.label
            if kind == f"tagihan_{step.code}":
                return str(_l("Invoice of “%(step)s”", step=step.label))
            if kind == f"bukti_{step.code}":
                return str(_l("Payment proof of “%(step)s”", step=step.label))
        return kind

    def _record(self, action, label, user, role, run, fields=()):
        """Run `run()` as one recorded step; a failure is the step's problem (Stop)."""
        self.actions += 1
        if self.actions > MAX_ACTIONS:
            self.path.problems.append(str(_l("The path did not end after %(n)s actions.",
                                             n=MAX_ACTIONS)))
            raise Stop()
        before = self.application.status if self.application_id else None
        step = DryStep(role=role, user=user.full_name, action=action, label=str(label),
                       from_status=self.label(before), fields=list(fields))
        self.path.steps.append(step)
        marks = self._marks()
        try:
            run()
        except Exception as error:  # noqa: BLE001 (every failure is shown, none raised)
            db.session.rollback()
            step.problem = _explain(error)
            raise Stop() from None
        db.session.expire_all()
        step.to_status = self.label(self.application.status)
        self._produced(step, marks)
        return step

    # -- the actions

    def create(self):
        form_class = applying_of(self.spec.code).form_class
        data, labels = fill_form(form_class, self.known, {**APPLICANT, **self.overrides})
        created = {}

        def run():
            with unit_of_work():
                created["application"] = new_draft(self.stage.permit_type,
                                                   self.stage.applicant, data)
            self.application_id = created["application"].id

        self._record("buat", _l("Create the application"), self.stage.applicant,
                     roles.PEMOHON, run, labels)
        self.path.data = [(f.label, f.display(self.application.form_data.get(f.name)))
                          for f in self.spec.form]
        self.upload_requirements()

    def upload_requirements(self):
        application = self.application
        for entry in application.requirement_set:
            requirement = entry.requirement

            def run(requirement=requirement):
                upload_document(self.application_id, requirement.id, self.stage.applicant,
                                upload_for(requirement.accepted_type_list))

            self._record("unggah_dokumen", _l("Upload “%(name)s”", name=requirement.name),
                         self.stage.applicant, roles.PEMOHON, run)

    def act(self, action, user, role, overrides=None):
        transition = self.workflow.transition(action)
        data, labels = (None, [])
        if transition.form is not None:
            data, labels = fill_form(transition.form, self.known,
                                     {**self.overrides, **(overrides or {})})
        return self._record(action, transition.label, user, role,
                            lambda: apply_action(self.application_id, action, user, data),
                            labels)

    def judge_documents(self, user, role):
        pending = [d.id for d in self.application.documents if d.verdict != "accepted"]
        if not pending:
            return

        def run():
            for document_id in pending:
                judge_document(self.application_id, document_id, user, "accepted")

        self._record("verifikasi_dokumen", _l("Accept the documents"), user, role, run)

    def correct(self):
        form_class = applying_of(self.spec.code, self.application).form_class
        data, labels = fill_form(form_class, self.known, {**APPLICANT, **self.overrides})
        self._record("ubah_data", _l("Correct the application"), self.stage.applicant,
                     roles.PEMOHON,
                     lambda: update_application(self.application_id, self.stage.applicant,
                                                data), labels)

    def forward(self):
        """Take the next forward action; False when the file waits for the signature
        (or is final)."""
        state = self.state()
        stage = self.stage
        if state.name in ("DRAFT", "PERLU_PERBAIKAN"):
            self.act("ajukan", stage.applicant, roles.PEMOHON)
        elif state.name == "DIAJUKAN":
            self.act("terima", stage.user(roles.FRONT_OFFICE), roles.FRONT_OFFICE)
        elif state.name == "PENYIAPAN_SK":
            step = self.act("input_nomor_sk", stage.user(self.spec.numbering_role),
                            self.spec.numbering_role)
            self.preview_decree(step)
        elif state.name in self.by_state:
            self.step_forward(*self.by_state[state.name])
        else:
            return False
        return True

    def step_forward(self, step, suffix):
        user, role = self.stage.user(step.role), step.role
        if suffix == "_bayar":
            self.act(f"{step.code}_bayar", self.stage.applicant, roles.PEMOHON)
        elif suffix == "_verifikasi":
            self.act(f"{step.code}_konfirmasi", user, role)
        elif step.type == "document_check":
            self.judge_documents(user, role)
            self.act(step.code, user, role)
        elif step.type == "inspection":
            self.act(f"{step.code}_jadwal", user, role)
            self.act(step.code, user, role)
        elif step.type == "recommendation":
            decision = self.overrides.get(f"{step.code}_keputusan")
            self.act(step.code, user, role,
                     {"keputusan": decision} if decision else None)
        elif step.type == "fee":
            entered = self.overrides.get(step.amount_field)
            recorded = self.act(step.code, user, role,
                                {"jumlah": entered} if entered else None)
            amount = (self.application.form_data or {}).get(step.amount_field)
            if amount is not None:
                recorded.notes.append(str(_l("Fee: Rp%(amount)s", amount=angka(amount))))
        else:
            self.act(step.code, user, role)

    def preview_decree(self, step):
        try:
            pdf = decrees.render_draft(self.application)
        except Exception as error:  # noqa: BLE001
            db.session.rollback()
            step.problem = str(_l("The decree could not be drawn: %(error)s",
                                  error=_explain(error)))
            raise Stop() from None
        db.session.commit()  # the decree row the preview made (a savepoint here)
        step.documents.append(DryDocument(title=str(_l("Draft decree")),
                                          filename="sk-uji-coba.pdf", pdf=pdf))

    def run_to_signature(self):
        while self.forward():
            pass

    def finish(self):
        if self.application_id is not None:
            self.path.final_status = self.label(self.application.status)


def _explain(error):
    if isinstance(error, InvalidInput) and error.field_errors:
        return "; ".join(f"{name}: {message}" for name, message in error.field_errors.items())
    if isinstance(error, SiapError):
        return str(error.message) if getattr(error, "message", None) else str(error)
    return f"{type(error).__name__}: {error}"


# --- the paths ---------------------------------------------------------------------------

def describe(condition, fields):
    """A condition as a person reads it: "Luas (m²) is more than 50"."""
    definition = fields.get(condition.field)
    label = definition.label if definition is not None else condition.field
    value = "" if condition.op in ("filled", "empty") else f" {condition.value}"
    return f"{label} {OPERATORS[condition.op]}{value}"


@dataclass
class Plan:
    kind: str
    title: str
    overrides: dict
    visit: object  # (driver) → None: what the path does once the file exists


def _condition_overrides(spec, wanted_by_condition):
    overrides = {}
    fields = spec.fields
    for condition, wanted in wanted_by_condition:
        definition = fields.get(condition.field)
        if definition is None:
            continue
        value = value_meeting(condition, definition, wanted)
        if value is not None:
            overrides[condition.field] = value
    return overrides


def plans(spec):
    """The paths to drive: (plans, whether the main paths were capped)."""
    conditions = [(step, step.when) for step in spec.steps if step.when is not None]
    fields = spec.fields
    main = []
    if not conditions:
        main.append(Plan("main", str(_l("Main path")), {}, Driver.run_to_signature))
    for step, condition in conditions:
        text = describe(condition, fields)
        for wanted in (True, False):
            title = _l("Main path where “%(condition)s” (%(step)s)", condition=text,
                       step=step.label) if wanted else \
                _l("Main path where not “%(condition)s” (%(step)s)", condition=text,
                   step=step.label)
            main.append(Plan("main", str(title),
                             _condition_overrides(spec, [(condition, wanted)]),
                             Driver.run_to_signature))
    capped = len(main) > MAX_MAIN_PATHS
    everywhere = _condition_overrides(spec, [(c, True) for _s, c in conditions])
    chosen = main[:MAX_MAIN_PATHS]
    returns = ["kembalikan"] + [f"{s.code}_kembalikan" for s in spec.steps if s.can_return]
    chosen.append(Plan("returns", str(_l("Returned for correction at every point that can "
                                         "return it")), everywhere, _returns(returns)))
    for step in spec.steps:
        if step.can_reject:
            chosen.append(Plan("rejection", str(_l("Rejected at “%(step)s”",
                                                   step=step.label)),
                               everywhere, _rejection(step)))
    return chosen, capped


def _returns(actions):
    def visit(driver):
        pending = list(actions)
        while True:
            state = driver.state()
            here = [action for action in pending
                    if (transition := driver.workflow.transition(action)) is not None
                    and state in transition.sources]
            if here:
                action = here[0]
                pending.remove(action)
                step = driver.by_state.get(state.name, (None, ""))[0]
                role = step.role if step is not None else roles.FRONT_OFFICE
                driver.act(action, driver.stage.user(role), role)
                driver.correct()
                continue
            if not driver.forward():
                break
        if pending:
            labels = ", ".join(pending)
            driver.path.problems.append(str(_l("Not reached, so not tried: %(actions)s",
                                               actions=labels)))

    return visit


def _rejection(step):
    def visit(driver):
        while driver.state().name != step.state():
            if not driver.forward():
                driver.path.problems.append(str(_l("The file never reached “%(step)s”.",
                                                   step=step.label)))
                return
        driver.act(f"{step.code}_tolak", driver.stage.user(step.role), step.role)

    return visit


def drive(stage, plan):
    path = DryPath(kind=plan.kind, title=plan.title)
    driver = Driver(stage, path, plan.overrides)
    with suppress(Stop):
        driver.create()
        plan.visit(driver)
    driver.finish()
    return path


# --- the dry run -------------------------------------------------------------------------

def dry_run(process, actor):
    """The DryRunReport of the process's draft; nothing of it stays in the database or
    the storage folder."""
    draft = process.draft
    report = DryRunReport(process.code, process.name, draft.number if draft else None)
    if draft is None:
        report.problems.append(str(_l("There is no draft to try.")))
        return report
    report.problems = [str(problem) for problem in processes.problems_of(draft.spec)]
    if report.problems:
        return report
    report.notes.append(str(NOT_RUN))
    process_id, actor_id = process.id, actor.id if actor is not None else None
    with rolled_back():
        try:
            process = db.session.get(Process, process_id)
            actor = db.session.get(SiapUser, actor_id) if actor_id else None
            stage = _set_up(process, actor)
            report.users = [(role, user.full_name) for role, user in
                            sorted(stage.users.items())] + [
                (roles.PEMOHON, stage.applicant.full_name)]
            chosen, capped = plans(stage.spec)
            if capped:
                report.notes.append(str(_l("Only the first %(n)s main paths were tried.",
                                           n=MAX_MAIN_PATHS)))
            for plan in chosen:
                report.paths.append(drive(stage, plan))
        except Exception as error:  # noqa: BLE001 (the report says what went wrong)
            report.problems.append(str(_l("The dry run stopped: %(error)s",
                                          error=_explain(error))))
    return report
