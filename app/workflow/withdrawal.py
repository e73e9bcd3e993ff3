"""Withdrawal (penarikan permohonan): the applicant closes a submitted file with a reason
at any point before the signature. The effects of `tarik_permohonan`, run by the engine
in the action's transaction:

- a pending billing (the PNBP billing code of an SPS, or an unpaid SKRD) is voided: the
  history event names it, so the office can answer when the applicant pays it anyway;
- an asset booking is released: another applicant may book the period;
- an SK number already taken (numbered, awaiting initials or the signature) stays in the
  decree register, marked cancelled, as for a refusal at signature;
- the officers who held the file's next action are told (the applicant hears of the new
  status as of every status change, app/notifications/outbox.py)."""

from datetime import date

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.documents.formatting import tanggal
from app.workflow import assets

# The history event's data keys (read by the file page and the API).
VOIDED_BILLING = "tagihan_dibatalkan"
UNCHECKED_PROOF = "bukti_bayar_belum_dikonfirmasi"
RELEASED_BOOKING = "pemesanan_dilepas"
CANCELLED_SK = "cancelled_sk_number"


class VoidBilling:
    """An effect: while the file waits for the payment (`unpaid`) or for the check of
    its proof (`proof_sent`), its latest `kind` artifact ("sps" or "skrd") is recorded as
    voided, with the unchecked proof's reference in the second case."""

    def __init__(self, kind, unpaid, proof_sent):
        self.kind, self.unpaid, self.proof_sent = kind, unpaid, proof_sent
        self.__name__ = f"void_{kind}"

    def pending(self, application):
        """The billing artifact awaiting payment, or None."""
        if application.status not in (self.unpaid, self.proof_sent):
            return None
        return application.latest_artifact(self.kind)

    def __call__(self, ctx):
        application = ctx.application
        billing = self.pending(application)
        if billing is None:
            return
        data = billing.data or {}
        ctx.event_data[VOIDED_BILLING] = {
            "jenis": self.kind, "nomor": billing.number,
            "kode_billing": data.get("kode_billing"), "jumlah": data.get("jumlah"),
        }
        proof = application.latest_artifact("bukti_bayar")
        if application.status == self.proof_sent and proof is not None:
            ctx.event_data[UNCHECKED_PROOF] = proof.number

    def preview(self, application):
        billing = self.pending(application)
        return None if billing is None else _billing_text(
            {"jenis": self.kind, "nomor": billing.number,
             "kode_billing": (billing.data or {}).get("kode_billing")}, _l("will be void"))


def release_booking(ctx):
    """Effect: the asset's period is free again for another applicant."""
    use = ctx.application.asset_use
    if use is None or use.booking is None:
        return
    ctx.event_data[RELEASED_BOOKING] = {"aset": use.asset.name,
                                        "mulai": use.approved_start.isoformat(),
                                        "selesai": use.approved_end.isoformat()}
    assets.release_booking(ctx.application)


def _booking_preview(application):
    use = application.asset_use
    if use is None or use.booking is None:
        return None
    return _booking_text({"aset": use.asset.name, "mulai": use.approved_start.isoformat(),
                          "selesai": use.approved_end.isoformat()}, _l("will be released"))


release_booking.preview = _booking_preview


def cancel_sk_number(ctx):
    """Effect: a taken SK number stays explained in the register (app/services/register.py
    reads a withdrawn file's number as cancelled)."""
    if ctx.application.sk_number:
        ctx.event_data[CANCELLED_SK] = ctx.application.sk_number


def _sk_preview(application):
    if not application.sk_number:
        return None
    return _l("SK number %(number)s will be cancelled: it stays in the decree register and "
              "is not given again.", number=application.sk_number)


cancel_sk_number.preview = _sk_preview


def tell_officers(ctx):
    """Effect: whoever would have moved the file on from its current state hears that
    it was withdrawn, and why (in-app and WhatsApp, like a queue notice)."""
    # Imported when used: the outbox reaches the workflow registry, which imports this.
    from app.notifications.outbox import next_actors, queue_for_staff

    application, workflow = ctx.application, ctx.workflow
    with force_locale("id"):
        status_label = str(workflow.label(application.status))
    queue_for_staff(application, next_actors(workflow, application, application.status),
                    "berkas_ditarik", {"status": status_label, "alasan": ctx.comment or ""})


# --- what the applicant is shown -------------------------------------------------------


def _billing_text(billing, what):
    if billing.get("kode_billing"):
        return _l("PNBP billing code %(code)s (SPS %(number)s) %(what)s.",
                  code=billing["kode_billing"], number=billing["nomor"], what=what)
    return _l("SKRD %(number)s %(what)s.", number=billing["nomor"], what=what)


def _booking_text(booking, what):
    return _l("The booking of %(asset)s from %(start)s to %(end)s %(what)s.",
              asset=booking["aset"], start=tanggal(date.fromisoformat(booking["mulai"])),
              end=tanggal(date.fromisoformat(booking["selesai"])), what=what)


def consequences(transition, application):
    """What withdrawing this file now would do, for the confirmation page."""
    texts = (getattr(effect, "preview", lambda _: None)(application)
             for effect in transition.effects)
    return [text for text in texts if text is not None]


def withdrawal_of(application):
    """The history event of the file's withdrawal, or None."""
    return next((e for e in application.events if e.action == "tarik_permohonan"), None)


def outcome(event):
    """What the withdrawal recorded in `event` did, as sentences."""
    data = event.data or {}
    texts = []
    if VOIDED_BILLING in data:
        texts.append(_billing_text(data[VOIDED_BILLING], _l("voided")))
    if data.get(UNCHECKED_PROOF):
        texts.append(_l("The payment proof %(reference)s had not been checked yet: a payment "
                        "already made is settled with the office.",
                        reference=data[UNCHECKED_PROOF]))
    if RELEASED_BOOKING in data:
        texts.append(_booking_text(data[RELEASED_BOOKING], _l("released")))
    if data.get(CANCELLED_SK):
        texts.append(_l("SK number %(number)s is cancelled: it stays in the decree register "
                        "and is not given again.", number=data[CANCELLED_SK]))
    return texts
