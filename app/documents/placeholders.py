"""The data a document template may print: groups of placeholders ({{ pemohon.nama }}),
what each means (shown beside the template editor), which groups each scope of template
has, and the values for one file (or for sample data, to preview a template).

Values are plain strings and numbers, already written as the document prints them
("29 November 2029", "240,5"), so templates need no formatting code; amounts also come
as numbers for the `rupiah` and `terbilang` filters."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app import office_time
from app.documents.formatting import angka, tanggal, terbilang

GROUPS = {
    "kantor": {
        "nama": _l("Office name (from the letterhead)"),
        "kota": _l("City where documents are issued"),
    },
    "permohonan": {
        "nomor": _l("Registration number of the file"),
        "jenis_izin": _l("Permit type"),
        "tanggal_pengajuan": _l("Date the application was submitted"),
    },
    "pemohon": {
        "nama": _l("Applicant's name"),
        "alamat": _l("Applicant's address"),
        "nik": _l("Applicant's NIK"),
        "bertindak_untuk": _l("Organisation the applicant acts for (empty if none)"),
        "pemegang": _l("Holder of the permit: the organisation, or else the applicant"),
    },
    "sk": {
        "nomor": _l("SK number"),
        "tanggal": _l("SK date"),
        "tahun": _l("SK year"),
    },
    "berlaku": {
        "mulai": _l("Valid from"),
        "sampai": _l("Valid until"),
        "tahun": _l("Validity in years (PKKPR)"),
        "tahun_terbilang": _l("Validity in years, in words"),
    },
    # Empty unless the file renews an earlier permit (app/services/renewal.py): a
    # template tests {% if perpanjangan.nomor_sk %} to cite the previous decree.
    "perpanjangan": {
        "nomor_sk": _l("SK number of the permit this file renews (empty if it is not a "
                       "renewal)"),
        "tanggal_sk": _l("Date of the renewed permit's decree"),
        "berlaku_sampai": _l("End of the renewed permit's validity"),
        "nomor_registrasi": _l("Registration number of the renewed file"),
    },
    "lokasi": {
        "alamat": _l("Location address"),
        "desa": _l("Village (desa/kelurahan)"),
        "kecamatan": _l("District (kecamatan)"),
        "koordinat": _l("Coordinates (latitude, longitude)"),
        "luas_tanah": _l("Land area applied for (m²)"),
        "luas_disetujui": _l("Approved area (m²)"),
        "kegiatan": _l("Activity"),
        "status_tanah": _l("Land title status"),
        "jumlah_lantai": _l("Planned floors"),
        "luas_lantai": _l("Planned floor area (m²)"),
    },
    "krk": {
        "nomor": _l("KRK number"),
        "tanggal": _l("KRK date"),
        "peruntukan": _l("Zoning / designated use"),
        "kbli": _l("Allowed KBLI"),
        "kdb_maks": _l("Maximum KDB (%)"),
        "klb": _l("Maximum KLB"),
        "kdh_min": _l("Minimum KDH (%)"),
        "ktb": _l("Maximum KTB (%)"),
        "gsb": _l("Building line GSB (m)"),
        "jba": _l("Side clearance JBA (m)"),
        "jbb": _l("Rear clearance JBB (m)"),
        "lantai_maks": _l("Maximum floors"),
        "luas_kavling_min": _l("Minimum plot area (m²)"),
        "jaringan_utilitas": _l("Utility networks"),
        "persyaratan_pelaksanaan": _l("Implementation requirements"),
    },
    "pertek": {
        "nomor": _l("Pertek number"),
        "tanggal": _l("Pertek date"),
    },
    "rekomendasi": {
        "nomor": _l("Recommendation number"),
        "tanggal": _l("Recommendation date"),
        "keputusan": _l("Decision (disetujui / disetujui sebagian)"),
        "catatan": _l("Recommendation note"),
    },
    "aset": {
        "nama": _l("Asset name"),
        "kode_barang": _l("Asset code (kode barang)"),
        "lokasi": _l("Asset location"),
        "bentuk_pemanfaatan": _l("Use form"),
        "peruntukan": _l("Purpose of the use"),
        "mulai": _l("Approved from"),
        "selesai": _l("Approved until"),
        "luas": _l("Approved area (m²)"),
        "biaya": _l("Fee (a number: use |rupiah or |terbilang)"),
        "pengelola": _l("Managing agency"),
        "nomor_skrd": _l("SKRD number (when a fee was paid)"),
    },
}
COMMON = ("kantor", "permohonan", "pemohon", "sk", "berlaku", "perpanjangan")
# Scopes of the letters that are not a kind's decree (rejection, revocation, SKRD): a
# kind's decree has the common groups and those its definition declares
# (Workflow.placeholders, a KindPlaceholders).
SCOPES = {}
SCOPE_LABELS = {}


@dataclass(frozen=True)
class KindPlaceholders:
    """What a built-in kind's decree may print besides the common groups."""

    label: object  # the scope's name beside the template editor
    groups: dict  # group → {placeholder: what it means}, as GROUPS
    fill: Callable  # (values, application) → fills its groups for one file
    sample: Callable  # (values, today) → fills them with made-up values


