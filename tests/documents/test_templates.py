"""Decree templates are versioned data an admin edits safely: a change is a draft until
published, the preview shows it, the next decree carries it and an earlier decree keeps
the version it was made from; unknown placeholders and anything beyond the documented
data are refused, on saving and again on rendering."""

import re
import shutil
import subprocess

import pytest
from sqlalchemy import select

from app.documents.templating import TemplateProblem, check_text, render_text
from app.extensions import db
from app.storage.files import read_stored
from app.workflow import decree_pdf
from app.workflow import document_templates as templates
from models import Application, DocumentTemplate, DocumentTemplateVersion
from tests.documents.test_decree_pdf import images_in
from tests.signing.test_decree import ready_file, sign_on_the_phone_page
from tests.support import PNG

NEW_POINT = "bahwa pemohon telah menyatakan kesanggupan menjaga kelestarian lingkungan;"


def pdf_text(content, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return " ".join(text.split())


def pkkpr_template():
    return db.session.scalar(select(DocumentTemplate).where(
        DocumentTemplate.key == "sk_pkkpr_nb"))


def edit_form(client, template, **changes):
    """The editor's form as it comes, with `changes` applied."""
    page = client.get(f"/templat-dokumen/{template.id}").get_data(as_text=True)
    data = {}
    for name in ("title", "place", "annex_title", "note"):
        found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
        data[name] = found.group(1) if found else ""
    for name in ("subject", "official", "menimbang", "mengingat", "menetapkan", "diktum",
                 "signer_title", "tembusan", "annex_text", "footnote"):
        found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', page,
                          re.S)
        data[name] = (found.group(1) if found else "").replace("&#34;", '"').replace(
            "&#39;", "'").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    data["validity_years"] = "3"
    data["annex_map"] = "y"
    data.update(changes)
    return data


@pytest.fixture
def admin(login_as):
    return login_as("admin")


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils absent")


@needs_poppler
def test_an_admin_adds_a_point_previews_publishes_and_only_new_decrees_carry_it(
    admin, login_as, tmp_path
):
    earlier = ready_file()
    sign_on_the_phone_page(login_as("kepaladinas"), earlier.id)
    db.session.expire_all()
    earlier_decree = db.session.get(Application, earlier.id).decree
    earlier_pdf = read_stored(earlier_decree.stored_name)
    assert earlier_decree.template_version.number == 1

    template = pkkpr_template()
    data = edit_form(admin, template, note="Tambah pertimbangan lingkungan")
    points = data["menimbang"].split("\r\n\r\n") if "\r\n" in data["menimbang"] else \
        data["menimbang"].split("\n\n")
    data["menimbang"] = "\n\n".join([*points[:-1], NEW_POINT, points[-1]])
    saved = admin.post(f"/templat-dokumen/{template.id}", data=data)
    assert saved.status_code == 302
    draft = templates.draft_of(template)
    assert draft.number == 2 and not draft.is_published

    sample = admin.get(f"/templat-dokumen/{template.id}/pratinjau")
    assert sample.status_code == 200 and sample.mimetype == "application/pdf"
    assert "c. bahwa pemohon telah menyatakan kesanggupan" in pdf_text(sample.data, tmp_path)
    for_file = ready_file()
    preview = admin.get(f"/templat-dokumen/{template.id}/pratinjau?berkas="
                        f"{for_file.registration_number}")
    assert NEW_POINT in pdf_text(preview.data, tmp_path)
    assert "Budi Santoso" in pdf_text(preview.data, tmp_path)
    # Not published yet: the decree made now still follows version 1.
    rendered, version = decree_pdf.render(for_file, "https://x/verifikasi/y")
    assert version.number == 1 and NEW_POINT not in pdf_text(rendered.pdf, tmp_path)

    published = admin.post(f"/templat-dokumen/{template.id}/terbitkan", follow_redirects=True)
    assert "Versi 2 diterbitkan" in published.get_data(as_text=True)
    sign_on_the_phone_page(login_as("kepaladinas"), for_file.id)
    db.session.expire_all()
    later_decree = db.session.get(Application, for_file.id).decree
    assert later_decree.template_version.number == 2
    assert NEW_POINT in pdf_text(read_stored(later_decree.stored_name), tmp_path)
    # The earlier decree is the file it was, made from version 1.
    earlier_decree = db.session.get(Application, earlier.id).decree
    assert read_stored(earlier_decree.stored_name) == earlier_pdf
    assert earlier_decree.template_version.number == 1
    assert NEW_POINT not in pdf_text(earlier_pdf, tmp_path)


@pytest.mark.parametrize(("text", "problem"), [
    ("{{ pemohon.tanggal_lahir }}", "{{ pemohon.tanggal_lahir }}"),
    ("{{ gaji.pokok }}", "{{ gaji.pokok }}"),
    ("{{ pemohon }}", "{{ pemohon }}"),
])
def test_an_unknown_placeholder_is_refused_with_its_name(admin, text, problem):
    template = pkkpr_template()
    page = admin.post(f"/templat-dokumen/{template.id}",
                      data=edit_form(admin, template, subject=text)).get_data(as_text=True)
    assert f"Placeholder tidak dikenal: {problem}" in page.replace("&#123;", "{").replace(
        "&#125;", "}")
    assert templates.draft_of(template) is None


