"""The designer's forms: each turns what an admin chose from lists into a piece of the
process specification (the shape app/workflow/configured.py reads) and back."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    FileField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.workflow.configured import OPERATORS, PALETTE, TARIFF_BASES
from app.workflow.field_sets import FIELD_TYPES, UPLOAD_TYPES

NAME_RULE = Regexp(r"^[a-z][a-z0-9_]{1,39}$", message=_l(
    "2–40 lowercase letters, digits or underscores, starting with a letter."))
CODE_RULE = Regexp(r"^[a-z][a-z0-9_]{1,17}$", message=_l(
    "2–18 lowercase letters, digits or underscores, starting with a letter."))
NO_FILES = {kind: label for kind, label in FIELD_TYPES.items() if kind != "file"}


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _drop_empty(piece):
    return {key: value for key, value in piece.items() if value not in (None, "", [], {})}


class NewProcessForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Regexp(
        r"^[a-z][a-z0-9_]{1,19}$", message=_l(
            "2–20 lowercase letters, digits or underscores, starting with a letter."))],
        description=_l("Used in the addresses and the data; it cannot change later."),
        render_kw={"placeholder": "sip_nakes"})
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=150)])


class ImportForm(FlaskForm):
    file = FileField(_l("YAML file"), validators=[DataRequired()])


class HeaderForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=150)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    scoped_by_agency = BooleanField(_l("Files belong to the agency of their permit type"))
    numbering_role = SelectField(_l("Role giving the decree number"))
    signing_role = SelectField(_l("Role signing the decree"))

    def piece(self):
        return {"name": self.name.data.strip(), "description": self.description.data or "",
                "scoped_by_agency": self.scoped_by_agency.data,
                "numbering_role": self.numbering_role.data,
                "signing_role": self.signing_role.data}


class FieldForm(FlaskForm):
    name = StringField(_l("Field name"), validators=[DataRequired(), NAME_RULE],
                       description=_l("For placeholders and conditions, for example "
                                      "luas_reklame."))
    type = SelectField(_l("Type"), choices=list(FIELD_TYPES.items()))
    label = StringField(_l("Label"), validators=[DataRequired(), Length(max=200)])
    help = StringField(_l("Help text"), validators=[Optional(), Length(max=500)])
    required = BooleanField(_l("Required"), default=True)
    visible_to = SelectField(_l("Who sees it"), default="all", choices=[
        ("all", _l("Everyone, the applicant included")), ("staff", _l("Staff only"))])
    options = TextAreaField(_l("Options (choice)"), validators=[Optional()], description=_l(
        "One per line: value = label, for example “papan = Papan / billboard”."))
    min = DecimalField(_l("Minimum (number)"), validators=[Optional()])
    max = DecimalField(_l("Maximum (number)"), validators=[Optional()])
    decimals = IntegerField(_l("Decimals (number)"), validators=[Optional(), NumberRange(0, 6)])
    unit = StringField(_l("Unit (number)"), validators=[Optional(), Length(max=20)])
    max_length = IntegerField(_l("Maximum length (text)"),
                              validators=[Optional(), NumberRange(1, 10000)])
    accept = MultiCheckboxField(_l("Accepted types (file)"),
                                choices=[(kind, kind.upper()) for kind in UPLOAD_TYPES])
    max_mb = IntegerField(_l("Maximum size in MB (file)"),
                          validators=[Optional(), NumberRange(1, 50)])

    def piece(self):
        options = []
        for line in (self.options.data or "").splitlines():
            value, _, label = line.partition("=")
            if value.strip():
                options.append({"value": value.strip(), "label": label.strip() or value.strip()})
        number = self.type.data == "number"
        return _drop_empty({
            "name": self.name.data, "type": self.type.data, "label": self.label.data.strip(),
            "help": self.help.data, "required": self.required.data,
            "visible_to": self.visible_to.data if self.visible_to.data != "all" else None,
            "options": options if self.type.data == "choice" else None,
            "min": _plain(self.min.data) if number or self.type.data == "money" else None,
            "max": _plain(self.max.data) if number or self.type.data == "money" else None,
            "decimals": self.decimals.data if number else None,
            "unit": self.unit.data if number else None,
            "max_length": self.max_length.data if self.type.data in ("text", "textarea")
            else None,
            "accept": self.accept.data if self.type.data == "file" else None,
            "max_mb": self.max_mb.data if self.type.data == "file" else None,
        }) | {"required": self.required.data}

    @staticmethod
    def data_of(piece):
        return {**piece, "required": piece.get("required", True),
                "options": "\n".join(f"{o.get('value')} = {o.get('label')}"
                                     for o in piece.get("options") or ())}


class FormFieldForm(FieldForm):
    """A field of the application form: files are asked as requirements instead."""

    type = SelectField(_l("Type"), choices=list(NO_FILES.items()))


class RequirementForm(FlaskForm):
    name = StringField(_l("Document name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=1000)])
    mandatory = BooleanField(_l("Mandatory"), default=True)
    accept = MultiCheckboxField(_l("Accepted types"), default=["pdf"],
                                choices=[(kind, kind.upper()) for kind in UPLOAD_TYPES],
                                validators=[DataRequired(_l("Choose at least one type."))])
    max_mb = IntegerField(_l("Maximum size (MB)"), default=5,
                          validators=[DataRequired(), NumberRange(1, 50)])

    def piece(self):
        return {"name": self.name.data.strip(), "description": self.description.data or "",
                "mandatory": self.mandatory.data, "accept": list(self.accept.data),
                "max_mb": self.max_mb.data}

    @staticmethod
    def data_of(piece):
        return {**piece, "mandatory": piece.get("mandatory", True)}


class StepForm(FlaskForm):
    code = StringField(_l("Step code"), validators=[DataRequired(), CODE_RULE],
                       description=_l("For example tinjau_lokasi."))
    type = SelectField(_l("Kind of step"), choices=list(PALETTE.items()))
    label = StringField(_l("Label"), validators=[DataRequired(), Length(max=150)])
    role = SelectField(_l("Role taking the step"))
    new_role = StringField(_l("…or a new role"), validators=[Optional(), Length(max=64)],
                           description=_l("An agency's officers, for example “Dinas "
                                          "Kesehatan”: the role is made when the process "
                                          "is published."))
    document = StringField(_l("Name of the document it issues"),
                           validators=[Optional(), Length(max=150)],
                           description=_l("Recommendation or numbered document."))
    generate = BooleanField(
        _l("Draw the document from a letter template (numbered document)"),
        description=_l("Instead of an upload: the officer enters its number and date; the "
                       "template is edited under Document templates once published."))
    can_return = BooleanField(_l("May return the file to the applicant"), default=True)
    can_reject = BooleanField(_l("May reject the application"))
    partial = BooleanField(_l("May approve partly (recommendation)"))
    tariff_basis = SelectField(_l("Tariff (fee)"), choices=list(TARIFF_BASES.items()))
    tariff_rate = DecimalField(_l("Rate in Rp (fee)"), validators=[Optional(),
                                                                 NumberRange(min=0)])
    tariff_field = SelectField(_l("Multiplied by the field (fee)"), validate_choice=False)
    when_field = SelectField(_l("Runs only when the field"), validate_choice=False)
    when_op = SelectField(_l("Condition"), choices=list(OPERATORS.items()))
    when_value = StringField(_l("Value"), validators=[Optional(), Length(max=100)])

    def offer(self, roles, fields):
        """Fill the lists: existing roles, the fields known so far (name → label)."""
        self.role.choices = [("", _l("— choose —")), *[(r, r) for r in roles]]
        self.tariff_field.choices = [("", "—"), *fields.items()]
        self.when_field.choices = [("", _l("(always)")), *fields.items()]
        return self

    def validate_role(self, field):
        if not field.data and not (self.new_role.data or "").strip():
            raise ValidationError(_l("Choose a role or name a new one."))

    def piece(self):
        piece = {"code": self.code.data, "type": self.type.data,
                 "label": self.label.data.strip(),
                 "role": (self.new_role.data or "").strip() or self.role.data,
                 "can_return": self.can_return.data, "can_reject": self.can_reject.data}
        if self.type.data in ("recommendation", "numbered_document") and self.document.data:
            piece["document"] = self.document.data.strip()
        if self.type.data == "recommendation":
            piece["partial"] = self.partial.data
        if self.type.data == "numbered_document" and self.generate.data:
            piece["generate"] = True
        if self.type.data == "fee":
            piece["tariff"] = _drop_empty({
                "basis": self.tariff_basis.data, "rate": _plain(self.tariff_rate.data or 0),
                "field": self.tariff_field.data if self.tariff_basis.data.startswith("per_")
                else None}) | {"rate": _plain(self.tariff_rate.data or 0)}
        if self.when_field.data:
            piece["when"] = {"field": self.when_field.data, "op": self.when_op.data,
                             "value": _typed(self.when_value.data)}
        return piece

    @staticmethod
    def data_of(piece):
        tariff, when = piece.get("tariff") or {}, piece.get("when") or {}
        return {**piece, "can_return": piece.get("can_return", True),
                "can_reject": piece.get("can_reject", piece.get("type") == "recommendation"),
                "tariff_basis": tariff.get("basis", "entered"),
                "tariff_rate": tariff.get("rate"), "tariff_field": tariff.get("field", ""),
                "when_field": when.get("field", ""), "when_op": when.get("op", "eq"),
                "when_value": "" if when.get("value") is None else str(when.get("value"))}


def _plain(number):
    """A Decimal as the plainest JSON number: 25000, not 25000.00."""
    if number is None:
        return None
    return int(number) if number == int(number) else float(number)


def _typed(text):
    """A condition's value: a number when it reads as one (for gt/lt), else the text."""
    text = (text or "").strip()
    if text.lower() in ("ya", "yes", "true"):
        return True
    if text.lower() in ("tidak", "no", "false"):
        return False
    try:
        return _plain(float(text.replace(",", ".")))
    except ValueError:
        return text