def _workflow(scope):
    """The workflow of the kind `scope` (its current version); None for the letters'
    scopes and for a kind nobody publishes."""
    from app.workflow.registry import find

    return None if scope in SCOPES else find(scope)


def _declared(scope):
    """The KindPlaceholders of the kind `scope`, None for any other scope."""
    return getattr(_workflow(scope), "placeholders", None)


# A configured process's decree (a scope named by the process code) also has the
# answers of its forms, by field name: {{ isian.luas_reklame }}, as a person reads them.
ANSWERS = "isian"


def _process_fields(scope):
    """{name: FieldDef} of the configured process `scope` (its current version)."""
    workflow = _workflow(scope)
    return workflow.spec.fields if workflow is not None and workflow.spec else {}


def _groups(scope):
    if scope in SCOPES:
        return {group: GROUPS[group] for group in SCOPES[scope]}
    declared = _declared(scope)
    if declared is not None:
        return {**{group: GROUPS[group] for group in COMMON}, **declared.groups}
    fields = _process_fields(scope)
    return {**{group: GROUPS[group] for group in COMMON},
            ANSWERS: {name: f.label for name, f in fields.items()}}


def scope_label(scope):
    if scope in SCOPE_LABELS:
        return SCOPE_LABELS[scope]
    declared = _declared(scope)
    if declared is not None:
        return declared.label
    from app.workflow.registry import kind_title

    return kind_title(scope)


def placeholders(scope):
    """{"pemohon.nama", …}: every placeholder a template of this scope may use."""
    return {f"{group}.{name}" for group, names in _groups(scope).items() for name in names}


def described(scope):
    """[(group, [(placeholder, meaning)])] for the editor's list."""
    return _described(_groups(scope))


def _described(groups):
    return [(group, [(f"{group}.{name}", meaning) for name, meaning in names.items()])
            for group, names in groups.items()]


def common_placeholders():
    """What every decree may use, whatever its kind: the office, the application, the
    applicant, the SK, its validity and the permit it renews."""
    return {f"{group}.{name}" for group in COMMON for name in GROUPS[group]}


def described_common():
    """`described` for the common placeholders only (a draft process's decree)."""
    return _described({group: GROUPS[group] for group in COMMON})


def _blank(scope):
    return {group: dict.fromkeys(names) for group, names in _groups(scope).items()}


def _artifact_data(application, kind):
    artifact = application.latest_artifact(kind)
    return (artifact.number if artifact else None), (artifact.data if artifact else {}) or {}


KRK_NUMBERS = ("kdb_maks", "klb", "kdh_min", "ktb", "gsb", "jba", "jbb", "luas_kavling_min")
DECISION_WORDS = {"disetujui": "disetujui", "disetujui_sebagian": "disetujui sebagian"}


def context_for(application, scope, office, validity=None, sk_date=None):
    """The values of one file. `office` is the letterhead (name, city); `validity` the
    decree's (valid_from, valid_until, years) when known."""
    values = _blank(scope)
    sk_date = sk_date or application.sk_date
    holder = application.organisation_name if application.acts_for_organisation else None
    values["kantor"].update(nama=office.office, kota=office.city)
    values["permohonan"].update(
        nomor=application.registration_number, jenis_izin=application.permit_type.name,
        tanggal_pengajuan=tanggal(application.submitted_at))
    values["pemohon"].update(
        nama=application.applicant_name, alamat=application.applicant_address,
        nik=application.applicant_nik, bertindak_untuk=holder or "",
        pemegang=holder or application.applicant_name)
    values["sk"].update(nomor=application.sk_number, tanggal=tanggal(sk_date),
                        tahun=str(sk_date.year) if sk_date else None)
    if validity is not None:
        start, end, years = validity
        values["berlaku"].update(mulai=tanggal(start), sampai=tanggal(end),
                                 tahun=str(years) if years else None,
                                 tahun_terbilang=terbilang(years) if years else None)
    if "perpanjangan" in values:
        _renewed(values, application)
    declared = _declared(scope)
    if declared is not None:
        declared.fill(values, application)
    if ANSWERS in values:
        _answers(values, application)
    return values


