"""Izin Pemanfaatan Aset Daerah: the workflow of DESIGN.md section 4, as data.

The front half is PKKPR's; then the agency managing the asset type recommends (or
rejects), the applicant pays the retribution invoice unless the fee is 0, the back
office numbers the decree and the head of office signs it."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.security import roles
from app.services import assets
from app.workflow import aset_forms, steps
from app.workflow import pkkpr_forms as forms
from app.workflow.definition import Transition, Workflow


class S(StrEnum):
    DRAFT = "draft"
    DIAJUKAN = "diajukan"
    DITERIMA_FO = "diterima_fo"
    PERLU_PERBAIKAN = "perlu_perbaikan"
    DIPERIKSA = "diperiksa"
    DITERUSKAN_OPD = "diteruskan_opd"  # with the agency managing the asset type
    MENUNGGU_PEMBAYARAN = "menunggu_pembayaran"  # SKRD issued; applicant pays; clock paused
    VERIFIKASI_PEMBAYARAN = "verifikasi_pembayaran"  # proof uploaded; the agency checks it
    PENYIAPAN_SK = "penyiapan_sk"  # back with DPMPTSP: SK number
    SIAP_DS = "siap_ds"
    SELESAI = "selesai"
    DITOLAK = "ditolak"
    DIBATALKAN = "dibatalkan"


LABELS = {
    S.DRAFT: _l("Draft"),
    S.DIAJUKAN: _l("Submitted"),
    S.DITERIMA_FO: _l("Received by the front office"),
    S.PERLU_PERBAIKAN: _l("Needs correction"),
    S.DIPERIKSA: _l("Being examined"),
    S.DITERUSKAN_OPD: _l("With the managing agency"),
    S.MENUNGGU_PEMBAYARAN: _l("Waiting for the retribution payment"),
    S.VERIFIKASI_PEMBAYARAN: _l("Payment being checked"),
    S.PENYIAPAN_SK: _l("Decree being prepared"),
    S.SIAP_DS: _l("Ready for digital signature"),
    S.SELESAI: _l("Completed"),
    S.DITOLAK: _l("Rejected"),
    S.DIBATALKAN: _l("Withdrawn"),
}


def _payment_step(application):
    invoice = assets.invoice_of(application)
    data = invoice.data if invoice else {}
    return _l("Pay the retribution of Rp%(amount)s (SKRD %(number)s) before %(due)s, then "
              "upload the payment proof.", amount=data.get("jumlah", "-"),
              number=invoice.number if invoice else "-", due=data.get("jatuh_tempo", "-"))


NEXT_STEPS = {
    S.DIAJUKAN: _l("Your application has been received and waits for the front office."),
    S.PERLU_PERBAIKAN: _l("Correct the data or upload again the documents marked rejected, "
                          "then submit again."),
    S.MENUNGGU_PEMBAYARAN: _payment_step,
    S.SELESAI: _l("The permit is signed: download it from your application page."),
    S.DITOLAK: _l("The application was rejected; the reason is on your application page."),
    S.DIBATALKAN: _l("The application was withdrawn."),
}

REASON = steps.record_comment("alasan")
NOTE = steps.record_comment("catatan")

WORKFLOW = Workflow(
    kind="aset",
    states=S,
    initial=S.DRAFT,
    terminal=frozenset({S.SELESAI, S.DITOLAK, S.DIBATALKAN}),
    state_labels=LABELS,
    next_steps=NEXT_STEPS,
    extra_permissions=("lihat_semua", "lihat_instansi", "verifikasi_dokumen",
                       "digitalisasi_dokumen", "cabut_izin"),
    scoped_by_agency=True,
    decree_draft_states=frozenset({S.PENYIAPAN_SK, S.SIAP_DS}),
    transitions=(
        Transition(
            "ajukan", (S.DRAFT, S.PERLU_PERBAIKAN), S.DIAJUKAN, _l("Submit"),
            guards=(steps.actor_is_applicant, steps.mandatory_documents_uploaded_by_applicant,
                    steps.no_rejected_documents),
            effects=(steps.assign_registration_number,),
            by_applicant=True,
        ),
        Transition("terima", (S.DIAJUKAN,), S.DITERIMA_FO, _l("Receive"), style="success"),
        Transition(
            "kembalikan", (S.DIAJUKAN, S.DITERIMA_FO, S.DIPERIKSA), S.PERLU_PERBAIKAN,
            _l("Return for correction"), form=forms.ReasonForm, effects=(REASON,),
            advances=False, style="warning",
        ),
        Transition(
            "teruskan_pemeriksa", (S.DITERIMA_FO,), S.DIPERIKSA, _l("Forward to the examiner"),
            guards=(steps.mandatory_documents_present, steps.no_rejected_documents),
        ),
        Transition(
            "teruskan_dinas", (S.DIPERIKSA,), S.DITERUSKAN_OPD,
            _l("Forward to the managing agency"), guards=(steps.every_document_accepted,),
        ),
        Transition(
            "terbitkan_rekomendasi", (S.DITERUSKAN_OPD,), S.MENUNGGU_PEMBAYARAN,
            _l("Issue the recommendation"), form=aset_forms.AssetRecommendationForm,
            prefill=assets.recommendation_defaults,
            effects=(
                assets.recommend,
                steps.issue_artifact(
                    "rekomendasi", "nomor_rekomendasi", "berkas_rekomendasi",
                    ["nomor_rekomendasi", "tanggal_rekomendasi", "tanggal_mulai",
                     "tanggal_selesai", "luas", "catatan"],
                ),
                assets.issue_invoice,
            ),
            route=assets.payment_route(S.MENUNGGU_PEMBAYARAN, S.PENYIAPAN_SK),
            alternatives=(S.PENYIAPAN_SK,),
        ),
        Transition(
            "tolak", (S.DITERUSKAN_OPD,), S.DITOLAK, _l("Reject"), form=forms.ReasonForm,
            effects=(REASON,), advances=False, style="danger",
        ),
        Transition(
            "unggah_bukti_bayar", (S.MENUNGGU_PEMBAYARAN,), S.VERIFIKASI_PEMBAYARAN,
            _l("Upload payment proof"), form=aset_forms.RetributionPaymentForm,
            guards=(steps.actor_is_applicant,),
            effects=(steps.issue_artifact("bukti_bayar", "nomor_referensi", "bukti_bayar"),),
            by_applicant=True,
        ),
        Transition(
            "tolak_bukti_bayar", (S.VERIFIKASI_PEMBAYARAN,), S.MENUNGGU_PEMBAYARAN,
            _l("Reject the payment proof"), form=forms.ReasonForm, effects=(REASON,),
            advances=False, style="warning",
        ),
        Transition(
            "konfirmasi_pembayaran", (S.VERIFIKASI_PEMBAYARAN,), S.PENYIAPAN_SK,
            _l("Confirm the payment"), form=forms.NoteForm, effects=(NOTE,), style="success",
        ),
        Transition(
            "input_nomor_sk", (S.PENYIAPAN_SK,), S.SIAP_DS, _l("Enter the SK number"),
            form=forms.SkNumberForm, guards=(steps.signer_ready,),
            effects=(steps.assign_sk_number, steps.give_decree_token),
        ),
        Transition(
            "kembalikan_bo", (S.SIAP_DS,), S.PENYIAPAN_SK, _l("Return to the back office"),
            form=forms.ReasonForm, effects=(REASON,), advances=False, style="warning",
        ),
        Transition(
            "tandatangani", (S.SIAP_DS,), S.SELESAI, _l("Approve and sign"),
            form=forms.SignForm, guards=(assets.still_free,), effects=(steps.sign_decree,),
            style="success",
        ),
        Transition(
            "tolak_ds", (S.SIAP_DS,), S.DITOLAK, _l("Reject the decree"),
            form=forms.ReasonForm, effects=(REASON, assets.release), advances=False,
            style="danger",
        ),
        Transition(
            "batalkan", (S.DRAFT, S.DIAJUKAN, S.PERLU_PERBAIKAN), S.DIBATALKAN,
            _l("Withdraw"), form=forms.NoteForm, guards=(steps.actor_is_applicant,),
            effects=(NOTE,), by_applicant=True, style="danger",
        ),
    ),
)

STAFF_WHO_SEE_EVERY_FILE = (roles.FRONT_OFFICE, roles.PEMERIKSA, roles.BACK_OFFICE,
                            roles.KEPALA_DINAS)

# Who may take each action by default (DESIGN.md section 4); admins can re-grant.
DEFAULT_ROLES = {
    "ajukan": (roles.PEMOHON, roles.FRONT_OFFICE),
    "terima": (roles.FRONT_OFFICE,),
    "kembalikan": (roles.FRONT_OFFICE, roles.PEMERIKSA),
    "teruskan_pemeriksa": (roles.FRONT_OFFICE,),
    "teruskan_dinas": (roles.PEMERIKSA,),
    "terbitkan_rekomendasi": (roles.PENGELOLA_ASET,),
    "tolak": (roles.PENGELOLA_ASET,),
    "unggah_bukti_bayar": (roles.PEMOHON, roles.FRONT_OFFICE),
    "tolak_bukti_bayar": (roles.PENGELOLA_ASET,),
    "konfirmasi_pembayaran": (roles.PENGELOLA_ASET,),
    "input_nomor_sk": (roles.BACK_OFFICE,),
    "kembalikan_bo": (roles.KEPALA_DINAS,),
    "tandatangani": (roles.KEPALA_DINAS,),
    "tolak_ds": (roles.KEPALA_DINAS,),
    "batalkan": (roles.PEMOHON,),
    # Not transitions. lihat_instansi: every submitted file of one's own agency.
    "lihat_semua": STAFF_WHO_SEE_EVERY_FILE,
    "lihat_instansi": (roles.PENGELOLA_ASET,),
    "verifikasi_dokumen": (roles.FRONT_OFFICE, roles.PEMERIKSA),
    "digitalisasi_dokumen": (roles.FRONT_OFFICE,),
    "cabut_izin": (roles.KEPALA_DINAS,),
}
