"""The default templates, in the structure of a decree of a regional office (tata naskah
dinas, shared/reference/naskah-dinas.md), written in formal Indonesian. `flask siap
seed-templates` adds those missing as version 1; admins edit them in the screens.

The regency's own regulations are cited as text the office confirms when it adopts the
templates (the delegation regulation and the RTRW): their numbers are the office's to
keep right, not the software's."""

OFFICE = "KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU KABUPATEN BLITAR"
TITLE = "KEPUTUSAN " + OFFICE
FOOTNOTE = (
    "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik "
    "yang diterbitkan oleh Balai Besar Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi "
    "Negara. Sesuai dengan ketentuan peraturan perundang-undangan yang berlaku, dokumen "
    "elektronik ini sah dan merupakan alat bukti hukum. Keaslian dokumen dapat diperiksa "
    "dengan memindai kode QR."
)
PEMDA = [
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah sebagaimana telah "
    "beberapa kali diubah, terakhir dengan Undang-Undang Nomor 6 Tahun 2023 tentang "
    "Penetapan Peraturan Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang "
    "Cipta Kerja menjadi Undang-Undang;",
]
DELEGATION = (
    "Peraturan Bupati Blitar Nomor 76 Tahun 2022 tentang Pendelegasian Kewenangan "
    "Penyelenggaraan Perizinan dan Nonperizinan kepada Kepala Dinas Penanaman Modal dan "
    "Pelayanan Terpadu Satu Pintu Kabupaten Blitar."
)
CLOSING = "Keputusan ini mulai berlaku pada tanggal ditetapkan."


def if_renewal(text):
    """A part printed only in the decree of a renewal (perpanjangan), which cites the
    permit it renews."""
    return f"{{% if perpanjangan.nomor_sk %}}{text}{{% endif %}}"


RENEWED_DECREE = if_renewal(
    ", sebagai perpanjangan atas Keputusan Kepala Dinas Penanaman Modal dan Pelayanan "
    "Terpadu Satu Pintu Kabupaten Blitar Nomor {{ perpanjangan.nomor_sk }} tanggal "
    "{{ perpanjangan.tanggal_sk }} yang berlaku sampai dengan tanggal "
    "{{ perpanjangan.berlaku_sampai }}")

