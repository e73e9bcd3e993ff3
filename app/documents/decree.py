"""The decree (Surat Keputusan) as a PDF: letterhead, decision, spatial rules, the map
annex and a QR code to the public verification page."""

import io
from dataclasses import dataclass
from datetime import date

import segno
from fpdf import FPDF

from app.documents.fonts import latin1, setup_fonts, within_dejavu
from app.services.validity import PKKPR_VALIDITY_YEARS as VALIDITY_YEARS
from app.services.validity import validity_of

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")
KRK_RULES = [
    ("peruntukan", "Peruntukan / zonasi", ""),
    ("kbli", "KBLI yang diizinkan", ""),
    ("kdb_maks", "KDB maksimum", "%"),
    ("klb", "KLB maksimum", ""),
    ("kdh_min", "KDH minimum", "%"),
    ("ktb", "KTB maksimum", "%"),
    ("gsb", "Garis sempadan bangunan (GSB)", " m"),
    ("jba", "Jarak Bebas Samping (JBA)", " m"),
    ("jbb", "Jarak Bebas Belakang (JBB)", " m"),
    ("lantai_maks", "Jumlah lantai maksimum", " lantai"),
    ("luas_kavling_min", "Luas kavling minimum", " m²"),
    ("jaringan_utilitas", "Jaringan utilitas", ""),
    ("persyaratan_pelaksanaan", "Persyaratan pelaksanaan", ""),
]
DECISIONS = {"disetujui": "DISETUJUI", "disetujui_sebagian": "DISETUJUI SEBAGIAN"}


def tanggal(value):
    """28 November 2026."""
    if value is None:
        return "-"
    value = value.date() if hasattr(value, "date") and callable(value.date) else value
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


def qr_svg(url):
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=10, border=2, omitsize=True)
    buffer.seek(0)
    return buffer


class DecreePdf(FPDF):
    def __init__(self, font_dir=None, draft=False):
        super().__init__(format="A4")
        self.set_margins(20, 15, 20)
        self.set_auto_page_break(True, margin=25)
        self.family, self.unicode = setup_fonts(self, font_dir)
        self.draft = draft

    def clean(self, value):
        """Text the chosen font can draw."""
        return within_dejavu(value) if self.unicode else latin1(value)

    def header(self):
        if self.draft:
            with self.local_context(text_color=(200, 0, 0)):
                self.set_font(self.family, "B", 8)
                self.text_at(20, 10, "DRAFT - BELUM DITANDATANGANI")
            with self.local_context(text_color=(235, 190, 190)):
                self.set_font(self.family, "B", 90)
                with self.rotation(35, x=105, y=150):
                    self.text_at(30, 175, "DRAFT")

    def text_at(self, x, y, value):
        self.text(x, y, self.clean(value))

    def write_line(self, value, size=11, style="", align="L", height=6):
        self.set_font(self.family, style, size)
        self.multi_cell(0, height, self.clean(value), align=align, new_x="LMARGIN", new_y="NEXT")

    def letterhead(self):
        self.write_line("PEMERINTAH KABUPATEN BLITAR", 14, "B", "C", 7)
        self.write_line("DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU", 10.5, "B", "C")
        self.write_line("Jl. Semeru No. 46 Kanigoro, Blitar, Jawa Timur", 9, "", "C", 5)
        y = self.get_y() + 1
        self.set_line_width(0.8)
        self.line(20, y, 190, y)
        self.set_line_width(0.2)
        self.line(20, y + 1.2, 190, y + 1.2)
        self.ln(5)

    def pairs(self, rows, label_width=72, size=10, height=5):
        """Label–value rows; a long label or value wraps without overlapping the next."""
        self.set_font(self.family, "", size)
        for label, value in rows:
            label, value = self.clean(label), self.clean(f": {value}")
            value_width = self.w - self.r_margin - self.l_margin - label_width
            row_height = max(
                self.multi_cell(label_width, height, label, dry_run=True, output="HEIGHT"),
                self.multi_cell(value_width, height, value, dry_run=True, output="HEIGHT"),
            )
            if self.get_y() + row_height > self.page_break_trigger:
                self.add_page()
            y = self.get_y()
            self.multi_cell(label_width, height, label, new_x="RIGHT", new_y="TOP")
            self.multi_cell(value_width, height, value, new_x="LMARGIN", new_y="NEXT")
            self.set_y(y + row_height)


def _signature_block(pdf, issued_on, verify_url):
    """Place, date, the head of office's title, and the QR code to the verification page."""
    signature_top = pdf.get_y()
    if signature_top > 235:
        pdf.add_page()
        signature_top = pdf.get_y()
    pdf.set_xy(110, signature_top)
    pdf.set_font(pdf.family, "", 10.5)
    for line in (f"Ditetapkan di Blitar, {tanggal(issued_on)}",
                 "KEPALA DINAS PENANAMAN MODAL DAN", "PELAYANAN TERPADU SATU PINTU",
                 "KABUPATEN BLITAR"):
        pdf.set_x(110)
        pdf.cell(0, 5.5, pdf.clean(line), new_x="LMARGIN", new_y="NEXT")
    pdf.image(qr_svg(verify_url), x=20, y=signature_top, w=28, h=28, link=verify_url)
    pdf.set_xy(20, signature_top + 29)
    pdf.set_font(pdf.family, "", 7.5)
    pdf.multi_cell(80, 3.5, pdf.clean("Pindai untuk memeriksa keaslian:\n" + verify_url))
    pdf.set_xy(110, signature_top + 36)
    pdf.set_font(pdf.family, "", 8.5)
    pdf.multi_cell(80, 4, pdf.clean("Ditandatangani secara elektronik."))


