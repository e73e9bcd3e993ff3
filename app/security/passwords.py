"""The password rule, shared by registration, the admin's user forms and password resets."""

from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext

MIN_PASSWORD_LENGTH = 8
COMMON_PASSWORDS = frozenset(
    {"password", "password1", "password123", "12345678", "123456789", "1234567890",
     "qwerty123", "abc12345", "admin123", "bismillah1", "indonesia1", "sayang123"}
)


def check_password_strength(password):
    """Raise PasswordComplexityValidationError unless the password is at least 8
    characters with a letter and a digit, and not a well-known password."""
    password = password or ""
    if (
        len(password) < MIN_PASSWORD_LENGTH
        or not any(ch.isalpha() for ch in password)
        or not any(ch.isdigit() for ch in password)
    ):
        raise PasswordComplexityValidationError(
            gettext(
                "The password must be at least %(length)d characters long and "
                "contain letters and digits.",
                length=MIN_PASSWORD_LENGTH,
            )
        )
    if password.lower() in COMMON_PASSWORDS:
        raise PasswordComplexityValidationError(
            gettext("This password is too easy to guess. Choose another one.")
        )
