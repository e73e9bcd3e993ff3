import pytest

from app.signing.bsre import BsreSigner
from tests.signing.fake_bsre import FakeBsre


@pytest.fixture
def fake_bsre(tmp_path):
    with FakeBsre(tmp_path / "bsre-ca") as server:
        yield server


@pytest.fixture
def bsre_backend(app, fake_bsre):
    """Switch the app to the BSrE backend, talking to the loopback fake."""
    previous = app.extensions.get("siap_signer")
    app.extensions["siap_signer"] = BsreSigner(fake_bsre.url, "esign", "rahasia", timeout=2)
    yield fake_bsre
    app.extensions["siap_signer"] = previous
