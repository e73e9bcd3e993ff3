"""What a dry run (app/services/dry_run.py) posts: a plausible answer for a configured
field by its definition, an answer that meets or misses a step's condition, a value for
the palette's own form fields by their type and hints, and a small PDF or PNG to upload."""

import io
import secrets
from decimal import Decimal

from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import BooleanField, DateField, DecimalField, IntegerField, SelectField
from wtforms.validators import Length

from app import office_time
from app.workflow.fields import UploadField

POINT = "-8.135, 112.215"
POLYGON = ('{"type": "Polygon", "coordinates": [[[112.16, -8.10], [112.1605, -8.10], '
           '[112.1605, -8.1005], [112.16, -8.1005], [112.16, -8.10]]]}')


def blank_pdf():
    """A one-page PDF, as the office's tooling writes it (fpdf2)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Dokumen uji coba")
    return bytes(pdf.output())


def tiny_png():
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(output, format="PNG")
    return output.getvalue()


def upload_for(accepted):
    if "pdf" in accepted:
        return FileStorage(io.BytesIO(blank_pdf()), filename="uji-coba.pdf")
    return FileStorage(io.BytesIO(tiny_png()), filename="uji-coba.png")


def _clamped(value, definition):
    if definition.min is not None:
        value = max(value, definition.min)
    if definition.max is not None:
        value = min(value, definition.max)
    return value


def field_value(definition):
    """A plausible form value (as posted) for a configured field."""
    kind = definition.type
    if definition.default not in (None, "") and kind not in ("yesno", "file"):
        return str(definition.default)
    if kind == "number":
        wanted = Decimal("12.5") if definition.decimals else Decimal(12)
        return str(_clamped(wanted, definition))
    if kind == "money":
        return str(_clamped(Decimal(150000), definition))
    if kind == "date":
        return office_time.today().isoformat()
    if kind == "yesno":
        return "y"
    if kind == "choice":
        return definition.options[0][0] if definition.options else ""
    if kind in ("kecamatan", "desa"):
        return "Kanigoro"
    if kind == "coordinates":
        return POINT
    if kind == "polygon":
        return POLYGON
    if kind == "file":
        return upload_for(definition.accept)
    return f"Uji coba {definition.label}"[:definition.max_length or 200]


def _as_json(definition, posted):
    """What the file's data would hold for a posted value (to test a condition)."""
    if definition.type == "yesno":
        return posted == "y"
    if posted in (None, ""):
        return None
    return posted


def _in_range(definition, posted):
    if definition.type not in ("number", "money") or posted in (None, ""):
        return True
    value = Decimal(posted)
    if definition.type == "number" and definition.decimals == 0 and value != value.to_integral():
        return False
    return (definition.min is None or value >= definition.min) and (
        definition.max is None or value <= definition.max)


def value_meeting(condition, definition, wanted):
    """A posted value of `definition` for which `condition` holds (or not, `wanted`);
    None when none of the candidates does."""
    candidates = [field_value(definition)]
    value = condition.value
    if definition.type in ("number", "money"):
        base = Decimal(str(value)) if value not in (None, "") else Decimal(0)
        step = Decimal(1) if definition.type == "money" or not definition.decimals \
            else Decimal("0.5")
        candidates += [str(base), str(base + step), str(base - step)]
        candidates += [str(bound) for bound in (definition.min, definition.max)
                       if bound is not None]
    elif definition.type == "yesno":
        candidates += ["y", ""]
    elif definition.type == "choice":
        candidates += [option for option, _label in definition.options]
    else:
        candidates += [str(value) if value is not None else "", "Lain", ""]
    fields = {definition.name: definition}
    for candidate in candidates:
        if candidate == "" and definition.required and definition.type != "yesno":
            continue
        if not _in_range(definition, candidate):
            continue
        if condition.holds({definition.name: _as_json(definition, candidate)}, fields) \
                == wanted:
            return candidate
    return None


def _max_length(form_field):
    return next((v.max for v in form_field.validators if isinstance(v, Length)
                 and v.max and v.max > 0), 200)


def _generic_value(form_field, hint):
    """A plausible posted value of a palette form's field, by its type and hints."""
    if isinstance(form_field, UploadField):
        return upload_for(form_field.accepted)
    if isinstance(form_field, BooleanField):
        return "y"
    if isinstance(form_field, DateField):
        return office_time.today().isoformat()
    if isinstance(form_field, DecimalField | IntegerField):
        return "150000"
    if isinstance(form_field, SelectField):
        for choice in form_field.choices or ():
            value = choice[0] if isinstance(choice, tuple | list) else choice
            if value not in (None, ""):
                return str(value)
        return ""
    if (hint or {}).get("input") == "coordinates":
        return POINT
    if form_field.name == "alasan":
        return "Uji coba: berkas perlu dilengkapi."
    if form_field.name in ("nomor", "nomor_referensi"):
        return f"UJI/{secrets.randbelow(9000) + 1000}/2026"
    return f"Uji coba {form_field.label.text}"[:_max_length(form_field)]


def fill_form(form_class, known, overrides):
    """(MultiDict to post, labels of the fields shown) of a form: configured fields
    (`known`: name → FieldDef) get values from their definitions, the palette's own by
    their type; `overrides` (name → posted value) win."""
    form = form_class()
    hints = getattr(form_class, "field_hints", {})
    data, labels = MultiDict(), []
    for form_field in form:
        labels.append(str(form_field.label.text))
        name = form_field.name
        if name in overrides:
            value = overrides[name]
        elif name in known:
            value = field_value(known[name])
        else:
            value = _generic_value(form_field, hints.get(name))
        if isinstance(form_field, BooleanField) and value != "y":
            continue
        if value is not None:
            data.add(name, value)
    return data, labels
