"""Asset use: the application's terms and fee, the managing agency's recommendation,
bookings of exclusive assets and the retribution invoice's due date (the SKRD itself:
app/workflow/skrd.py).

Booking rule: a recommended or granted use of an exclusive asset holds its period;
another exclusive booking of the same asset may not overlap it. The check here names
the clash; on PostgreSQL an exclusion constraint guarantees it under concurrency."""

from contextlib import nullcontext
from datetime import timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import office_time
from app.documents.formatting import angka as rupiah_number
from app.documents.formatting import tanggal
from app.errors import Conflict, InvalidInput
from app.extensions import db
from app.workflow import clock
from app.workflow.fees import compute_fee, period_days
from models import Application, Asset, AssetUse, Booking, TariffUnit

# How official documents name the use forms and tariff units (always Indonesian).
USE_FORM_NAMES = {"sewa": "Sewa", "pinjam_pakai": "Pinjam Pakai",
                  "kerja_sama_pemanfaatan": "Kerja Sama Pemanfaatan", "bgs_bsg": "BGS/BSG",
                  "kspi": "KSPI"}
UNIT_NAMES = {"per_hari": "per hari", "per_bulan": "per bulan", "per_tahun": "per tahun",
              "per_m2_tahun": "per m² per tahun"}
ASSET_FIELDS = ("asset_id", "purpose", "period_start", "period_end", "area_m2")


def active_assets(permit_type):
    return db.session.scalars(
        select(Asset).where(Asset.permit_type_id == permit_type.id, Asset.active.is_(True))
        .order_by(Asset.name)
    ).all()


def fee_for(permit_type, start, end, area_m2):
    return compute_fee(permit_type.tariff_amount, permit_type.tariff_unit, start, end, area_m2)


def tariff_text(permit_type, start, end, area_m2):
    """How the fee was computed, in the words of an invoice."""
    unit = permit_type.tariff_unit
    text = f"Rp{rupiah_number(permit_type.tariff_amount or 0)} {UNIT_NAMES.get(unit, unit)}"
    days = period_days(start, end)
    if unit == TariffUnit.PER_M2_YEAR:
        return f"{text} × {rupiah_number(area_m2 or 0)} m² × {days}/365 tahun"
    if unit == TariffUnit.PER_MONTH:
        return f"{text} × {-(-days // 30)} bulan"
    if unit == TariffUnit.PER_YEAR:
        return f"{text} × {-(-days // 365)} tahun"
    return f"{text} × {days} hari"


# --- the application --------------------------------------------------------


def form_values(application):
    use = application.asset_use
    return {name: getattr(use, name) for name in ASSET_FIELDS} if use else {}


def details(application):
    """What the file's detail data are (the API's `details`): asked and approved."""
    use = application.asset_use
    if use is None:
        return {}
    return {**form_values(application), "use_form": use.use_form,
            "fee_estimate": use.fee_estimate, "approved_start": use.approved_start,
            "approved_end": use.approved_end, "approved_area_m2": use.approved_area_m2,
            "fee": use.fee, "fee_change_reason": use.fee_change_reason,
            "booking": use.booking}


def apply_form(application, form):
    """Write the asset fields of the application form; the use form and the estimated
    fee follow the asset type, so an applicant sees the fee before submitting."""
    use = application.asset_use or AssetUse(application=application)
    for name in ASSET_FIELDS:
        setattr(use, name, form[name].data)
    permit_type = application.permit_type
    use.use_form = permit_type.use_form
    use.fee_estimate = fee_for(permit_type, use.period_start, use.period_end, use.area_m2)


def approved_period(application, issued_on, years):
    """An asset use is in force for the period the managing agency approved."""
    use = application.asset_use
    return use.approved_start, use.approved_end


def decree_template_key(application):
    """Each use form (sewa, pinjam pakai, …) has its own decree."""
    return f"sk_aset_{application.asset_use.use_form}"


