"""The rejection letter and the revocation decree of a file (models/issued.py): opened
unsigned by the action that numbers them (inside the workflow's effects, so this module
reads no permissions), found for the file page and the public verification page.
Rendering: app/services/issued_pdf.py; who signs them and how:
app/services/issued_signing.py."""

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import NotFound
from app.extensions import db
from app.links import public_url
from models import IssuedDocument, Register

# What the download is called: "Surat Penolakan 503-001-SP-409.110-2026.pdf".
DOWNLOAD_TITLES = {Register.SURAT_PENOLAKAN: "Surat Penolakan",
                   Register.SK_PENCABUTAN: "SK Pencabutan"}
# The history entry of its signature.
SIGNED_EVENTS = {Register.SURAT_PENOLAKAN: "tandatangani_surat_penolakan",
                 Register.SK_PENCABUTAN: "tandatangani_sk_pencabutan"}


def open_document(kind, application, number):
    """The unsigned document of `application` under the `number` its register just gave;
    added to the session of the numbering action (it commits or rolls back with it)."""
    document = IssuedDocument(kind=str(kind), application=application, number=number,
                              token=secrets.token_urlsafe(32))
    db.session.add(document)
    return document


def document_of(application, kind):
    return next((d for d in application.issued_documents if d.kind == kind), None)


def verification_url(document):
    """Absolute: the QR code of the signature leads there."""
    return public_url(f"/verifikasi/{document.token}")


def download_name(document):
    return f"{DOWNLOAD_TITLES[document.kind]} {document.number.replace('/', '-')}.pdf"


def signed_document(application, document_id):
    """A signed document of a file the caller already loaded with its row visibility;
    NotFound for another file's, or one not signed yet."""
    document = next((d for d in application.issued_documents if d.id == document_id), None)
    if document is None or not document.is_signed:
        raise NotFound(_l("The document is not available yet."))
    return document


def find_by_token(token):
    """A signed document by the token of its QR code (None when there is none)."""
    document = db.session.scalar(select(IssuedDocument).where(IssuedDocument.token == token))
    return document if document is not None and document.is_signed else None
