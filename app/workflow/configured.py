"""Configured processes: a process specification (data an admin edits, stored with each
ProcessVersion) compiled into the same Workflow the engine runs for the built-in ones.

A specification (the YAML an admin exports and imports has the same shape):

    code: reklame                 # the kind of its permit types and files
    name: Izin Penyelenggaraan Reklame
    scoped_by_agency: false       # files belong to the agency of their permit type
    form: [field, ...]            # the application form (app/workflow/field_sets.py)
    requirements: [{name, description, mandatory, accept, max_mb}, ...]
    steps: [step, ...]            # in order, after the front office receives the file
    decree: {numbering_role: Back Office, signing_role: Kepala Dinas}

A step is one of the palette (PALETTE), each implemented once here:

    {code: periksa, type: document_check, label: Pemeriksaan berkas, role: Pemeriksa,
     can_return: true, can_reject: false, when: condition, fields: [...]}

- document_check: the role judges each document (as today) and forwards the file;
- data_entry: the role fills the step's fields;
- recommendation: a technical recommendation (number, date, decision — approved or, if
  `partial`, partly approved — the step's fields, the signed document) or a rejection;
- inspection: the role schedules a visit (the file stays) and enters its report;
- numbered_document: the role issues a numbered document (number, date, file);
- fee: the role issues the invoice — the amount entered, or computed by `tariff`
  ({basis: fixed|per_unit|per_m2|per_day, rate, field}) — the applicant uploads the
  payment proof, the role confirms it or refuses it; an amount of 0 skips the payment.

Every process starts with the applicant's submission and the front office's reception
and ends with the SK number, the initials the permit type asks for and the head of
office's signature (app/workflow/shared.py), like the built-in ones. A step with a
condition `when: {field, op, value}` runs only when the file's data meets it (op: eq,
ne, gt, ge, lt, le, filled, empty); otherwise the file goes on to the next step."""

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.documents.formatting import angka, tanggal
from app.security import roles
from app.workflow import (
    confirmations,
    correction,
    notices,
    rejections,
    shared,
    step_documents,
    steps,
)
from app.workflow import pkkpr_forms as forms
from app.workflow.definition import Applying, Transition, Workflow
from app.workflow.field_sets import FieldDef, answers, form_class, read_fields
from app.workflow.fields import SiapForm, UploadField
from app.workflow.shared import REASON

STEP_CODE = re.compile(r"^[a-z][a-z0-9_]{1,17}$")
PROCESS_CODE = re.compile(r"^[a-z][a-z0-9_]{1,19}$")
PALETTE = {
    "document_check": _l("Document check"),
    "data_entry": _l("Data entry"),
    "recommendation": _l("Technical recommendation"),
    "inspection": _l("Inspection"),
    "numbered_document": _l("Numbered document"),
    "fee": _l("Fee, invoice and payment"),
}
TARIFF_BASES = {
    "entered": _l("Amount entered by the officer"),
    "fixed": _l("Fixed amount"),
    "per_unit": _l("Per unit (rate × a number field)"),
    "per_m2": _l("Per m² (rate × an area field)"),
    "per_day": _l("Per day (rate × a number-of-days field)"),
}
OPERATORS = {
    "eq": _l("equals"), "ne": _l("differs from"), "gt": _l("is more than"),
    "ge": _l("is at least"), "lt": _l("is less than"), "le": _l("is at most"),
    "filled": _l("is filled"), "empty": _l("is empty"),
}
# States every configured process has, by enum member name.
FIXED_STATES = {
    "DRAFT": ("draft", _l("Draft")),
    "DIAJUKAN": ("diajukan", _l("Submitted")),
    "PERLU_PERBAIKAN": ("perlu_perbaikan", _l("Needs correction")),
    "PENYIAPAN_SK": ("penyiapan_sk", _l("Decree being prepared")),
    "MENUNGGU_PARAF": ("menunggu_paraf", _l("Waiting for initials")),
    "SIAP_DS": ("siap_ds", _l("Ready for digital signature")),
    "SELESAI": ("selesai", _l("Completed")),
    "DITOLAK": ("ditolak", _l("Rejected")),
    "DIBATALKAN": ("dibatalkan", _l("Cancelled")),
    "DITARIK": ("ditarik", _l("Withdrawn by the applicant")),
    "GUGUR_PERBAIKAN": ("gugur_perbaikan", _l("Lapsed: not corrected")),
}
# The state of a process with a fee whose invoice fell due unpaid.
UNPAID_STATE = ("GUGUR", ("gugur", _l("Lapsed: not paid by the due date")))
FINAL = ("SELESAI", "DITOLAK", "DIBATALKAN", "DITARIK", "GUGUR_PERBAIKAN", "GUGUR")
# Names the palette's own forms use: a step's fields may not take them.
RESERVED_FIELDS = {"nomor", "tanggal", "berkas", "keputusan", "catatan", "alasan",
                   "jumlah", "jatuh_tempo", "tanggal_bayar", "nomor_referensi", "bukti",
                   "hasil", "passphrase", "tanggal_sk"}
