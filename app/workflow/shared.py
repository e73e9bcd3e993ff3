"""What every permit kind's workflow shares: the applicant's submission and the front
office's checks at the start, the decree's numbering and signature at the end, and their
state names, labels and default roles. Each workflow passes its own state enum."""

from flask_babel import lazy_gettext as _l

from app.security import roles
from app.workflow import confirmations, correction, initials, notices, rejections, steps
from app.workflow import pkkpr_forms as forms
from app.workflow import withdrawal as withdrawal_effects
from app.workflow.definition import Transition

REASON = steps.record_comment("alasan")
NOTE = steps.record_comment("catatan")


def common_labels(S):
    return {
        S.DRAFT: _l("Draft"),
        S.DIAJUKAN: _l("Submitted"),
        S.DITERIMA_FO: _l("Received by the front office"),
        S.PERLU_PERBAIKAN: _l("Needs correction"),
        S.DIPERIKSA: _l("Being examined"),
        S.MENUNGGU_PARAF: _l("Waiting for initials"),
        S.SIAP_DS: _l("Ready for digital signature"),
        S.SELESAI: _l("Completed"),
        S.DITOLAK: _l("Rejected"),
        S.DIBATALKAN: _l("Cancelled"),
        S.DITARIK: _l("Withdrawn by the applicant"),
        S.GUGUR_PERBAIKAN: _l("Lapsed: not corrected"),
    }


# Who holds a file: the applicant, or the office of the roles holding its next action
# (app.services.tracking); a role added by an admin is shown by its own name.
APPLICANT_OFFICE = _l("The applicant")
ROLE_OFFICES = {
    roles.FRONT_OFFICE: _l("DPMPTSP front office"),
    roles.PEMERIKSA: _l("DPMPTSP examiner"),
    roles.DPUPR: _l("DPUPR (public works and spatial planning)"),
    roles.ATR_BPN: _l("ATR/BPN land office"),
    roles.PENGELOLA_ASET: _l("The agency managing the asset"),
    roles.BACK_OFFICE: _l("DPMPTSP back office"),
    roles.KEPALA_BIDANG_PERIZINAN: _l("DPMPTSP licensing division"),
    roles.KEPALA_DINAS: _l("Head of DPMPTSP"),
}


def state_meanings(S):
    """What the states both kinds share mean to the services (Workflow fields)."""
    return {
        "editable_states": frozenset({S.DRAFT, S.PERLU_PERBAIKAN}),
        "checking_states": frozenset({S.DIAJUKAN, S.DITERIMA_FO, S.DIPERIKSA}),
        "digitising_states": frozenset({S.DIAJUKAN, S.DITERIMA_FO}),
        "granted_states": frozenset({S.SELESAI}),
        "refused_states": frozenset({S.DITOLAK}),
        "withdrawn_states": frozenset({S.DITARIK}),
        # The survey opens once a file is finished or refused.
        "survey_states": frozenset({S.SELESAI, S.DITOLAK}),
    }


def common_next_steps(S):
    return {
        S.DRAFT: _l("Complete the data and upload the required documents, then submit."),
        S.DIAJUKAN: _l("Your application has been received and waits for the front office."),
        S.PERLU_PERBAIKAN: correction.correction_step,
        S.GUGUR_PERBAIKAN: correction.lapsed_step,
        S.DITOLAK: _l("The application was rejected; the reason is on your application "
                      "page."),
        S.DIBATALKAN: _l("The application was cancelled."),
        S.DITARIK: _l("You withdrew the application; it is closed. An unpaid billing of it "
                      "is void: do not pay it. To apply again, start a new application."),
    }


def submission_and_front_office(S):
    """Submit, receive, return for correction, forward to the examiner."""
    return (
        Transition(
            "ajukan", (S.DRAFT, S.PERLU_PERBAIKAN), S.DIAJUKAN, _l("Submit"),
            guards=(steps.mandatory_documents_uploaded_by_applicant, steps.no_rejected_documents),
            effects=(steps.assign_registration_number, correction.clear_deadline),
            by_applicant=True, confirm=confirmations.SUBMIT,
        ),
        Transition("terima", (S.DIAJUKAN,), S.DITERIMA_FO, _l("Receive"), style="success"),
        Transition(
            "kembalikan", (S.DIAJUKAN, S.DITERIMA_FO, S.DIPERIKSA), S.PERLU_PERBAIKAN,
            _l("Return for correction"), form=forms.ReasonForm,
            effects=(REASON, correction.set_deadline), advances=False, style="warning",
            notice=notices.return_for_correction,
        ),
        Transition(
            "teruskan_pemeriksa", (S.DITERIMA_FO,), S.DIPERIKSA, _l("Forward to the examiner"),
            guards=(steps.mandatory_documents_present, steps.no_rejected_documents),
        ),
    )


