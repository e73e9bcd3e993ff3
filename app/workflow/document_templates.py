"""Document templates as versioned data: the published version of each, drafts an admin
edits and publishes, the defaults, and the letterheads documents are printed under."""

import json

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.documents import keputusan, skrd, surat
from app.documents.defaults import ISSUED_TEMPLATES, SKRD_TEMPLATES
from app.documents.naskah import LetterheadData
from app.documents.placeholders import placeholders
from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.storage.files import read_stored, remove_files, store_upload
from app.workflow.engine import unit_of_work
from app.workflow.registry import WORKFLOWS, workflow_of
from models import DocumentTemplate, DocumentTemplateVersion, Letterhead
from models.application import utcnow

DEFAULT_LETTERHEAD = {
    "government": "PEMERINTAH KABUPATEN BLITAR",
    "office": "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
    "address": "Jalan Semeru Nomor 46, Kanigoro",
    "city": "Blitar",
    "postal_code": "66171",
    "telephone": "(0342) 801136",
    "email": "dpmptsp@blitarkab.go.id",
    "website": "dpmptsp.blitarkab.go.id",
}


def _defaults():
    """(key, kind, name, scope, content) of every default template."""
    for workflow in WORKFLOWS.values():
        for key, (name, content) in workflow.default_decrees.items():
            yield key, "keputusan", name, workflow.kind, content
    for key, (name, kind, scope, content) in ISSUED_TEMPLATES.items():
        yield key, kind, name, scope, content
    for key, (name, scope, content) in SKRD_TEMPLATES.items():
        yield key, "skrd", name, scope, content


# How the versions the seed writes are noted; an admin's edit names its author instead.
DEFAULT_NOTE = "Templat bawaan"
UPDATED_DEFAULT_NOTE = "Templat bawaan (diperbarui)"


def ensure_document_templates():
    """Add the default templates that are missing (as version 1, published) and the
    office's letterhead. A template an admin never edited (its latest version is the
    seed's) follows the defaults: a new version of them is published when they changed
    (a renewal's decree citing the previous one, for example). Never touches what an
    admin changed. Returns how many were added."""
    existing = {template.key: template for template in db.session.scalars(
        select(DocumentTemplate))}
    added = 0
    for key, kind, name, scope, content in _defaults():
        template = existing.get(key)
        if template is None:
            template = DocumentTemplate(key=key, kind=kind, scope=scope, name=name)
            template.versions.append(DocumentTemplateVersion(
                number=1, content=content, note=DEFAULT_NOTE, published_at=utcnow()))
            db.session.add(template)
            added += 1
        elif _follows_defaults(template) and \
                template.versions[-1].content != json.loads(json.dumps(content)):
            template.versions.append(DocumentTemplateVersion(
                number=template.versions[-1].number + 1, content=content,
                note=UPDATED_DEFAULT_NOTE, published_at=utcnow()))
            added += 1
    if db.session.scalar(select(Letterhead).where(Letterhead.agency_id.is_(None))) is None:
        db.session.add(Letterhead(**DEFAULT_LETTERHEAD))
        added += 1
    db.session.commit()
    return added


def _follows_defaults(template):
    """Its latest version is published and was written by the seed, not by an admin."""
    latest = template.versions[-1] if template.versions else None
    return latest is not None and latest.is_published and latest.created_by_id is None \
        and (latest.note or "").startswith(DEFAULT_NOTE)


def template_by_key(key):
    template = db.session.scalar(select(DocumentTemplate).where(DocumentTemplate.key == key))
    if template is None:
        raise NotFound(_l("The document template %(key)s does not exist; run "
                          "`flask siap seed-templates`.", key=key))
    return template


def published_version(template):
    version = db.session.scalar(
        select(DocumentTemplateVersion)
        .where(DocumentTemplateVersion.template_id == template.id,
               DocumentTemplateVersion.published_at.is_not(None))
        .order_by(DocumentTemplateVersion.number.desc()).limit(1))
    if version is None:
        raise NotFound(_l("The document template “%(name)s” has no published version.",
                          name=template.name))
    return version


def decree_template_key(application):
    """The kind's own choice (Workflow.decree_template), or "sk_<kind>"."""
    choose = workflow_of(application).decree_template
    return choose(application) if choose else f"sk_{application.kind}"


def decree_version(application):
    """The template version a decree of this file is made from now."""
    return published_version(template_by_key(decree_template_key(application)))


