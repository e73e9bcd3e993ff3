"""PKKPR Non Berusaha: the workflow of DESIGN.md section 3, as data."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.security import roles
from app.workflow import pkkpr_forms as forms
from app.workflow import steps
from app.workflow.definition import Transition, Workflow


class S(StrEnum):
    DRAFT = "draft"  # being prepared by the applicant (or the front office for a walk-in)
    DIAJUKAN = "diajukan"  # submitted, waiting for the front office
    DITERIMA_FO = "diterima_fo"  # received by the front office
    PERLU_PERBAIKAN = "perlu_perbaikan"  # returned to the applicant; clock paused
    DIPERIKSA = "diperiksa"  # with the examiner
    DITERUSKAN_DINAS = "diteruskan_dinas"  # with DPUPR for the KRK
    KRK_TERBIT = "krk_terbit"  # KRK issued; the land office issues the SPS
    MENUNGGU_PEMBAYARAN = "menunggu_pembayaran"  # SPS issued; applicant pays; clock paused
    PEMBAYARAN_PNBP = "pembayaran_pnbp"  # proof uploaded; the land office checks it
    PENERBITAN_PERTEK = "penerbitan_pertek"  # payment confirmed; Pertek being prepared
    PERTEK_TERBIT = "pertek_terbit"  # Pertek issued; DPUPR writes the recommendation
    REKOMENDASI_TERBIT = "rekomendasi_terbit"  # back with DPMPTSP: SK number
    SIAP_DS = "siap_ds"  # ready for the head of office's digital signature
    SELESAI = "selesai"  # signed; the applicant downloads the decree (terminal)
    DITOLAK = "ditolak"  # refused (terminal)
    DIBATALKAN = "dibatalkan"  # withdrawn by the applicant (terminal)


LABELS = {
    S.DRAFT: _l("Draft"),
    S.DIAJUKAN: _l("Submitted"),
    S.DITERIMA_FO: _l("Received by the front office"),
    S.PERLU_PERBAIKAN: _l("Needs correction"),
    S.DIPERIKSA: _l("Being examined"),
    S.DITERUSKAN_DINAS: _l("Forwarded to another agency"),
    S.KRK_TERBIT: _l("KRK issued"),
    S.MENUNGGU_PEMBAYARAN: _l("Waiting for PNBP payment"),
    S.PEMBAYARAN_PNBP: _l("PNBP payment"),
    S.PENERBITAN_PERTEK: _l("Pertek being issued"),
    S.PERTEK_TERBIT: _l("Pertek issued"),
    S.REKOMENDASI_TERBIT: _l("Recommendation issued"),
    S.SIAP_DS: _l("Ready for digital signature"),
    S.SELESAI: _l("Completed"),
    S.DITOLAK: _l("Rejected"),
    S.DIBATALKAN: _l("Withdrawn"),
}

def _payment_step(application):
    sps = next((a for a in reversed(application.artifacts) if a.kind == "sps"), None)
    data = sps.data if sps else {}
    return _l("Pay the PNBP of Rp%(amount)s with billing code %(code)s before %(expiry)s, "
              "then upload the payment proof.", amount=data.get("jumlah", "-"),
              code=data.get("kode_billing", "-"), expiry=data.get("kedaluwarsa_billing", "-"))


NEXT_STEPS = {
    S.DIAJUKAN: _l("Your application has been received and waits for the front office."),
    S.PERLU_PERBAIKAN: _l("Correct the data or upload again the documents marked rejected, "
                          "then submit again."),
    S.MENUNGGU_PEMBAYARAN: _payment_step,
    S.SELESAI: _l("The decree is signed: download it from your application page."),
    S.DITOLAK: _l("The application was rejected; the reason is on your application page."),
    S.DIBATALKAN: _l("The application was withdrawn."),
}

REASON = steps.record_comment("alasan")
NOTE = steps.record_comment("catatan")

WORKFLOW = Workflow(
    kind="pkkpr_nb",
    states=S,
    initial=S.DRAFT,
    terminal=frozenset({S.SELESAI, S.DITOLAK, S.DIBATALKAN}),
    state_labels=LABELS,
    next_steps=NEXT_STEPS,
    extra_permissions=("lihat_semua", "verifikasi_dokumen", "digitalisasi_dokumen",
                       "cabut_izin"),
    decree_draft_states=frozenset({S.REKOMENDASI_TERBIT, S.SIAP_DS}),
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
            "teruskan_dinas", (S.DIPERIKSA,), S.DITERUSKAN_DINAS,
            _l("Forward to another agency"), guards=(steps.every_document_accepted,),
        ),
        Transition(
            "terbitkan_krk", (S.DITERUSKAN_DINAS,), S.KRK_TERBIT, _l("Issue the KRK"),
            form=forms.KrkForm,
            effects=(steps.issue_artifact("krk", "nomor_krk", "berkas_krk"),),
        ),
        Transition(
            "terbitkan_sps", (S.KRK_TERBIT,), S.MENUNGGU_PEMBAYARAN, _l("Issue the SPS PNBP"),
            form=forms.SpsForm,
            effects=(steps.issue_artifact("sps", "nomor_sps", "berkas_sps"),),
        ),
        Transition(
            "unggah_bukti_bayar", (S.MENUNGGU_PEMBAYARAN,), S.PEMBAYARAN_PNBP,
            _l("Upload payment proof"), form=forms.PaymentProofForm,
            guards=(steps.actor_is_applicant,),
            effects=(steps.issue_artifact("bukti_bayar", "ntpn", "bukti_bayar"),),
            by_applicant=True,
        ),
        Transition(
            "tolak_bukti_bayar", (S.PEMBAYARAN_PNBP,), S.MENUNGGU_PEMBAYARAN,
            _l("Reject the payment proof"), form=forms.ReasonForm, effects=(REASON,),
            advances=False, style="warning",
        ),
        Transition(
            "konfirmasi_pembayaran", (S.PEMBAYARAN_PNBP,), S.PENERBITAN_PERTEK,
            _l("Confirm the payment"), form=forms.NoteForm, effects=(NOTE,), style="success",
        ),
        Transition(
            "terbitkan_pertek", (S.PENERBITAN_PERTEK,), S.PERTEK_TERBIT, _l("Issue the Pertek"),
            form=forms.PertekForm,
            effects=(steps.issue_artifact("pertek", "nomor_pertek", "berkas_pertek"),),
        ),
        Transition(
            "terbitkan_rekomendasi", (S.PERTEK_TERBIT,), S.REKOMENDASI_TERBIT,
            _l("Issue the recommendation"), form=forms.RecommendationForm,
            effects=(
                steps.issue_artifact(
                    "rekomendasi", "nomor_rekomendasi", "berkas_rekomendasi",
                    ["nomor_rekomendasi", "tanggal_rekomendasi", "keputusan",
                     "luas_disetujui", "catatan"],
                ),
                steps.issue_artifact("peta", None, "gambar_peta", ["poligon_geojson"]),
            ),
        ),
        Transition(
            "tolak", (S.DITERUSKAN_DINAS, S.KRK_TERBIT, S.PERTEK_TERBIT), S.DITOLAK,
            _l("Reject"), form=forms.ReasonForm, effects=(REASON,), advances=False,
            style="danger",
        ),
        Transition(
            "input_nomor_sk", (S.REKOMENDASI_TERBIT,), S.SIAP_DS, _l("Enter the SK number"),
            form=forms.SkNumberForm, guards=(steps.signer_ready,),
            effects=(steps.assign_sk_number, steps.give_decree_token),
        ),
        Transition(
            "kembalikan_bo", (S.SIAP_DS,), S.REKOMENDASI_TERBIT,
            _l("Return to the back office"), form=forms.ReasonForm, effects=(REASON,),
            advances=False, style="warning",
        ),
        Transition(
            "tandatangani", (S.SIAP_DS,), S.SELESAI, _l("Approve and sign"),
            form=forms.SignForm, effects=(steps.sign_decree,), style="success",
        ),
        Transition(
            "tolak_ds", (S.SIAP_DS,), S.DITOLAK, _l("Reject the decree"),
            form=forms.ReasonForm, effects=(REASON,), advances=False, style="danger",
        ),
        Transition(
            "batalkan", (S.DRAFT, S.DIAJUKAN, S.PERLU_PERBAIKAN), S.DIBATALKAN,
            _l("Withdraw"), form=forms.NoteForm, guards=(steps.actor_is_applicant,),
            effects=(NOTE,), by_applicant=True, style="danger",
        ),
    ),
)

# Who may take each action by default (DESIGN.md section 3); admins can re-grant.
DEFAULT_ROLES = {
    "ajukan": (roles.PEMOHON, roles.FRONT_OFFICE),
    "terima": (roles.FRONT_OFFICE,),
    "kembalikan": (roles.FRONT_OFFICE, roles.PEMERIKSA),
    "teruskan_pemeriksa": (roles.FRONT_OFFICE,),
    "teruskan_dinas": (roles.PEMERIKSA,),
    "terbitkan_krk": (roles.DPUPR,),
    "terbitkan_sps": (roles.ATR_BPN,),
    "unggah_bukti_bayar": (roles.PEMOHON, roles.FRONT_OFFICE),
    "tolak_bukti_bayar": (roles.ATR_BPN,),
    "konfirmasi_pembayaran": (roles.ATR_BPN,),
    "terbitkan_pertek": (roles.ATR_BPN,),
    "terbitkan_rekomendasi": (roles.DPUPR,),
    "tolak": (roles.DPUPR,),
    "input_nomor_sk": (roles.BACK_OFFICE,),
    "kembalikan_bo": (roles.KEPALA_DINAS,),
    "tandatangani": (roles.KEPALA_DINAS,),
    "tolak_ds": (roles.KEPALA_DINAS,),
    "batalkan": (roles.PEMOHON,),
    # Not transitions: see every non-draft file, judge documents, digitise paper ones.
    "lihat_semua": (roles.FRONT_OFFICE, roles.PEMERIKSA, roles.DPUPR, roles.ATR_BPN,
                    roles.BACK_OFFICE, roles.KEPALA_DINAS),
    "verifikasi_dokumen": (roles.FRONT_OFFICE, roles.PEMERIKSA),
    "digitalisasi_dokumen": (roles.FRONT_OFFICE,),
    "cabut_izin": (roles.KEPALA_DINAS,),
}