PKKPR_NB = {
    "title": TITLE,
    "subject": if_renewal("PERPANJANGAN ") + "PERSETUJUAN KESESUAIAN KEGIATAN PEMANFAATAN "
               "RUANG NON BERUSAHA ATAS NAMA {{ pemohon.pemegang|upper }}",
    "official": OFFICE + ",",
    "menimbang": [
        "bahwa {{ pemohon.pemegang }} telah mengajukan permohonan " + if_renewal("perpanjangan ")
        + "Persetujuan Kesesuaian Kegiatan Pemanfaatan Ruang Non Berusaha untuk kegiatan "
        "{{ lokasi.kegiatan }} di {{ lokasi.alamat }}, Desa/Kelurahan {{ lokasi.desa }}, "
        "Kecamatan {{ lokasi.kecamatan }}, Kabupaten Blitar, dengan nomor registrasi "
        "{{ permohonan.nomor }}" + RENEWED_DECREE + ";",
        "bahwa berdasarkan Keterangan Rencana Kabupaten Nomor {{ krk.nomor }}, Pertimbangan "
        "Teknis Pertanahan Nomor {{ pertek.nomor }}, dan Rekomendasi Dinas Pekerjaan Umum "
        "dan Penataan Ruang Nomor {{ rekomendasi.nomor }}, kegiatan sebagaimana dimaksud "
        "dalam huruf a sesuai dengan rencana tata ruang dan permohonannya "
        "{{ rekomendasi.keputusan }};",
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, "
        "perlu menetapkan Keputusan Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu "
        "Pintu tentang Persetujuan Kesesuaian Kegiatan Pemanfaatan Ruang Non Berusaha atas "
        "nama {{ pemohon.pemegang }};",
    ],
    "mengingat": [
        "Undang-Undang Nomor 26 Tahun 2007 tentang Penataan Ruang sebagaimana telah diubah "
        "dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah "
        "Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi "
        "Undang-Undang;",
        *PEMDA,
        "Peraturan Pemerintah Nomor 6 Tahun 2021 tentang Penyelenggaraan Perizinan Berusaha "
        "di Daerah;",
        "Peraturan Pemerintah Nomor 21 Tahun 2021 tentang Penyelenggaraan Penataan Ruang;",
        "Peraturan Menteri Agraria dan Tata Ruang/Kepala Badan Pertanahan Nasional Nomor 13 "
        "Tahun 2021 tentang Pelaksanaan Kegiatan Kesesuaian Pemanfaatan Ruang dan "
        "Sinkronisasi Program Pemanfaatan Ruang;",
        "Peraturan Daerah Kabupaten Blitar tentang Rencana Tata Ruang Wilayah Kabupaten "
        "Blitar;",
        DELEGATION,
    ],
    "menetapkan": TITLE + " TENTANG " + if_renewal("PERPANJANGAN ") + "PERSETUJUAN "
                  "KESESUAIAN KEGIATAN PEMANFAATAN RUANG NON BERUSAHA ATAS NAMA "
                  "{{ pemohon.pemegang|upper }}.",
    "diktum": [
        "Memberikan " + if_renewal("perpanjangan ") + "Persetujuan Kesesuaian Kegiatan "
        "Pemanfaatan Ruang Non Berusaha kepada:\n"
        "Nama | {{ pemohon.nama }}\n"
        "{% if pemohon.bertindak_untuk %}Bertindak untuk | {{ pemohon.bertindak_untuk }}\n"
        "{% endif %}Alamat | {{ pemohon.alamat }}\n"
        "Nomor registrasi | {{ permohonan.nomor }}\n"
        "untuk kegiatan {{ lokasi.kegiatan }} dengan keterangan sebagai berikut:\n"
        "Lokasi | {{ lokasi.alamat }}, Desa/Kelurahan {{ lokasi.desa }}, Kecamatan "
        "{{ lokasi.kecamatan }}, Kabupaten Blitar\n"
        "Titik koordinat | {{ lokasi.koordinat }}\n"
        "Status tanah | {{ lokasi.status_tanah }}\n"
        "Luas tanah yang dimohon | {{ lokasi.luas_tanah }} m²\n"
        "Luas yang disetujui | {{ lokasi.luas_disetujui }} m²\n"
        "Rencana bangunan | {{ lokasi.jumlah_lantai }} lantai, luas lantai "
        "{{ lokasi.luas_lantai }} m²",
        "Pemanfaatan ruang sebagaimana dimaksud dalam Diktum KESATU wajib memenuhi ketentuan "
        "Keterangan Rencana Kabupaten Nomor {{ krk.nomor }} sebagai berikut:\n"
        "Peruntukan / zonasi | {{ krk.peruntukan }}\n"
        "{% if krk.kbli %}KBLI yang diizinkan | {{ krk.kbli }}\n{% endif %}"
        "Koefisien Dasar Bangunan (KDB) | paling tinggi {{ krk.kdb_maks }}%\n"
        "Koefisien Lantai Bangunan (KLB) | paling tinggi {{ krk.klb }}\n"
        "Koefisien Dasar Hijau (KDH) | paling rendah {{ krk.kdh_min }}%\n"
        "{% if krk.ktb %}Koefisien Tapak Basemen (KTB) | paling tinggi {{ krk.ktb }}%\n"
        "{% endif %}Garis Sempadan Bangunan (GSB) | {{ krk.gsb }} m\n"
        "{% if krk.jba %}Jarak Bebas Samping | {{ krk.jba }} m\n{% endif %}"
        "{% if krk.jbb %}Jarak Bebas Belakang | {{ krk.jbb }} m\n{% endif %}"
        "{% if krk.lantai_maks %}Jumlah lantai | paling banyak {{ krk.lantai_maks }} lantai\n"
        "{% endif %}{% if krk.jaringan_utilitas %}Jaringan utilitas | "
        "{{ krk.jaringan_utilitas }}\n{% endif %}"
        "{% if krk.persyaratan_pelaksanaan %}Persyaratan pelaksanaan | "
        "{{ krk.persyaratan_pelaksanaan }}{% endif %}",
        "Peta lokasi dan titik koordinat sebagaimana tercantum dalam Lampiran yang merupakan "
        "bagian tidak terpisahkan dari Keputusan ini.",
        "Persetujuan ini menjadi dasar bagi pemegang persetujuan untuk mengajukan Persetujuan "
        "Bangunan Gedung dan tidak dapat dialihkan kepada pihak lain tanpa persetujuan "
        "Kepala Dinas.",
        "Persetujuan ini berlaku selama {{ berlaku.tahun }} ({{ berlaku.tahun_terbilang }}) "
        "tahun sejak tanggal ditetapkan, yaitu sampai dengan tanggal {{ berlaku.sampai }}, "
        "dan dapat dicabut apabila pemegang persetujuan tidak memenuhi ketentuan dalam "
        "Keputusan ini.",
        CLOSING,
    ],
    "place": "Blitar",
    "signer_title": OFFICE,
    "tembusan": [
        "Bupati Blitar (sebagai laporan);",
        "Kepala Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Blitar;",
        "Kepala Kantor Pertanahan Kabupaten Blitar;",
        "Camat {{ lokasi.kecamatan }};",
        "Yang bersangkutan.",
    ],
    "annex_title": "PETA LOKASI DAN TITIK KOORDINAT",
    "annex_text": "Titik pusat | {{ lokasi.koordinat }}",
    "annex_map": True,
    "footnote": FOOTNOTE,
    "validity_years": 3,
}

