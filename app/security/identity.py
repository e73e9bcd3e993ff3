"""Checks of an applicant's identity data: NIK and WhatsApp number."""

import re

import phonenumbers
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

_NIK_PATTERN = re.compile(r"^\d{16}$")
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
    def __call__(self, form, field):
        field.data = (field.data or "").strip()
        if field.data and not is_valid_nik(field.data):
            raise ValidationError(_l("The NIK must be the 16 digits printed on the KTP."))


class WhatsAppValidator:
    """Validates and normalises the field to E.164."""

    def __call__(self, form, field):
        if not (field.data or "").strip():
            return
        try:
            field.data = normalise_whatsapp(field.data)
        except InvalidPhoneNumber:
            raise ValidationError(
                _l("Enter an Indonesian mobile number for WhatsApp, e.g. 0812-3456-7890.")
            ) from None
