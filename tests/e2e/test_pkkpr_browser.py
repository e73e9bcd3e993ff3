"""PKKPR Non Berusaha in a real browser: a new applicant registers and applies on a
375×812 phone (the point and the plot drawn on the map), every office does its step
through its own pages, the head of office signs on a phone, the applicant downloads the
signed decree, which is checked against the server's local CA; then the public tracking
and verification pages."""

import re
from datetime import timedelta

import pytest

pytest.importorskip("playwright")

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.pages import (  # noqa: E402
    HEAD_OF_OFFICE,
    PHONE,
    act,
    download_signed_decree,
    draw_the_site,
    expect_status,
    fill_form,
    follow,
    front_office_and_examiner,
    map_png,
    menu,
    number_the_decree,
    open_action,
    open_as,
    open_file_from_inbox,
    path_of,
    register_applicant,
    send_action,
    set_the_emblem,
    sign_on_a_phone,
    submit,
    track,
    upload_requirements,
    verify_publicly,
)
from tests.support import (  # noqa: E402
    PNG,
    POLYGON,
    SIGNING_PASSPHRASE,
    TODAY,
    pkkpr_application_data,
    real_pdf,
)

APPLICANT = {
    "full_name": "Rina Kartika Sari",
    "nik": "3505016703920004",  # Kabupaten Blitar, born 27-03-1992 (a woman: day + 40)
    "whatsapp": "0857-3210-4455",
    "email": "rina.kartika@example.id",
    "username": "rina.kartika",
    "password": "Kanigoro2026ok",
}


def test_a_pkkpr_file_from_registration_to_a_verified_signed_decree(web, live_server):
    pdf = web.write("dokumen.pdf", real_pdf("Dokumen persyaratan PKKPR"))
    site_map = web.write("peta-lokasi.png", map_png())
    d = TODAY.isoformat()

    # The admin has uploaded the regency's emblem for the letterhead.
    set_the_emblem(web)

    # A new applicant registers and is signed in at once.
    pemohon = register_applicant(web, APPLICANT, PHONE, is_mobile=True, has_touch=True)
    expect(pemohon.locator("body")).to_contain_text(APPLICANT["full_name"])
    web.shot(pemohon, "registered")

    # The application: the permit catalogue, the form, the requirement documents.
    menu(pemohon, "Permohonan", "/permohonan/baru")
    follow(pemohon, pemohon.locator('a[href$="/permohonan/baru/PKKPR-NB"]'))
    typed = pkkpr_application_data(applicant_name=APPLICANT["full_name"],
                                   applicant_nik=APPLICANT["nik"],
                                   applicant_whatsapp=APPLICANT["whatsapp"])
    for drawn_on_the_map in ("latitude", "longitude", "polygon_geojson"):
        typed.pop(drawn_on_the_map)
    fill_form(pemohon, typed)
    draw_the_site(pemohon)
    assert pemohon.input_value("#latitude") and pemohon.input_value("#polygon_geojson")
    web.shot(pemohon, "application-form")
    submit(pemohon)
    expect_status(pemohon, "Draft")
    file_page = path_of(pemohon.url)
    assert upload_requirements(pemohon, pdf, site_map) == 8  # 7 mandatory, and the map
    web.shot(pemohon, "documents-uploaded")
    act(pemohon, "ajukan", expect_label="Diajukan")
    number = pemohon.locator(".page-header h1").inner_text().split()[0]
    assert re.fullmatch(rf"PKKPR-NB/{TODAY.year}/\d{{6}}", number), number
    web.shot(pemohon, "submitted")

    front_office_and_examiner(web, number)

    # DPUPR issues the KRK.
    dpupr = open_as(web, "dpupr", number)
    open_action(dpupr, "terbitkan_krk", {
        "nomor_krk": "650/12/409.114/2026", "tanggal_krk": d, "luas_disetujui": "250",
        "peruntukan": "Perumahan kepadatan sedang", "kdb_maks": "60", "klb": "1.2",
        "kdh_min": "20", "gsb": "5", "lantai_maks": "3", "peta_tervalidasi": True,
        "berkas_krk": web.write("krk.pdf", real_pdf("KRK")),
    })
    web.shot(dpupr, "krk-form")
    send_action(dpupr, "terbitkan_krk", "KRK Terbit")

    # ATR BPN issues the SPS: the PNBP bill.
    atrbpn = open_as(web, "atrbpn", number)
    act(atrbpn, "terbitkan_sps", {
        "nomor_sps": "SPS-0012/2026", "jumlah": "1250000", "kode_billing": "820260000012345",
        "kedaluwarsa_billing": (TODAY + timedelta(days=3)).isoformat(),
        "berkas_sps": web.write("sps.pdf", real_pdf("SPS")),
    }, expect_label="Menunggu Pembayaran PNBP")
    web.shot(atrbpn, "sps-issued")

    # The applicant sees what to pay and uploads the payment proof.
    pemohon.goto(file_page)
    expect(pemohon.locator("body")).to_contain_text("820260000012345")
    web.shot(pemohon, "waiting-for-payment")
    act(pemohon, "unggah_bukti_bayar", {
        "bukti_bayar": web.write("bukti-bayar.png", PNG), "tanggal_bayar": d,
        "ntpn": "A1B2C3D4E5F6G7H8",
    }, expect_label="Bukti bayar PNBP sedang diperiksa")
    web.shot(pemohon, "payment-proof")

    # ATR BPN confirms the payment and issues the Pertek.
    open_file_from_inbox(atrbpn, number)
    act(atrbpn, "konfirmasi_pembayaran", {"catatan": "NTPN sesuai"})
    act(atrbpn, "terbitkan_pertek", {
        "nomor_pertek": "PTK/45/2026", "tanggal_pertek": d,
        "berkas_pertek": web.write("pertek.pdf", real_pdf("Pertek")),
    }, expect_label="Pertek Terbit")
    web.shot(atrbpn, "pertek-issued")

    # DPUPR writes the recommendation, with the map image for the permit's annex.
    open_file_from_inbox(dpupr, number)
    open_action(dpupr, "terbitkan_rekomendasi", {
        "nomor_rekomendasi": "600/77/409.114/2026", "tanggal_rekomendasi": d,
        "keputusan": "disetujui", "luas_disetujui": "240",
        "gambar_peta": site_map, "poligon_geojson": POLYGON,
        "berkas_rekomendasi": web.write("rekomendasi.pdf", real_pdf("Rekomendasi")),
    })
    web.shot(dpupr, "recommendation-form")
    send_action(dpupr, "terbitkan_rekomendasi", "Rekomendasi Terbit")

    sk_number = number_the_decree(web, number, d)
    assert sk_number.endswith(f"/409.110/{TODAY.year}"), sk_number
    sign_on_a_phone(web, number, sk_number, SIGNING_PASSPHRASE)

    # The applicant downloads the signed decree.
    pemohon.goto(file_page)
    expect_status(pemohon, "Selesai")
    web.shot(pemohon, "completed")
    decree = download_signed_decree(web, pemohon, live_server, HEAD_OF_OFFICE,
                                    [sk_number, APPLICANT["full_name"], "LAMPIRAN"])

    track(web, number, APPLICANT["whatsapp"][-4:], "Selesai")
    verify_publicly(web, pemohon, live_server, decree,
                    [sk_number, APPLICANT["full_name"], "PKKPR Non Berusaha", "Kanigoro"],
                    hidden_texts=[APPLICANT["nik"], "+6285732104455", "Jl. Merdeka"])