ASSET_BASIS = [
    "Undang-Undang Nomor 1 Tahun 2004 tentang Perbendaharaan Negara;",
    *PEMDA,
    "Undang-Undang Nomor 1 Tahun 2022 tentang Hubungan Keuangan antara Pemerintah Pusat "
    "dan Pemerintahan Daerah;",
    "Peraturan Pemerintah Nomor 27 Tahun 2014 tentang Pengelolaan Barang Milik "
    "Negara/Daerah sebagaimana telah diubah dengan Peraturan Pemerintah Nomor 28 Tahun "
    "2020;",
    "Peraturan Menteri Dalam Negeri Nomor 19 Tahun 2016 tentang Pedoman Pengelolaan Barang "
    "Milik Daerah;",
    "Peraturan Daerah Kabupaten Blitar tentang Pengelolaan Barang Milik Daerah;",
    "Peraturan Daerah Kabupaten Blitar tentang Pajak Daerah dan Retribusi Daerah;",
    DELEGATION,
]
# Each use form: (its name in the decree, what the holder owes, the special duties).
ASSET_FORMS = {
    "sewa": (
        "SEWA",
        "Pemegang izin telah membayar retribusi pemakaian kekayaan daerah sebesar "
        "{{ aset.biaya|rupiah }} ({{ aset.biaya|terbilang }} rupiah){% if aset.nomor_skrd %} "
        "berdasarkan Surat Ketetapan Retribusi Daerah Nomor {{ aset.nomor_skrd }}"
        "{% endif %}.",
    ),
    "pinjam_pakai": (
        "PINJAM PAKAI",
        "Pinjam pakai diberikan tanpa imbalan; biaya pemeliharaan dan operasional barang "
        "milik daerah selama jangka waktu pinjam pakai menjadi tanggung jawab peminjam.",
    ),
    "kerja_sama_pemanfaatan": (
        "KERJA SAMA PEMANFAATAN",
        "Mitra kerja sama pemanfaatan wajib membayar kontribusi tetap dan pembagian "
        "keuntungan sesuai perjanjian kerja sama pemanfaatan{% if aset.biaya %}, dengan "
        "kontribusi tetap sebesar {{ aset.biaya|rupiah }}{% endif %}.",
    ),
    "bgs_bsg": (
        "BANGUN GUNA SERAH / BANGUN SERAH GUNA",
        "Mitra wajib membangun dan menyerahkan bangunan beserta fasilitasnya kepada "
        "Pemerintah Kabupaten Blitar sesuai perjanjian{% if aset.biaya %} dan membayar "
        "kontribusi tahunan sebesar {{ aset.biaya|rupiah }}{% endif %}.",
    ),
    "kspi": (
        "KERJA SAMA PENYEDIAAN INFRASTRUKTUR",
        "Mitra wajib menyediakan infrastruktur sesuai perjanjian kerja sama penyediaan "
        "infrastruktur dan menyerahkannya kepada Pemerintah Kabupaten Blitar pada akhir "
        "jangka waktu.",
    ),
}