def draft_of(template):
    """The template's unpublished version, if an admin started one."""
    return db.session.scalar(
        select(DocumentTemplateVersion)
        .where(DocumentTemplateVersion.template_id == template.id,
               DocumentTemplateVersion.published_at.is_(None)))


# Each kind of template checks its own parts (models/documents.py TEMPLATE_KINDS).
CONTENT_CHECKS = {"keputusan": keputusan.check_content, "surat": surat.check_content,
                  "skrd": skrd.check_content}


def check_template_content(template, content):
    """Raise InvalidInput naming each part with an unknown placeholder or a forbidden
    construct."""
    problems = CONTENT_CHECKS[template.kind](content, placeholders(template.scope))
    if problems:
        raise InvalidInput({
            name: getattr(problem, "message", None) or _l("This part is required.")
            for name, problem in problems.items()})


def save_draft(template, content, user, note=None):
    """Keep an admin's edit as the template's draft (a new version number, unpublished)."""
    check_template_content(template, content)
    draft = draft_of(template)
    if draft is None:
        number = db.session.scalar(select(func.max(DocumentTemplateVersion.number)).where(
            DocumentTemplateVersion.template_id == template.id)) or 0
        draft = DocumentTemplateVersion(template=template, number=number + 1)
        db.session.add(draft)
    draft.content, draft.note, draft.created_by_id = content, note, user.id
    draft.created_at = utcnow()
    db.session.commit()
    return draft


def publish(template, user):
    """The draft becomes the version new documents are made from. Documents already
    issued keep theirs (their PDFs are stored; each names its version)."""
    draft = draft_of(template)
    if draft is None:
        raise Conflict(_l("There is no draft to publish."))
    check_template_content(template, draft.content)
    draft.published_at = utcnow()
    db.session.commit()
    return draft


# --- letterheads ------------------------------------------------------------------------


def own_letterhead(agency=None):
    """The letterhead row of `agency` (None: of DPMPTSP), if it has one."""
    owner = Letterhead.agency_id.is_(None) if agency is None else \
        Letterhead.agency_id == agency.id
    return db.session.scalar(select(Letterhead).where(owner))


EMBLEM_TYPES = ("png", "jpg")
EMBLEM_MAX_BYTES = 2 * 1024 * 1024


def save_letterhead(form, emblem_upload=None, agency=None):
    """The office's letterhead (or `agency`'s) from the form; a new emblem (PNG or JPG,
    checked like any upload) replaces the old one, whose file is removed once the change
    is committed."""
    row = own_letterhead(agency) or Letterhead(agency_id=agency.id if agency else None)
    db.session.add(row)
    for name in ("government", "office", "address", "city", "postal_code", "telephone",
                 "email", "website"):
        setattr(row, name, (form[name].data or "").strip() or None)
    old_file, written = row.stored_name, []
    with unit_of_work(written):
        if emblem_upload is not None and emblem_upload.filename:
            stored = store_upload(emblem_upload, EMBLEM_TYPES, EMBLEM_MAX_BYTES, field="emblem",
                                  written=written)
            for column, value in stored.columns().items():
                setattr(row, column, value)
    if old_file and old_file != row.stored_name:
        remove_files([old_file])
    return row


def letterhead(agency=None):
    """The kop surat of DPMPTSP, or of `agency`. An agency without a letterhead of its
    own gets its name under the regency's heading (never DPMPTSP's name and address on
    a document the agency issues); without an emblem of its own, the regency's."""
    office = own_letterhead() or Letterhead(**DEFAULT_LETTERHEAD)
    row = own_letterhead(agency) if agency is not None else office
    if row is None:
        row = Letterhead(government=office.government, office=agency.name.upper(),
                         address="", city=office.city)
    address = ", ".join(part for part in (row.address, row.city) if part) \
        if row.address else ""
    if address and row.postal_code:
        address += f" {row.postal_code}"
    contact = "  ".join(part for part in (
        f"Telepon {row.telephone}" if row.telephone else "",
        f"Pos-el {row.email}" if row.email else "",
        f"Laman {row.website}" if row.website else "") if part)
    emblem_row = row if row.stored_name else office
    emblem = read_stored(emblem_row.stored_name) if emblem_row.stored_name else None
    return LetterheadData(government=row.government, office=row.office,
                          lines=tuple(line for line in (address, contact) if line),
                          emblem=emblem), row