NOT_IN_FUTURE = forms.not_in_future
# The application's deadline column of a fee's invoice (app/jobs/: reminded, then lapsed).
PAYMENT_DUE = "payment_due_on"
REQUIRED = DataRequired()


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: object = None

    def holds(self, data, fields):
        value = (data or {}).get(self.field)
        if self.op == "filled":
            return value not in (None, "", False)
        if self.op == "empty":
            return value in (None, "", False)
        definition = fields.get(self.field)
        if self.op in ("eq", "ne"):
            same = _comparable(value, definition) == _comparable(self.value, definition)
            return same if self.op == "eq" else not same
        left, right = _number(value), _number(self.value)
        if left is None or right is None:
            return False
        return {"gt": left > right, "ge": left >= right, "lt": left < right,
                "le": left <= right}[self.op]


def _number(value):
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _comparable(value, definition):
    number = _number(value)
    if definition is not None and definition.type in ("number", "money") and number is not None:
        return number
    if isinstance(value, bool) or (definition is not None and definition.type == "yesno"):
        return str(value).lower() in ("true", "1", "ya", "yes")
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Tariff:
    basis: str
    rate: Decimal = Decimal(0)
    field: str | None = None

    def amount(self, data):
        """The fee for a file's data; None when the officer enters it."""
        if self.basis == "entered":
            return None
        if self.basis == "fixed":
            return self.rate
        quantity = _number((data or {}).get(self.field)) or Decimal(0)
        return (self.rate * quantity).quantize(Decimal(1))


@dataclass(frozen=True)
class Step:
    code: str
    type: str
    label: str
    role: str
    fields: tuple = ()
    when: Condition | None = None
    can_return: bool = True
    can_reject: bool = False
    partial: bool = False
    tariff: Tariff | None = None
    document: str = ""  # what a numbered document or a recommendation is called
    # A numbered document drawn from the step's letter template (app/workflow/
    # step_documents.py) instead of uploaded; the key of that template.
    generate: bool = False
    template_key: str = ""

    def state(self, suffix=""):
        return f"{self.code}{suffix}".upper()

    @property
    def amount_field(self):
        return f"{self.code}_jumlah"


@dataclass(frozen=True)
class ProcessSpec:
    code: str
    name: str
    form: tuple
    requirements: tuple
    steps: tuple
    numbering_role: str
    signing_role: str
    scoped_by_agency: bool = False
    description: str = ""

    @property
    def fields(self):
        """Every field of the process by name: the application form's, the steps', and
        the values the steps record themselves (a fee's amount, a decision)."""
        found = {f.name: f for f in self.form}
        for step in self.steps:
            found.update({f.name: f for f in step.fields})
            found.update(implicit_fields(step))
        return found


def implicit_fields(step):
    """What a step records besides its own fields, usable in conditions and decrees."""
    if step.type == "fee":
        return {step.amount_field: FieldDef(step.amount_field, "money",
                                            f"{step.label}: jumlah")}
    if step.type == "recommendation":
        name = f"{step.code}_keputusan"
        return {name: FieldDef(name, "choice", f"{step.label}: keputusan",
                               options=tuple(_decisions(step)))}
    return {}