def asset_template(use_form):
    """The permit for one use form of a regional asset."""
    name, duty = ASSET_FORMS[use_form]
    subject = (if_renewal("PERPANJANGAN ") + f"IZIN PEMANFAATAN BARANG MILIK DAERAH DALAM "
               f"BENTUK {name} ATAS {{{{ aset.nama|upper }}}} KEPADA "
               "{{ pemohon.pemegang|upper }}")
    return {
        "title": TITLE,
        "subject": subject,
        "official": OFFICE + ",",
        "menimbang": [
            "bahwa {{ pemohon.pemegang }} telah mengajukan permohonan "
            + if_renewal("perpanjangan ") + "pemanfaatan barang milik daerah dalam bentuk "
            f"{name.lower()} atas {{{{ aset.nama }}}} untuk {{{{ aset.peruntukan }}}}, dengan "
            "nomor registrasi {{ permohonan.nomor }}" + RENEWED_DECREE + ";",
            "bahwa {{ aset.pengelola }} selaku perangkat daerah pengelola barang telah "
            "memberikan rekomendasi Nomor {{ rekomendasi.nomor }} tanggal "
            "{{ rekomendasi.tanggal }};",
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, "
            "perlu menetapkan Keputusan Kepala Dinas Penanaman Modal dan Pelayanan Terpadu "
            "Satu Pintu tentang Izin Pemanfaatan Barang Milik Daerah;",
        ],
        "mengingat": list(ASSET_BASIS),
        "menetapkan": f"{TITLE} TENTANG {subject}.",
        "diktum": [
            "Memberikan " + if_renewal("perpanjangan ") + "izin pemanfaatan barang milik "
            f"daerah dalam bentuk {name.lower()} kepada:\n"
            "Nama | {{ pemohon.nama }}\n"
            "{% if pemohon.bertindak_untuk %}Bertindak untuk | {{ pemohon.bertindak_untuk }}\n"
            "{% endif %}Alamat | {{ pemohon.alamat }}\n"
            "Nomor registrasi | {{ permohonan.nomor }}\n"
            "atas barang milik daerah sebagai berikut:\n"
            "Barang milik daerah | {{ aset.nama }}\n"
            "Kode barang | {{ aset.kode_barang }}\n"
            "Lokasi | {{ aset.lokasi }}\n"
            "{% if aset.luas %}Luas yang dimanfaatkan | {{ aset.luas }} m²\n{% endif %}"
            "Peruntukan | {{ aset.peruntukan }}",
            "Jangka waktu pemanfaatan sebagaimana dimaksud dalam Diktum KESATU adalah sejak "
            "tanggal {{ aset.mulai }} sampai dengan tanggal {{ aset.selesai }}.",
            duty,
            "Pemegang izin wajib memelihara dan mengamankan barang milik daerah, tidak "
            "mengubah bentuk dan peruntukannya, tidak mengalihkan pemanfaatannya kepada pihak "
            "lain, dan mengembalikannya dalam keadaan baik pada akhir jangka waktu.",
            "Izin ini batal dengan sendirinya apabila pemegang izin melanggar ketentuan "
            "sebagaimana dimaksud dalam Diktum KETIGA dan Diktum KEEMPAT.",
            CLOSING,
        ],
        "place": "Blitar",
        "signer_title": OFFICE,
        "tembusan": [
            "Bupati Blitar (sebagai laporan);",
            "Sekretaris Daerah Kabupaten Blitar;",
            "Kepala {{ aset.pengelola }};",
            "Yang bersangkutan.",
        ],
        "annex_title": "",
        "annex_text": "",
        "annex_map": False,
        "footnote": FOOTNOTE,
        "validity_years": None,
    }


