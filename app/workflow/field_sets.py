"""Forms as data: the field sets of a configured process (its application form and each
step's form). One field definition gives the web form (WTForms), the validation, the
stored JSON value, the value as a person reads it, and the hints the API publishes.

A field in a process specification:

    {"name": "luas_reklame", "type": "number", "label": "Luas bidang reklame",
     "help": "…", "required": true, "visible_to": "all",
     "min": 0.5, "max": 200, "decimals": 2, "unit": "m²"}

Types and their own keys: text (max_length, pattern), textarea (max_length), number
(min, max, decimals, unit), money (min, max), date, yesno, choice (options: [{value,
label}]), kecamatan (a kecamatan of the regency), desa (a village, typed), coordinates
(a point in the regency, "lat, lon"), polygon (GeoJSON), file (accept, max_mb).
`visible_to` is "all" (the applicant too) or "staff"."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from app.documents.formatting import angka, tanggal
from app.geo import BLITAR_BOUNDS, KECAMATAN_BLITAR
from app.workflow.fields import SiapForm, UploadField
from app.workflow.pkkpr_forms import geojson_polygon
from models.catalogue import UPLOAD_TYPES

FIELD_TYPES = {
    "text": _l("Short text"),
    "textarea": _l("Long text"),
    "number": _l("Number"),
    "money": _l("Amount of money (Rp)"),
    "date": _l("Date"),
    "yesno": _l("Yes / no"),
    "choice": _l("Choice from a list"),
    "kecamatan": _l("Kecamatan of the regency"),
    "desa": _l("Village (desa/kelurahan)"),
    "coordinates": _l("Coordinates (latitude, longitude)"),
    "polygon": _l("Site polygon (GeoJSON)"),
    "file": _l("File"),
}
VISIBILITY = ("all", "staff")
NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
EMPTY = "—"


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str
    label: str
    help: str = ""
    required: bool = True
    visible_to: str = "all"
    min: Decimal | None = None
    max: Decimal | None = None
    decimals: int = 0
    unit: str = ""
    max_length: int | None = None
    pattern: str | None = None
    options: tuple = ()  # ((value, label), ...)
    accept: tuple = ("pdf",)
    max_mb: int = 5
    default: object = None
    extra: dict = field(default_factory=dict, compare=False)

    # --- the web form -------------------------------------------------------------

    def form_field(self):
        """An unbound WTForms field for this definition."""
        presence = [InputRequired(_l("This field is required."))] if self.required \
            else [Optional()]
        kwargs = {"description": self.help, "default": self.default}
        if self.type == "text":
            validators = [*presence, Length(max=self.max_length or 200)]
            if self.pattern:
                validators.append(Regexp(self.pattern, message=_l(
                    "The value does not have the expected form.")))
            return StringField(self.label, validators=validators, **kwargs)
        if self.type in ("textarea", "polygon"):
            validators = [*presence, Length(max=self.max_length or 4000)]
            if self.type == "polygon":
                validators.append(geojson_polygon)
            return TextAreaField(self.label, validators=validators, **kwargs)
        if self.type in ("number", "money"):
            places = self.decimals if self.type == "number" else 0
            return DecimalField(self.label, places=places, validators=[
                *presence, _range(self.min, self.max), _decimals(places)], **kwargs)
        if self.type == "date":
            return DateField(self.label, validators=presence, **kwargs)
        if self.type == "yesno":
            return BooleanField(self.label, description=self.help,
                                default=bool(self.default))
        if self.type in ("choice", "kecamatan"):
            choices = self.choices()
            return SelectField(self.label, choices=[("", _l("— choose —")), *choices],
                               validators=[*presence, _one_of(dict(choices))], **kwargs)
        if self.type == "desa":
            return StringField(self.label, validators=[*presence, Length(max=100)], **kwargs)
        if self.type == "coordinates":
            return StringField(self.label, validators=[*presence, _point_in_regency],
                               **kwargs)
        if self.type == "file":
            return UploadField(self.label, accepted=self.accept, max_mb=self.max_mb,
                               required=self.required, description=self.help)
        raise ValueError(f"unknown field type {self.type}")

    def choices(self):
        if self.type == "kecamatan":
            return [(name, name) for name in KECAMATAN_BLITAR]
        return list(self.options)

    # --- stored values --------------------------------------------------------------

    def to_json(self, data):
        """The validated form value as JSON (numbers as strings keep their decimals)."""
        if data in (None, "") and self.type != "yesno":
            return None
        if self.type in ("number", "money"):
            return str(Decimal(data).quantize(Decimal(1).scaleb(
                -(self.decimals if self.type == "number" else 0))))
        if self.type == "date":
            return data.isoformat()
        if self.type == "yesno":
            return bool(data)
        if self.type in ("text", "textarea", "desa", "polygon", "coordinates"):
            return str(data).strip() or None
        return data

    def from_json(self, value):
        """The stored value as the form's starting value."""
        if value is None:
            return None
        if self.type in ("number", "money"):
            return Decimal(value)
        if self.type == "date":
            return date.fromisoformat(value)
        return value

    def display(self, value):
        """The stored value as a person reads it: labels, Indonesian numbers and dates."""
        if value is None or value == "":
            return EMPTY if self.type != "yesno" else str(_l("No"))
        if self.type == "yesno":
            return str(_l("Yes") if value else _l("No"))
        if self.type == "money":
            return f"Rp{angka(value)}"
        if self.type == "number":
            shown = angka(value)
            return f"{shown} {self.unit}".strip()
        if self.type == "date":
            return tanggal(date.fromisoformat(value))
        if self.type == "choice":
            return str(dict(self.options).get(value, value))
        if self.type == "file":
            return value.get("filename", "") if isinstance(value, dict) else str(value)
        return str(value)

    # --- the API --------------------------------------------------------------------

    def hints(self):
        """What a client needs to fill the field without guessing."""
        # `type` stays the wire type the API gives every field (string, number, date,
        # boolean, choice, file); `input` says what the office asks for.
        hint = {"input": self.type, "visible_to": self.visible_to}
        optional = {"help": self.help or None, "unit": self.unit or None,
                    "min": _plain(self.min), "max": _plain(self.max),
                    "pattern": self.pattern, "max_length": self.max_length,
                    "default": self.default}
        hint.update({key: value for key, value in optional.items() if value is not None})
        if self.type == "number":
            hint["decimals"] = self.decimals
        if self.type == "file":
            hint.update(accept=list(self.accept), max_mb=self.max_mb)
        if self.type == "coordinates":
            hint["format"] = "lat, lon"
        if self.type == "date":
            hint["format"] = "YYYY-MM-DD"
        return hint