def _decisions(step):
    decisions = [("disetujui", str(_l("Approved")))]
    if step.partial:
        decisions.append(("disetujui_sebagian", str(_l("Partly approved"))))
    return decisions


class InvalidSpec(ValueError):
    """A specification that cannot be published; `problems` lists why, in sentences."""

    def __init__(self, problems):
        self.problems = [str(problem) for problem in problems]
        super().__init__("; ".join(self.problems))


# --- reading a specification ---------------------------------------------------------


def read_spec(raw):
    """A ProcessSpec from a specification document; InvalidSpec lists every problem."""
    problems = []
    if not isinstance(raw, dict):
        raise InvalidSpec([_l("The process must be a mapping of its parts.")])
    code = str(raw.get("code") or "")
    if not PROCESS_CODE.match(code):
        problems.append(_l("The process code “%(code)s” must be 2–20 lowercase letters, "
                           "digits or underscores, starting with a letter.", code=code))
    name = str(raw.get("name") or "").strip()
    if not name:
        problems.append(_l("The process needs a name."))
    form = read_fields(raw.get("form"), str(_l("Application form")), problems)
    if any(f.type == "file" for f in form):
        problems.append(_l("Application form: ask for files as requirements, not as "
                           "fields."))
    requirements = read_requirements(raw.get("requirements"), problems)
    steps_ = tuple(read_step(raw_step, index, problems)
                   for index, raw_step in enumerate(raw.get("steps") or (), start=1))
    steps_ = tuple(replace(step, template_key=step_documents.template_key(code, step.code))
                   if step.generate else step for step in steps_ if step is not None)
    if not steps_:
        problems.append(_l("The process needs at least one step."))
    decree = raw.get("decree") or {}
    spec = ProcessSpec(
        code=code, name=name, form=form, requirements=requirements, steps=steps_,
        numbering_role=str(decree.get("numbering_role") or roles.BACK_OFFICE),
        signing_role=str(decree.get("signing_role") or roles.KEPALA_DINAS),
        scoped_by_agency=bool(raw.get("scoped_by_agency", False)),
        description=str(raw.get("description") or ""),
    )
    problems += _cross_problems(spec)
    if problems:
        raise InvalidSpec(problems)
    return spec


def read_requirements(raws, problems):
    requirements, seen = [], set()
    for index, raw in enumerate(raws or (), start=1):
        name = str((raw or {}).get("name") or "").strip() if isinstance(raw, dict) else ""
        if not name:
            problems.append(_l("Requirement %(n)s needs a name.", n=index))
            continue
        if name in seen:
            problems.append(_l("The requirement “%(name)s” is listed twice.", name=name))
        seen.add(name)
        requirements.append({
            "name": name, "description": str(raw.get("description") or ""),
            "mandatory": bool(raw.get("mandatory", True)),
            "accept": list(raw.get("accept") or ["pdf"]),
            "max_mb": int(raw.get("max_mb") or 5),
        })
    return tuple(requirements)


