"""The SKRD of an asset use, as the agency managing the asset issues it: numbered by the
agency, drawn from the published SKRD template under the agency's letterhead, signed
by the official named in the agency's SKRD settings, and paid into the account those
settings give. An SKRD records the template version it was made from.

The SKRD is not electronically signed: it prints the official's signature block (name,
rank, NIP) and leaves room for the signature and stamp."""

from datetime import date, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import office_time
from app.documents.formatting import tanggal
from app.documents.naskah import SignatureBlock
from app.documents.placeholders import placeholders, skrd_context, skrd_sample_context
from app.documents.skrd import SkrdFacts, compose, render_skrd
from app.documents.templating import render_text
from app.errors import Conflict
from app.extensions import db
from app.storage.files import store_bytes
from app.workflow.assets import USE_FORM_NAMES, due_date, fee_for, invoice_of, tariff_text
from app.workflow.document_templates import (
    letterhead,
    own_letterhead,
    published_version,
    save_letterhead,
    template_by_key,
)
from app.workflow.numbering import next_value
from models import Agency, AgencyRetribution, Artifact

TEMPLATE_KEY = "skrd"


def settings_of(agency):
    """The agency's AgencyRetribution, or None."""
    return db.session.scalar(
        select(AgencyRetribution).where(AgencyRetribution.agency_id == agency.id))


def missing_settings(agency):
    """What the agency's SKRD settings still lack (translated names); empty when none."""
    settings = settings_of(agency)
    if settings is None:
        return AgencyRetribution().missing()
    return settings.missing()


def require_settings(agency):
    gaps = missing_settings(agency)
    if gaps:
        raise Conflict(_l(
            "The SKRD cannot be issued: the SKRD settings of %(agency)s lack %(missing)s. "
            "Ask an administrator to complete them under Permit Catalogue → SKRD settings.",
            agency=agency.name, missing="; ".join(str(gap) for gap in gaps)))
    return settings_of(agency)


SETTINGS_FIELDS = ("official_name", "official_title", "official_rank", "official_nip",
                   "bank_name", "account_number", "account_holder", "virtual_account")
LETTERHEAD_FIELDS = ("government", "office", "address", "city", "postal_code", "telephone",
                     "email", "website")


def settings_form_data(agency):
    """The settings screen's starting values: the agency's letterhead (or the regency's
    heading with the agency's name) and its SKRD settings."""
    row = own_letterhead(agency)
    if row is None:
        _, row = letterhead(agency)
    settings = settings_of(agency)
    data = {name: getattr(row, name) for name in LETTERHEAD_FIELDS}
    data.update({name: getattr(settings, name) if settings else None
                 for name in SETTINGS_FIELDS})
    return data


def save_settings(agency, form, emblem_upload=None):
    """The agency's letterhead (with a new emblem, if any) and SKRD settings from the
    form, saved together: a refused emblem changes neither."""
    settings = settings_of(agency) or AgencyRetribution(agency=agency)
    db.session.add(settings)
    for name in SETTINGS_FIELDS:
        setattr(settings, name, (form[name].data or "").strip() or None)
    save_letterhead(form, emblem_upload, agency)
    return settings


def skrd_version():
    """The template version an SKRD issued now is made from."""
    return published_version(template_by_key(TEMPLATE_KEY))


def facts_for(application, number, issued_on, due_on):
    """The SkrdFacts of the file's approved use, fee and the reason of a changed fee."""
    use, permit_type = application.asset_use, application.permit_type
    start, end, area = use.approved_start, use.approved_end, use.approved_area_m2
    asset = use.asset
    return SkrdFacts(
        number=number, issued_on=issued_on, due_on=due_on, period_start=start,
        period_end=end,
        payer_name=application.organisation_name or application.applicant_name,
        payer_address=application.applicant_address,
        registration_number=application.registration_number or "-",
        asset_name=asset.name, asset_code=asset.kode_barang,
        asset_location=f"{asset.address}, Kecamatan {asset.kecamatan}",
        use_form=USE_FORM_NAMES.get(use.use_form, use.use_form),
        tariff_text=tariff_text(permit_type, start, end, area),
        computed=fee_for(permit_type, start, end, area), amount=use.fee,
        adjustment_reason=use.fee_change_reason or "",
        retribution_code=permit_type.retribution_code or "")


