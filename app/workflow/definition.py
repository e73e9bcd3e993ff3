"""The vocabulary of a workflow definition: states, transitions, and the check that
runs when a definition is imported."""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.security.roles import WORKFLOW_VIEW_PREFIX

NOTHING_TO_DO = _l("Nothing to do for now: the file is being processed.")

# History events that are not transitions (see app.services.applications).
EVENT_LABELS = {
    "buat": _l("Application created"),
    "jam_dijeda": _l("Service clock paused: waiting for the applicant"),
    "jam_dilanjutkan": _l("Service clock resumed"),
    "ubah_data": _l("Application data changed"),
    "unggah_dokumen": _l("Document uploaded"),
    "dokumen_accepted": _l("Document accepted"),
    "dokumen_rejected": _l("Document rejected"),
    "survei_skm": _l("Satisfaction survey answered"),
    "cabut_izin": _l("Permit revoked"),
    "tandatangani_surat_penolakan": _l("Rejection letter signed"),
    "tandatangani_sk_pencabutan": _l("Revocation decree signed"),
    "perpanjangan_dari": _l("Renewal of an earlier permit"),
    "perpanjangan_dimulai": _l("Renewal started by the holder"),
}

# Permissions of a workflow that are not transitions (`Workflow.extra_permissions`), as
# the role editor names them.
EXTRA_PERMISSION_LABELS = {
    "lihat_semua": _l("See every submitted file"),
    "lihat_instansi": _l("See the files of one's own agency"),
    "verifikasi_dokumen": _l("Judge documents"),
    "digitalisasi_dokumen": _l("Digitise paper documents"),
    "cabut_izin": _l("Revoke a signed permit"),
}


# The actions whose source states mean "waits for the signature" and "waits for
# initials" (Workflow.signing_states, initialling_states).
SIGN_ACTION = "tandatangani"
INITIAL_ACTION = "paraf"
# The declared meanings of a workflow's states (Workflow fields), and those that only
# final states may have.
FINAL_MEANINGS = ("granted_states", "refused_states", "withdrawn_states", "survey_states")
MEANINGS = ("editable_states", "checking_states", "digitising_states", *FINAL_MEANINGS)


@dataclass(frozen=True)
class Applying:
    """What the application form of a kind asks beyond the applicant's identity."""

    form_class: type
    values: Callable  # application → the form's values
    apply: Callable  # (application, validated form) → writes the kind's detail
    prepare: Callable = lambda form, permit_type: form  # offers choices of the permit type
    # The form's part after the applicant: its title, and a template shown above its
    # fields (the asset-use terms).
    legend: object = _l("Application data")
    intro: str | None = None
    # The fields a map fills (app/workflow/site_map.MapFields): the form shows a map above
    # the first of them.
    map_fields: object | None = None


@dataclass(frozen=True)
class Transition:
    """One action: from any of `sources` to `target`.

    form     — a wtforms.Form class the engine validates the input with, or None.
    guards   — callables(ctx) raising a SiapError when the action may not run now.
    effects  — callables(ctx) doing the action's work (artifacts, numbers, fields).
    by_applicant — an act of the applicant (or the officer who registered a walk-in
               applicant): only they may take it, and it never fills a staff inbox.
    advances — False for side exits (return, reject): holding one does not make a file
               wait in your inbox; the file waits for whoever moves it forward.
    route    — callable(ctx) → state, for an action whose target depends on the file
               (a free asset use skips the payment states); it may only choose `target`
               or one of `alternatives`.
    prefill  — callable(application) → the form's starting values.
    by_system — taken by the scheduled jobs when a deadline passes (app/jobs/), never by
               a person: no role holds it and the screens never offer it.
    deadline — of a by_system transition: the deadline column (Workflow.deadline_states)
               whose passing takes it, so each deadline of a state lapses its own way.
    reopens  — reopens a closed file: the only kind of action a final state may have (a
               file lapsed uncorrected, within its window). Finished until then.
    audience — for an action only some holders of its permission may take on a given
               file (initials: the holders of a named role not yet initialled), an
               object with `refusal(user, application)` → None or why not, `clause(user)`
               → SQL condition on Application for the inbox, and `roles(application)` →
               the role names awaited (tracking).
    confirm  — the question the action's own page asks before an act that cannot be
               undone (submit, reject, cancel): the file page opens that page instead of
               posting at once.
    notice   — callable(application, comment) → text or None: what the applicant's status
               message says happened besides the new status (app/workflow/notices.py: the
               reason of a return or a refusal, in the officer's words).

    A route may also keep the file where it is (an initial among several): the engine
    then records the action but leaves the status, its clock and the queues alone.
    """

    action: str
    sources: tuple
    target: object
    label: object
    form: type | None = None
    guards: tuple[Callable, ...] = ()
    effects: tuple[Callable, ...] = ()
    by_applicant: bool = False
    by_system: bool = False
    deadline: str | None = None
    reopens: bool = False
    advances: bool = True
    style: str = "primary"  # how the button looks: primary, success, warning, danger
    route: Callable | None = None
    alternatives: tuple = ()
    prefill: Callable | None = None
    audience: object | None = None
    notice: Callable | None = None
    confirm: object = None

    @property
    def targets(self):
        return (self.target, *self.alternatives)