@pytest.mark.parametrize("text", [
    "{{ pemohon.nama.__class__ }}",
    "{{ pemohon.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ pemohon.nama|attr('__class__') }}",
    "{{ config }}",
    "{{ self.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% for x in range(100000000) %}x{% endfor %}",
    "{{ 'x' * 1000000000 }}",
    "{{ 9 ** 9 ** 9 }}",
    "{% set x = pemohon %}{{ x.nama }}",
    "{% include 'base.html' %}",
    "{{ lipsum() }}",
])
def test_reaching_python_internals_or_making_the_server_work_is_refused(admin, text):
    template = pkkpr_template()
    response = admin.post(f"/templat-dokumen/{template.id}",
                          data=edit_form(admin, template, subject=text))
    assert response.status_code == 200  # the form again, with the problem
    assert templates.draft_of(template) is None
    with pytest.raises(TemplateProblem):
        check_text(text, {"pemohon.nama"})


def test_a_stored_version_that_bypassed_the_editor_is_refused_at_rendering():
    template = pkkpr_template()
    bad = {**templates.published_version(template).content,
           "subject": "{{ pemohon.nama.__class__.__mro__ }}"}
    db.session.add(DocumentTemplateVersion(template=template, number=9, content=bad))
    db.session.commit()
    version = templates.draft_of(template)
    with pytest.raises(TemplateProblem):
        decree_pdf.render(ready_file(), "https://x/verifikasi/y", version=version)


def test_placeholders_conditions_and_filters_render():
    context = {"pemohon": {"nama": "Budi", "bertindak_untuk": ""},
               "aset": {"biaya": 1500000}}
    allowed = {"pemohon.nama", "pemohon.bertindak_untuk", "aset.biaya"}
    text = ("{{ pemohon.nama|upper }}{% if pemohon.bertindak_untuk %} untuk "
            "{{ pemohon.bertindak_untuk }}{% endif %}: {{ aset.biaya|rupiah }} "
            "({{ aset.biaya|terbilang }} rupiah)")
    assert render_text(text, context, allowed) == \
        "BUDI: Rp1.500.000 (satu juta lima ratus ribu rupiah)"


@pytest.mark.parametrize("username", ["pemohon", "frontoffice", "backoffice", "kepaladinas"])
def test_only_admins_open_the_template_and_letterhead_screens(login_as, username):
    client = login_as(username)
    template = pkkpr_template()
    for path in ("/templat-dokumen/", f"/templat-dokumen/{template.id}",
                 f"/templat-dokumen/{template.id}/pratinjau", "/kop-surat/"):
        assert client.get(path).status_code == 403, path


def test_the_letterhead_is_edited_with_the_emblem_and_every_decree_carries_it(admin, tmp_path):
    form = {"government": "PEMERINTAH KABUPATEN BLITAR",
            "office": "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
            "address": "Jalan Kenanga Nomor 9", "city": "Blitar", "postal_code": "66111",
            "telephone": "(0342) 555000", "email": "dpmptsp@blitarkab.go.id",
            "website": "dpmptsp.blitarkab.go.id"}
    application = ready_file()
    before, _ = decree_pdf.render(application, "https://x/verifikasi/y")
    import io

    response = admin.post("/kop-surat/", data={**form, "emblem": (io.BytesIO(PNG), "lambang.png")},
                          content_type="multipart/form-data")
    assert response.status_code == 302
    after, _ = decree_pdf.render(application, "https://x/verifikasi/y")
    assert images_in(after.pdf) == images_in(before.pdf) + 1
    if shutil.which("pdftotext"):
        text = pdf_text(after.pdf, tmp_path)
        assert "Jalan Kenanga Nomor 9, Blitar 66111" in text and "(0342) 555000" in text
    assert admin.get("/kop-surat/lambang").data == PNG


def test_an_emblem_that_is_not_an_image_is_refused_and_nothing_changes(admin):
    import io

    before = templates.own_letterhead().address
    page = admin.post("/kop-surat/", data={
        "government": "PEMERINTAH KABUPATEN BLITAR", "office": "DPMPTSP",
        "address": "Jalan Baru", "city": "Blitar", "emblem": (io.BytesIO(b"MZ\x90\x00"),
                                                            "lambang.png")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "Berkas harus berformat PNG, JPG" in page
    db.session.expire_all()
    assert templates.own_letterhead().address == before


def test_seeding_brings_a_template_no_admin_edited_up_to_the_defaults_and_leaves_the_rest():
    """An installation seeded before the renewal clause gets it in a new published
    version; a template an admin edited keeps the admin's version."""
    from app.documents.defaults import ASSET_DECREES
    from tests.support import user

    def latest(key):
        db.session.expire_all()
        template = templates.template_by_key(key)
        return template, templates.published_version(template)

    _, seeded = latest("sk_aset_sewa")
    original, seeded_id = seeded.content, seeded.id
    older = dict(original, subject="IZIN PEMANFAATAN BARANG MILIK DAERAH (LAMA)")
    seeded.content = older  # as an earlier release seeded it
    pkkpr = pkkpr_template()
    edited = dict(templates.published_version(pkkpr).content, place="Kanigoro")
    templates.save_draft(pkkpr, edited, user("admin"))
    templates.publish(pkkpr, user("admin"))
    try:
        assert templates.ensure_document_templates() == 1
        hall, after = latest("sk_aset_sewa")
        assert after.number == seeded.number + 1 and after.is_published
        assert after.content == ASSET_DECREES["sk_aset_sewa"][1]
        assert hall.versions[-2].content == older  # decrees issued from it keep it
        assert latest("sk_pkkpr_nb")[1].content["place"] == "Kanigoro"
        assert templates.ensure_document_templates() == 0
    finally:  # a seeded row: the reset after the test keeps changes to it
        db.session.get(DocumentTemplateVersion, seeded_id).content = original
        db.session.commit()
