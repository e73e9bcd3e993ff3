"""PKKPR Non Berusaha: the workflow of DESIGN.md section 3, as data."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.documents import defaults, placeholders
from app.documents.formatting import angka as rupiah_number
from app.documents.formatting import tanggal
from app.security import roles
from app.workflow import confirmations, notices, rejections, shared, steps, withdrawal
from app.workflow import pkkpr_forms as forms
from app.workflow.definition import Transition, Workflow
from app.workflow.shared import NOTE, REASON
from models.catalogue import WORKFLOW_KIND_LABELS, WorkflowKind


class S(StrEnum):
    DRAFT = "draft"  # being prepared by the applicant (or the front office for a walk-in)
    DIAJUKAN = "diajukan"  # submitted, waiting for the front office
    DITERIMA_FO = "diterima_fo"  # received by the front office
    PERLU_PERBAIKAN = "perlu_perbaikan"  # returned to the applicant; clock paused
    DIPERIKSA = "diperiksa"  # with the examiner
    DITERUSKAN_DINAS = "diteruskan_dinas"  # with DPUPR for the KRK
    KRK_TERBIT = "krk_terbit"  # KRK issued; the land office issues the SPS
    MENUNGGU_PEMBAYARAN = "menunggu_pembayaran"  # SPS issued; applicant pays; clock paused
    # The billing code expired unpaid (a scheduled job): the land office issues a new SPS.
    BILLING_KEDALUWARSA = "billing_kedaluwarsa"
    PEMBAYARAN_PNBP = "pembayaran_pnbp"  # proof uploaded; the land office checks it
    PENERBITAN_PERTEK = "penerbitan_pertek"  # payment confirmed; Pertek being prepared
    PERTEK_TERBIT = "pertek_terbit"  # Pertek issued; DPUPR writes the recommendation
    REKOMENDASI_TERBIT = "rekomendasi_terbit"  # back with DPMPTSP: SK number
    MENUNGGU_PARAF = "menunggu_paraf"  # numbered; the roles the permit type names initial it
    SIAP_DS = "siap_ds"  # ready for the head of office's digital signature
    SELESAI = "selesai"  # signed; the applicant downloads the decree (terminal)
    DITOLAK = "ditolak"  # refused (terminal)
    DIBATALKAN = "dibatalkan"  # a draft cancelled by its applicant (terminal)
    DITARIK = "ditarik"  # withdrawn by the applicant after submission (terminal)
    # Not corrected by its deadline (a scheduled job); final, but the front office may
    # reopen it for a while.
    GUGUR_PERBAIKAN = "gugur_perbaikan"


TERMINAL = frozenset({S.SELESAI, S.DITOLAK, S.DIBATALKAN, S.DITARIK, S.GUGUR_PERBAIKAN})

LABELS = {
    **shared.common_labels(S),
    S.DITERUSKAN_DINAS: _l("Forwarded to DPUPR"),
    S.KRK_TERBIT: _l("KRK issued"),
    S.MENUNGGU_PEMBAYARAN: _l("Waiting for PNBP payment"),
    S.PEMBAYARAN_PNBP: _l("PNBP payment proof being checked"),
    S.BILLING_KEDALUWARSA: _l("PNBP billing code expired"),
    S.PENERBITAN_PERTEK: _l("Pertek being issued"),
    S.PERTEK_TERBIT: _l("Pertek issued"),
    S.REKOMENDASI_TERBIT: _l("Recommendation issued"),
}

def _payment_step(application):
    """The SPS's amount and billing code, stored as the form gave them, written for people:
    "Rp1.250.000", "3 Desember 2026"."""
    sps = application.latest_artifact("sps")
    data = sps.data if sps else {}
    expiry = application.billing_expires_on or data.get("kedaluwarsa_billing")
    return _l("Pay the PNBP of Rp%(amount)s with billing code %(code)s by %(expiry)s at the "
              "latest, then upload the payment proof.", amount=rupiah_number(data.get("jumlah")),
              code=data.get("kode_billing", "-"), expiry=tanggal(expiry))


NEXT_STEPS = {
    **shared.common_next_steps(S),
    S.MENUNGGU_PEMBAYARAN: _payment_step,
    S.BILLING_KEDALUWARSA: _l("The PNBP billing code expired before it was paid: the land "
                              "office will issue a new SPS with a new billing code."),
    S.SELESAI: _l("The decree is signed: download it from your application page."),
}

WORKFLOW = Workflow(
    kind="pkkpr_nb",
    title=WORKFLOW_KIND_LABELS[WorkflowKind.PKKPR_NB],
    states=S,
    initial=S.DRAFT,
    terminal=TERMINAL,
    state_labels=LABELS,
    next_steps=NEXT_STEPS,
    **shared.state_meanings(S),
    extra_permissions=("lihat_semua", "verifikasi_dokumen", "digitalisasi_dokumen",
                       "cabut_izin"),
    decree_draft_states=frozenset({S.REKOMENDASI_TERBIT, S.MENUNGGU_PARAF, S.SIAP_DS}),
    paused_states=frozenset({S.PERLU_PERBAIKAN, S.MENUNGGU_PEMBAYARAN}),
    deadline_states={"billing_expires_on": S.MENUNGGU_PEMBAYARAN,
                     "correction_due_on": S.PERLU_PERBAIKAN},
    applying=forms.APPLYING,
    default_decrees=defaults.PKKPR_DECREES,
    placeholders=placeholders.PKKPR,
    page="application/_pkkpr.html",
    details=forms.pkkpr_values,
    transitions=(
        *shared.submission_and_front_office(S),
        *shared.correction_deadline(S),
        Transition(
            "teruskan_dinas", (S.DIPERIKSA,), S.DITERUSKAN_DINAS,
            _l("Forward to DPUPR"), guards=(steps.every_document_accepted,),
        ),
        Transition(
            "terbitkan_krk", (S.DITERUSKAN_DINAS,), S.KRK_TERBIT, _l("Issue the KRK"),
            form=forms.KrkForm,
            effects=(steps.issue_artifact("krk", "nomor_krk", "berkas_krk", label=_l("KRK")),),
        ),
        Transition(
            "terbitkan_sps", (S.KRK_TERBIT,), S.MENUNGGU_PEMBAYARAN, _l("Issue the SPS PNBP"),
            form=forms.SpsForm,
            effects=(steps.issue_artifact("sps", "nomor_sps", "berkas_sps", label=_l("SPS PNBP")),
                     steps.deadline_from_form("billing_expires_on", "kedaluwarsa_billing")),
        ),
        Transition(
            "billing_kedaluwarsa", (S.MENUNGGU_PEMBAYARAN,), S.BILLING_KEDALUWARSA,
            _l("PNBP billing code expired"), by_system=True, deadline="billing_expires_on",
            effects=(steps.record_lapsed_deadline("billing_expires_on", "sps",
                                                  code_field="kode_billing"),),
        ),
        Transition(
            "terbitkan_ulang_sps", (S.BILLING_KEDALUWARSA,), S.MENUNGGU_PEMBAYARAN,
            _l("Issue a new SPS PNBP"), form=forms.SpsForm,
            effects=(steps.issue_artifact("sps", "nomor_sps", "berkas_sps", label=_l("SPS PNBP")),
                     steps.deadline_from_form("billing_expires_on", "kedaluwarsa_billing")),
        ),
        Transition(
            "unggah_bukti_bayar", (S.MENUNGGU_PEMBAYARAN,), S.PEMBAYARAN_PNBP,
            _l("Upload payment proof"), form=forms.PaymentProofForm,
            guards=(steps.paid_by_the_deadline("billing_expires_on", "tanggal_bayar"),),
            effects=(steps.issue_artifact("bukti_bayar", "ntpn", "bukti_bayar",
                                          label=_l("Payment proof")),),
            by_applicant=True,
        ),
        Transition(
            "tolak_bukti_bayar", (S.PEMBAYARAN_PNBP,), S.MENUNGGU_PEMBAYARAN,
            _l("Reject the payment proof"), form=forms.ReasonForm, effects=(REASON,),
            advances=False, style="warning",
            notice=notices.reason(notices.PROOF_REFUSAL_REASON),
        ),
        Transition(
            "konfirmasi_pembayaran", (S.PEMBAYARAN_PNBP,), S.PENERBITAN_PERTEK,
            _l("Confirm the payment"), form=forms.NoteForm, effects=(NOTE,), style="success",
        ),
        Transition(
            "terbitkan_pertek", (S.PENERBITAN_PERTEK,), S.PERTEK_TERBIT, _l("Issue the Pertek"),
            form=forms.PertekForm,
            effects=(steps.issue_artifact("pertek", "nomor_pertek", "berkas_pertek",
                                          label=_l("Pertek")),),
        ),
        Transition(
            "terbitkan_rekomendasi", (S.PERTEK_TERBIT,), S.REKOMENDASI_TERBIT,
            _l("Issue the recommendation"), form=forms.RecommendationForm,
            effects=(
                steps.issue_artifact(
                    "rekomendasi", "nomor_rekomendasi", "berkas_rekomendasi",
                    ["nomor_rekomendasi", "tanggal_rekomendasi", "keputusan",
                     "luas_disetujui", "catatan"], label=_l("Recommendation"),
                ),
                steps.issue_artifact("peta", None, "gambar_peta", ["poligon_geojson"],
                                     label=_l("Site map")),
            ),
        ),
        Transition(
            "tolak", (S.DITERUSKAN_DINAS, S.KRK_TERBIT, S.PERTEK_TERBIT), S.DITOLAK,
            _l("Reject"), form=forms.ReasonForm, effects=(REASON, rejections.record_rejection),
            advances=False, style="danger", notice=notices.reason(notices.REJECTION_REASON),
            confirm=confirmations.REJECT,
        ),
        *shared.numbering_and_signature(S, S.REKOMENDASI_TERBIT),
        shared.cancellation(S),
        shared.withdrawal(S, TERMINAL, effects=(
            withdrawal.VoidBilling("sps", S.MENUNGGU_PEMBAYARAN, S.PEMBAYARAN_PNBP),
        )),
    ),
)

# Who may take each action by default (DESIGN.md section 3); admins can re-grant.
DEFAULT_ROLES = {
    **shared.COMMON_ROLES,
    "terbitkan_krk": (roles.DPUPR,),
    "terbitkan_sps": (roles.ATR_BPN,),
    "terbitkan_ulang_sps": (roles.ATR_BPN,),
    "tolak_bukti_bayar": (roles.ATR_BPN,),
    "konfirmasi_pembayaran": (roles.ATR_BPN,),
    "terbitkan_pertek": (roles.ATR_BPN,),
    "terbitkan_rekomendasi": (roles.DPUPR,),
    "tolak": (roles.DPUPR,),
    # Not a transition: see every non-draft file.
    "lihat_semua": (roles.FRONT_OFFICE, roles.PEMERIKSA, roles.DPUPR, roles.ATR_BPN,
                    roles.BACK_OFFICE, roles.KEPALA_BIDANG_PERIZINAN, roles.KEPALA_DINAS),
}