def read_step(raw, index, problems):
    if not isinstance(raw, dict):
        problems.append(_l("Step %(n)s must be a mapping.", n=index))
        return None
    code, kind = str(raw.get("code") or ""), raw.get("type")
    where = str(_l("Step %(n)s (%(code)s)", n=index, code=code))
    if not STEP_CODE.match(code) or code.upper() in FIXED_STATES or \
            code.upper() == UNPAID_STATE[0]:
        problems.append(_l("%(where)s: the step code must be 2–18 lowercase letters, digits "
                           "or underscores, starting with a letter, and not a state every "
                           "process has.", where=where))
    if kind not in PALETTE:
        problems.append(_l("%(where)s: unknown step type “%(type)s”.", where=where,
                           type=kind))
        return None
    role = str(raw.get("role") or "").strip()
    if not role:
        problems.append(_l("%(where)s: choose the role that takes the step.", where=where))
    fields = read_fields(raw.get("fields"), where, problems)
    for f in fields:
        if f.name in RESERVED_FIELDS:
            problems.append(_l("%(where)s: the field name %(name)s is used by the step "
                               "itself; choose another.", where=where, name=f.name))
    when = None
    if raw.get("when"):
        condition = raw["when"]
        if not isinstance(condition, dict) or condition.get("op") not in OPERATORS:
            problems.append(_l("%(where)s: a condition names a field, an operator (%(ops)s) "
                               "and a value.", where=where, ops=", ".join(OPERATORS)))
        else:
            when = Condition(str(condition.get("field") or ""), condition["op"],
                             condition.get("value"))
    generate = bool(raw.get("generate", False))
    if generate and kind != "numbered_document":
        problems.append(_l("%(where)s: only a numbered document is drawn from a template.",
                           where=where))
    tariff = None
    if kind == "fee":
        raw_tariff = raw.get("tariff") or {"basis": "entered"}
        basis = raw_tariff.get("basis")
        if basis not in TARIFF_BASES:
            problems.append(_l("%(where)s: the tariff basis is one of %(bases)s.",
                               where=where, bases=", ".join(TARIFF_BASES)))
            basis = "entered"
        rate = _number(raw_tariff.get("rate", 0))
        if rate is None or rate < 0:
            problems.append(_l("%(where)s: the tariff rate must be a number of 0 or more.",
                               where=where))
            rate = Decimal(0)
        tariff = Tariff(basis, rate, raw_tariff.get("field"))
    return Step(
        code=code, type=kind, label=str(raw.get("label") or PALETTE[kind]), role=role,
        fields=fields, when=when, can_return=bool(raw.get("can_return", True)),
        can_reject=bool(raw.get("can_reject", kind == "recommendation")),
        partial=bool(raw.get("partial", False)), tariff=tariff,
        document=str(raw.get("document") or ""), generate=generate,
    )


def _cross_problems(spec):
    """What only the whole process shows: names used twice, conditions and tariffs
    naming fields that are not known by the time they are used."""
    problems, known, codes = [], {f.name: f for f in spec.form}, set()
    seen_names = set(known)
    for step in spec.steps:
        where = str(_l("Step %(code)s", code=step.code))
        if step.code in codes:
            problems.append(_l("Two steps have the code %(code)s.", code=step.code))
        codes.add(step.code)
        if step.when is not None and step.when.field not in known:
            problems.append(_l("%(where)s: the condition names %(field)s, which no earlier "
                               "form or step asks for.", where=where, field=step.when.field))
        elif step.when is not None and step.when.op in ("gt", "ge", "lt", "le") and \
                _number(step.when.value) is None:
            problems.append(_l("%(where)s: the condition compares with a number; give one.",
                               where=where))
        if step.tariff is not None and step.tariff.basis.startswith("per_"):
            source = known.get(step.tariff.field)
            if source is None or source.type not in ("number", "money"):
                problems.append(_l("%(where)s: the tariff multiplies a number field asked "
                                   "before the fee; “%(field)s” is not one.", where=where,
                                   field=step.tariff.field or "—"))
            else:
                step.tariff.amount({step.tariff.field: "1"})  # computes
        for f in (*step.fields, *implicit_fields(step).values()):
            if f.name in seen_names:
                problems.append(_l("%(where)s: the field name %(name)s is used twice in the "
                                   "process.", where=where, name=f.name))
            seen_names.add(f.name)
            known[f.name] = f
    return problems


# --- the compiled workflow -------------------------------------------------------------


def _applying(spec):
    """The application form: the applicant, then the process's fields
    (app/workflow/field_sets.py), answered into the file's form data."""
    fields = spec.form

    def values(application):
        data = application.form_data or {}
        return {f.name: f.from_json(data.get(f.name)) for f in fields}

    def apply(application, form):
        application.form_data = {**(application.form_data or {}), **answers(fields, form)}

    return Applying(form_class(fields, base=forms.ApplicantForm,
                               name=f"ApplicationForm_{spec.code}"), values, apply)


