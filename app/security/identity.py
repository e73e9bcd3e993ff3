"""Checks of identity data: an applicant's NIK and WhatsApp number, an officer's NIP."""

import re
from datetime import date

import phonenumbers
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from app import office_time

_NIK_PATTERN = re.compile(r"^\d{16}$")
_NIP_PATTERN = re.compile(r"^\d{18}$")
# The youngest age at which a civil servant is appointed.
MIN_APPOINTMENT_AGE = 17
MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


class InvalidPhoneNumber(ValueError):
    pass


def is_valid_nik(nik):
    """A NIK (Nomor Induk Kependudukan) is 16 digits: region (6), birth date (6, the
    day plus 40 for women), serial (4)."""
    if not nik or not _NIK_PATTERN.match(nik):
        return False
    day, month = int(nik[6:8]), int(nik[8:10])
    if day > 40:
        day -= 40
    return int(nik[0:2]) >= 11 and 1 <= day <= 31 and 1 <= month <= 12 and nik[12:] != "0000"


def normalise_nip(raw):
    """The NIP as its 18 digits: it is often written in groups ("19700101 199503 1 003")."""
    return re.sub(r"\s+", "", raw or "")


def nip_problem(nip, today=None):
    """None for a well-formed NIP (Nomor Induk Pegawai), otherwise what is wrong with it.

    18 digits: the birth date (yyyymmdd), the year and month of appointment (yyyymm, not
    before the year the officer turned 17, nor in the future), the sex (1 man, 2 woman)
    and a serial number (001–999)."""
    today = today or office_time.today()
    if not _NIP_PATTERN.match(nip or ""):
        return _l("A NIP has 18 digits, e.g. 19700101 199503 1 003.")
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > today:
        return _l("Digits 1 to 8 of the NIP must be the birth date (yyyymmdd).")
    year, month = int(nip[8:12]), int(nip[12:14])
    if (not 1 <= month <= 12 or year < born.year + MIN_APPOINTMENT_AGE
            or (year, month) > (today.year, today.month)):
        return _l("Digits 9 to 14 of the NIP must be the year and month of appointment "
                  "(yyyymm), at the earliest in the year the officer turned %(age)d.",
                  age=MIN_APPOINTMENT_AGE)
    if nip[14] not in "12":
        return _l("Digit 15 of the NIP must be 1 (man) or 2 (woman).")
    if nip[15:] == "000":
        return _l("The last 3 digits of the NIP are a serial number from 001 to 999.")
    return None


def normalise_whatsapp(raw):
    """Return an Indonesian mobile number in E.164 (+628…), or raise InvalidPhoneNumber."""
    try:
        number = phonenumbers.parse(raw or "", "ID")
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(raw) from exc
    if (
        number.country_code != 62
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in MOBILE_TYPES
    ):
        raise InvalidPhoneNumber(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class NikValidator:
    # What an API client is told (api/support.py validator_hints); the check is stricter.
    hints = {"pattern": r"^\d{16}$", "example": "3505011204850001"}

    def __call__(self, form, field):
        field.data = (field.data or "").strip()
        if field.data and not is_valid_nik(field.data):
            raise ValidationError(_l("The NIK must be the 16 digits printed on the KTP."))


class NipValidator:
    """Validates a NIP and keeps its digits only; an empty field means no NIP."""

    def __call__(self, form, field):
        field.data = normalise_nip(field.data) or None
        if field.data is None:
            return
        problem = nip_problem(field.data)
        if problem is not None:
            raise ValidationError(problem)


class WhatsAppValidator:
    """Validates and normalises the field to E.164."""

    hints = {"pattern": r"^(\+62|62|0)8[0-9 -]{7,14}$", "example": "0812-3456-7890"}

    def __call__(self, form, field):
        if not (field.data or "").strip():
            return
        try:
            field.data = normalise_whatsapp(field.data)
        except InvalidPhoneNumber:
            raise ValidationError(
                _l("Enter an Indonesian mobile number for WhatsApp, e.g. 0812-3456-7890.")
            ) from None
