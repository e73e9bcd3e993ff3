"""The rejection letter and the revocation decree drawn from their templates: the
published version (or the version an admin previews), the facts of the rejection or of
the revocation, the office's letterhead and the signer's identity.

    rendered, version = render(document, signer=user)  # naskah.Rendered, its version"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app import office_time
from app.documents.placeholders import (
    rejection_context,
    revocation_context,
    sample_rejection_facts,
    sample_revocation_facts,
)
from app.errors import NotFound
from app.services.revocation import RevocationFacts, revocation_facts
from app.workflow.decree_pdf import draw_keputusan, draw_surat
from app.workflow.document_templates import letterhead, published_version, template_by_key
from app.workflow.issued_documents import document_of, verification_url
from app.workflow.rejections import RejectionFacts, rejection_facts
from models import Register

SAMPLE_URL = "https://contoh/verifikasi/x"


def _rejection(application):
    """(facts, number, date) of the file's rejection."""
    if application.rejection is None:
        raise NotFound()
    facts = rejection_facts(application.rejection)
    return facts, facts.number, facts.dated


def _revocation(application):
    """(facts, number, date) of the revocation of the file's decree."""
    facts = revocation_facts(application.decree) if application.decree else None
    if facts is None:
        raise NotFound()
    return facts, facts.revocation_number, facts.revoked_on


@dataclass(frozen=True)
class Kind:
    template_key: str
    facts: object  # application → (facts, number, date)
    context: object  # (facts, office) → the template's values
    draw: object  # draw_keputusan or draw_surat
    sample: object  # () → sample facts
    sample_number: str


KINDS = {
    Register.SURAT_PENOLAKAN: Kind(
        "surat_penolakan", _rejection, rejection_context, draw_surat,
        lambda: RejectionFacts(**sample_rejection_facts()), "503/012/SP/409.110/2026"),
    Register.SK_PENCABUTAN: Kind(
        "sk_pencabutan", _revocation, revocation_context, draw_keputusan,
        lambda: RevocationFacts(**sample_revocation_facts()), "503/140/409.110/2026"),
}
TEMPLATE_KINDS = {kind.template_key: register for register, kind in KINDS.items()}


def render(document, signer=None, draft=False, version=None):
    """(naskah.Rendered, the template version) of an issued document; `version` another
    version of its template than the published one (an admin's preview of a draft)."""
    kind = KINDS[document.kind]
    version = version or published_version(template_by_key(kind.template_key))
    facts, number, issued_on = kind.facts(document.application)
    _, office = letterhead()
    rendered = kind.draw(version, kind.context(facts, office), number, issued_on,
                         verification_url(document), signer, draft)
    return rendered, version


def render_for_file(template, version, application):
    """An admin's preview of a template version with the document of `application`
    (NotFound when the file has none of this template's kind)."""
    document = document_of(application, TEMPLATE_KINDS[template.key])
    if document is None:
        raise NotFound(_l("No file of this template has that registration number."))
    rendered, _ = render(document, draft=True, version=version)
    return rendered


def render_sample(template, version):
    """A template version drawn with made-up facts, to preview it without a file."""
    kind = KINDS[TEMPLATE_KINDS[template.key]]
    _, office = letterhead()
    return kind.draw(version, kind.context(kind.sample(), office), kind.sample_number,
                     office_time.today(), SAMPLE_URL, None, True)