def compile_spec(spec, version_id=None):
    """(Workflow, default roles) of a specification; the Workflow validates itself."""
    fixed = dict(FIXED_STATES)
    if any(step.type == "fee" for step in spec.steps):
        fixed.update((UNPAID_STATE,))
    members = {name: value for name, (value, _label) in fixed.items()}
    labels_by_name = {name: label for name, (_value, label) in fixed.items()}
    for step in spec.steps:
        for suffix, label in _step_states(step):
            members[step.state(suffix)] = f"{step.code}{suffix}"
            labels_by_name[step.state(suffix)] = label
    S = StrEnum(f"States_{spec.code}", members)  # noqa: N806 (a state enum, as elsewhere)
    labels = {S[name]: label for name, label in labels_by_name.items()}
    terminal = frozenset(S[name] for name in FINAL if name in fixed)
    entries = [S[step.state()] for step in spec.steps] + [S.PENYIAPAN_SK]
    transitions, default_roles = _front(S, spec, entries)
    for index, step in enumerate(spec.steps):
        onward = _onward(spec, index, entries)
        step_transitions, step_roles = _step_transitions(S, step, onward)
        transitions += step_transitions
        default_roles.update(step_roles)
    transitions += [
        *shared.correction_deadline(S),
        *shared.numbering_and_signature(S, S.PENYIAPAN_SK),
        shared.cancellation(S),
        shared.withdrawal(S, terminal),
    ]
    checking = frozenset({S.DIAJUKAN} | {S[s.state()] for s in spec.steps
                                         if s.type == "document_check"})
    staff = sorted({s.role for s in spec.steps} | {roles.FRONT_OFFICE, roles.PEMERIKSA,
                                                   roles.BACK_OFFICE, spec.signing_role,
                                                   roles.KEPALA_BIDANG_PERIZINAN})
    default_roles.update({
        "input_nomor_sk": (spec.numbering_role,),
        "paraf": (roles.KEPALA_BIDANG_PERIZINAN,),
        "kembalikan_bo": (spec.signing_role,),
        "tandatangani": (spec.signing_role,),
        "tolak_ds": (spec.signing_role,),
        "batalkan": (roles.PEMOHON,),
        "tarik_permohonan": (roles.PEMOHON,),
        "buka_kembali": (roles.FRONT_OFFICE,),
        "verifikasi_dokumen": tuple(sorted({roles.FRONT_OFFICE} | {
            s.role for s in spec.steps if s.type == "document_check"})),
        "digitalisasi_dokumen": (roles.FRONT_OFFICE,),
        "cabut_izin": (spec.signing_role,),
        "lihat_semua": tuple(staff),
    })
    workflow = Workflow(
        kind=spec.code, title=spec.name, version_id=version_id, spec=spec,
        applying=_applying(spec),
        states=S, initial=S.DRAFT, terminal=terminal, state_labels=labels,
        transitions=tuple(transitions),
        extra_permissions=("lihat_semua", "verifikasi_dokumen", "digitalisasi_dokumen",
                           "cabut_izin"),
        scoped_by_agency=spec.scoped_by_agency,
        decree_draft_states=frozenset({S.PENYIAPAN_SK, S.MENUNGGU_PARAF, S.SIAP_DS}),
        paused_states=frozenset({S.PERLU_PERBAIKAN} | {
            S[s.state("_bayar")] for s in spec.steps if s.type == "fee"}),
        next_steps={**shared.common_next_steps(S),
                    **{S[s.state("_bayar")]: _payment_step(s) for s in spec.steps
                       if s.type == "fee"},
                    **({S.GUGUR: _l("The invoice was not paid by its due date: the "
                                    "application lapsed. Apply again if you still need the "
                                    "permit.")} if "GUGUR" in fixed else {}),
                    S.SELESAI: _l("The permit is signed: download it from your application "
                                  "page.")},
        deadline_states={correction.COLUMN: S.PERLU_PERBAIKAN,
                         PAYMENT_DUE: tuple(S[s.state("_bayar")] for s in spec.steps
                                            if s.type == "fee")},
        editable_states=frozenset({S.DRAFT, S.PERLU_PERBAIKAN}),
        checking_states=checking,
        digitising_states=frozenset({S.DIAJUKAN}),
        granted_states=frozenset({S.SELESAI}),
        refused_states=frozenset({S.DITOLAK}),
        withdrawn_states=frozenset({S.DITARIK}),
        survey_states=frozenset({S.SELESAI, S.DITOLAK}),
    )
    return workflow, default_roles


