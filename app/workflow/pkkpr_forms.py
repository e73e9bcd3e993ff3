"""The forms of the PKKPR Non Berusaha actions. Field names are stable identifiers
(also used by the API); labels are translated."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app import office_time
from app.geo import (
    BLITAR_BOUNDS,
    KECAMATAN_BLITAR,
    InvalidGeometry,
    parse_polygon,
    polygon_area_m2,
)
from app.security.identity import NikValidator, WhatsAppValidator
from app.workflow.definition import Applying
from app.workflow.fields import SiapForm, UploadField
from app.workflow.site_map import MapFields
from models import PkkprDetail

REQUIRED = DataRequired()


def number_field(label):
    return StringField(label, validators=[REQUIRED, Length(max=100)])


def positive(label, places=2, required=True):
    return DecimalField(
        label,
        places=places,
        validators=[InputRequired() if required else Optional(),
                    NumberRange(min=0.01, message=_l("Must be greater than zero."))],
    )


def percent(label, required=True):
    return DecimalField(
        label,
        validators=[InputRequired() if required else Optional(),
                    NumberRange(min=0, max=100, message=_l("Between 0 and 100."))],
    )


def not_negative(label, required=False):
    return DecimalField(
        label,
        validators=[InputRequired() if required else Optional(),
                    NumberRange(min=0, message=_l("Must not be negative."))],
    )


def not_in_future(form, field):
    if field.data and field.data > office_time.today():
        raise ValidationError(_l("The date must not be in the future."))


def not_in_past(form, field):
    if field.data and field.data < office_time.today():
        raise ValidationError(_l("The date must not be in the past."))


def geojson_polygon(form, field):
    if field.data and field.data.strip():
        try:
            parse_polygon(field.data)
        except InvalidGeometry as error:
            raise ValidationError(str(error)) from None


class ReasonForm(SiapForm):
    alasan = TextAreaField(_l("Reason"), validators=[REQUIRED, Length(max=2000)])


class WithdrawalForm(SiapForm):
    """The applicant's reason for withdrawing a submitted file (kept in its history)."""

    alasan = TextAreaField(_l("Reason for withdrawing"), validators=[
        DataRequired(message=_l("Give the reason for withdrawing the application.")),
        Length(min=5, max=1000, message=_l("The reason must be %(min)d to %(max)d characters "
                                           "long.")),
    ])


class NoteForm(SiapForm):
    catatan = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class KrkForm(SiapForm):
    shows_site_map = True  # DPUPR validates the map: the action page shows it
    nomor_krk = number_field(_l("KRK number"))
    tanggal_krk = DateField(_l("KRK date"), validators=[REQUIRED, not_in_future])
    luas_disetujui = positive(_l("Approved area (m²)"))
    peruntukan = StringField(_l("Zoning / designated use"),
                             validators=[REQUIRED, Length(max=200)])
    kbli = StringField(_l("Allowed KBLI"), validators=[Optional(), Length(max=200)])
    kdb_maks = percent(_l("Maximum building coverage KDB (%)"))
    klb = not_negative(_l("Floor area ratio KLB"), required=True)
    kdh_min = percent(_l("Minimum green area KDH (%)"))
    ktb = percent(_l("Basement coverage KTB (%)"), required=False)
    gsb = not_negative(_l("Building line GSB (m)"), required=True)
    jba = not_negative(_l("Side setback JBA (m)"))
    jbb = not_negative(_l("Rear setback JBB (m)"))
    lantai_maks = IntegerField(
        _l("Maximum floors"), validators=[InputRequired(), NumberRange(min=1, max=100)]
    )
    luas_kavling_min = not_negative(_l("Minimum plot area (m²)"))
    jaringan_utilitas = TextAreaField(_l("Utility networks"), validators=[Optional()])
    persyaratan_pelaksanaan = TextAreaField(_l("Implementation requirements"),
                                            validators=[Optional()])
    catatan = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    peta_tervalidasi = BooleanField(
        _l("The map (coordinates and polygon) has been validated"),
        validators=[DataRequired(message=_l("Validate the map before issuing the KRK."))],
    )
    berkas_krk = UploadField(_l("KRK document (PDF)"), accepted=("pdf",), max_mb=20)