# The decree templates each built-in kind ships with (Workflow.default_decrees):
# key → (name, content).
PKKPR_DECREES = {"sk_pkkpr_nb": ("Keputusan PKKPR Non Berusaha", PKKPR_NB)}
ASSET_DECREES = {
    f"sk_aset_{form}": (f"Keputusan Izin Pemanfaatan Aset: {name.title()}",
                        asset_template(form))
    for form, (name, _) in ASSET_FORMS.items()
}


# --- the revocation decree and the rejection letter -------------------------------------
# Rendered by app/services/issued_pdf.py from RevocationFacts / RejectionFacts (their
# placeholders: app/documents/placeholders.py, scopes "pencabutan" and "penolakan").


def _by_workflow(group, pkkpr, asset):
    """One text for a PKKPR Non Berusaha, another for an asset use."""
    return f"{{% if {group}.alur == 'pkkpr_nb' %}}{pkkpr}{{% else %}}{asset}{{% endif %}}"


REVOKED_DECREE = (
    "Keputusan Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten "
    "Blitar Nomor {{ izin.nomor }} tanggal {{ izin.tanggal }} atas nama {{ izin.pemegang }}"
)
REVOCATION_SUBJECT = (
    "PENCABUTAN KEPUTUSAN KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU "
    "KABUPATEN BLITAR NOMOR {{ izin.nomor }} ATAS NAMA {{ izin.pemegang|upper }}"
)
GRANTED = _by_workflow(
    "izin", "Persetujuan Kesesuaian Kegiatan Pemanfaatan Ruang Non Berusaha",
    "izin pemanfaatan barang milik daerah berupa {{ izin.jenis }}")
ADMINISTRATION_LAW = (
    "Undang-Undang Nomor 30 Tahun 2014 tentang Administrasi Pemerintahan sebagaimana telah "
    "diubah dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah "
    "Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang;"
)
SPATIAL_REGULATIONS = (
    "Peraturan Pemerintah Nomor 21 Tahun 2021 tentang Penyelenggaraan Penataan Ruang",
    "Peraturan Menteri Agraria dan Tata Ruang/Kepala Badan Pertanahan Nasional Nomor 13 "
    "Tahun 2021 tentang Pelaksanaan Kegiatan Kesesuaian Pemanfaatan Ruang dan Sinkronisasi "
    "Program Pemanfaatan Ruang",
)
ASSET_REGULATIONS = (
    "Peraturan Pemerintah Nomor 27 Tahun 2014 tentang Pengelolaan Barang Milik "
    "Negara/Daerah sebagaimana telah diubah dengan Peraturan Pemerintah Nomor 28 Tahun 2020",
    "Peraturan Menteri Dalam Negeri Nomor 19 Tahun 2016 tentang Pedoman Pengelolaan Barang "
    "Milik Daerah",
)
OBJECTION = (
    "dapat mengajukan keberatan secara tertulis kepada Kepala Dinas Penanaman Modal dan "
    "Pelayanan Terpadu Satu Pintu Kabupaten Blitar dalam jangka waktu 21 (dua puluh satu) "
    "hari kerja sejak {document} diterima, sesuai dengan ketentuan peraturan "
    "perundang-undangan di bidang administrasi pemerintahan."
)