def _step_states(step):
    """(suffix, label) of the states a step has: its own, and a fee's payment states."""
    states = [("", step.label)]
    if step.type == "fee":
        states += [("_bayar", _l("%(step)s: waiting for the payment", step=step.label)),
                   ("_verifikasi", _l("%(step)s: payment being checked", step=step.label))]
    return states


def _onward(spec, index, entries):
    """(target, alternatives, route) for leaving step `index` (or the reception, -1)
    forward: the next step whose condition holds, else the decree."""
    later = list(zip(spec.steps[index + 1:], entries[index + 1:-1], strict=True))
    decree = entries[-1]
    if not any(step.when is not None for step, _entry in later):
        return (later[0][1] if later else decree), (), None
    fields = spec.fields

    def route(ctx):
        data = ctx.application.form_data or {}
        for step, entry in later:
            if step.when is None or step.when.holds(data, fields):
                return entry
        return decree

    target = later[0][1]
    alternatives = tuple(entry for _step, entry in later[1:]) + (decree,)
    return target, alternatives, route


def _front(S, spec, entries):  # noqa: N803
    """Submission, reception (to the first step that applies) and the front office's
    return for correction."""
    target, alternatives, route = _onward(spec, -1, entries)
    transitions = [
        Transition(
            "ajukan", (S.DRAFT, S.PERLU_PERBAIKAN), S.DIAJUKAN, _l("Submit"),
            guards=(steps.mandatory_documents_uploaded_by_applicant,
                    steps.no_rejected_documents),
            effects=(steps.assign_registration_number, correction.clear_deadline),
            by_applicant=True, confirm=confirmations.SUBMIT,
        ),
        Transition("terima", (S.DIAJUKAN,), target, _l("Receive"), style="success",
                   guards=(steps.mandatory_documents_present, steps.no_rejected_documents),
                   route=route, alternatives=alternatives),
        _return(S, "kembalikan", (S.DIAJUKAN,)),
    ]
    default_roles = {"ajukan": (roles.PEMOHON, roles.FRONT_OFFICE),
                     "terima": (roles.FRONT_OFFICE,), "kembalikan": (roles.FRONT_OFFICE,)}
    return transitions, default_roles


def _return(S, action, sources):  # noqa: N803
    return Transition(
        action, sources, S.PERLU_PERBAIKAN, _l("Return for correction"),
        form=forms.ReasonForm, effects=(REASON, correction.set_deadline), advances=False,
        style="warning", notice=notices.return_for_correction,
    )


def _reject(S, action, sources):  # noqa: N803
    return Transition(
        action, sources, S.DITOLAK, _l("Reject"), form=forms.ReasonForm,
        effects=(REASON, rejections.record_rejection), advances=False, style="danger",
        notice=notices.reason(notices.REJECTION_REASON), confirm=confirmations.REJECT,
    )


def _step_transitions(S, step, onward):  # noqa: N803
    """The transitions of one palette step and who takes them by default."""
    here = S[step.state()]
    target, alternatives, route = onward
    forward = {"target": target, "alternatives": alternatives, "route": route}
    build = STEP_BUILDERS[step.type]
    transitions = build(S, step, here, forward)
    if step.can_return:
        transitions.append(_return(S, f"{step.code}_kembalikan", (here,)))
    if step.can_reject:
        transitions.append(_reject(S, f"{step.code}_tolak", (here,)))
    holders = {t.action: (step.role,) for t in transitions}
    if step.type == "fee":
        holders[f"{step.code}_bayar"] = (roles.PEMOHON, roles.FRONT_OFFICE)
    return transitions, holders


def store_answers(fields):
    """An effect: the step's answers join the file's data (files as artifacts)."""

    def effect(ctx):
        data = dict(ctx.application.form_data or {})
        data.update(answers(fields, ctx.form))
        for f in fields:  # kept as artifacts: downloaded like every issued file
            if f.type == "file" and ctx.form[f.name].checked is not None:
                steps.issue_artifact(f.name, None, f.name, [])(ctx)
                data[f.name] = {"filename": ctx.form[f.name].data.filename}
        ctx.application.form_data = data

    effect.__name__ = "store_answers"
    return effect


