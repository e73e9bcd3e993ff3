"""A file's decree drawn from its template: the published template version of its permit,
the file's data, the office's letterhead, the signer's identity and the validity; and a
letter drawn from a letter template (the rejection letter, a step's document)."""


from app import office_time
from app.documents import keputusan, surat
from app.documents.formatting import tanggal
from app.documents.naskah import SignatureBlock, render_keputusan, render_surat
from app.documents.placeholders import context_for, placeholders, sample_context
from app.storage.files import read_stored
from app.workflow import clock, signers
from app.workflow.document_templates import decree_version, letterhead
from app.workflow.site_map import site_map_of
from app.workflow.validity import PKKPR_VALIDITY_YEARS, validity_of


def _map_image(application):
    peta = application.latest_artifact("peta")
    if peta is None or not peta.stored_name:
        return None
    return read_stored(peta.stored_name)


def site_points(application):
    """(latitude, longitude) of the approved polygon's corners (else the applied one): the
    polygon the file page's map shows (app/workflow/site_map.py)."""
    site = site_map_of(application)
    return site.annex_ring[:-1] if site else ()


def signer_lines(user, on_date):
    """(prefix, name, rank, nip) printed under the signature: "Plt." or "Plh." when a
    delegate signs (app/workflow/signers.py); blank for a draft nobody can sign yet."""
    if user is None or not signers.can_sign_in_capacity(user, on_date):
        return "", "", "", ""
    identity = signers.signing_identity(user, on_date)
    return identity.prefix, identity.name, identity.rank or "", identity.nip or ""


def draw_surat(version, context, number, issued_on, url, signer, draft, lines=None):
    """A letter of `version` with the values `context`, signed by `signer` (a decree's
    signer, app/workflow/signers.py) or by whoever `lines` (prefix, name, rank, nip)
    names: an officer who signs it by hand."""
    content = version.content
    allowed = placeholders(version.template.scope)
    head, _ = letterhead()
    parts = surat.compose(content, context, allowed, number, tanggal(issued_on))
    prefix, name, rank, nip = lines or signer_lines(signer, clock.today())
    block = SignatureBlock(
        place_lines=(), office_title=keputusan.filled(content, "signer_title", context, allowed),
        prefix=prefix, name=name, rank=rank, nip=nip)
    return render_surat(parts, head, block, url, draft=draft)


def draw_keputusan(version, context, number, issued_on, decree_url, signer, draft,
                   map_image=None, points=()):
    """A decree of `version` with the values `context`: the permit decree, and the
    revocation decree (app/services/issued_pdf.py)."""
    content = version.content
    allowed = placeholders(version.template.scope)
    head, _ = letterhead()
    parts = keputusan.compose(content, context, allowed, number, tanggal(issued_on),
                              map_image=map_image, points=points)
    prefix, name, rank, nip = signer_lines(signer, clock.today())
    block = SignatureBlock(
        place_lines=(f"Ditetapkan di {keputusan.filled(content, 'place', context, allowed)}",
                     f"pada tanggal {tanggal(issued_on)}"),
        office_title=keputusan.filled(content, "signer_title", context, allowed),
        prefix=prefix, name=name, rank=rank, nip=nip)
    return render_keputusan(parts, head, block, decree_url, draft=draft)


def render(application, decree_url, signer=None, draft=False, version=None):
    """(naskah.Rendered, the template version) of the file's decree; `version` another
    version of its template than the published one (an admin's preview of a draft)."""
    version = version or decree_version(application)
    _, office = letterhead()
    issued_on = application.sk_date.date() if application.sk_date else office_time.today()
    years = version.content.get("validity_years") or PKKPR_VALIDITY_YEARS
    period = validity_of(application, issued_on, years)
    context = context_for(application, version.template.scope, office,
                          (period.valid_from, period.valid_until,
                           years if application.pkkpr else None), issued_on)
    rendered = draw_keputusan(
        version, context, application.sk_number or "-", issued_on, decree_url, signer, draft,
        map_image=_map_image(application) if application.pkkpr else None,
        points=site_points(application) if application.pkkpr else ())
    rendered.extra["validity"] = period
    return rendered, version


def render_sample(version, decree_url, signer=None):
    """A version drawn with made-up data, to preview it without a file."""
    _, office = letterhead()
    context = sample_context(version.template.scope, office)
    return draw_keputusan(version, context, context["sk"]["nomor"], office_time.today(), decree_url,
                          signer, draft=True,
                          points=((-8.1, 112.16), (-8.1, 112.1605), (-8.1005, 112.1605)))