SK_PENCABUTAN = {
    "title": TITLE,
    "subject": REVOCATION_SUBJECT,
    "official": OFFICE + ",",
    "menimbang": [
        "bahwa dengan Keputusan Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu "
        "Pintu Kabupaten Blitar Nomor {{ izin.nomor }} tanggal {{ izin.tanggal }}, kepada "
        f"{{{{ izin.pemegang }}}} telah diberikan {GRANTED};",
        "bahwa berdasarkan hasil pemeriksaan dan evaluasi, terdapat alasan untuk mencabut "
        "Keputusan sebagaimana dimaksud dalam huruf a sebagaimana diuraikan dalam Diktum "
        "KESATU Keputusan ini;",
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, "
        "perlu menetapkan Keputusan Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu "
        "Pintu tentang Pencabutan Keputusan Kepala Dinas Penanaman Modal dan Pelayanan "
        "Terpadu Satu Pintu Kabupaten Blitar Nomor {{ izin.nomor }};",
    ],
    "mengingat": [
        _by_workflow(
            "izin",
            "Undang-Undang Nomor 26 Tahun 2007 tentang Penataan Ruang sebagaimana telah "
            "diubah dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan "
            "Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja "
            "menjadi Undang-Undang;",
            "Undang-Undang Nomor 1 Tahun 2004 tentang Perbendaharaan Negara;"),
        *PEMDA,
        ADMINISTRATION_LAW,
        _by_workflow("izin", SPATIAL_REGULATIONS[0] + ";", ASSET_REGULATIONS[0] + ";"),
        _by_workflow("izin", SPATIAL_REGULATIONS[1] + ";", ASSET_REGULATIONS[1] + ";"),
        DELEGATION,
    ],
    "menetapkan": f"{TITLE} TENTANG {REVOCATION_SUBJECT}.",
    "diktum": [
        f"Mencabut {REVOKED_DECREE}, dengan keterangan sebagai berikut:\n"
        "Jenis izin | {{ izin.jenis }}\n"
        "Pemegang izin | {{ izin.pemegang }}\n"
        "Alamat | {{ izin.alamat }}\n"
        "Nomor registrasi | {{ izin.nomor_registrasi }}\n"
        "Masa berlaku semula | {{ izin.berlaku_mulai }} sampai dengan "
        "{{ izin.berlaku_sampai }}\n"
        "Alasan pencabutan | {{ pencabutan.alasan }}",
        "Sejak ditetapkannya Keputusan ini, Keputusan sebagaimana dimaksud dalam Diktum "
        "KESATU dinyatakan tidak berlaku dan segala hak yang timbul daripadanya berakhir; "
        + _by_workflow(
            "izin",
            "bekas pemegang izin wajib menghentikan kegiatan pemanfaatan ruang yang "
            "didasarkan pada Keputusan tersebut.",
            "bekas pemegang izin wajib menghentikan pemanfaatan dan menyerahkan kembali "
            "barang milik daerah dalam keadaan baik."),
        "Pemegang izin yang berkeberatan atas Keputusan ini "
        + OBJECTION.format(document="Keputusan ini"),
        "Status Keputusan yang dicabut dapat diperiksa pada laman verifikasi "
        "{{ izin.tautan_verifikasi }}.",
        CLOSING,
    ],
    "place": "Blitar",
    "signer_title": OFFICE,
    "tembusan": [
        "Bupati Blitar (sebagai laporan);",
        "Sekretaris Daerah Kabupaten Blitar;",
        "Yang bersangkutan.",
    ],
    "annex_title": "",
    "annex_text": "",
    "annex_map": False,
    "footnote": FOOTNOTE,
    "validity_years": None,
}

# Who examined the file, as the letter names the office.
EXAMINED_BY = (
    "{% if penolakan.pada_penandatanganan %}pada tahap penetapan keputusan"
    "{% elif penolakan.peran == 'DPUPR' %}Dinas Pekerjaan Umum dan Penataan Ruang "
    "Kabupaten Blitar"
    "{% elif penolakan.peran == 'ATR BPN' %}Kantor Pertanahan Kabupaten Blitar"
    "{% elif penolakan.pengelola %}{{ penolakan.pengelola }}"
    "{% else %}Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Blitar"
    "{% endif %}"
)

