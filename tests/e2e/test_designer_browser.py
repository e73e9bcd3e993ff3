"""A new permit, designed in the browser: the admin builds a process of five steps across
four roles (DPUPR, an agency, among them) with a six-field application form, three
requirements, a fee computed per m² with its invoice and payment, and its own decree
template; tries it with a dry run; publishes it and opens a permit type on it. Then,
with no code change and no restart, an applicant applies, each officer acts, the head
of office signs, and the applicant downloads a signed decree that the verification page
shows."""

import re
from datetime import timedelta

import pytest

pytest.importorskip("playwright")

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.pages import (  # noqa: E402
    HEAD_OF_OFFICE,
    accept_every_document,
    act,
    download_signed_decree,
    expect_flash,
    expect_status,
    fill_form,
    follow,
    open_action,
    open_as,
    open_file_from_inbox,
    path_of,
    send_action,
    set_the_emblem,
    sign_on_a_phone,
    submit,
    upload_requirements,
    verify_publicly,
)
from tests.support import PNG, SIGNING_PASSPHRASE, TODAY, real_pdf  # noqa: E402

PROCESS_NAME = "Izin Penggunaan Jalan untuk Kegiatan"
FORM = [
    {"name": "nama_kegiatan", "type": "text", "label": "Nama kegiatan", "max_length": "120"},
    {"name": "uraian", "type": "textarea", "label": "Uraian kegiatan"},
    {"name": "luas_jalan", "type": "number", "label": "Luas jalan yang dipakai",
     "min": "1", "max": "5000", "decimals": "1", "unit": "m²"},
    {"name": "tanggal_kegiatan", "type": "date", "label": "Tanggal kegiatan"},
    {"name": "sifat", "type": "choice", "label": "Sifat kegiatan",
     "options": "keluarga = Hajatan keluarga\numum = Kegiatan umum"},
    {"name": "kecamatan_lokasi", "type": "kecamatan", "label": "Kecamatan lokasi"},
    {"name": "ada_pengalihan", "type": "yesno", "label": "Lalu lintas dialihkan",
     "required": False},
]
REQUIREMENTS = ["Surat permohonan", "KTP penanggung jawab", "Denah lokasi kegiatan"]
STEPS = [
    {"code": "tinjau", "type": "inspection", "label": "Peninjauan lokasi", "role": "DPUPR",
     "when_field": "luas_jalan", "when_op": "gt", "when_value": "50"},
    {"code": "teknis", "type": "recommendation", "label": "Rekomendasi teknis",
     "role": "DPUPR", "document": "Rekomendasi teknis penggunaan jalan",
     "can_reject": True},
    {"code": "retribusi", "type": "fee", "label": "Retribusi penggunaan jalan",
     "role": "Pengelola Aset", "tariff_basis": "per_m2", "tariff_rate": "5000",
     "tariff_field": "luas_jalan"},
    {"code": "catat", "type": "data_entry", "label": "Pencatatan arsip",
     "role": "Back Office"},
]
ANSWERS = {"applicant_name": "Budi Santoso", "applicant_nik": "3505011204850001",
           "applicant_address": "Jl. Merdeka 1, Kanigoro",
           "applicant_whatsapp": "081234567890", "nama_kegiatan": "Kirab Budaya Desa Kanigoro",
           "uraian": "Kirab budaya tahunan dengan arak-arakan warga.",
           "luas_jalan": "120", "sifat": "umum", "kecamatan_lokasi": "Kanigoro",
           "ada_pengalihan": True}


def _add(admin, process_url, place, values, flash="Tersimpan di draf."):
    admin.goto(f"{process_url}/bagian/{place}")
    fill_form(admin, {key: value for key, value in values.items() if key != "required"})
    if values.get("required") is False:
        admin.locator('form.designer-piece [name="required"]').set_checked(False)
    submit(admin, "form.designer-piece")
    expect_flash(admin, flash)


def design_the_process(web):
    """The admin builds, tries and publishes the process and opens its permit type."""
    admin = web.login("admin")
    admin.goto("/alur-proses/")
    fill_form(admin, {"code": "pakai_jalan", "name": PROCESS_NAME},
              scope="form[action$='/alur-proses/baru']")
    submit(admin, "form[action$='/alur-proses/baru']")
    expect(admin.locator("h1")).to_contain_text(PROCESS_NAME)
    process_url = path_of(admin.url)

    for field in FORM:
        _add(admin, process_url, "form", field)
    for name in REQUIREMENTS:
        _add(admin, process_url, "requirements", {"name": name, "max_mb": "5"})
    for step in STEPS:
        _add(admin, process_url, "steps", step)
    _add(admin, process_url, "step:catat", {"name": "nomor_arsip", "type": "text",
                                            "label": "Nomor arsip", "visible_to": "staff"})
    admin.goto(process_url)
    expect(admin.locator(".designer-step")).to_have_count(5)  # the examiner's first
    expect(admin.locator("svg.process-diagram")).to_contain_text("Peninjauan lokasi")
    expect(admin.locator("#problems")).to_contain_text("Draf dapat diterbitkan")
    web.shot(admin, "designer")

    # Its own decree: the activity is named in the decree's subject.
    follow(admin, admin.locator("#edit-decree"))
    subject = admin.locator("textarea[name=subject]")
    subject.fill("IZIN PENGGUNAAN JALAN UNTUK {{ isian.nama_kegiatan|upper }} ATAS NAMA "
                 "{{ pemohon.pemegang|upper }}")
    submit(admin)
    expect_flash(admin, "Templat keputusan tersimpan di draf.")

    # The dry run, then the publication.
    with admin.expect_navigation():
        admin.locator("#dry-run").click()
    trial = admin.locator("#trial")
    expect(trial).to_contain_text("Retribusi penggunaan jalan")
    expect(trial).to_contain_text("Peninjauan lokasi")
    web.shot(admin, "dry-run")
    admin.once("dialog", lambda dialog: dialog.accept())
    with admin.expect_navigation():
        admin.locator("#publish").click()
    expect_flash(admin, "Versi 1 diterbitkan")

    fill_form(admin, {"code": "IZIN-JALAN", "name": PROCESS_NAME, "service_days": "5"},
              scope="form[action$='/jenis-izin']")
    submit(admin, "form[action$='/jenis-izin']")
    expect_flash(admin, "terbuka untuk permohonan")
    web.shot(admin, "permit-type-opened")


