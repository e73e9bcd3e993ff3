"""The SKRD as the retribution office issues it: the agency's letterhead, the legal basis,
the object and its codes, the computation with any reduction and its reason, the total
in figures and words, the due date, the late sanction, where to pay and the agency's
official; from a versioned template an admin edits."""

import subprocess
from datetime import timedelta

import pytest

from app.extensions import db
from app.storage.files import path_of
from models import Application
from tests.support import TODAY, make_asset_use, recommendation_input
from tests.workflow.test_pkkpr_flow import act

REASON = "Kegiatan sosial Karang Taruna tanpa pungutan kepada peserta"


def flat(text):
    return " ".join(text.split())


def recommend(login_as, fee="", reason="", days=2):
    """The BPKAD meeting hall (Rp1.500.000 a day) for `days` days, recommended by BPKAD
    with the fee `fee` (empty: the computed one); the file's SKRD."""
    start = TODAY + timedelta(days=20)
    end = start + timedelta(days=days - 1)
    application = make_asset_use(start=start, end=end)
    act(login_as("pengelolaaset"), application.id, "terbitkan_rekomendasi",
        recommendation_input(start, end, biaya=fee, alasan_biaya=reason))
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    skrd = next(a for a in application.artifacts if a.kind == "skrd")
    return application, skrd


def pdf_text(content):
    """The text in reading order, white space folded (a table cell's lines stay together)."""
    return flat(subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True,
                               check=True).stdout.decode())


def skrd_text(skrd):
    return pdf_text(path_of(skrd.stored_name).read_bytes())


@pytest.mark.usefixtures("app")
def test_a_lowered_fee_prints_the_computed_amount_the_reduction_with_its_reason_and_the_total(
    login_as
):
    """The review: 'Rp1.500.000 per hari × 2 hari' then 'Rp2.500.000', no reduction."""
    _, skrd = recommend(login_as, fee="2500000", reason=REASON)
    text = skrd_text(skrd)
    assert "Rp1.500.000 per hari × 2 hari" in text
    assert "Rp3.000.000" in text
    assert f"Pengurangan retribusi: {REASON}" in text
    assert "-Rp500.000" in text
    assert "JUMLAH YANG HARUS DIBAYAR Rp2.500.000" in text
    assert "dua juta lima ratus ribu rupiah" in text
    assert skrd.data["jumlah"] == "2500000"
    assert skrd.data["dihitung"] == "3000000"