def _signature(settings, place, issued_on):
    """The official's block; blank lines for settings not yet complete (a preview)."""
    return SignatureBlock(
        place_lines=(f"{place}, {tanggal(issued_on)}",),
        office_title=(settings.official_title if settings else None) or "-",
        name=(settings.official_name if settings else None) or "-",
        rank=(settings.official_rank_label if settings else None) or "",
        nip=(settings.official_nip if settings else None) or "")


def _draw(version, context, facts, head, settings, draft):
    allowed = placeholders(version.template.scope)
    parts = compose(version.content, context, allowed)
    place = render_text(version.content.get("place") or "", context, allowed)
    return render_skrd(parts, facts, head, _signature(settings, place, facts.issued_on),
                       draft=draft)


def render(application, number, issued_on, due_on, version=None, draft=False):
    """(PDF bytes, SkrdFacts, template version) of the file's SKRD; `version` another
    version of the template than the published one (an admin's preview)."""
    version = version or skrd_version()
    agency = application.permit_type.agency
    head, office = letterhead(agency)
    settings = settings_of(agency)
    facts = facts_for(application, number, issued_on, due_on)
    context = skrd_context(application, office, agency, facts, settings)
    return _draw(version, context, facts, head, settings, draft), facts, version


def render_preview(application, version):
    """The file's SKRD drawn with `version`: its issued SKRD's number and dates, or
    those an SKRD issued today would have."""
    invoice = invoice_of(application)
    issued_on = office_time.office_date(invoice.issued_at) if invoice else office_time.today()
    due_on = date.fromisoformat(invoice.data["jatuh_tempo"]) if invoice else \
        due_date(issued_on, application.asset_use.approved_start)
    pdf, _, _ = render(application, invoice.number if invoice else "-", issued_on, due_on,
                       version=version, draft=True)
    return pdf


def render_sample(version):
    """`version` drawn with made-up data (the first agency's letterhead and settings)."""
    agency = db.session.scalar(select(Agency).join(AgencyRetribution).order_by(Agency.id)) \
        or db.session.scalar(select(Agency).order_by(Agency.id)) \
        or Agency(code="BPKAD", name="Badan Pengelolaan Keuangan dan Aset Daerah")
    head, office = letterhead(agency if agency.id else None)
    settings = settings_of(agency) if agency.id else None
    today = office_time.today()
    facts = SkrdFacts(
        number=f"SKRD/00001/{agency.code}/{today.year}", issued_on=today,
        due_on=today + timedelta(days=30), period_start=today + timedelta(days=31),
        period_end=today + timedelta(days=33), payer_name="Budi Santoso",
        payer_address="Jl. Merdeka No. 1, Kanigoro", registration_number="CONTOH/2026/000123",
        asset_name="Gedung Pertemuan Kabupaten", asset_code="1.3.2.01.01.01.001",
        asset_location="Jl. Kenanga No. 2, Kecamatan Kanigoro", use_form="Sewa",
        tariff_text="Rp1.500.000 per hari × 3 hari", computed=Decimal(4500000),
        amount=Decimal(4000000), adjustment_reason="Kegiatan sosial kemasyarakatan",
        retribution_code="4.1.02.02.01")
    context = skrd_sample_context(office, agency, facts, settings)
    return _draw(version, context, facts, head, settings, draft=True)


def issue_invoice(ctx):
    """Effect of the recommendation: the SKRD of a use with a fee, numbered by the
    agency, as PDF. Refused while the agency's SKRD settings are incomplete."""
    application, use = ctx.application, ctx.application.asset_use
    if not use.fee:
        return
    agency = application.permit_type.agency
    require_settings(agency)
    issued_on = office_time.office_date(ctx.now)
    seq = next_value(f"skrd:{agency.code}", issued_on.year)
    number = f"SKRD/{seq:05d}/{agency.code}/{issued_on.year}"
    pdf, facts, version = render(application, number, issued_on,
                                 due_date(issued_on, use.approved_start))
    stored = store_bytes(pdf, "pdf", f"SKRD-{seq:05d}.pdf", ctx.written)
    data = {"jumlah": str(facts.amount), "dihitung": str(facts.computed),
            "jatuh_tempo": facts.due_on.isoformat()}
    if facts.adjustment:
        data["alasan_perubahan"] = facts.adjustment_reason
    ctx.session.add(Artifact(
        application=application, kind="skrd", number=number, data=data,
        template_version_id=version.id, issued_by_id=ctx.actor.id, issued_at=ctx.now,
        **stored.columns()))
    ctx.event_data.setdefault("artifacts", []).append("skrd")
    application.payment_due_on = facts.due_on
