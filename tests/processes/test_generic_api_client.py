"""A configured permit type completed through /api/v1 alone by a client that knows
nothing of it: it reads the catalogue's fields and each file's `available_actions` with
their hints, and whoever is offered the way forward takes it, to the signed decree."""

import pytest

from app.signing import get_signer
from app.signing.pades import is_authentic
from tests.api.support import api, token
from tests.processes.support import GenericClient, officer, publish_trial_process

STAFF = ("frontoffice", "pemeriksa", "dpupr", "pengelolaaset", "backoffice", "kepaladinas")


@pytest.fixture
def tokens(client):
    publish_trial_process()
    officer("dinasuji", "Dinas Uji")
    return {username: token(client, username) for username in ("pemohon", *STAFF, "dinasuji")}


def test_a_generic_client_completes_the_trial_process_to_a_signed_decree(client, tokens):
    generic = GenericClient(client, tokens)
    application_id = generic.apply("UJI-REKLAME")
    final = generic.complete(application_id)

    assert final["status"] == "selesai"
    taken = [action for _user, action in generic.trail]
    # The inspection runs: the board is larger than 10 m² (12.5 m² from the hints).
    assert taken == ["ajukan", "terima", "periksa", "teknis", "cek_lapangan", "pajak",
                     "pajak_bayar", "pajak_konfirmasi", "catat", "input_nomor_sk",
                     "tandatangani"]
    who = dict((action, username) for username, action in generic.trail)
    assert who["teknis"] == "dinasuji" and who["pajak_bayar"] == "pemohon"
    assert who["tandatangani"] == "kepaladinas"
    # 12.5 m² × Rp20.000, as the applicant reads it; the archive number is for staff.
    answers = {row["name"]: row for row in generic.detail("pemohon", application_id)["answers"]}
    assert answers["pajak_jumlah"]["display"] == "Rp250.000"
    assert answers["luas_bidang"]["display"] == "12,5 m²"
    assert "nomor_arsip" not in answers
    assert "nomor_arsip" in {row["name"] for row in final["answers"]}
    decree = api(client, tokens["pemohon"], "GET", f"/applications/{application_id}/decree")
    assert decree.status_code == 200
    assert is_authentic(decree.data, get_signer().trust_roots())


def test_the_catalogue_publishes_the_hints_of_a_configured_form(client, tokens):
    generic = GenericClient(client, tokens)
    fields = {f["name"]: f for f in generic.permit_type("UJI-REKLAME")["fields"]}
    expected = {"type": "number", "input": "number", "min": "0.5", "max": "200",
                "decimals": 2, "unit": "m²", "required": True}
    assert {key: fields["luas_bidang"].get(key) for key in expected} == expected
    assert [c["value"] for c in fields["jenis"]["choices"]] == ["papan", "baliho"]
    assert fields["titik"]["input"] == "coordinates" and fields["titik"]["format"]
    assert fields["di_tanah_pemda"]["type"] == "boolean"
    assert fields["judul_reklame"]["max_length"] == 120