SURAT_PENOLAKAN = {
    "place": "Blitar",
    "sifat": "Biasa",
    "lampiran": "-",
    "hal": "Penolakan Permohonan {{ permohonan.jenis_izin }}",
    "addressee": "Yth. Sdr. {{ kepada.nama }}\n"
                 "{% if kepada.bertindak_untuk %}{{ kepada.bertindak_untuk }}\n{% endif %}"
                 "{{ kepada.alamat }}",
    "paragraphs": [
        "Menindaklanjuti permohonan {{ permohonan.jenis_izin }} yang Saudara ajukan pada "
        "tanggal {{ permohonan.tanggal_pengajuan }} dengan nomor registrasi "
        "{{ permohonan.nomor }}, dengan hormat kami sampaikan bahwa berdasarkan hasil "
        f"pemeriksaan {EXAMINED_BY}, permohonan tersebut tidak dapat disetujui dengan "
        "alasan sebagai berikut:",
        "{{ penolakan.alasan }}",
        "Penolakan ini didasarkan pada "
        + _by_workflow("penolakan", " dan ".join(SPATIAL_REGULATIONS),
                       " dan ".join(ASSET_REGULATIONS))
        + ", serta Peraturan Bupati Blitar Nomor 76 Tahun 2022 tentang Pendelegasian "
        "Kewenangan Penyelenggaraan Perizinan dan Nonperizinan kepada Kepala Dinas "
        "Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Blitar.",
        "{% if penolakan.nomor_sk_batal %}Dengan penolakan ini, Nomor Keputusan "
        "{{ penolakan.nomor_sk_batal }} yang telah diberikan untuk permohonan Saudara "
        "dinyatakan batal.{% endif %}",
        "Saudara dapat mengajukan permohonan baru setelah memenuhi ketentuan sebagaimana "
        "tersebut di atas. Apabila Saudara berkeberatan atas penolakan ini, Saudara "
        + OBJECTION.format(document="surat ini"),
        "Demikian untuk menjadi perhatian Saudara.",
    ],
    "signer_title": OFFICE,
    "tembusan": [
        "{% if penolakan.peran == 'DPUPR' %}Kepala Dinas Pekerjaan Umum dan Penataan Ruang "
        "Kabupaten Blitar;{% elif penolakan.peran == 'ATR BPN' %}Kepala Kantor Pertanahan "
        "Kabupaten Blitar;{% elif penolakan.pengelola %}Kepala {{ penolakan.pengelola }};"
        "{% endif %}",
        "Arsip.",
    ],
    "footnote": FOOTNOTE,
}

# key → (name, kind, scope, content): the documents of app/services/issued_pdf.py.
ISSUED_TEMPLATES = {
    "sk_pencabutan": ("Keputusan Pencabutan Izin", "keputusan", "pencabutan", SK_PENCABUTAN),
    "surat_penolakan": ("Surat Penolakan Permohonan", "surat", "penolakan", SURAT_PENOLAKAN),
}

# --- the SKRD (kind "skrd"): issued by the agency managing the asset --------------------
# The regency's regional tax and retribution regulation sets the tariffs and the late
# sanction; its number is the office's to fill in, like the regulations above.
SKRD = {
    "title": "SURAT KETETAPAN RETRIBUSI DAERAH (SKRD)",
    "retribution_name": "RETRIBUSI PEMAKAIAN KEKAYAAN DAERAH",
    "legal_basis": [
        "Undang-Undang Nomor 1 Tahun 2022 tentang Hubungan Keuangan antara Pemerintah Pusat "
        "dan Pemerintahan Daerah;",
        "Peraturan Pemerintah Nomor 35 Tahun 2023 tentang Ketentuan Umum Pajak Daerah dan "
        "Retribusi Daerah;",
        "Peraturan Daerah Kabupaten Blitar tentang Pajak Daerah dan Retribusi Daerah.",
    ],
    "payment": (
        "Retribusi dibayar lunas paling lambat tanggal {{ skrd.jatuh_tempo }}"
        "{% if retribusi.rekening %} dengan penyetoran ke rekening {{ retribusi.bank }} "
        "Nomor {{ retribusi.rekening }} atas nama {{ retribusi.atas_nama }}{% endif %}"
        "{% if retribusi.virtual_account %}{% if retribusi.rekening %}, atau{% endif %} "
        "melalui {{ retribusi.virtual_account }}{% endif %}, dengan mencantumkan nomor "
        "SKRD {{ skrd.nomor }} pada keterangan pembayaran."
    ),
    "late_sanction": (
        "Apabila SKRD ini tidak atau kurang dibayar sampai dengan tanggal jatuh tempo, "
        "dikenakan sanksi administratif berupa bunga sebesar 1% (satu persen) setiap bulan "
        "dari retribusi terutang yang tidak atau kurang dibayar, yang ditagih dengan Surat "
        "Tagihan Retribusi Daerah (STRD), sesuai dengan Undang-Undang Nomor 1 Tahun 2022 "
        "dan Peraturan Daerah Kabupaten Blitar tentang Pajak Daerah dan Retribusi Daerah."
    ),
    "closing": (
        "Retribusi dinyatakan lunas setelah pembayaran diverifikasi oleh {{ instansi.nama }}; "
        "bukti pembayaran diunggah pada permohonan Nomor {{ permohonan.nomor }}."
    ),
    "place": "Blitar",
    "footnote": "",
}
# key → (name, scope, content)
SKRD_TEMPLATES = {
    "skrd": ("Surat Ketetapan Retribusi Daerah (SKRD)", "skrd", SKRD),
}