def _answers(values, application):
    from app.workflow.registry import workflow_of

    data = application.form_data or {}
    values[ANSWERS].update({name: f.display(data.get(name)) for name, f in
                            workflow_of(application).spec.fields.items()})


def _renewed(values, application):
    """The permit a renewal renews (empty for any other file: a template's condition on
    it is then false)."""
    old = application.renews
    if old is None:
        return
    decree = old.decree
    values["perpanjangan"].update(
        nomor_sk=old.sk_number, tanggal_sk=tanggal(old.sk_date),
        berlaku_sampai=tanggal(decree.valid_until) if decree and decree.valid_until else None,
        nomor_registrasi=old.registration_number)


def pkkpr_values(values, application):
    detail = application.pkkpr
    krk_number, krk = _artifact_data(application, "krk")
    pertek_number, pertek = _artifact_data(application, "pertek")
    recommendation_number, recommendation = _artifact_data(application, "rekomendasi")
    approved = recommendation.get("luas_disetujui") or krk.get("luas_disetujui") or \
        detail.land_area_m2
    values["lokasi"].update(
        alamat=detail.location_address, desa=detail.desa, kecamatan=detail.kecamatan,
        koordinat=f"{float(detail.latitude):.6f}, {float(detail.longitude):.6f}",
        luas_tanah=angka(detail.land_area_m2), luas_disetujui=angka(approved),
        kegiatan=detail.activity, status_tanah=detail.land_title_status,
        jumlah_lantai=str(detail.planned_floors), luas_lantai=angka(detail.planned_floor_area_m2))
    values["krk"].update({name: krk.get(name) for name in GROUPS["krk"] if name in krk})
    values["krk"].update({name: angka(krk[name]) for name in KRK_NUMBERS
                          if krk.get(name) not in (None, "")})
    values["krk"].update(nomor=krk_number, tanggal=tanggal(krk.get("tanggal_krk")))
    values["pertek"].update(nomor=pertek_number, tanggal=tanggal(pertek.get("tanggal_pertek")))
    values["rekomendasi"].update(
        nomor=recommendation_number,
        tanggal=tanggal(recommendation.get("tanggal_rekomendasi")),
        keputusan=DECISION_WORDS.get(recommendation.get("keputusan"), "disetujui"),
        catatan=recommendation.get("catatan"))


def asset_values(values, application):
    from app.workflow.assets import USE_FORM_NAMES, invoice_of

    use = application.asset_use
    asset = use.asset
    recommendation_number, recommendation = _artifact_data(application, "rekomendasi")
    invoice = invoice_of(application)
    values["aset"].update(
        nama=asset.name, kode_barang=asset.kode_barang,
        lokasi=f"{asset.address}, Kecamatan {asset.kecamatan}",
        bentuk_pemanfaatan=USE_FORM_NAMES.get(use.use_form, use.use_form),
        peruntukan=use.purpose, mulai=tanggal(use.approved_start),
        selesai=tanggal(use.approved_end),
        luas=angka(use.approved_area_m2) if use.approved_area_m2 else None,
        biaya=use.fee if use.fee is not None else 0,
        pengelola=application.permit_type.agency.name if application.permit_type.agency
        else None,
        nomor_skrd=invoice.number if invoice else None)
    values["rekomendasi"].update(
        nomor=recommendation_number,
        tanggal=tanggal(recommendation.get("tanggal_rekomendasi")),
        keputusan="disetujui", catatan=recommendation.get("catatan"))