def _plain(value):
    return None if value is None else str(value)


def _range(low, high):
    def check(form, field):
        if field.data is None:
            return
        if low is not None and field.data < low:
            raise ValidationError(_l("At least %(min)s.", min=angka(low)))
        if high is not None and field.data > high:
            raise ValidationError(_l("At most %(max)s.", max=angka(high)))

    return check


def _places(value):
    return max(0, -Decimal(value).as_tuple().exponent)


def _decimals(places):
    def check(form, field):
        if field.data is not None and _places(field.data.normalize()) > places:
            raise ValidationError(_l("At most %(places)s digits after the comma.",
                                     places=places))

    return check


def _one_of(options):
    def check(form, field):
        if field.data and field.data not in options:
            raise ValidationError(_l("Choose one of the options."))

    return check


def parse_point(text):
    """"lat, lon" → (Decimal, Decimal); ValueError when it is not a point."""
    parts = [part.strip() for part in str(text).replace(";", ",").split(",")]
    if len(parts) != 2:
        raise ValueError(text)
    try:
        return Decimal(parts[0]), Decimal(parts[1])
    except InvalidOperation:
        raise ValueError(text) from None


def _point_in_regency(form, field):
    if not field.data:
        return
    try:
        lat, lon = parse_point(field.data)
    except ValueError:
        raise ValidationError(_l("Write the point as “latitude, longitude”, for example "
                                 "“-8.0954, 112.1609”.")) from None
    if not (BLITAR_BOUNDS["min_lat"] <= lat <= BLITAR_BOUNDS["max_lat"]
            and BLITAR_BOUNDS["min_lon"] <= lon <= BLITAR_BOUNDS["max_lon"]):
        raise ValidationError(_l("The point lies outside Kabupaten Blitar."))


# --- reading definitions from a specification ------------------------------------------


