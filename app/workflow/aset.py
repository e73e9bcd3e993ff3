"""Izin Pemanfaatan Aset Daerah: the workflow of DESIGN.md section 4, as data.

The front half is PKKPR's; then the agency managing the asset type recommends (or
rejects), the applicant pays the retribution invoice unless the fee is 0, the back
office numbers the decree and the head of office signs it."""

from datetime import date
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.documents import defaults, placeholders
from app.documents.formatting import angka as rupiah_number
from app.documents.formatting import tanggal
from app.security import roles
from app.workflow import (
    aset_forms,
    assets,
    confirmations,
    notices,
    rejections,
    shared,
    steps,
    withdrawal,
)
from app.workflow import pkkpr_forms as forms
from app.workflow.definition import Applying, Transition, Workflow
from app.workflow.shared import NOTE, REASON
from models.catalogue import WORKFLOW_KIND_LABELS, WorkflowKind


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
    MENUNGGU_PARAF = "menunggu_paraf"  # numbered; the roles the permit type names initial it
    SIAP_DS = "siap_ds"
    SELESAI = "selesai"
    DITOLAK = "ditolak"
    DIBATALKAN = "dibatalkan"
    DITARIK = "ditarik"  # withdrawn by the applicant after submission (terminal)
    GUGUR = "gugur"  # the SKRD fell due unpaid; the booking is released (terminal)
    # Not corrected by its deadline (a scheduled job); final, but the front office may
    # reopen it for a while.
    GUGUR_PERBAIKAN = "gugur_perbaikan"


TERMINAL = frozenset({S.SELESAI, S.DITOLAK, S.DIBATALKAN, S.DITARIK, S.GUGUR,
                      S.GUGUR_PERBAIKAN})

LABELS = {
    **shared.common_labels(S),
    S.DITERUSKAN_OPD: _l("With the managing agency"),
    S.MENUNGGU_PEMBAYARAN: _l("Waiting for the retribution payment"),
    S.VERIFIKASI_PEMBAYARAN: _l("Payment proof being checked"),
    S.PENYIAPAN_SK: _l("Decree being prepared"),
    S.GUGUR: _l("Lapsed: retribution not paid"),
}


def _payment_step(application):
    invoice = assets.invoice_of(application)
    if invoice is None:
        return _l("Pay the retribution, then upload the payment proof.")
    due = application.payment_due_on or date.fromisoformat(invoice.data["jatuh_tempo"])
    return _l("Pay the retribution of Rp%(amount)s (SKRD %(number)s) by %(due)s at the "
              "latest, then upload the payment proof.",
              amount=rupiah_number(invoice.data["jumlah"]), number=invoice.number,
              due=tanggal(due))


NEXT_STEPS = {
    **shared.common_next_steps(S),
    S.MENUNGGU_PEMBAYARAN: _payment_step,
    S.SELESAI: _l("The permit is signed: download it from your application page."),
    S.GUGUR: _l("The retribution was not paid by its due date: the application lapsed and "
                "the booked period is free again. Apply again if you still need the asset."),
}