def pkkpr_sample(values, today):
    values["lokasi"].update(
        alamat="Jl. Raya Kanigoro No. 10", desa="Kanigoro", kecamatan="Kanigoro",
        koordinat="-8.135000, 112.215000", luas_tanah="300", luas_disetujui="240",
        kegiatan="Rumah tinggal", status_tanah="Sertifikat Hak Milik",
        jumlah_lantai="2", luas_lantai="180")
    values["krk"].update(
        nomor="650/12/409.114/2026", tanggal=tanggal(today - timedelta(days=10)),
        peruntukan="Perumahan kepadatan sedang", kbli="", kdb_maks="60", klb="1,2",
        kdh_min="20", ktb="", gsb="5", jba="1,5", jbb="2", lantai_maks="3",
        luas_kavling_min="", jaringan_utilitas="Listrik, air bersih",
        persyaratan_pelaksanaan="")
    values["pertek"].update(nomor="PTK/45/2026", tanggal=tanggal(today - timedelta(days=5)))
    values["rekomendasi"].update(nomor="600/77/409.114/2026",
                                 tanggal=tanggal(today - timedelta(days=2)),
                                 keputusan="disetujui", catatan="")


def asset_sample(values, today):
    values["aset"].update(
        nama="Gedung Pertemuan Kabupaten", kode_barang="1.3.2.01.01.01.001",
        lokasi="Jl. Kenanga No. 2, Kecamatan Kanigoro", bentuk_pemanfaatan="Sewa",
        peruntukan="Resepsi pernikahan", mulai=tanggal(today + timedelta(days=30)),
        selesai=tanggal(today + timedelta(days=32)), luas=None, biaya=4500000,
        pengelola="Badan Pengelolaan Keuangan dan Aset Daerah",
        nomor_skrd="SKRD/00001/BPKAD/2026")
    values["rekomendasi"].update(nomor="030/55/409.104/2026",
                                 tanggal=tanggal(today - timedelta(days=3)),
                                 keputusan="disetujui", catatan="")


def _of(*names):
    return {group: GROUPS[group] for group in names}


PKKPR = KindPlaceholders(_l("PKKPR Non Berusaha decree"),
                         _of("lokasi", "krk", "pertek", "rekomendasi"), pkkpr_values,
                         pkkpr_sample)
ASSET_USE = KindPlaceholders(_l("Asset use permit"), _of("aset", "rekomendasi"),
                             asset_values, asset_sample)


def sample_context(scope, office):
    """Realistic made-up values, to preview a template without a file."""
    today = office_time.today()
    values = _blank(scope)
    values["kantor"].update(nama=office.office, kota=office.city)
    values["permohonan"].update(nomor="CONTOH/2026/000123", jenis_izin=str(scope_label(scope)),
                                tanggal_pengajuan=tanggal(today - timedelta(days=20)))
    values["pemohon"].update(nama="Budi Santoso", alamat="Jl. Merdeka No. 1, Kanigoro",
                             nik="3505011204850001", bertindak_untuk="",
                             pemegang="Budi Santoso")
    values["sk"].update(nomor="503/123/409.110/2026", tanggal=tanggal(today),
                        tahun=str(today.year))
    values["berlaku"].update(mulai=tanggal(today), sampai=tanggal(
        today.replace(year=today.year + 3) - timedelta(days=1)), tahun="3",
        tahun_terbilang="tiga")
    declared = _declared(scope)
    if declared is not None:
        declared.sample(values, today)
    if ANSWERS in values:
        values[ANSWERS].update({name: _sample_answer(f)
                                for name, f in _process_fields(scope).items()})
    return values


SAMPLE_ANSWERS = {"number": "12.5", "money": "150000", "yesno": True,
                  "kecamatan": "Kanigoro", "desa": "Kanigoro",
                  "coordinates": "-8.135, 112.215"}


def _sample_answer(field):
    """A made-up answer to a configured field, as the decree would print it."""
    if field.type == "date":
        return field.display(office_time.today().isoformat())
    if field.type == "choice" and field.options:
        return field.display(field.options[0][0])
    if field.type in SAMPLE_ANSWERS:
        return field.display(SAMPLE_ANSWERS[field.type])
    return f"({field.label})"


# --- the rejection letter and the revocation decree -------------------------------------
# Built from RejectionFacts (app/workflow/rejections.py) and RevocationFacts
# (app/services/revocation.py); app/services/issued_pdf.py renders them.

