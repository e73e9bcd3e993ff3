"""What every admin screen needs from the forms Flask-AppBuilder 5.3 generates from the
models, and does not get:

- Select lists for enumerated columns. FAB has no `form_choices` (that is Flask-Admin's
  option; FAB ignores it): its converter (flask_appbuilder/forms.py, FieldConverter)
  turns a String column into a free-text box, so "per hari" could be saved as a tariff
  unit. `ChoiceColumns` puts a select of translated labels in the add, edit and search
  forms, and shows the label in lists and show pages.
- A readable blank choice. An optional relation's blank option has no text, and WTForms
  3.3 then prints its value, `__None`; it reads "(none)" instead.
- A checkbox that can be unticked. FAB gives a NOT NULL boolean an InputRequired
  validator, so "active" could never be switched off.
- A duplicate that says what is taken. FAB's check of a unique column only says
  "Already exists."; `unique_messages` names the clash.
"""

from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.validators import Unique
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired, Optional

BLANK_CHOICE = _l("(none)")


def _empty_is_none(value):
    return value or None


def choice_field(choices, label, description="", required=True, validators=(), default=None):
    """A select of an enumeration's translated labels (models/choices.py); `default` is
    the value of a form posted without the field."""
    blank = [] if required else [("", BLANK_CHOICE)]

    def options():  # read when the form is shown: some enumerations grow (processes)
        return [(str(v), text) for v, text in [*blank, *choices.labels.items()]]

    return SelectField(
        label, description=description, choices=options,
        coerce=str if required else _empty_is_none, default=default,
        validators=[DataRequired() if required else Optional(), *validators],
        widget=Select2Widget(),
    )


def refine_generated_form(form_class):
    """Give a generated form's blank choices a text and let its checkboxes be unticked."""
    for unbound in vars(form_class).values():
        if not isinstance(unbound, UnboundField):
            continue
        if issubclass(unbound.field_class, QuerySelectField) and unbound.kwargs.get(
            "allow_blank"
        ):
            unbound.kwargs["blank_text"] = BLANK_CHOICE
        if issubclass(unbound.field_class, BooleanField):
            unbound.kwargs["validators"] = [
                v for v in unbound.kwargs.get("validators", []) if not isinstance(v, InputRequired)
            ]


def name_unique_clashes(form_class, messages):
    """Give the generated uniqueness checks of `{column: message}` their own message."""
    for name, message in messages.items():
        unbound = vars(form_class).get(name)
        if not isinstance(unbound, UnboundField):
            continue
        for validator in unbound.kwargs.get("validators", []):
            if isinstance(validator, Unique):
                validator.message = message


class RefinedForms:
    """ModelView mixin: `refine_generated_form` on the add and edit forms, and
    `unique_messages = {"column": message}` for their uniqueness checks."""

    unique_messages = {}

    def _init_forms(self):
        super()._init_forms()
        for form_class in (self.add_form, self.edit_form):
            refine_generated_form(form_class)
            name_unique_clashes(form_class, self.unique_messages)


class ChoiceColumns(RefinedForms):
    """ModelView mixin: `choice_columns = {"column": Choices}` makes each column a select
    of translated labels in every form, and its label what lists and show pages print."""

    choice_columns = {}

    def _init_properties(self):
        super()._init_properties()
        model_columns = self.datamodel.obj.__table__.c
        fields = {}
        for name, choices in self.choice_columns.items():
            fields[name] = choice_field(
                choices, self.label_columns.get(name, name),
                description=(self.description_columns or {}).get(name, ""),
                required=not model_columns[name].nullable,
                validators=(self.validators_columns or {}).get(name, []),
            )
            self.formatters_columns = {**(self.formatters_columns or {}),
                                       name: choices.label}
        self.add_form_extra_fields = {**fields, **(self.add_form_extra_fields or {})}
        self.edit_form_extra_fields = {**fields, **(self.edit_form_extra_fields or {})}
        searched = {name: field for name, field in fields.items() if name in self.search_columns}
        self.search_form_extra_fields = {**searched, **(self.search_form_extra_fields or {})}