WORKFLOW = Workflow(
    kind="aset",
    title=WORKFLOW_KIND_LABELS[WorkflowKind.ASET],
    states=S,
    initial=S.DRAFT,
    terminal=TERMINAL,
    state_labels=LABELS,
    next_steps=NEXT_STEPS,
    **shared.state_meanings(S),
    extra_permissions=("lihat_semua", "lihat_instansi", "verifikasi_dokumen",
                       "digitalisasi_dokumen", "cabut_izin"),
    scoped_by_agency=True,
    decree_draft_states=frozenset({S.PENYIAPAN_SK, S.MENUNGGU_PARAF, S.SIAP_DS}),
    paused_states=frozenset({S.PERLU_PERBAIKAN, S.MENUNGGU_PEMBAYARAN}),
    deadline_states={"payment_due_on": S.MENUNGGU_PEMBAYARAN,
                     "correction_due_on": S.PERLU_PERBAIKAN},
    applying=Applying(aset_forms.AssetApplicationForm, assets.form_values, assets.apply_form,
                      lambda form, permit_type: form.prepare(
                          permit_type, assets.active_assets(permit_type)),
                      legend=_l("Asset use"), intro="application/_asset_terms.html"),
    validity=assets.approved_period,
    renewal_fields=("period_start", "period_end"),
    decree_template=assets.decree_template_key,
    default_decrees=defaults.ASSET_DECREES,
    placeholders=placeholders.ASSET_USE,
    page="application/_asset_use.html",
    details=assets.details,
    transitions=(
        *shared.submission_and_front_office(S),
        # A booking is made at the recommendation, after the last return: released all
        # the same, should one be held.
        *shared.correction_deadline(S, lapse_effects=(withdrawal.release_booking,)),
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
                     "tanggal_selesai", "luas", "catatan"], label=_l("Recommendation"),
                ),
                assets.issue_invoice,
            ),
            route=assets.payment_route(S.MENUNGGU_PEMBAYARAN, S.PENYIAPAN_SK),
            alternatives=(S.PENYIAPAN_SK,),
        ),
        Transition(
            "tolak", (S.DITERUSKAN_OPD,), S.DITOLAK, _l("Reject"), form=forms.ReasonForm,
            effects=(REASON, rejections.record_rejection), advances=False, style="danger",
            notice=notices.reason(notices.REJECTION_REASON), confirm=confirmations.REJECT,
        ),
        Transition(
            "perpanjang_jatuh_tempo", (S.MENUNGGU_PEMBAYARAN,), S.MENUNGGU_PEMBAYARAN,
            _l("Extend the due date"), form=aset_forms.DueDateExtensionForm,
            guards=(assets.may_extend_due_date,), effects=(assets.extend_due_date,),
            advances=False, style="warning", notice=notices.due_date_extended,
        ),
        Transition(
            "retribusi_lewat_tempo", (S.MENUNGGU_PEMBAYARAN,), S.GUGUR,
            _l("Retribution not paid by its due date"), by_system=True,
            deadline="payment_due_on",
            effects=(steps.record_lapsed_deadline("payment_due_on", "skrd"),
                     withdrawal.release_booking),
        ),
        Transition(
            "unggah_bukti_bayar", (S.MENUNGGU_PEMBAYARAN,), S.VERIFIKASI_PEMBAYARAN,
            _l("Upload payment proof"), form=aset_forms.RetributionPaymentForm,
            effects=(steps.issue_artifact("bukti_bayar", "nomor_referensi", "bukti_bayar",
                                          label=_l("Payment proof")),),
            by_applicant=True,
        ),
        Transition(
            "tolak_bukti_bayar", (S.VERIFIKASI_PEMBAYARAN,), S.MENUNGGU_PEMBAYARAN,
            _l("Reject the payment proof"), form=forms.ReasonForm, effects=(REASON,),
            advances=False, style="warning",
            notice=notices.reason(notices.PROOF_REFUSAL_REASON),
        ),
        Transition(
            "konfirmasi_pembayaran", (S.VERIFIKASI_PEMBAYARAN,), S.PENYIAPAN_SK,
            _l("Confirm the payment"), form=forms.NoteForm, effects=(NOTE,), style="success",
        ),
        *shared.numbering_and_signature(S, S.PENYIAPAN_SK, sign_guards=(assets.still_free,),
                                        reject_effects=(assets.release,)),
        shared.cancellation(S),
        shared.withdrawal(S, TERMINAL, effects=(
            withdrawal.VoidBilling("skrd", S.MENUNGGU_PEMBAYARAN, S.VERIFIKASI_PEMBAYARAN),
            withdrawal.release_booking,
        )),
    ),
)

# Who may take each action by default (DESIGN.md section 4); admins can re-grant.
DEFAULT_ROLES = {
    **shared.COMMON_ROLES,
    "terbitkan_rekomendasi": (roles.PENGELOLA_ASET,),
    "tolak": (roles.PENGELOLA_ASET,),
    "tolak_bukti_bayar": (roles.PENGELOLA_ASET,),
    "konfirmasi_pembayaran": (roles.PENGELOLA_ASET,),
    "perpanjang_jatuh_tempo": (roles.PENGELOLA_ASET,),
    # Not transitions: DPMPTSP's staff see every submitted file; an agency's officers,
    # those of the asset types their agency manages.
    "lihat_semua": (roles.FRONT_OFFICE, roles.PEMERIKSA, roles.BACK_OFFICE,
                    roles.KEPALA_BIDANG_PERIZINAN, roles.KEPALA_DINAS),
    "lihat_instansi": (roles.PENGELOLA_ASET,),
}