def configured_decree(name, form_fields):
    """The starting decree of a configured process: the grant of the permit `name` to
    the applicant, with the application form's answers (label, placeholder) listed in
    the first diktum; the office edits it in the template screen."""
    answers = "".join(f"\n{label} | {{{{ isian.{field} }}}}" for field, label in form_fields)
    subject = name.upper()
    return {
        "title": TITLE,
        "subject": if_renewal("PERPANJANGAN ")
        + f"{subject} ATAS NAMA {{{{ pemohon.pemegang|upper }}}}",
        "official": OFFICE + ",",
        "menimbang": [
            "bahwa {{ pemohon.pemegang }} telah mengajukan permohonan "
            + if_renewal("perpanjangan ") + f"{name} dengan nomor registrasi "
            "{{ permohonan.nomor }} yang telah memenuhi persyaratan" + RENEWED_DECREE + ";",
            f"bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu "
            f"menetapkan Keputusan Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu "
            f"Pintu tentang {name} atas nama {{{{ pemohon.pemegang }}}};",
        ],
        "mengingat": [*PEMDA, DELEGATION],
        "menetapkan": f"{TITLE} TENTANG {subject} ATAS NAMA "
                      "{{ pemohon.pemegang|upper }}.",
        "diktum": [
            f"Memberikan {name} kepada:\nNama | {{{{ pemohon.nama }}}}\n"
            "{% if pemohon.bertindak_untuk %}Bertindak untuk | {{ pemohon.bertindak_untuk }}\n"
            "{% endif %}Alamat | {{ pemohon.alamat }}\nNomor registrasi | "
            "{{ permohonan.nomor }}" + answers,
            "Pemegang izin wajib mematuhi ketentuan peraturan perundang-undangan dan izin ini "
            "dapat dicabut apabila pemegang izin tidak memenuhi ketentuan dalam Keputusan ini.",
            CLOSING,
        ],
        "place": "Blitar",
        "signer_title": OFFICE,
        "tembusan": ["Bupati Blitar (sebagai laporan);", "Yang bersangkutan."],
        "annex_title": "",
        "annex_text": "",
        "annex_map": False,
        "footnote": FOOTNOTE,
        "validity_years": None,
    }


def configured_letter(document, permit, form_fields, signer_title):
    """The starting letter of a configured process's step that draws its document (a
    numbered document with `generate: true`): `document` to the applicant about the
    application for `permit`, with the application form's answers (label, placeholder),
    signed by hand under `signer_title`; the office edits it in the template screen."""
    answers = [f"{label}: {{{{ isian.{field} }}}}" for field, label in form_fields]
    return {
        "place": "Blitar",
        "sifat": "Biasa",
        "lampiran": "-",
        "hal": document,
        "addressee": "Yth. Sdr. {{ pemohon.nama }}\n"
                     "{% if pemohon.bertindak_untuk %}{{ pemohon.bertindak_untuk }}\n"
                     "{% endif %}{{ pemohon.alamat }}",
        "paragraphs": [
            f"Menindaklanjuti permohonan {permit} yang Saudara ajukan pada tanggal "
            "{{ permohonan.tanggal_pengajuan }} dengan nomor registrasi "
            f"{{{{ permohonan.nomor }}}}, dengan ini disampaikan {document} atas "
            "permohonan dengan data sebagai berikut:",
            *answers,
            f"Demikian {document} ini disampaikan untuk dipergunakan sebagaimana mestinya.",
        ],
        "signer_title": signer_title,
        "tembusan": ["Arsip."],
        "footnote": "",
    }