ISSUED_GROUPS = {
    "kepada": {
        "nama": _l("Addressee: the applicant's name"),
        "alamat": _l("Addressee's address"),
        "bertindak_untuk": _l("Organisation the applicant acts for (empty if none)"),
    },
    "penolakan": {
        "nomor": _l("Rejection letter number"),
        "tanggal": _l("Date of the rejection"),
        "alasan": _l("Reasons for the rejection, as the officer gave them"),
        "peran": _l("Role that rejected the file (DPUPR, ATR BPN, Pengelola Aset, "
                    "Kepala Dinas)"),
        "pengelola": _l("Agency managing the asset (asset use)"),
        "pada_penandatanganan": _l("“ya” when the head of office refused to sign (for "
                                   "conditions)"),
        "nomor_sk_batal": _l("SK number cancelled by a refusal at signature (else empty)"),
        "alur": _l("Workflow: pkkpr_nb or aset (for conditions)"),
    },
    "izin": {
        "nomor": _l("Number of the revoked decree"),
        "tanggal": _l("Date of the revoked decree"),
        "jenis": _l("Permit type"),
        "alur": _l("Workflow: pkkpr_nb or aset (for conditions)"),
        "pemegang": _l("Holder of the permit"),
        "alamat": _l("Holder's address"),
        "nomor_registrasi": _l("Registration number of the file"),
        "berlaku_mulai": _l("Valid from"),
        "berlaku_sampai": _l("Valid until"),
        "tautan_verifikasi": _l("Verification page of the revoked decree"),
    },
    "pencabutan": {
        "nomor": _l("Revocation decree number"),
        "tanggal": _l("Date of the revocation"),
        "alasan": _l("Reason for the revocation"),
    },
}
GROUPS.update(ISSUED_GROUPS)
SCOPES.update({"penolakan": ("kantor", "permohonan", "kepada", "penolakan"),
               "pencabutan": ("kantor", "izin", "pencabutan")})
SCOPE_LABELS.update({"penolakan": _l("Rejection letter"),
                     "pencabutan": _l("Revocation decree")})


def rejection_context(facts, office):
    """The values of a rejection letter, from its RejectionFacts."""
    values = _blank("penolakan")
    values["kantor"].update(nama=office.office, kota=office.city)
    values["permohonan"].update(nomor=facts.registration_number, jenis_izin=facts.permit_type,
                                tanggal_pengajuan=tanggal(facts.submitted_on))
    values["kepada"].update(nama=facts.applicant_name, alamat=facts.applicant_address,
                            bertindak_untuk=facts.organisation_name or "")
    values["penolakan"].update(
        nomor=facts.number, tanggal=tanggal(facts.dated), alasan=facts.reasons,
        peran=facts.rejected_by_role or "", pengelola=facts.agency or "",
        pada_penandatanganan="ya" if facts.at_signature else "",
        nomor_sk_batal=facts.cancelled_sk_number or "", alur=facts.workflow_kind)
    return values


def revocation_context(facts, office):
    """The values of a revocation decree, from its RevocationFacts."""
    values = _blank("pencabutan")
    values["kantor"].update(nama=office.office, kota=office.city)
    values["izin"].update(
        nomor=facts.sk_number, tanggal=tanggal(facts.sk_date), jenis=facts.permit_type,
        alur=facts.workflow_kind, pemegang=facts.holder, alamat=facts.holder_address,
        nomor_registrasi=facts.registration_number, berlaku_mulai=tanggal(facts.valid_from),
        berlaku_sampai=tanggal(facts.valid_until), tautan_verifikasi=facts.verification_url)
    values["pencabutan"].update(nomor=facts.revocation_number,
                                tanggal=tanggal(facts.revoked_on), alasan=facts.reason)
    return values


def sample_rejection_facts():
    """Made-up RejectionFacts fields, to preview the letter without a file."""
    today = office_time.today()
    return {
        "number": "503/012/SP/409.110/2026", "dated": today,
        "reasons": "Lokasi yang dimohon berada di kawasan sempadan sungai yang menurut "
                   "Rencana Detail Tata Ruang tidak diperuntukkan bagi bangunan rumah tinggal.",
        "at_signature": False, "from_status": "krk_terbit", "rejected_by": "Petugas DPUPR",
        "rejected_by_role": "DPUPR", "cancelled_sk_number": None,
        "permit_type": "PKKPR Non Berusaha", "workflow_kind": "pkkpr_nb", "agency": None,
        "registration_number": "CONTOH/2026/000123",
        "submitted_on": today - timedelta(days=20), "applicant_name": "Budi Santoso",
        "applicant_address": "Jl. Merdeka No. 1, Kanigoro", "organisation_name": None,
    }