def _record(name, form_field):
    def effect(ctx):
        ctx.application.form_data = {**(ctx.application.form_data or {}),
                                     name: steps.json_value(ctx.form[form_field].data)}

    effect.__name__ = f"record_{name}"
    return effect


def _document_check(S, step, here, forward):  # noqa: N803
    return [Transition(step.code, (here,), label=_l("Documents complete: forward"),
                       guards=(steps.every_document_accepted,), form=_form(step),
                       effects=(store_answers(step.fields),), **forward)]


def _data_entry(S, step, here, forward):  # noqa: N803
    return [Transition(step.code, (here,), label=_l("Save and forward"), form=_form(step),
                       effects=(store_answers(step.fields),), **forward)]


def _numbered_document(S, step, here, forward):  # noqa: N803
    if step.generate:
        form, document = (_form(step, base=GeneratedDocumentForm),
                          step_documents.drawn(step))
    else:
        form, document = _form(step, base=NumberedDocumentForm), "berkas"
    return [Transition(step.code, (here,), label=_l("Issue the document"), form=form,
                       effects=(store_answers(step.fields),
                                steps.issue_artifact(step.code, "nomor", document,
                                                     ["nomor", "tanggal"])), **forward)]


def _recommendation(S, step, here, forward):  # noqa: N803
    base = type("DecisionForm", (RecommendationForm,), {"keputusan": SelectField(
        _l("Decision"), choices=_decisions(step), validators=[REQUIRED])})
    return [Transition(
        step.code, (here,), label=_l("Issue the recommendation"),
        form=_form(step, base=base), style="success",
        effects=(store_answers(step.fields), _record(f"{step.code}_keputusan", "keputusan"),
                 steps.issue_artifact(step.code, "nomor", "berkas",
                                      ["nomor", "tanggal", "keputusan", "catatan"])),
        **forward)]


def _inspection(S, step, here, forward):  # noqa: N803
    return [
        Transition(f"{step.code}_jadwal", (here,), here, _l("Schedule the inspection"),
                   form=InspectionScheduleForm, advances=False,
                   effects=(_record(f"{step.code}_jadwal", "tanggal"),
                            steps.record_comment("catatan"))),
        Transition(step.code, (here,), label=_l("Enter the inspection report"),
                   form=_form(step, base=InspectionReportForm),
                   effects=(store_answers(step.fields),
                            steps.issue_artifact(step.code, None, "berkas",
                                                 ["tanggal", "hasil"])), **forward),
    ]


def _fee(S, step, here, forward):  # noqa: N803
    waiting, checking = S[step.state("_bayar")], S[step.state("_verifikasi")]
    invoice = invoice_kind(step)
    entered = step.tariff.basis == "entered"
    invoice_form = InvoiceForm if not entered else type(
        "EnteredInvoiceForm", (InvoiceForm,), {"jumlah": forms.not_negative(
            _l("Amount (Rp)"), required=True)})

    def amount_of(ctx):
        if entered:
            return Decimal(ctx.form.jumlah.data).quantize(Decimal(1))
        return step.tariff.amount(ctx.application.form_data)

    def issue_invoice(ctx):  # after the invoice's artifact: it carries the amount too
        amount = amount_of(ctx)
        ctx.application.form_data = {**(ctx.application.form_data or {}),
                                     step.amount_field: str(amount)}
        ctx.event_data["jumlah"] = str(amount)
        artifact = ctx.application.latest_artifact(invoice)
        artifact.data = {**artifact.data, "jumlah": str(amount)}
        setattr(ctx.application, PAYMENT_DUE, ctx.form.jatuh_tempo.data)

    def invoice_route(ctx):  # after issue_invoice: the amount is the file's now
        if Decimal(ctx.application.form_data[step.amount_field]) > 0:
            return waiting
        return forward["route"](ctx) if forward["route"] else forward["target"]

    return [
        Transition(step.code, (here,), waiting, _l("Issue the invoice"), form=invoice_form,
                   effects=(steps.issue_artifact(invoice, "nomor", None,
                                                 ["nomor", "jatuh_tempo"]), issue_invoice),
                   route=invoice_route,
                   alternatives=(forward["target"], *forward["alternatives"])),
        Transition(f"{step.code}_lewat_tempo", (waiting,), S.GUGUR,
                   _l("Not paid by the due date"), by_system=True, deadline=PAYMENT_DUE,
                   effects=(steps.record_lapsed_deadline(PAYMENT_DUE, invoice),)),
        Transition(f"{step.code}_bayar", (waiting,), checking, _l("Upload payment proof"),
                   form=PaymentForm, by_applicant=True,
                   effects=(steps.issue_artifact(f"bukti_{step.code}", "nomor_referensi",
                                                 "bukti"),)),
        Transition(f"{step.code}_tolak_bukti", (checking,), waiting,
                   _l("Reject the payment proof"), form=forms.ReasonForm, effects=(REASON,),
                   advances=False, style="warning",
                   notice=notices.reason(notices.PROOF_REFUSAL_REASON)),
        Transition(f"{step.code}_konfirmasi", (checking,), label=_l("Confirm the payment"),
                   style="success", **forward),
    ]


