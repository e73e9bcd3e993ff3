"""A built-in kind written the way a new one is added (DESIGN.md section 7, one
registration per kind): everything about it is declared here — its states and what they
mean, its transitions and who takes them, its application form, the data it shows on the
file page, in the print view and in the API, its decree and what the decree may print.
Besides this module it has a page template (templates/_mainan.html) and one line in
app/workflow/registry.py: `register(mainan.WORKFLOW, mainan.DEFAULT_ROLES)`.
tests/workflow/test_a_new_built_in_kind.py registers it and runs a file to the signed
decree. It keeps its data in the file's form data; a kind with its own table adds a
model and its migration."""

from enum import StrEnum

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.documents.defaults import configured_decree
from app.documents.placeholders import KindPlaceholders
from app.security import roles
from app.workflow import shared, steps
from app.workflow.definition import Applying, Transition, Workflow
from app.workflow.pkkpr_forms import ApplicantForm, NoteForm
from app.workflow.shared import NOTE

KIND = "mainan"


class S(StrEnum):
    DRAFT = "draft"
    DIAJUKAN = "diajukan"
    DITERIMA_FO = "diterima_fo"
    PERLU_PERBAIKAN = "perlu_perbaikan"
    DIPERIKSA = "diperiksa"
    PENYIAPAN_SK = "penyiapan_sk"
    MENUNGGU_PARAF = "menunggu_paraf"
    SIAP_DS = "siap_ds"
    SELESAI = "selesai"
    DITOLAK = "ditolak"
    DIBATALKAN = "dibatalkan"
    DITARIK = "ditarik"
    GUGUR_PERBAIKAN = "gugur_perbaikan"


TERMINAL = frozenset({S.SELESAI, S.DITOLAK, S.DIBATALKAN, S.DITARIK, S.GUGUR_PERBAIKAN})


class ToyApplicationForm(ApplicantForm):
    nama_wahana = StringField("Nama wahana", validators=[DataRequired(), Length(max=80)])


def values(application):
    return {"nama_wahana": (application.form_data or {}).get("nama_wahana")}


def apply(application, form):
    application.form_data = {**(application.form_data or {}),
                             "nama_wahana": form.nama_wahana.data}


def fill_placeholders(values_, application):
    values_["wahana"].update(nama=(application.form_data or {}).get("nama_wahana"))


def sample_placeholders(values_, _today):
    values_["wahana"].update(nama="Komidi putar")


DECREE = configured_decree("Izin Uji Wahana", [("nama_wahana", "Nama wahana")])
DECREE["diktum"][0] = DECREE["diktum"][0].replace("isian.nama_wahana", "wahana.nama")

WORKFLOW = Workflow(
    kind=KIND,
    title="Izin Uji Wahana",
    states=S,
    initial=S.DRAFT,
    terminal=TERMINAL,
    state_labels={**shared.common_labels(S), S.PENYIAPAN_SK: "Penyiapan SK"},
    next_steps=shared.common_next_steps(S),
    **shared.state_meanings(S),
    extra_permissions=("lihat_semua", "verifikasi_dokumen", "digitalisasi_dokumen",
                       "cabut_izin"),
    decree_draft_states=frozenset({S.PENYIAPAN_SK, S.MENUNGGU_PARAF, S.SIAP_DS}),
    paused_states=frozenset({S.PERLU_PERBAIKAN}),
    deadline_states={"correction_due_on": S.PERLU_PERBAIKAN},
    applying=Applying(ToyApplicationForm, values, apply, legend="Wahana"),
    default_decrees={f"sk_{KIND}": ("Keputusan Izin Uji Wahana", DECREE)},
    placeholders=KindPlaceholders("Keputusan Izin Uji Wahana",
                                  {"wahana": {"nama": "Nama wahana"}},
                                  fill_placeholders, sample_placeholders),
    page="_mainan.html",
    details=values,
    transitions=(
        *shared.submission_and_front_office(S),
        *shared.correction_deadline(S),
        Transition("setujui", (S.DIPERIKSA,), S.PENYIAPAN_SK, "Setujui",
                   form=NoteForm, guards=(steps.every_document_accepted,), effects=(NOTE,)),
        *shared.numbering_and_signature(S, S.PENYIAPAN_SK),
        shared.cancellation(S),
        shared.withdrawal(S, TERMINAL),
    ),
)

DEFAULT_ROLES = {
    **{action: holders for action, holders in shared.COMMON_ROLES.items()
       if action in WORKFLOW.by_action or action in WORKFLOW.extra_permissions},
    "setujui": (roles.PEMERIKSA,),
    "lihat_semua": (roles.FRONT_OFFICE, roles.PEMERIKSA, roles.BACK_OFFICE,
                    roles.KEPALA_BIDANG_PERIZINAN, roles.KEPALA_DINAS),
}