def test_an_admin_designs_a_permit_and_a_file_runs_it_to_a_signed_decree(web, live_server):
    pdf = web.write("dokumen.pdf", real_pdf("Dokumen persyaratan"))
    proof = web.write("bukti.png", PNG)
    d = TODAY.isoformat()
    set_the_emblem(web)  # the letterhead every decree carries
    design_the_process(web)

    # The applicant finds it in the catalogue and applies.
    pemohon = web.login("pemohon")
    pemohon.goto("/permohonan/baru")
    follow(pemohon, pemohon.locator('a[href$="/permohonan/baru/IZIN-JALAN"]'))
    fill_form(pemohon, {**ANSWERS, "tanggal_kegiatan": (TODAY + timedelta(days=30))
                        .isoformat()})
    submit(pemohon)
    expect_status(pemohon, "Draft")
    file_page = path_of(pemohon.url)
    assert upload_requirements(pemohon, pdf, pdf) == 3
    act(pemohon, "ajukan", expect_label="Diajukan")
    number = pemohon.locator(".page-header h1").inner_text().split()[0]
    assert re.fullmatch(rf"IZIN-JALAN/{TODAY.year}/\d{{6}}", number), number
    expect(pemohon.locator("body")).to_contain_text("Kirab Budaya Desa Kanigoro")

    frontoffice = open_as(web, "frontoffice", number)
    act(frontoffice, "terima", expect_label="Pemeriksaan berkas")
    pemeriksa = open_as(web, "pemeriksa", number)
    accept_every_document(pemeriksa)
    act(pemeriksa, "periksa", expect_label="Peninjauan lokasi")  # 120 m² > 50 m²

    dpupr = open_as(web, "dpupr", number)
    act(dpupr, "tinjau_jadwal", {"tanggal": d, "catatan": "Pukul 09.00 di balai desa"})
    act(dpupr, "tinjau", {"tanggal": d, "hasil": "Jalan dapat ditutup sebagian.",
                          "berkas": web.write("ba.pdf", real_pdf("Berita acara"))},
        expect_label="Rekomendasi teknis")
    act(dpupr, "teknis", {"nomor": "600/15/409.114/2026", "tanggal": d,
                          "keputusan": "disetujui",
                          "berkas": web.write("rekomendasi.pdf", real_pdf("Rekomendasi"))},
        expect_label="Retribusi penggunaan jalan")

    aset = open_as(web, "pengelolaaset", number)
    open_action(aset, "retribusi", {"nomor": "TGH/7/2026",
                                    "jatuh_tempo": (TODAY + timedelta(days=5)).isoformat()})
    send_action(aset, "retribusi")
    expect(aset.locator("body")).to_contain_text("600.000")  # 120 m² × Rp5.000

    pemohon.goto(file_page)
    act(pemohon, "retribusi_bayar", {"bukti": proof, "tanggal_bayar": d,
                                     "nomor_referensi": "NTB-0099"})
    open_file_from_inbox(aset, number)
    act(aset, "retribusi_konfirmasi", expect_label="Pencatatan arsip")

    backoffice = open_as(web, "backoffice", number)
    act(backoffice, "catat", {"nomor_arsip": "ARS/2026/77"})
    open_action(backoffice, "input_nomor_sk")
    sk_number = re.search(r"\d{3}/\d{3}/[\d.]+/\d{4}",
                          backoffice.locator(".alert-info").first.inner_text()).group(0)
    fill_form(backoffice, {"tanggal_sk": d})
    send_action(backoffice, "input_nomor_sk", "Siap ditandatangani")
    web.shot(backoffice, "designed-numbered")

    sign_on_a_phone(web, number, sk_number, SIGNING_PASSPHRASE)

    pemohon.goto(file_page)
    expect_status(pemohon, "Selesai")
    decree = download_signed_decree(web, pemohon, live_server, HEAD_OF_OFFICE,
                                    [sk_number, "KIRAB BUDAYA DESA KANIGORO"])
    verify_publicly(web, pemohon, live_server, decree, [sk_number, PROCESS_NAME])
