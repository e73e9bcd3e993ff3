"""The editor's form for a decree template: one field per part of the decree; a list
(Menimbang, Mengingat, the dictum) is typed as paragraphs separated by an empty line,
the copies (Tembusan) one per line."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

PARAGRAPHS = re.compile(r"\n\s*\n")
PARAGRAPH_HINT = _l("One item per paragraph: leave an empty line between items.")


class DecreeTemplateForm(FlaskForm):
    title = StringField(_l("Title (KEPUTUSAN …)"), validators=[DataRequired(), Length(max=300)])
    subject = TextAreaField(_l("Subject (after TENTANG)"), validators=[DataRequired()])
    official = TextAreaField(_l("Deciding official (KEPALA DINAS …,)"),
                             validators=[DataRequired()])
    menimbang = TextAreaField(_l("Menimbang (considerations a., b., …)"),
                              description=PARAGRAPH_HINT, validators=[DataRequired()])
    mengingat = TextAreaField(_l("Mengingat (legal bases 1., 2., …)"),
                              description=PARAGRAPH_HINT, validators=[DataRequired()])
    menetapkan = TextAreaField(_l("Menetapkan"), validators=[DataRequired()])
    diktum = TextAreaField(
        _l("Dictum (KESATU, KEDUA, … are numbered for you)"),
        description=_l("One clause per paragraph: leave an empty line between clauses. A "
                       "line written “Label | value” is printed as a row."),
        validators=[DataRequired()])
    place = StringField(_l("Place of issue (Ditetapkan di …)"),
                        validators=[DataRequired(), Length(max=60)])
    signer_title = TextAreaField(_l("Signer's office title"), validators=[DataRequired()])
    tembusan = TextAreaField(_l("Copies (Tembusan), one per line"), validators=[Optional()])
    annex_title = StringField(_l("Annex title (empty: no annex)"),
                              validators=[Optional(), Length(max=200)])
    annex_text = TextAreaField(_l("Annex text"), validators=[Optional()])
    annex_map = BooleanField(_l("The annex shows the site map and its corner points"))
    footnote = TextAreaField(_l("Footnote on every page (electronic signature)"),
                             validators=[Optional()])
    validity_years = IntegerField(_l("Validity in years (empty: from the file)"),
                                  validators=[Optional(), NumberRange(min=1, max=50)])
    note = StringField(_l("What changed (for the version history)"),
                       validators=[Optional(), Length(max=200)])


class LetterheadForm(FlaskForm):
    government = StringField(_l("Government (PEMERINTAH KABUPATEN …)"),
                             validators=[DataRequired(), Length(max=100)])
    office = StringField(_l("Office name"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Address"), validators=[DataRequired(), Length(max=200)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=60)])
    postal_code = StringField(_l("Postal code"), validators=[
        Optional(), Regexp(r"^\d{5}$", message=_l("Five digits."))])
    telephone = StringField(_l("Telephone"), validators=[Optional(), Length(max=40)])
    email = StringField(_l("Email"), validators=[Optional(), Email(), Length(max=120)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=120)])


LISTS = ("menimbang", "mengingat", "diktum")


def content_from(form):
    """The template content of a submitted form."""
    content = {name: (form[name].data or "").strip() for name in (
        "title", "subject", "official", "menetapkan", "place", "signer_title", "annex_title",
        "annex_text", "footnote")}
    for name in LISTS:
        content[name] = [part.strip() for part in PARAGRAPHS.split(form[name].data or "")
                         if part.strip()]
    content["tembusan"] = [line.strip() for line in (form.tembusan.data or "").splitlines()
                           if line.strip()]
    content["annex_map"] = bool(form.annex_map.data)
    content["validity_years"] = form.validity_years.data
    return content


def form_data(content):
    """The form's starting values for a content."""
    data = {name: value for name, value in content.items() if not isinstance(value, list)}
    for name in LISTS:
        data[name] = "\n\n".join(content.get(name) or [])
    data["tembusan"] = "\n".join(content.get("tembusan") or [])
    return data


# --- letters (the rejection letter) -----------------------------------------------------


