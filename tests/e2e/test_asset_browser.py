"""Regional asset use in a real browser: the demo applicant rents the Kanigoro meeting
hall for three days; BPKAD's asset manager recommends it and issues the SKRD; the
applicant pays; the agency confirms; the back office numbers the permit; the head of
office signs on a phone; the applicant downloads it and the public page verifies it."""

import re
from datetime import timedelta

import pytest

pytest.importorskip("playwright")

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.pages import (  # noqa: E402
    HEAD_OF_OFFICE,
    act,
    download,
    download_revocation_decree,
    download_signed_decree,
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
    revoke_and_sign,
    send_action,
    set_the_emblem,
    sign_on_a_phone,
    submit,
    track,
    upload_requirements,
    verify_publicly,
)
from tests.support import HALL, PNG, SIGNING_PASSPHRASE, TODAY, real_pdf  # noqa: E402

HALL_CODE = "1.3.2.01.01.014"


def test_a_paid_hall_rent_from_application_to_a_verified_signed_permit(web, live_server):
    start = TODAY + timedelta(days=45)
    end = start + timedelta(days=2)
    d = TODAY.isoformat()

    # The admin has uploaded the regency's emblem for the letterhead.
    set_the_emblem(web)

    # The demo applicant applies for the hall, sees the tariff and the estimated fee.
    pemohon = web.login("pemohon")
    menu(pemohon, "Permohonan", "/permohonan/baru")
    follow(pemohon, pemohon.locator('a[href$="/permohonan/baru/ASET-GEDUNG-PERTEMUAN"]'))
    expect(pemohon.locator("#tarif")).to_contain_text("Rp1.500.000")
    hall = pemohon.locator("select[name=asset_id] option").filter(has_text=HALL)
    fill_form(pemohon, {
        "applicant_name": "Budi Santoso", "applicant_nik": "3505011204850001",
        "applicant_address": "Jl. Kenanga 3, Sananwetan", "applicant_whatsapp": "081234567890",
        "asset_id": hall.get_attribute("value"), "purpose": "Resepsi pernikahan",
        "period_start": start.isoformat(), "period_end": end.isoformat(),
    })
    web.shot(pemohon, "application-form")
    submit(pemohon)
    expect_status(pemohon, "Draft")
    expect(pemohon.locator("#aset")).to_contain_text("Rp4.500.000")  # 3 days × Rp1.500.000
    file_page = path_of(pemohon.url)
    uploaded = upload_requirements(pemohon, web.write("dokumen.pdf", real_pdf("Dokumen aset")),
                                   web.write("denah.png", map_png()))
    assert uploaded == 4
    act(pemohon, "ajukan", expect_label="Diajukan")
    number = pemohon.locator(".page-header h1").inner_text().split()[0]
    assert number.startswith(f"ASET-GEDUNG-PERTEMUAN/{TODAY.year}/"), number
    web.shot(pemohon, "submitted")

    front_office_and_examiner(web, number)

    # BPKAD's asset manager: the recommendation starts from the requested period; the
    # fee comes from the tariff, and the SKRD is issued with it.
    pengelola = open_as(web, "pengelolaaset", number)
    open_action(pengelola, "terbitkan_rekomendasi")
    expect(pengelola.locator("[name=tanggal_mulai]")).to_have_value(start.isoformat())
    expect(pengelola.locator("[name=tanggal_selesai]")).to_have_value(end.isoformat())
    fill_form(pengelola, {"nomor_rekomendasi": "030/15/409.104/2026",
                          "tanggal_rekomendasi": d})
    web.shot(pengelola, "recommendation-form")
    send_action(pengelola, "terbitkan_rekomendasi", "Menunggu pembayaran retribusi")
    web.shot(pengelola, "skrd-issued")

    # The applicant downloads the SKRD and uploads the payment proof.
    pemohon.goto(file_page)
    skrd_row = pemohon.locator("#terbitan + table tr").filter(has_text="SKRD")
    skrd_number = re.search(r"SKRD/\d{5}/BPKAD/\d{4}", skrd_row.inner_text()).group(0)
    expect(pemohon.locator("body")).to_contain_text("Rp4.500.000")
    skrd, _ = download(pemohon, skrd_row.locator("a"))
    assert skrd.startswith(b"%PDF")
    web.write("skrd.pdf", skrd)
    web.shot(pemohon, "waiting-for-payment")
    act(pemohon, "unggah_bukti_bayar", {
        "bukti_bayar": web.write("bukti-bayar.png", PNG), "tanggal_bayar": d,
        "nomor_referensi": "JTM2026112800017",
    }, expect_label="Bukti bayar sedang diperiksa")

    # The agency confirms the payment.
    open_file_from_inbox(pengelola, number)
    act(pengelola, "konfirmasi_pembayaran", {"catatan": f"Lunas sesuai {skrd_number}"},
        expect_label="Penyiapan SK")
    web.shot(pengelola, "payment-confirmed")

    sk_number = number_the_decree(web, number, d)
    sign_on_a_phone(web, number, sk_number, SIGNING_PASSPHRASE)

    pemohon.goto(file_page)
    expect_status(pemohon, "Selesai")
    web.shot(pemohon, "completed")
    decree = download_signed_decree(web, pemohon, live_server, HEAD_OF_OFFICE,
                                    [sk_number, "Budi Santoso", HALL])

    track(web, number, "7890", "Selesai")
    verify_publicly(web, pemohon, live_server, decree,
                    [sk_number, "Budi Santoso", HALL, HALL_CODE],
                    hidden_texts=["3505011204850001", "+6281234567890"])

    # The head of office revokes the permit and signs the revocation decree like any
    # decree; the holder downloads it, and the permit's verification page says DICABUT.
    reason = "Pemegang izin mengalihkan pemakaian gedung kepada pihak lain."
    revoke_and_sign(web, file_page, reason, SIGNING_PASSPHRASE)
    pemohon.goto(file_page)
    download_revocation_decree(web, pemohon, live_server, HEAD_OF_OFFICE,
                               [sk_number, reason, "Budi Santoso", "Mencabut"])
    public = web.new_page()
    public.goto(pemohon.locator("#sk a[href*='/verifikasi/']").get_attribute("href"))
    expect(public.locator(".panel-heading").first).to_contain_text("DICABUT")
    web.shot(public, "verification-revoked")