def invoice_kind(step):
    return f"tagihan_{step.code}"


def _payment_step(step):
    """What the applicant must do while the fee's invoice waits: its amount, number and
    due date."""

    def next_step(application):
        invoice = application.latest_artifact(invoice_kind(step))
        data = (invoice.data if invoice else None) or {}
        due = getattr(application, PAYMENT_DUE)
        if invoice is None or due is None:
            return _l("Pay the invoice, then upload the payment proof.")
        return _l("Pay Rp%(amount)s (invoice %(number)s) by %(due)s at the latest, then "
                  "upload the payment proof.", amount=angka(data.get("jumlah")),
                  number=invoice.number, due=tanggal(due))

    return next_step


STEP_BUILDERS = {
    "document_check": _document_check,
    "data_entry": _data_entry,
    "recommendation": _recommendation,
    "inspection": _inspection,
    "numbered_document": _numbered_document,
    "fee": _fee,
}


def _form(step, base=SiapForm):
    """The step's form: the palette's own fields, then the step's configured ones."""
    if not step.fields and base is SiapForm:
        return None
    return form_class(step.fields, base=base, name=f"Form_{step.code}")


class GeneratedDocumentForm(SiapForm):
    nomor = forms.number_field(_l("Number"))
    tanggal = DateField(_l("Date"), validators=[REQUIRED, NOT_IN_FUTURE])


class NumberedDocumentForm(GeneratedDocumentForm):
    berkas = UploadField(_l("Signed document (PDF)"), accepted=("pdf",), max_mb=20)


class RecommendationForm(NumberedDocumentForm):
    catatan = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class InspectionScheduleForm(SiapForm):
    tanggal = DateField(_l("Inspection date"), validators=[REQUIRED, forms.not_in_past])
    catatan = TextAreaField(_l("Note for the applicant"),
                            validators=[Optional(), Length(max=1000)])


class InspectionReportForm(SiapForm):
    tanggal = DateField(_l("Inspection date"), validators=[REQUIRED, NOT_IN_FUTURE])
    hasil = TextAreaField(_l("Findings"), validators=[REQUIRED, Length(max=4000)])
    berkas = UploadField(_l("Inspection report (PDF)"), accepted=("pdf",), max_mb=20)


class InvoiceForm(SiapForm):
    nomor = forms.number_field(_l("Invoice number"))
    jatuh_tempo = DateField(_l("Due date"), validators=[REQUIRED, forms.not_in_past])


class PaymentForm(SiapForm):
    bukti = UploadField(_l("Payment proof"), accepted=("pdf", "jpg", "png"), max_mb=5)
    tanggal_bayar = DateField(_l("Payment date"), validators=[REQUIRED, NOT_IN_FUTURE])
    nomor_referensi = StringField(_l("Payment reference"),
                                  validators=[REQUIRED, Length(max=60)])