class LetterTemplateForm(FlaskForm):
    place = StringField(_l("Place of the letter (before its date)"),
                        validators=[DataRequired(), Length(max=60)])
    sifat = StringField(_l("Sifat (nature: Biasa, Segera, …)"),
                        validators=[Optional(), Length(max=60)])
    lampiran = StringField(_l("Lampiran (enclosures; - for none)"),
                           validators=[Optional(), Length(max=100)])
    hal = TextAreaField(_l("Hal (subject)"), validators=[DataRequired()])
    addressee = TextAreaField(_l("Addressee (Yth. …), one line each"),
                              validators=[DataRequired()])
    paragraphs = TextAreaField(
        _l("Body paragraphs"),
        description=_l("One paragraph per block: leave an empty line between paragraphs. "
                       "A paragraph whose conditions leave it empty is left out."),
        validators=[DataRequired()])
    signer_title = TextAreaField(_l("Signer's office title"), validators=[DataRequired()])
    tembusan = TextAreaField(_l("Copies (Tembusan), one per line"), validators=[Optional()])
    footnote = TextAreaField(_l("Footnote on every page (electronic signature)"),
                             validators=[Optional()])
    note = StringField(_l("What changed (for the version history)"),
                       validators=[Optional(), Length(max=200)])


# --- the SKRD template (kind "skrd") ----------------------------------------------------


class SkrdTemplateForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    retribution_name = StringField(_l("Retribution name"),
                                   validators=[DataRequired(), Length(max=200)])
    legal_basis = TextAreaField(_l("Legal basis (numbered 1., 2., …)"),
                                description=PARAGRAPH_HINT, validators=[DataRequired()])
    payment = TextAreaField(
        _l("Where and how to pay"),
        description=_l("The account and virtual account come from the agency's SKRD "
                       "settings: {{ retribusi.bank }}, {{ retribusi.rekening }}, …"),
        validators=[DataRequired()])
    late_sanction = TextAreaField(_l("Late payment sanction"), validators=[DataRequired()])
    closing = TextAreaField(_l("Closing text (optional)"), validators=[Optional()])
    place = StringField(_l("Place of issue"), validators=[DataRequired(), Length(max=60)])
    footnote = TextAreaField(_l("Footnote on every page (optional)"), validators=[Optional()])
    note = StringField(_l("What changed (for the version history)"),
                       validators=[Optional(), Length(max=200)])


def letter_content_from(form):
    """The letter template content of a submitted form."""
    content = {name: (form[name].data or "").strip() for name in (
        "place", "sifat", "lampiran", "hal", "addressee", "signer_title", "footnote")}
    content["paragraphs"] = [part.strip() for part in PARAGRAPHS.split(form.paragraphs.data or "")
                             if part.strip()]
    content["tembusan"] = [line.strip() for line in (form.tembusan.data or "").splitlines()
                           if line.strip()]
    return content


def letter_form_data(content):
    """The letter form's starting values for a content."""
    data = {name: value for name, value in content.items() if not isinstance(value, list)}
    data["paragraphs"] = "\n\n".join(content.get("paragraphs") or [])
    data["tembusan"] = "\n".join(content.get("tembusan") or [])
    return data


SKRD_LINES = ("title", "retribution_name", "payment", "late_sanction", "closing", "place",
              "footnote")


def skrd_content_from(form):
    content = {name: (form[name].data or "").strip() for name in SKRD_LINES}
    content["legal_basis"] = [part.strip() for part in PARAGRAPHS.split(
        form.legal_basis.data or "") if part.strip()]
    return content


def skrd_form_data(content):
    data = {name: content.get(name) or "" for name in SKRD_LINES}
    data["legal_basis"] = "\n\n".join(content.get("legal_basis") or [])
    return data


# kind of template → (its form, the content of a submitted form, the form's values).
TEMPLATE_FORMS = {
    "keputusan": (DecreeTemplateForm, content_from, form_data),
    "surat": (LetterTemplateForm, letter_content_from, letter_form_data),
    "skrd": (SkrdTemplateForm, skrd_content_from, skrd_form_data),
}