@dataclass(frozen=True)
class Workflow:
    kind: str
    states: type[StrEnum]
    initial: object
    terminal: frozenset
    state_labels: dict
    transitions: tuple[Transition, ...]
    extra_permissions: tuple[str, ...] = ()
    # What the office calls it (the process's name), and for a configured process
    # (app/workflow/configured.py) the version it was compiled from and its specification.
    title: object = ""
    version_id: int | None = None
    spec: object | None = None
    # Files belong to the agency managing their permit type (assets): an officer without
    # `lihat_semua` sees and works on their own agency's files only.
    scoped_by_agency: bool = False
    # States in which the decree exists as a draft (numbered, awaiting the signature).
    decree_draft_states: frozenset = frozenset()
    # States in which the file waits on the applicant: the service clock pauses.
    paused_states: frozenset = frozenset()
    # state → what the applicant must do now: a text, or callable(application) → text.
    next_steps: dict = field(default_factory=dict)
    # A deadline column of the application (app/jobs/) → the state in which it runs (or
    # a tuple of them: a configured process's fees share the payment's due date): the
    # scheduled jobs remind of it, and act on it, only while the file is in one of them.
    deadline_states: dict = field(default_factory=dict)
    # What the states mean to the services around the engine, so that nothing outside
    # the definition names a state (DESIGN.md section 7, "one registration per kind"):
    # the applicant changes the data and uploads documents (a correction, outside the
    # initial state: only the rejected documents again);
    editable_states: frozenset = frozenset()
    # officers judge the documents; the front office digitises paper ones;
    checking_states: frozenset = frozenset()
    digitising_states: frozenset = frozenset()
    # final states: closed with the permit granted, refused, withdrawn by the applicant,
    # and those in which the applicant is asked to rate the service (SKM).
    granted_states: frozenset = frozenset()
    refused_states: frozenset = frozenset()
    withdrawn_states: frozenset = frozenset()
    survey_states: frozenset = frozenset()
    # The application form (Applying); how long its permit is in force,
    # callable(application, issued_on, years) → (first day, last day), None for `years`
    # from the SK date (app/workflow/validity.py); the fields a renewal must give anew (a period);
    # callable(application) → the key of its decree's template, None for "sk_<kind>";
    # the decree templates the kind ships with, key → (name, content), added by the seed;
    # what its decree may print besides the common placeholders (a KindPlaceholders of
    # app/documents/placeholders.py; a configured process's decree has its answers).
    applying: Applying | None = None
    validity: Callable | None = None
    renewal_fields: tuple[str, ...] = ()
    decree_template: Callable | None = None
    default_decrees: dict = field(default_factory=dict)
    placeholders: object | None = None
    # What the file page, its print view and the API show of the kind's own data: a
    # template with the macros detail(application) and printed(application), and
    # callable(application) → {field: value} (a configured process's data are answers).
    page: str | None = None
    details: Callable | None = None
    by_action: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_action", {t.action: t for t in self.transitions})
        object.__setattr__(self, "deadline_states", {
            column: tuple(states) if isinstance(states, tuple | list | frozenset) else (states,)
            for column, states in self.deadline_states.items()})
        self.validate()

    @property
    def permission_view(self):
        """The FAB view-menu name that holds this workflow's action permissions."""
        return f"{WORKFLOW_VIEW_PREFIX}{self.kind}"

    def form_for(self, transition, application, formdata=None):
        """The action's form: the posted data, or its starting values."""
        if transition.form is None:
            return None
        if formdata is None and transition.prefill is not None:
            return transition.form(data=transition.prefill(application))
        return transition.form(formdata=formdata)

    def transition(self, action):
        return self.by_action.get(action)

    def sources_of(self, action):
        """The states the action leaves from; none when the workflow lacks it."""
        transition = self.by_action.get(action)
        return frozenset(transition.sources) if transition else frozenset()

    @property
    def signing_states(self):
        """Where the decree waits for the head of office's signature."""
        return self.sources_of(SIGN_ACTION)

    @property
    def initialling_states(self):
        """Where the decree waits for initials (paraf)."""
        return self.sources_of(INITIAL_ACTION)

    @staticmethod
    def values(states):
        """The stored status strings of some states (for SQL and comparisons)."""
        return frozenset(str(state) for state in states)

    def is_in(self, status, meaning):
        """Whether a stored status is one of the states named by `meaning`, an attribute
        such as "editable_states"."""
        return status in self.values(getattr(self, meaning))

    def state_style(self, status):
        """How a status badge looks: signing or granted succeed, any other final state
        failed, a wait on the applicant warns."""
        if status in self.values(self.signing_states | self.granted_states):
            return "success"
        if status in self.values(self.terminal):
            return "danger"
        return "warning" if status in self.values(self.paused_states) else "primary"

    def transitions_from(self, state):
        return [t for t in self.transitions if state in t.sources]

    def label(self, state):
        return self.state_labels[self.states(state)]

    def applicant_next_step(self, application, state):
        step = self.next_steps.get(self.states(state), NOTHING_TO_DO)
        return str(step(application) if callable(step) else step)

    def permission_label(self, name):
        """What one of this workflow's permissions is called: its action's label."""
        transition = self.by_action.get(name)
        return transition.label if transition else EXTRA_PERMISSION_LABELS.get(name, name)

    def event_label(self, action):
        """What a history event's action is called on screen."""
        transition = self.by_action.get(action)
        return transition.label if transition else EVENT_LABELS.get(action, action)

    def validate(self):
        problems = []
        if len(self.by_action) != len(self.transitions):
            problems.append("duplicate action names")
        if set(self.state_labels) != set(self.states):
            problems.append("every state needs a label")
        reachable, frontier = {self.initial}, [self.initial]
        while frontier:
            state = frontier.pop()
            for transition in self.transitions_from(state):
                for target in transition.targets:
                    if target not in reachable:
                        reachable.add(target)
                        frontier.append(target)
        unreachable = set(self.states) - reachable
        if unreachable:
            problems.append(f"unreachable states: {sorted(unreachable)}")
        for state in self.states:
            exits = self.transitions_from(state)
            if state in self.terminal and any(not t.reopens for t in exits):
                problems.append(f"terminal state {state} has exits")
            if state not in self.terminal and not exits:
                problems.append(f"state {state} has no exit and is not terminal")
        for transition in self.transitions:
            if bool(transition.route) != bool(transition.alternatives):
                problems.append(f"{transition.action}: a route needs alternatives and back")
            for state in (*transition.sources, *transition.targets):
                if state not in set(self.states):
                    problems.append(f"{transition.action}: unknown state {state}")
            if transition.reopens and not set(transition.sources) <= set(self.terminal):
                problems.append(f"{transition.action}: only a final state is reopened")
            if transition.by_system and not set(transition.sources) <= set(
                    self.deadline_states.get(transition.deadline, ())):
                problems.append(f"{transition.action}: a system transition leaves the state "
                                f"of its deadline (deadline_states)")
        problems += self._meaning_problems()
        if problems:
            raise ValueError(f"workflow {self.kind} is invalid: " + "; ".join(problems))

    def _meaning_problems(self):
        problems = []
        for meaning in MEANINGS:
            unknown = set(getattr(self, meaning)) - set(self.states)
            if unknown:
                problems.append(f"{meaning}: unknown states {sorted(unknown)}")
        for meaning in FINAL_MEANINGS:
            if not set(getattr(self, meaning)) <= set(self.terminal):
                problems.append(f"{meaning}: only final states")
        for meaning in ("editable_states", "checking_states", "digitising_states"):
            if set(getattr(self, meaning)) & set(self.terminal):
                problems.append(f"{meaning}: no final state")
        return problems

    def describe(self, holders=None):
        """Plain-text listing of states and transitions (for `flask siap workflow`);
        `holders(action)` names who holds each action's permission."""
        lines = [f"Workflow {self.kind}", "", "States:"]
        for state in self.states:
            marks = []
            if state == self.initial:
                marks.append("initial")
            if state in self.terminal:
                marks.append("terminal")
            suffix = f" ({', '.join(marks)})" if marks else ""
            lines.append(f"  {state.value:22} {self.state_labels[state]}{suffix}")
        lines += ["", "Transitions (action: from → to [who holds the permission]):"]
        for t in self.transitions:
            sources = ", ".join(s.value for s in t.sources)
            who = f"  [{holders(t.action)}]" if holders else ""
            targets = " | ".join(target.value for target in t.targets)
            lines.append(f"  {t.action:24} {sources} → {targets}{who}")
        return "\n".join(lines)

    def diagram(self):
        """Graphviz DOT source of the workflow."""
        lines = [f'digraph "{self.kind}" {{', "  rankdir=LR;", "  node [shape=box];"]
        for state in self.states:
            shape = "doublecircle" if state in self.terminal else "box"
            lines.append(f'  "{state.value}" [shape={shape}];')
        for t in self.transitions:
            for source in t.sources:
                for target in t.targets:
                    lines.append(f'  "{source.value}" -> "{target.value}" [label="{t.action}"];')
        lines.append("}")
        return "\n".join(lines)
