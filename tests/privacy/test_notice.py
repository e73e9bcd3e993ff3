"""The privacy notice is public and in Indonesian: what is kept, why (the legal basis),
for how long (the retention setting, the archive), who sees it, the rights and how to use
them, and the office's contact; every page's footer, the registration form and the
profile link to it."""

import pytest

from app.extensions import db
from app.workflow.document_templates import own_letterhead

NOTICE = "/privasi/"


def test_the_notice_is_public_and_in_indonesian(client):
    response = client.get(NOTICE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'lang="id"' in page
    for heading in ("Data yang kami simpan", "Untuk apa dan atas dasar apa",
                    "Berapa lama data disimpan", "Siapa yang dapat melihat data Anda",
                    "Hak Anda dan cara menggunakannya", "Kontak"):
        assert heading in page, heading


def test_it_says_what_is_kept_why_and_for_how_long(client):
    page = client.get(NOTICE).get_data(as_text=True)
    for fact in ("NIK", "KTP", "nomor WhatsApp", "surat keputusan",
                 "Undang-Undang Nomor 27 Tahun 2022", "Pasal 20 ayat (2)",
                 "UU 43/2009 tentang Kearsipan", "dihapus 5 tahun setelah"):
        assert fact in page, fact


def test_the_retention_it_states_is_the_setting(app, client):
    app.config["PERSONAL_DOCUMENT_RETENTION_YEARS"] = 7
    try:
        page = client.get(NOTICE).get_data(as_text=True)
    finally:
        app.config["PERSONAL_DOCUMENT_RETENTION_YEARS"] = 5
    assert "dihapus 7 tahun setelah" in page


def test_it_names_who_sees_files_and_how_to_use_each_right(client):
    page = client.get(NOTICE).get_data(as_text=True)
    for office in ("Front office DPMPTSP", "ATR/BPN"):
        assert office.lower() in page.lower(), office
    for way in ("Unduh data saya", "Profil → Ubah profil", "Hapus akun"):
        assert way in page, way


def test_the_contact_is_the_offices_letterhead(client):
    letterhead = own_letterhead()
    if letterhead is not None:
        letterhead.telephone = "(0342) 999888"
        letterhead.email = "ppid@blitarkab.go.id"
        db.session.commit()
    page = client.get(NOTICE).get_data(as_text=True)
    expected = ("(0342) 999888", "ppid@blitarkab.go.id") if letterhead else (
        "(0342) 801136", "dpmptsp@blitarkab.go.id")
    assert all(value in page for value in expected)


def test_english_readers_get_the_translation(client):
    client.get("/lang/en")
    page = client.get(NOTICE).get_data(as_text=True)
    assert "What we keep" in page and "Data yang kami simpan" not in page
    client.get("/lang/id")


@pytest.mark.parametrize("path", ["/", "/register/form", "/lacak/"])
def test_public_pages_link_the_notice(client, path):
    assert 'href="/privasi/"' in client.get(path).get_data(as_text=True)


def test_signed_in_pages_link_it_in_the_footer(login_as):
    page = login_as("pemeriksa").get("/beranda-petugas/").get_data(as_text=True)
    assert '<footer class="container site-footer">' in page and 'href="/privasi/"' in page