def correction_deadline(S, lapse_effects=()):
    """A file returned for correction lapses the day after its correction deadline (the
    scheduled jobs; final, the deadline kept in the history); within the reopening window
    the front office may reopen it with a reason, with a new correction period
    (app/workflow/correction.py)."""
    return (
        Transition(
            correction.LAPSE_ACTION, (S.PERLU_PERBAIKAN,), S.GUGUR_PERBAIKAN,
            _l("Not corrected by the deadline"), by_system=True, deadline=correction.COLUMN,
            effects=(steps.record_lapsed_deadline(correction.COLUMN), *lapse_effects),
        ),
        Transition(
            correction.REOPEN_ACTION, (S.GUGUR_PERBAIKAN,), S.PERLU_PERBAIKAN,
            _l("Reopen for correction"), form=forms.ReasonForm,
            guards=(correction.within_reopening_window,),
            effects=(REASON, correction.set_deadline), reopens=True, advances=False,
            style="warning",
        ),
    )


def numbering_and_signature(S, numbering_state, sign_guards=(), reject_effects=()):
    """The back office numbers the decree in `numbering_state`; the roles the permit
    type names initial it (paraf koordinasi, when it names any); the head of office
    signs it, returns it or rejects it."""
    return (
        Transition(
            "input_nomor_sk", (numbering_state,), S.SIAP_DS, _l("Enter the SK number"),
            form=forms.SkNumberForm, guards=(steps.signer_ready,),
            effects=(steps.assign_sk_number, steps.give_decree_token,
                     initials.ask_for_initials),
            route=initials.after_numbering(S.MENUNGGU_PARAF, S.SIAP_DS),
            alternatives=(S.MENUNGGU_PARAF,),
        ),
        Transition(
            "paraf", (S.MENUNGGU_PARAF,), S.SIAP_DS, _l("Initial the decree"),
            form=forms.NoteForm, effects=(initials.record_initials, NOTE),
            route=initials.after_initials(S.MENUNGGU_PARAF, S.SIAP_DS),
            alternatives=(S.MENUNGGU_PARAF,), audience=initials.PENDING_INITIALS,
            style="success",
        ),
        Transition(
            "kembalikan_bo", (S.MENUNGGU_PARAF, S.SIAP_DS), numbering_state,
            _l("Return to the back office"),
            form=forms.ReasonForm, effects=(REASON,), advances=False, style="warning",
        ),
        Transition(
            "tandatangani", (S.SIAP_DS,), S.SELESAI, _l("Approve and sign"),
            form=forms.SignForm, guards=(steps.signer_identity_complete, *sign_guards),
            effects=(steps.sign_decree,),
            style="success",
        ),
        Transition(
            "tolak_ds", (S.SIAP_DS,), S.DITOLAK, _l("Reject the decree"),
            form=forms.ReasonForm, effects=(REASON, rejections.record_rejection, *reject_effects),
            advances=False, style="danger", notice=notices.reason(notices.REJECTION_REASON),
            confirm=confirmations.REJECT_DECREE,
        ),
    )


def cancellation(S):
    """A draft nobody has seen yet: its applicant drops it (a submitted file is withdrawn
    with a reason instead, `withdrawal`)."""
    return Transition(
        "batalkan", (S.DRAFT,), S.DIBATALKAN, _l("Cancel the application"),
        form=forms.NoteForm, effects=(NOTE,),
        by_applicant=True, style="danger", confirm=confirmations.CANCEL,
    )


def withdrawal(S, workflow_terminal, effects=()):
    """The applicant withdraws a submitted file with a reason, from any state before the
    signature (app/workflow/withdrawal.py): it closes as `ditarik`. A side exit: it never
    makes the file wait for anyone."""
    sources = tuple(state for state in S
                    if state != S.DRAFT and state not in workflow_terminal)
    return Transition(
        "tarik_permohonan", sources, S.DITARIK, _l("Withdraw the application"),
        form=forms.WithdrawalForm,
        effects=(REASON, withdrawal_effects.tell_officers, *effects,
                 withdrawal_effects.cancel_sk_number, correction.clear_deadline),
        by_applicant=True, advances=False, style="danger",
    )


# Default roles of the actions and permissions every kind has (DESIGN.md sections 3, 4).
COMMON_ROLES = {
    "ajukan": (roles.PEMOHON, roles.FRONT_OFFICE),
    "terima": (roles.FRONT_OFFICE,),
    "kembalikan": (roles.FRONT_OFFICE, roles.PEMERIKSA),
    "buka_kembali": (roles.FRONT_OFFICE,),
    "teruskan_pemeriksa": (roles.FRONT_OFFICE,),
    "teruskan_dinas": (roles.PEMERIKSA,),
    "unggah_bukti_bayar": (roles.PEMOHON, roles.FRONT_OFFICE),
    "input_nomor_sk": (roles.BACK_OFFICE,),
    "paraf": (roles.KEPALA_BIDANG_PERIZINAN,),
    "kembalikan_bo": (roles.KEPALA_DINAS,),
    "tandatangani": (roles.KEPALA_DINAS,),
    "tolak_ds": (roles.KEPALA_DINAS,),
    "batalkan": (roles.PEMOHON,),
    "tarik_permohonan": (roles.PEMOHON,),
    # Not transitions: judge documents, digitise paper ones, revoke a signed permit.
    "verifikasi_dokumen": (roles.FRONT_OFFICE, roles.PEMERIKSA),
    "digitalisasi_dokumen": (roles.FRONT_OFFICE,),
    "cabut_izin": (roles.KEPALA_DINAS,),
}
