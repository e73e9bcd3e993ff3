"""Form fields shared by workflow forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf.i18n import translations
from wtforms import FileField, Form
from wtforms.validators import ValidationError

from app.errors import InvalidInput
from app.storage.files import check_upload


class SiapForm(Form):
    """Base of the engine's forms: plain WTForms (the engine checks CSRF-free data from
    the browser and the API alike) with WTForms' messages in the user's language."""

    class Meta:
        def get_translations(self, form):
            return translations


class UploadField(FileField):
    """A file checked by content (type, size, no active content) during validation.
    The checked bytes wait in `checked` until the engine stores them."""

    def __init__(self, label=None, accepted=("pdf",), max_mb=10, required=True, **kwargs):
        super().__init__(label, **kwargs)
        self.accepted = tuple(accepted)
        self.max_bytes = max_mb * 1024 * 1024
        self.required = required
        self.checked = None

    def pre_validate(self, form):
        data = self.data
        if not getattr(data, "filename", ""):
            if self.required:
                raise ValidationError(_l("Choose a file to upload."))
            return
        try:
            self.checked = check_upload(data, self.accepted, self.max_bytes, self.name)
        except InvalidInput as error:
            raise ValidationError(str(error.field_errors[self.name])) from None

    @property
    def field_type(self):
        return "file"
