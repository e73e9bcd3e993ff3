"""Both signing backends sign for real and report failures without signing."""

import shutil
import subprocess

import pytest

from app.signing import SigningError, get_signer
from app.signing.bsre import BsreSigner
from app.signing.pades import is_authentic, signature_statuses
from tests.support import PDF, SIGNABLE_PDF, user


def pdfsig_says_valid(pdf_bytes, tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf_bytes)
    output = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    return "Signature is Valid" in output


needs_pdfsig = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils absent")


def test_the_local_signer_makes_a_pades_signature_pyhanko_trusts(tmp_path):
    signer = get_signer()
    signed = signer.sign(SIGNABLE_PDF, user("kepaladinas"), "Rahasia-DS-2026", reason="uji")
    statuses = signature_statuses(signed, signer.trust_roots())
    assert len(statuses) == 1 and statuses[0].bottom_line
    assert statuses[0].intact and statuses[0].trusted
    assert not is_authentic(signed, [])  # without the local root it is not trusted
    assert signer.verify(signed)


@needs_pdfsig
def test_pdfsig_independently_finds_the_local_signature_valid(tmp_path):
    signed = get_signer().sign(SIGNABLE_PDF, user("kepaladinas"), "Rahasia-DS-2026", reason="uji")
    assert pdfsig_says_valid(signed, tmp_path)
    tampered = bytearray(signed)
    tampered[200] = (tampered[200] + 1) % 256  # inside the signed byte range
    assert not pdfsig_says_valid(bytes(tampered), tmp_path)


def test_the_local_signer_refuses_a_wrong_passphrase_after_the_first_use():
    signer = get_signer()
    signer.sign(SIGNABLE_PDF, user("kepaladinas"), "Rahasia-DS-2026", reason="uji")
    with pytest.raises(SigningError) as refused:
        signer.sign(SIGNABLE_PDF, user("kepaladinas"), "salah", reason="uji")
    assert refused.value.reason == "wrong_passphrase"


def test_bsre_signs_a_registered_signer_and_the_signature_validates(fake_bsre, tmp_path):
    kepala = user("kepaladinas")
    fake_bsre.register(kepala.nik, kepala.full_name, "Bsre-Rahasia-1")
    client = BsreSigner(fake_bsre.url, "esign", "rahasia", timeout=5)
    assert client.readiness(kepala) is None
    signed = client.sign(SIGNABLE_PDF, kepala, "Bsre-Rahasia-1", reason="uji")
    assert is_authentic(signed, fake_bsre.trust_roots())
    assert client.verify(signed)
    assert not client.verify(PDF)
    if shutil.which("pdfsig"):
        assert pdfsig_says_valid(signed, tmp_path)


@pytest.mark.parametrize(
    ("setup", "passphrase", "reason"),
    [
        ("registered", "salah", "wrong_passphrase"),
        ("unregistered", "Bsre-Rahasia-1", "not_registered"),
        ("bad-credentials", "Bsre-Rahasia-1", "unavailable"),
        ("slow", "Bsre-Rahasia-1", "timeout"),
    ],
)
def test_bsre_failures_are_reported_and_not_retried(fake_bsre, setup, passphrase, reason):
    kepala = user("kepaladinas")
    if setup != "unregistered":
        fake_bsre.register(kepala.nik, kepala.full_name, "Bsre-Rahasia-1")
    if setup == "slow":
        fake_bsre.delay = 1.5
    password = "salah" if setup == "bad-credentials" else "rahasia"
    client = BsreSigner(fake_bsre.url, "esign", password, timeout=0.5)
    with pytest.raises(SigningError) as refused:
        client.sign(SIGNABLE_PDF, kepala, passphrase, reason="uji")
    assert refused.value.reason == reason
    signs = [path for path, _ in fake_bsre.requests if path == "/api/sign/pdf"]
    assert len(signs) == 1  # never retried


def test_bsre_unreachable_is_reported():
    client = BsreSigner("http://127.0.0.1:9", "esign", "rahasia", timeout=1)
    with pytest.raises(SigningError) as refused:
        client.sign(SIGNABLE_PDF, user("kepaladinas"), "x", reason="uji")
    assert refused.value.reason == "unavailable"
    assert client.readiness(user("kepaladinas")) is not None


def test_bsre_readiness_reports_an_unregistered_nik(fake_bsre):
    client = BsreSigner(fake_bsre.url, "esign", "rahasia", timeout=5)
    assert client.readiness(user("kepaladinas")) == SigningError.messages["not_registered"]