def _artifact(application, kind):
    return next((a for a in reversed(application.artifacts) if a.kind == kind), None)


def rupiah_number(value):
    """1.500.000 and 240,50: Indonesian separators, decimals only when there are any."""
    text = f"{float(value):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return text[:-3] if text.endswith(",00") else text


def render_pkkpr_decree(application, verify_url, map_image=None, draft=False, font_dir=None,
                        issued_on=None):
    """The PKKPR Non Berusaha decree; `map_image` is the recommendation's map bytes."""
    pdf = DecreePdf(font_dir, draft)
    pdf.set_title(f"SK PKKPR Non Berusaha {application.sk_number or ''}")
    pdf.set_author("DPMPTSP Kabupaten Blitar")
    pdf.add_page()
    pdf.letterhead()
    detail = application.pkkpr
    krk = _artifact(application, "krk")
    pertek = _artifact(application, "pertek")
    recommendation = _artifact(application, "rekomendasi")
    issued_on = issued_on or (application.sk_date.date() if application.sk_date else date.today())
    valid_until = validity_of(application, issued_on).valid_until

    pdf.write_line("KEPUTUSAN KEPALA DINAS PENANAMAN MODAL DAN", 12, "B", "C")
    pdf.write_line("PELAYANAN TERPADU SATU PINTU KABUPATEN BLITAR", 12, "B", "C")
    pdf.write_line(f"NOMOR: {application.sk_number or '-'}", 11, "", "C")
    pdf.ln(2)
    pdf.write_line("TENTANG", 11, "B", "C")
    pdf.write_line("PERSETUJUAN KESESUAIAN KEGIATAN PEMANFAATAN RUANG (PKKPR) NON BERUSAHA",
                   11, "B", "C")
    pdf.ln(3)
    pdf.write_line(
        "Berdasarkan Peraturan Pemerintah Nomor 21 Tahun 2021 tentang Penyelenggaraan Penataan "
        "Ruang, Peraturan Menteri ATR/Kepala BPN Nomor 13 Tahun 2021 dan Peraturan Bupati "
        "Blitar Nomor 76 Tahun 2022, dengan memperhatikan Keterangan Rencana Kabupaten "
        f"Nomor {krk.number if krk else '-'}, Pertimbangan Teknis Pertanahan Nomor "
        f"{pertek.number if pertek else '-'} dan Rekomendasi DPUPR Nomor "
        f"{recommendation.number if recommendation else '-'}, dengan ini memutuskan:", 10,
        align="J", height=5)
    pdf.ln(2)
    decision = DECISIONS.get((recommendation.data if recommendation else {}).get("keputusan"),
                             "DISETUJUI")
    approved_area = (recommendation.data.get("luas_disetujui") if recommendation else None) or (
        krk.data.get("luas_disetujui") if krk else detail.land_area_m2)
    pdf.write_line(f"Permohonan PKKPR Non Berusaha {decision} untuk:", 11, "B")
    applicant = application.applicant_name
    if application.acts_for_organisation and application.organisation_name:
        applicant = f"{applicant}, bertindak untuk {application.organisation_name}"
    pdf.pairs([
        ("Nomor registrasi", application.registration_number or "-"),
        ("Pemohon", applicant),
        ("Alamat pemohon", application.applicant_address),
        ("Lokasi", f"{detail.location_address}, Desa/Kel. {detail.desa}, "
                   f"Kec. {detail.kecamatan}, Kabupaten Blitar"),
        ("Titik koordinat", f"{float(detail.latitude):.6f}, {float(detail.longitude):.6f}"),
        ("Jenis kegiatan", detail.activity),
        ("Luas tanah dimohon", f"{rupiah_number(detail.land_area_m2)} m²"),
        ("Luas disetujui", f"{rupiah_number(approved_area)} m²"),
        ("Rencana bangunan", f"{detail.planned_floors} lantai, luas lantai "
                             f"{rupiah_number(detail.planned_floor_area_m2)} m²"),
    ])
    pdf.ln(2)
    pdf.write_line("Ketentuan pemanfaatan ruang (KRK):", 11, "B")
    krk_data = krk.data if krk else {}
    pdf.pairs([(label, f"{krk_data[key]}{unit}") for key, label, unit in KRK_RULES
               if krk_data.get(key) not in (None, "")])
    pdf.ln(2)
    pdf.write_line(
        f"Persetujuan ini berlaku {VALIDITY_YEARS} (tiga) tahun sejak tanggal ditetapkan, yaitu "
        f"sampai dengan {tanggal(valid_until)}, dan menjadi dasar permohonan Persetujuan "
        "Bangunan Gedung. Peta lokasi dan titik koordinat tercantum dalam lampiran.",
        10, align="J", height=5)
    pdf.ln(4)
    _signature_block(pdf, issued_on, verify_url)

    pdf.add_page()
    pdf.write_line(f"LAMPIRAN KEPUTUSAN NOMOR {application.sk_number or '-'}", 10.5, "B")
    pdf.write_line("PETA LOKASI DAN TITIK KOORDINAT", 11, "B", "C")
    pdf.ln(2)
    if map_image:
        pdf.image(io.BytesIO(map_image), x=20, w=170, h=120, keep_aspect_ratio=True)
    pdf.ln(3)
    pdf.pairs([("Titik pusat", f"{float(detail.latitude):.6f}, {float(detail.longitude):.6f}")],
              label_width=40)
    for index, (lon, lat) in enumerate(_polygon_points(application), start=1):
        pdf.pairs([(f"Titik {index}", f"{lat:.6f}, {lon:.6f}")], label_width=40)
    return bytes(pdf.output())