def sample_revocation_facts():
    """Made-up RevocationFacts fields, to preview the revocation decree without a file."""
    today = office_time.today()
    issued = today - timedelta(days=200)
    return {
        "revocation_number": "503/140/409.110/2026", "revoked_on": today,
        "reason": "Pemegang persetujuan mendirikan bangunan yang tidak sesuai dengan "
                  "Keterangan Rencana Kabupaten.",
        "revoked_by": "Kepala Dinas", "sk_number": "503/045/409.110/2026",
        "sk_date": issued, "valid_from": issued,
        "valid_until": issued + timedelta(days=3 * 365 - 1),
        "permit_type": "PKKPR Non Berusaha", "workflow_kind": "pkkpr_nb",
        "registration_number": "CONTOH/2026/000123", "holder": "Budi Santoso",
        "holder_address": "Jl. Merdeka No. 1, Kanigoro",
        "verification_url": "https://contoh/verifikasi/x",
    }


# --- the SKRD: issued by the agency managing the asset ----------------------------------

GROUPS.update({
    "instansi": {
        "nama": _l("Agency issuing the SKRD"),
        "kode": _l("Agency code"),
    },
    "skrd": {
        "nomor": _l("SKRD number"),
        "tanggal": _l("SKRD date"),
        "jatuh_tempo": _l("Due date"),
        "jumlah": _l("Amount to pay (a number: use |rupiah or |terbilang)"),
        "dihitung": _l("Amount computed from the tariff (a number)"),
        "pengurangan": _l("Reduction granted by the agency (a number, 0 if none)"),
        "alasan_pengurangan": _l("Reason for the reduction (empty if none)"),
    },
    "retribusi": {
        "bank": _l("Bank of the account to pay into"),
        "rekening": _l("Account number"),
        "atas_nama": _l("Account holder"),
        "virtual_account": _l("Virtual account instructions (empty if none)"),
        "kode_rekening": _l("Retribution account code (kode rekening)"),
    },
    "pejabat": {
        "nama": _l("Name of the agency's signing official"),
        "jabatan": _l("Position of the signing official"),
        "pangkat": _l("Rank/grade of the signing official"),
        "nip": _l("NIP of the signing official"),
    },
})
SKRD_GROUPS = ("instansi", "skrd", "retribusi", "pejabat")
SCOPES["skrd"] = ("kantor", "permohonan", "pemohon", "aset", *SKRD_GROUPS)
SCOPE_LABELS["skrd"] = _l("SKRD (retribution invoice)")


def _skrd_values(agency, facts, settings):
    """The SKRD's own groups: `facts` an app.documents.skrd.SkrdFacts, `settings` the
    agency's AgencyRetribution (or None)."""
    reduction = max(facts.computed - facts.amount, 0)
    return {
        "instansi": {"nama": agency.name, "kode": agency.code},
        "skrd": {"nomor": facts.number, "tanggal": tanggal(facts.issued_on),
                 "jatuh_tempo": tanggal(facts.due_on), "jumlah": facts.amount,
                 "dihitung": facts.computed, "pengurangan": reduction,
                 "alasan_pengurangan": facts.adjustment_reason if reduction else ""},
        "retribusi": {
            "bank": settings.bank_name if settings else None,
            "rekening": settings.account_number if settings else None,
            "atas_nama": settings.account_holder if settings else None,
            "virtual_account": (settings.virtual_account or "") if settings else "",
            "kode_rekening": facts.retribution_code or None},
        "pejabat": {
            "nama": settings.official_name if settings else None,
            "jabatan": settings.official_title if settings else None,
            "pangkat": settings.official_rank_label if settings else None,
            "nip": settings.official_nip if settings else None},
    }


def skrd_context(application, office, agency, facts, settings):
    """The values of one file's SKRD: the asset use's (its template may print them too)
    and the SKRD's own; `office` is the agency's letterhead."""
    values = context_for(application, "aset", office)
    values.update(_skrd_values(agency, facts, settings))
    return values


def skrd_sample_context(office, agency, facts, settings):
    """Made-up values of a file, with the sample SKRD `facts`, to preview the template."""
    values = sample_context("aset", office)
    values.update(_skrd_values(agency, facts, settings))
    return values
