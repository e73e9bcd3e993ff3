"""Forms for one's own account: registration, the profile and the password change."""

from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget, BS3TextFieldWidget
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.validators import PasswordComplexityValidator
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from app.forms import choice_field
from app.security.identity import NikValidator, NipValidator, WhatsAppValidator
from models.user import FIRST_CHANNEL, PANGKAT_GOLONGAN, QUEUE_MESSAGES, FirstChannel, QueueMessages


def queue_messages_field(label):
    """How an officer hears of the files entering their queue (app/jobs/digests.py). A
    form posted without it keeps a message per file."""
    return choice_field(
        QUEUE_MESSAGES, label,
        description=_l("A message for each file that enters the queue, or one message "
                       "each working morning listing them. Either way each file is in "
                       "the notifications at once."),
        default=QueueMessages.EACH_FILE.value)

USERNAME_RULE = Regexp(
    r"^[A-Za-z0-9_.-]{3,64}$",
    message=_l("Use 3 to 64 letters, digits, dots, dashes or underscores, without spaces."),
)


def new_password_field(label):
    """A new password, under the password rule (app.security.passwords)."""
    return PasswordField(
        label,
        description=_l("At least 8 characters, with letters and digits."),
        validators=[DataRequired(), PasswordComplexityValidator()],
        widget=BS3PasswordFieldWidget(),
    )


def password_confirmation_field():
    return PasswordField(
        _l("Confirm Password"),
        validators=[DataRequired(), EqualTo("password", message=_l("Passwords must match"))],
        widget=BS3PasswordFieldWidget(),
    )


def optional_email_field():
    """Messages go to it when WhatsApp and SMS fail; many applicants have none."""
    return StringField(
        _l("Email"),
        description=_l("Optional. Messages are also sent here when WhatsApp and SMS do "
                       "not reach you."),
        validators=[Optional(), Email(), Length(max=320)],
        widget=BS3TextFieldWidget(),
    )


class RegistrationForm(DynamicForm):
    full_name = StringField(
        _l("Full name (as on the KTP)"),
        validators=[DataRequired(), Length(max=128)],
        widget=BS3TextFieldWidget(),
    )
    nik = StringField(
        _l("NIK"),
        description=_l("16 digits, as printed on the KTP."),
        validators=[DataRequired(), NikValidator()],
        widget=BS3TextFieldWidget(),
    )
    whatsapp = StringField(
        _l("WhatsApp number"),
        description=_l("Notifications about your applications are sent to this number."),
        validators=[DataRequired(), WhatsAppValidator()],
        widget=BS3TextFieldWidget(),
    )
    email = optional_email_field()
    username = StringField(
        _l("User Name"), validators=[DataRequired(), USERNAME_RULE],
        widget=BS3TextFieldWidget(),
    )
    password = new_password_field(_l("Password"))
    conf_password = password_confirmation_field()


class DeleteAccountForm(DynamicForm):
    """Deleting one's own account asks for the password and an explicit yes."""

    password = PasswordField(_l("Your password"), validators=[DataRequired()],
                             widget=BS3PasswordFieldWidget())
    understood = BooleanField(
        _l("I understand that my account is deleted for good and that I cannot sign in "
           "with it again."),
        validators=[DataRequired(message=_l("Tick this box to confirm."))])


class ChangePasswordForm(DynamicForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired()], widget=BS3PasswordFieldWidget(),
    )
    password = new_password_field(_l("New password"))
    conf_password = password_confirmation_field()


def first_channel_field():
    """The channel tried first for one's messages; blank keeps the office's order."""
    return choice_field(
        FIRST_CHANNEL, _l("Reach me first by"), required=False,
        description=_l("Messages try this channel first, then the others. Leave it "
                       "empty for the usual order: WhatsApp, SMS, e-mail."))


class ProfileForm(DynamicForm):
    first_name = StringField(
        _l("First Name"), validators=[DataRequired(), Length(max=64)],
        widget=BS3TextFieldWidget(),
    )
    last_name = StringField(
        _l("Last Name"), validators=[Length(max=64)], widget=BS3TextFieldWidget()
    )
    email = optional_email_field()
    whatsapp = StringField(
        _l("WhatsApp number"), validators=[DataRequired(), WhatsAppValidator()],
        widget=BS3TextFieldWidget(),
    )
    first_channel = first_channel_field()

    def validate_first_channel(self, field):
        if field.data == FirstChannel.EMAIL and not (self.email.data or "").strip():
            raise ValidationError(_l("Fill in your e-mail address to be reached by e-mail "
                                     "first."))


class StaffProfileForm(ProfileForm):
    """An officer's profile also holds what a decree prints under their signature."""

    nip = StringField(
        _l("NIP"),
        description=_l("18 digits of your civil service number, printed under your "
                       "signature on decrees."),
        validators=[NipValidator()],
        widget=BS3TextFieldWidget(),
    )
    pangkat_golongan = choice_field(PANGKAT_GOLONGAN, _l("Rank/grade"), required=False)
    queue_messages = queue_messages_field(_l("Messages about my queue"))


def account_field():
    return StringField(
        _l("User name, e-mail or WhatsApp number"),
        validators=[DataRequired(), Length(max=320)],
        widget=BS3TextFieldWidget(),
    )


class PasswordResetRequestForm(DynamicForm):
    """Forgot password: who asks for a code (app/security/password_reset.py)."""

    account = account_field()


class PasswordResetForm(DynamicForm):
    """Forgot password: the code received and the new password."""

    account = account_field()
    code = StringField(
        _l("Code"), description=_l("The 6 digits of the message we sent you."),
        validators=[DataRequired(), Length(max=20)], widget=BS3TextFieldWidget(),
    )
    password = new_password_field(_l("New password"))
    conf_password = password_confirmation_field()