# --- the recommendation -----------------------------------------------------


def recommendation_defaults(application):
    """The recommendation form starts from what the applicant asked for."""
    use = application.asset_use
    return {"tanggal_mulai": use.period_start, "tanggal_selesai": use.period_end,
            "luas": use.area_m2, "tanggal_rekomendasi": office_time.today()}


def recommend(ctx):
    """Effect of `terbitkan_rekomendasi`: approved period, area and fee, and the booking.
    A fee other than the computed one needs a reason, which the history keeps."""
    form, application = ctx.form, ctx.application
    use, permit_type = application.asset_use, application.permit_type
    start, end, area = form.tanggal_mulai.data, form.tanggal_selesai.data, form.luas.data
    if permit_type.tariff_unit == TariffUnit.PER_M2_YEAR and area is None:
        raise InvalidInput({"luas": _l("Give the approved area: the tariff is per m².")})
    if area is not None and use.asset.area_m2 and area > use.asset.area_m2:
        raise InvalidInput({"luas": _l("The asset has only %(area)s m².",
                                       area=use.asset.area_m2)})
    computed = fee_for(permit_type, start, end, area)
    fee = computed if form.biaya.data is None else Decimal(form.biaya.data)
    reason = (form.alasan_biaya.data or "").strip()
    if fee != computed and not reason:
        raise InvalidInput({"alasan_biaya": _l(
            "The computed fee is Rp%(fee)s: give the reason for changing it.",
            fee=rupiah_number(computed))})
    use.approved_area_m2, use.fee = area, fee
    use.fee_change_reason = reason if fee != computed else None
    book(application, start, end)
    ctx.event_data.update({"biaya_dihitung": str(computed), "biaya": str(fee),
                           "periode": f"{start.isoformat()}/{end.isoformat()}"})
    if fee != computed:
        ctx.comment = str(_l("Fee changed from Rp%(computed)s to Rp%(fee)s: %(reason)s",
                             computed=rupiah_number(computed), fee=rupiah_number(fee),
                             reason=reason))


def payment_route(paid, free):
    """The recommendation leads to payment, or past it when nothing is to be paid."""

    def route(ctx):
        return paid if ctx.application.asset_use.fee else free

    return route


# --- bookings ---------------------------------------------------------------


def clash_with(use, start, end):
    """The registration number and period of another exclusive booking of the same
    asset overlapping [start, end], or None."""
    return db.session.execute(
        select(Application.registration_number, AssetUse.approved_start,
               AssetUse.approved_end)
        .join(Application, Application.id == AssetUse.application_id)
        .where(AssetUse.asset_id == use.asset_id,
               AssetUse.application_id != use.application_id,
               AssetUse.booking == Booking.EXCLUSIVE,
               AssetUse.approved_start <= end, AssetUse.approved_end >= start)
        .order_by(AssetUse.approved_start).limit(1)
    ).first()


def _refuse(clash):
    number, start, end = clash
    raise Conflict(_l("The asset is already booked from %(start)s to %(end)s by application "
                      "%(number)s. Choose another period.",
                      start=tanggal(start), end=tanggal(end), number=number))


def _refuse_clash(use, start, end):
    clash = clash_with(use, start, end)
    if clash is not None:
        _refuse(clash)


def _write_booking(use, start, end, booking):
    """Book and flush. On PostgreSQL this happens in a savepoint (opened before the
    change: opening one flushes) so that when the exclusion constraint refuses it — a
    concurrent recommendation booked the period first — the clash can be named."""
    postgresql = db.engine.dialect.name == "postgresql"
    if postgresql:
        # One booking of an asset at a time, the others waiting for the asset's row: two
        # transactions writing overlapping periods at the same instant would each wait
        # for the other inside the exclusion constraint's check — a deadlock PostgreSQL
        # breaks by failing one, with no clash to name.
        db.session.execute(select(Asset.id).where(Asset.id == use.asset_id)
                           .with_for_update(key_share=True))
    try:
        with db.session.begin_nested() if postgresql else nullcontext():
            use.approved_start, use.approved_end, use.booking = start, end, booking
            db.session.flush()
    except IntegrityError as error:
        if "ex_asset_use_exclusive_booking" not in str(error.orig):
            raise
        _refuse_clash(use, start, end)
        raise Conflict() from None