class SpsForm(SiapForm):
    nomor_sps = number_field(_l("SPS number"))
    jumlah = positive(_l("Amount (Rp)"))
    kode_billing = StringField(
        _l("Billing code"),
        validators=[REQUIRED, Regexp(r"^\d{15}$",
                                     message=_l("The billing code has exactly 15 digits."))],
    )
    kedaluwarsa_billing = DateField(_l("Billing expiry date"), validators=[REQUIRED, not_in_past])
    nomor_berkas = StringField(_l("Land office file number"),
                               validators=[Optional(), Length(max=60)])
    berkas_sps = UploadField(_l("SPS document (PDF)"), accepted=("pdf",), max_mb=10)


class PaymentProofForm(SiapForm):
    bukti_bayar = UploadField(_l("Payment proof"), accepted=("pdf", "jpg", "png"), max_mb=5)
    tanggal_bayar = DateField(_l("Payment date"), validators=[REQUIRED, not_in_future])
    ntpn = StringField(
        _l("NTPN"),
        validators=[REQUIRED, Regexp(r"^[A-Za-z0-9]{16}$",
                                     message=_l("The NTPN has 16 letters or digits."))],
    )
    ntb = StringField(_l("NTB"), validators=[Optional(), Length(max=30)])


class PertekForm(SiapForm):
    nomor_pertek = number_field(_l("Pertek number"))
    tanggal_pertek = DateField(_l("Pertek date"), validators=[REQUIRED, not_in_future])
    berkas_pertek = UploadField(_l("Pertek document (PDF)"), accepted=("pdf",), max_mb=20)


DECISIONS = [("disetujui", _l("Approved")), ("disetujui_sebagian", _l("Partly approved"))]


class RecommendationForm(SiapForm):
    shows_site_map = True
    # DPUPR draws the approved boundary over the applied one, against the approved area.
    map_fields = MapFields(None, None, "poligon_geojson", "luas_disetujui")
    nomor_rekomendasi = number_field(_l("Recommendation number"))
    tanggal_rekomendasi = DateField(_l("Recommendation date"),
                                    validators=[REQUIRED, not_in_future])
    keputusan = SelectField(_l("Decision"), choices=DECISIONS, validators=[REQUIRED])
    luas_disetujui = positive(_l("Approved area (m²)"))
    gambar_peta = UploadField(_l("Map image for the permit annex"), accepted=("png", "jpg"),
                              max_mb=10)
    poligon_geojson = TextAreaField(
        _l("Approved plot boundary (drawn on the map, optional)"),
        description=_l("Drawn on the map above. A boundary from a GIS application may be "
                       "pasted here as GeoJSON."),
        validators=[Optional(), geojson_polygon], render_kw={"rows": 3})
    catatan = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    berkas_rekomendasi = UploadField(_l("Recommendation document (PDF)"), accepted=("pdf",),
                                     max_mb=20)


class SignForm(SiapForm):
    passphrase = PasswordField(_l("Signing passphrase"), validators=[REQUIRED])


class SkNumberForm(SiapForm):
    tanggal_sk = DateField(_l("Decree date"), default=date.today,
                           validators=[REQUIRED, not_in_future])


CHOOSE = ("", _l("— choose —"))
LAND_TITLES = [
    ("SHM", _l("Certificate of ownership (SHM)")),
    ("HGB", _l("Right to build (HGB)")),
    ("Hak Pakai", _l("Right of use (Hak Pakai)")),
    ("Letter C / Girik", _l("Letter C / Girik")),
    ("Tanah Kas Desa", _l("Village land (Tanah Kas Desa)")),
    ("Sewa / Pinjam", _l("Rented or borrowed land")),
]
ACTIVITIES = [
    ("Rumah tinggal", _l("House")),
    ("Tempat ibadah", _l("Place of worship")),
    ("Sekolah / pendidikan", _l("School / education (foundation)")),
    ("Fasilitas sosial", _l("Social facility")),
    ("Fasilitas kesehatan", _l("Health facility")),
    ("Bangunan pemerintah", _l("Government building")),
    ("Lainnya", _l("Other non-business activity")),
]


def latitude_in_blitar(form, field):
    if field.data is not None and not (
        BLITAR_BOUNDS["min_lat"] <= float(field.data) <= BLITAR_BOUNDS["max_lat"]
    ):
        raise ValidationError(
            _l("The point lies outside Kabupaten Blitar (latitude about -7.9 to -8.45).")
        )


