"""What was issued on a file reads as words: "KRK", "Luas yang disetujui (m²): 240",
"Keputusan: Disetujui sebagian", "1 Des 2026"; never nomor_krk, kdb_maks,
disetujui_sebagian, BUKTI_BAYAR or an ISO date (on the file page and the print view)."""

from datetime import datetime

from app.extensions import db
from models import Artifact
from tests.support import make_pkkpr, user


def _issue(application, kind, number, data):
    db.session.add(Artifact(application=application, kind=kind, number=number, data=data,
                            issued_by_id=user("dpupr").id, issued_at=datetime(2026, 12, 1)))
    db.session.commit()


def test_issued_documents_show_labels_and_words(login_as):
    application = make_pkkpr("rekomendasi_terbit")
    _issue(application, "krk", "KRK/1/2026", {"nomor_krk": "KRK/1/2026",
                                               "tanggal_krk": "2026-12-01", "kdb_maks": 60})
    _issue(application, "bukti_bayar", "NTPN123", {"ntpn": "NTPN123"})
    _issue(application, "rekomendasi", "600/1", {"keputusan": "disetujui_sebagian",
                                                  "luas_disetujui": 240.5})
    dpupr = login_as("dpupr")
    for url in (f"/permohonan/{application.id}", f"/permohonan/{application.id}/cetak"):
        page = dpupr.get(url).get_data(as_text=True)
        for raw in ("nomor_krk", "kdb_maks", "disetujui_sebagian", "BUKTI_BAYAR",
                    "2026-12-01", "240.5"):
            assert raw not in page, (url, raw)
        assert "<th>KRK</th>" in page and "<th>Bukti bayar</th>" in page
        assert "KDB maksimum" in page or "KDB" in page
        assert "Disetujui sebagian" in page and "1 Des 2026" in page and "240,5" in page


def test_the_api_gives_each_issued_document_its_name_and_data_in_words(client):
    from tests.api.support import api, token

    application = make_pkkpr("rekomendasi_terbit")
    _issue(application, "rekomendasi", "600/1", {"keputusan": "disetujui_sebagian",
                                                  "tanggal_rekomendasi": "2026-12-01"})
    response = api(client, token(client, "dpupr"), "GET", f"/applications/{application.id}")
    artifact = response.get_json()["artifacts"][0]
    assert artifact["label"] == "Rekomendasi"
    assert artifact["data"]["keputusan"] == "disetujui_sebagian"  # the stored value stays
    assert {"label": "Keputusan", "value": "Disetujui sebagian"} in artifact["display"]
    assert {"label": "Tanggal rekomendasi", "value": "1 Des 2026"} in artifact["display"]