def read_field(raw, where, problems):
    """A FieldDef from a specification's field, or None; problems are appended as
    sentences naming `where` (the form or step)."""
    if not isinstance(raw, dict):
        problems.append(_l("%(where)s: a field must be a mapping.", where=where))
        return None
    name, kind = str(raw.get("name", "")), raw.get("type")
    label = str(raw.get("label") or "").strip()
    if not NAME.match(name):
        problems.append(_l("%(where)s: the field name “%(name)s” must be 2–40 lowercase "
                           "letters, digits or underscores, starting with a letter.",
                           where=where, name=name))
    if kind not in FIELD_TYPES:
        problems.append(_l("%(where)s: field %(name)s has an unknown type “%(type)s”.",
                           where=where, name=name, type=kind))
        return None
    if not label:
        problems.append(_l("%(where)s: field %(name)s needs a label.", where=where,
                           name=name))
    visible_to = raw.get("visible_to", "all")
    if visible_to not in VISIBILITY:
        problems.append(_l("%(where)s: field %(name)s: “visible_to” is “all” or “staff”.",
                           where=where, name=name))
    values = {}
    for key in ("min", "max"):
        if raw.get(key) is not None:
            try:
                values[key] = Decimal(str(raw[key]))
            except InvalidOperation:
                problems.append(_l("%(where)s: field %(name)s: %(key)s is not a number.",
                                   where=where, name=name, key=key))
    if "min" in values and "max" in values and values["min"] > values["max"]:
        problems.append(_l("%(where)s: field %(name)s: the minimum is above the maximum.",
                           where=where, name=name))
    options = ()
    if kind == "choice":
        options = tuple((str(option.get("value")), str(option.get("label") or option.get(
            "value"))) for option in raw.get("options") or () if isinstance(option, dict))
        if not options:
            problems.append(_l("%(where)s: the choice field %(name)s needs options.",
                               where=where, name=name))
    accept = tuple(raw.get("accept") or ("pdf",))
    if kind == "file" and not set(accept) <= set(UPLOAD_TYPES):
        problems.append(_l("%(where)s: field %(name)s accepts only %(types)s.", where=where,
                           name=name, types=", ".join(UPLOAD_TYPES)))
    pattern = raw.get("pattern")
    if pattern:
        try:
            re.compile(pattern)
        except re.error:
            problems.append(_l("%(where)s: field %(name)s: the pattern is not valid.",
                               where=where, name=name))
    try:
        decimals, max_mb = int(raw.get("decimals", 0)), int(raw.get("max_mb", 5))
        max_length = int(raw["max_length"]) if raw.get("max_length") else None
    except (TypeError, ValueError):
        problems.append(_l("%(where)s: field %(name)s: decimals, max_mb and max_length are "
                           "whole numbers.", where=where, name=name))
        decimals, max_mb, max_length = 0, 5, None
    return FieldDef(
        name=name, type=kind, label=label, help=str(raw.get("help") or ""),
        required=bool(raw.get("required", True)), visible_to=visible_to,
        min=values.get("min"), max=values.get("max"), decimals=decimals,
        unit=str(raw.get("unit") or ""), max_length=max_length, pattern=pattern,
        options=options, accept=accept, max_mb=max_mb, default=raw.get("default"),
    )


def read_fields(raws, where, problems):
    fields = [read_field(raw, where, problems) for raw in raws or ()]
    return tuple(f for f in fields if f is not None)


def form_class(fields, base=SiapForm, name="ConfiguredForm"):
    """A WTForms class with one field per definition (after `base`'s own fields); its
    `field_hints` are what the API publishes of each (app/api describe_form)."""
    members = {f.name: f.form_field() for f in fields}
    members["field_hints"] = {**getattr(base, "field_hints", {}),
                              **{f.name: f.hints() for f in fields}}
    return type(name, (base,), members)


def answers(fields, form):
    """{name: JSON value} of the form's validated data, files aside (the engine stores
    them)."""
    return {f.name: f.to_json(form[f.name].data) for f in fields if f.type != "file"}


def answers_seen(application, workflow, user):
    """[(name, label, stored value, value as read)] of a configured process's answers
    the user may see: fields meant for staff only to staff (not to the applicant)."""
    if workflow.spec is None:
        return []
    from app.workflow.access import is_applicant

    staff = not is_applicant(user, application)
    data = application.form_data or {}
    return [(name, f.label, data.get(name), f.display(data.get(name)))
            for name, f in workflow.spec.fields.items()
            if name in data and (f.visible_to == "all" or staff)]