def _polygon_points(application):
    from app.services.geo import InvalidGeometry, parse_polygon

    peta = _artifact(application, "peta")
    for text in ((peta.data or {}).get("poligon_geojson") if peta else None,
                 application.pkkpr.polygon_geojson):
        if text:
            try:
                return parse_polygon(text)[:-1]
            except InvalidGeometry:
                continue
    return []


@dataclass(frozen=True)
class AssetPermitContent:
    """What an asset-use permit states (filled by the asset module)."""

    sk_number: str
    registration_number: str
    holder: str
    holder_address: str
    asset_name: str
    asset_code: str
    asset_location: str
    use_form: str
    purpose: str
    period_start: date
    period_end: date
    area_m2: object = None
    fee: object = None
    managing_agency: str = ""


def render_asset_permit(content, verify_url, draft=False, font_dir=None, issued_on=None):
    """The permit to use a regional asset (Izin Pemanfaatan Aset Daerah)."""
    pdf = DecreePdf(font_dir, draft)
    pdf.set_title(f"Izin Pemanfaatan Aset {content.sk_number}")
    pdf.set_author("DPMPTSP Kabupaten Blitar")
    pdf.add_page()
    pdf.letterhead()
    pdf.write_line("KEPUTUSAN KEPALA DINAS PENANAMAN MODAL DAN", 12, "B", "C")
    pdf.write_line("PELAYANAN TERPADU SATU PINTU KABUPATEN BLITAR", 12, "B", "C")
    pdf.write_line(f"NOMOR: {content.sk_number}", 11, "", "C")
    pdf.ln(2)
    pdf.write_line("TENTANG", 11, "B", "C")
    pdf.write_line(f"IZIN PEMANFAATAN BARANG MILIK DAERAH ({content.use_form.upper()})",
                   11, "B", "C")
    pdf.ln(3)
    pdf.write_line(
        "Berdasarkan Peraturan Pemerintah Nomor 27 Tahun 2014 sebagaimana telah diubah dengan "
        "Peraturan Pemerintah Nomor 28 Tahun 2020, Peraturan Menteri Dalam Negeri Nomor 19 "
        "Tahun 2016 dan Peraturan Bupati Blitar Nomor 76 Tahun 2022, dengan memperhatikan "
        f"rekomendasi {content.managing_agency or 'perangkat daerah pengelola'}, dengan ini "
        "memberikan izin kepada:", 10, align="J", height=5)
    pdf.ln(2)
    rows = [
        ("Nomor registrasi", content.registration_number),
        ("Pemegang izin", content.holder),
        ("Alamat", content.holder_address),
        ("Barang milik daerah", f"{content.asset_name} (kode barang {content.asset_code})"),
        ("Lokasi", content.asset_location),
        ("Bentuk pemanfaatan", content.use_form),
        ("Peruntukan", content.purpose),
        ("Jangka waktu", f"{tanggal(content.period_start)} s.d. {tanggal(content.period_end)}"),
    ]
    if content.area_m2:
        rows.append(("Luas yang dimanfaatkan", f"{rupiah_number(content.area_m2)} m²"))
    if content.fee is not None:
        rows.append(("Retribusi / sewa", "tanpa biaya" if not content.fee
                     else f"Rp{rupiah_number(content.fee)}"))
    pdf.pairs(rows)
    pdf.ln(2)
    pdf.write_line(
        "Pemegang izin wajib memelihara barang milik daerah, tidak mengubah bentuk atau "
        "memindahtangankan pemanfaatannya, dan mengembalikannya dalam keadaan baik pada akhir "
        "jangka waktu. Izin ini batal bila ketentuan tersebut dilanggar.",
        10, align="J", height=5)
    pdf.ln(4)
    _signature_block(pdf, issued_on or date.today(), verify_url)
    return bytes(pdf.output())