def book(application, start, end):
    use = application.asset_use
    exclusive = bool(use.asset.asset_type.exclusive)
    if exclusive:
        _refuse_clash(use, start, end)
    _write_booking(use, start, end, Booking.EXCLUSIVE.value if exclusive
                   else Booking.SHARED.value)


def still_free(ctx):
    """Guard of the signature: the period must still be free. An asset made exclusive
    since the recommendation is booked exclusively now."""
    use = ctx.application.asset_use
    if use.asset.asset_type.exclusive:
        _refuse_clash(use, use.approved_start, use.approved_end)
        if use.booking != Booking.EXCLUSIVE:
            _write_booking(use, use.approved_start, use.approved_end, Booking.EXCLUSIVE.value)


def release_booking(application):
    use = application.asset_use
    if use is not None:
        use.booking = None


def release(ctx):
    """Effect of a rejection: the period is free again."""
    release_booking(ctx.application)


def bookings(asset, since=None):
    """The booked periods of an asset (recommended or granted uses), oldest first."""
    query = (
        select(AssetUse, Application)
        .join(Application, Application.id == AssetUse.application_id)
        .where(AssetUse.asset_id == asset.id, AssetUse.booking.is_not(None))
        .order_by(AssetUse.approved_start)
    )
    if since is not None:
        query = query.where(AssetUse.approved_end >= since)
    return db.session.execute(query).all()


# --- the retribution invoice ------------------------------------------------


def due_date(issued_on, use_starts):
    """Thirty days (configurable) to pay, but before the use begins when it is sooner."""
    due = issued_on + timedelta(days=current_app.config["SKRD_DUE_DAYS"])
    before_use = use_starts - timedelta(days=1)
    return max(issued_on, min(due, before_use))


def may_extend_due_date(ctx):
    """Guard: the agency extends the SKRD's due date once, before it passes, to a later
    date before the use begins."""
    application, new_due = ctx.application, ctx.form.jatuh_tempo_baru.data
    current = application.payment_due_on
    if any(event.action == "perpanjang_jatuh_tempo" for event in application.events):
        raise Conflict(_l("The due date of this SKRD was already extended once."))
    if current is not None and clock.office_date(ctx.now) > current:
        raise Conflict(_l("The due date has passed: it can no longer be extended."))
    if current is not None and new_due <= current:
        raise InvalidInput({"jatuh_tempo_baru": _l(
            "Choose a date after the current due date (%(date)s).", date=tanggal(current))})
    starts = application.asset_use.approved_start
    if starts is not None and new_due >= starts:
        raise InvalidInput({"jatuh_tempo_baru": _l(
            "Choose a date before the use begins (%(date)s).", date=tanggal(starts))})


def extend_due_date(ctx):
    """Effect: the new due date, with the old one and the reason in the history."""
    application = ctx.application
    ctx.event_data.update({
        "jatuh_tempo_lama": application.payment_due_on.isoformat()
        if application.payment_due_on else None,
        "jatuh_tempo_baru": ctx.form.jatuh_tempo_baru.data.isoformat()})
    ctx.comment = ctx.form.alasan.data.strip()
    application.payment_due_on = ctx.form.jatuh_tempo_baru.data


def invoice_of(application):
    return application.latest_artifact("skrd")


def issue_invoice(ctx):
    """Effect of the recommendation: the SKRD of a paid use (app/workflow/skrd.py).

    Imported when used: the SKRD service reaches the document templates, whose module
    imports the workflow engine, and the workflow definitions import this module."""
    from app.workflow import skrd

    skrd.issue_invoice(ctx)
