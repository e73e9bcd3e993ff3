"""The document a configured process's step draws from a template instead of taking an
upload (a numbered document with `generate: true`): a letter of the office's template for
the step (kind "surat", key "<process>.<step>", the process's placeholders), numbered and
dated by the officer, who signs it by hand; kept as the step's artifact like an upload.

    issue_artifact(step.code, "nomor", drawn(step), ["nomor", "tanggal"])"""

from app import office_time
from app.documents.placeholders import context_for, sample_context
from app.storage.files import store_bytes
from app.workflow.decree_pdf import draw_surat
from app.workflow.document_templates import letterhead, published_version, template_by_key

SAMPLE_NUMBER = "500/017/409.110/2026"


def template_key(process_code, step_code):
    return f"{process_code}.{step_code}"


def officer_lines(officer):
    """What the signature block prints of an officer who signs by hand."""
    if officer is None:
        return "", "", "", ""
    return "", officer.full_name, officer.rank_label or "", officer.nip or ""


def draw(version, application, number, issued_on, officer, draft=False):
    """The step's letter of `application` (naskah.Rendered)."""
    _, office = letterhead()
    context = context_for(application, version.template.scope, office)
    return draw_surat(version, context, number, issued_on, None, None, draft,
                      lines=officer_lines(officer))


def draw_sample(version):
    """The letter with made-up values, to preview its template without a file."""
    _, office = letterhead()
    context = sample_context(version.template.scope, office)
    return draw_surat(version, context, SAMPLE_NUMBER, office_time.today(), None, None,
                      True, lines=("", "Nama Petugas", "", ""))


def drawn(step):
    """For steps.issue_artifact: the letter drawn from the step's published template
    with the action's number and date, stored (removed again if the action fails)."""

    def store(ctx):
        version = published_version(template_by_key(step.template_key))
        number, issued_on = ctx.form.nomor.data, ctx.form.tanggal.data
        rendered = draw(version, ctx.application, number, issued_on, ctx.actor)
        title = f"{step.document or step.label} {number}".replace("/", "-")
        return store_bytes(rendered.pdf, "pdf", f"{title}.pdf", ctx.written)

    return store
