"""The form of an agency's SKRD settings: its letterhead (the fields of the office's), the
official who signs its SKRD, and where the payer pays."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.documents.template_form import LetterheadForm
from app.forms import choice_field
from app.security.identity import NipValidator
from models.user import PANGKAT_GOLONGAN

ACCOUNT_NUMBER = Regexp(r"^\d[\d .-]{3,38}\d$", message=_l(
    "An account number is digits, which dots, dashes or spaces may group."))
BANK_FIELDS = ("bank_name", "account_number", "account_holder")


class AgencySkrdSettingsForm(LetterheadForm):
    official_name = StringField(_l("Name of the official who signs the SKRD"),
                                validators=[DataRequired(), Length(max=150)])
    official_title = TextAreaField(
        _l("Position (jabatan), as printed above the signature"),
        description=_l("For example: KEPALA BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH "
                       "KABUPATEN BLITAR"),
        validators=[DataRequired(), Length(max=250)])
    official_rank = choice_field(PANGKAT_GOLONGAN, _l("Rank/grade"))
    official_nip = StringField(_l("NIP of the official"),
                               validators=[DataRequired(), NipValidator()])
    bank_name = StringField(_l("Bank"), validators=[Optional(), Length(max=100)])
    account_number = StringField(_l("Account number"),
                                 validators=[Optional(), Length(max=40), ACCOUNT_NUMBER])
    account_holder = StringField(_l("Account holder"), validators=[Optional(), Length(max=150)])
    virtual_account = TextAreaField(
        _l("Virtual account instructions"),
        description=_l("Printed after “melalui”, for example: virtual account Bank Jatim "
                       "dengan kode bayar yang tercantum pada SKRD"),
        validators=[Optional(), Length(max=1000)])

    def validate(self, extra_validators=None):
        """Where to pay: a complete bank account, or virtual account instructions."""
        valid = super().validate(extra_validators)
        given = [name for name in BANK_FIELDS if (self[name].data or "").strip()]
        if given and len(given) < len(BANK_FIELDS):
            for name in BANK_FIELDS:
                if name not in given:
                    self[name].errors = [*self[name].errors, _l(
                        "Give the bank, the account number and the holder together.")]
            return False
        if not given and not (self.virtual_account.data or "").strip():
            self.account_number.errors = [*self.account_number.errors, _l(
                "Give the account to pay into, or virtual account instructions.")]
            return False
        return valid