def longitude_in_blitar(form, field):
    if field.data is not None and not (
        BLITAR_BOUNDS["min_lon"] <= float(field.data) <= BLITAR_BOUNDS["max_lon"]
    ):
        raise ValidationError(
            _l("The point lies outside Kabupaten Blitar (longitude about 111.9 to 112.6).")
        )


def organisation_named_when_acting_for_one(form, field):
    if form.acts_for_organisation.data and not (field.data or "").strip():
        raise ValidationError(_l("Name the organisation you act for."))


class ApplicantForm(SiapForm):
    """Who applies: the same for every permit kind."""

    applicant_name = StringField(_l("Applicant name"), validators=[REQUIRED, Length(max=128)])
    applicant_nik = StringField(_l("NIK"), validators=[REQUIRED, NikValidator()])
    applicant_address = TextAreaField(_l("Applicant address"),
                                      validators=[REQUIRED, Length(max=500)])
    applicant_whatsapp = StringField(_l("WhatsApp number"),
                                     validators=[REQUIRED, WhatsAppValidator()])
    acts_for_organisation = BooleanField(_l("Applying on behalf of an organisation"))
    organisation_name = StringField(
        _l("Organisation (foundation, agency, …)"),
        validators=[organisation_named_when_acting_for_one, Length(max=200)],
    )


class PkkprApplicationForm(ApplicantForm):
    location_address = TextAreaField(_l("Location address"),
                                     validators=[REQUIRED, Length(max=500)])
    desa = StringField(_l("Village (desa/kelurahan)"), validators=[REQUIRED, Length(max=100)])
    # Required choices start blank: nobody applies for the first kecamatan by not looking.
    kecamatan = SelectField(_l("District (kecamatan)"),
                            choices=[CHOOSE, *((k, k) for k in KECAMATAN_BLITAR)],
                            validators=[REQUIRED])
    # Filled in from the map above them (MAP_FIELDS); typed where the map is unavailable.
    latitude = DecimalField(_l("Latitude of the location point (filled in from the map)"),
                            places=6, validators=[InputRequired(), latitude_in_blitar])
    longitude = DecimalField(_l("Longitude of the location point (filled in from the map)"),
                             places=6, validators=[InputRequired(), longitude_in_blitar])
    polygon_geojson = TextAreaField(
        _l("Plot boundary (filled in from the map, optional)"),
        description=_l("Drawn on the map above. A boundary from a GIS application may be "
                       "pasted here as GeoJSON."),
        validators=[Optional(), geojson_polygon], render_kw={"rows": 3})
    land_area_m2 = positive(_l("Land area (m²)"))
    land_title_status = SelectField(_l("Land title / control"),
                                    choices=[CHOOSE, *LAND_TITLES], validators=[REQUIRED])
    activity = SelectField(_l("Activity (jenis kegiatan)"), choices=[CHOOSE, *ACTIVITIES],
                           validators=[REQUIRED])
    planned_floors = IntegerField(_l("Planned floors"),
                                  validators=[InputRequired(), NumberRange(min=1, max=100)])
    planned_floor_area_m2 = positive(_l("Planned floor area (m²)"))


# --- the application of a PKKPR: its location and activity (PkkprDetail) ---------------

PKKPR_FIELDS = ("location_address", "desa", "kecamatan", "latitude", "longitude",
                "polygon_geojson", "land_area_m2", "land_title_status", "activity",
                "planned_floors", "planned_floor_area_m2")


def pkkpr_values(application):
    detail = application.pkkpr
    return {name: getattr(detail, name) for name in PKKPR_FIELDS} if detail else {}


def apply_pkkpr(application, form):
    detail = application.pkkpr or PkkprDetail(application=application)
    for name in PKKPR_FIELDS:
        setattr(detail, name, form[name].data)
    polygon = (detail.polygon_geojson or "").strip()
    detail.polygon_geojson = polygon or None
    detail.polygon_area_m2 = polygon_area_m2(polygon) if polygon else None


MAP_FIELDS = MapFields("latitude", "longitude", "polygon_geojson", "land_area_m2")
APPLYING = Applying(PkkprApplicationForm, pkkpr_values, apply_pkkpr,
                    legend=_l("Location and activity"), map_fields=MAP_FIELDS)
