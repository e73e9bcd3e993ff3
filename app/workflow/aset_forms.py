"""The forms of the asset-use application and of the managing agency's actions.
Field names are stable identifiers (also used by the API); labels are translated."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from app.workflow.fields import SiapForm, UploadField
from app.workflow.pkkpr_forms import (
    CHOOSE,
    REQUIRED,
    ApplicantForm,
    not_in_future,
    not_in_past,
    number_field,
)
from models import TariffUnit

# PP 27/2014: rent and loan for use run for at most five years (then an extension).
LONGEST_PERIOD = timedelta(days=5 * 365 + 1)


def period_end_after_start(start_field):
    def check(form, field):
        start = form[start_field].data
        if start and field.data:
            if field.data < start:
                raise ValidationError(_l("The period must not end before it starts."))
            if field.data - start > LONGEST_PERIOD:
                raise ValidationError(_l("The period may last at most five years."))

    return check


def area_needed_when_tariff_per_m2(form, field):
    """Runs before Optional(), which would otherwise end the check of an empty field."""
    permit_type = getattr(form, "permit_type", None)
    empty = not field.raw_data or not str(field.raw_data[0]).strip()
    if empty and permit_type is not None and permit_type.tariff_unit == TariffUnit.PER_M2_YEAR:
        field.errors[:] = []  # instead of "not a valid decimal value"
        raise StopValidation(_l("Give the area you will use: the tariff is per m²."))


def area_within_asset(form, field):
    asset = getattr(form, "chosen_asset", lambda: None)()
    if asset is not None and asset.area_m2 and field.data > asset.area_m2:
        raise ValidationError(_l("The asset has only %(area)s m².", area=asset.area_m2))


def area_field(label):
    return DecimalField(
        label, places=2,
        validators=[area_needed_when_tariff_per_m2, Optional(),
                    NumberRange(min=0.01, message=_l("Must be greater than zero.")),
                    area_within_asset],
    )


def optional_id(value):
    """A chosen row's id; None for the blank first choice."""
    return None if value in ("", None) else int(value)


class AssetApplicationForm(ApplicantForm):
    asset_id = SelectField(_l("Asset"), coerce=optional_id, validators=[InputRequired()],
                           validate_choice=True)
    purpose = TextAreaField(_l("Purpose of the use"), validators=[REQUIRED, Length(max=1000)])
    period_start = DateField(_l("Use from"), validators=[REQUIRED, not_in_past])
    period_end = DateField(_l("Use until"),
                           validators=[REQUIRED, period_end_after_start("period_start")])
    area_m2 = area_field(_l("Area used (m²)"))

    def prepare(self, permit_type, assets):
        """Offer the active assets of this asset type."""
        self.permit_type = permit_type
        self.assets = {asset.id: asset for asset in assets}
        self.asset_id.choices = [CHOOSE, *((asset.id, str(asset)) for asset in assets)]
        return self

    def chosen_asset(self):
        return getattr(self, "assets", {}).get(self.asset_id.data)


class AssetRecommendationForm(SiapForm):
    nomor_rekomendasi = number_field(_l("Recommendation number"))
    tanggal_rekomendasi = DateField(_l("Recommendation date"),
                                    validators=[REQUIRED, not_in_future])
    tanggal_mulai = DateField(_l("Approved from"), validators=[REQUIRED])
    tanggal_selesai = DateField(_l("Approved until"),
                                validators=[REQUIRED, period_end_after_start("tanggal_mulai")])
    luas = area_field(_l("Approved area (m²)"))
    biaya = DecimalField(
        _l("Fee (Rp)"), places=0,
        description=_l("Leave empty to use the fee computed from the tariff."),
        validators=[Optional(), NumberRange(min=0, message=_l("Must not be negative."))],
    )
    alasan_biaya = TextAreaField(_l("Reason for changing the computed fee"),
                                 validators=[Optional(), Length(max=1000)])
    catatan = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    berkas_rekomendasi = UploadField(_l("Recommendation letter (PDF, optional)"),
                                     accepted=("pdf",), max_mb=20, required=False)


class RetributionPaymentForm(SiapForm):
    bukti_bayar = UploadField(_l("Payment proof"), accepted=("pdf", "jpg", "png"), max_mb=5)
    tanggal_bayar = DateField(_l("Payment date"), validators=[REQUIRED, not_in_future])
    nomor_referensi = StringField(_l("Bank reference number"),
                                  validators=[REQUIRED, Length(max=40)])


class DueDateExtensionForm(SiapForm):
    """The agency extends the SKRD's due date, once, with a reason (kept in the history)."""

    jatuh_tempo_baru = DateField(_l("New due date"), validators=[REQUIRED, not_in_past])
    alasan = TextAreaField(_l("Reason for the extension"), validators=[
        InputRequired(message=_l("Give the reason for the extension.")),
        Length(min=5, max=1000, message=_l("The reason must be %(min)d to %(max)d characters "
                                           "long.")),
    ])
