"""Fixtures of the signing tests: a loopback BSrE, and an officer the head of office
appoints Plt./Plh."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.security import roles
from app.signing import get_signer
from app.signing.bsre import BsreSigner
from app.signing.local import LocalSigner
from app.workflow import delegation
from models import SigningDelegation
from tests.factories import make_user
from tests.signing.fake_bsre import FakeBsre
from tests.support import user


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


PASSWORD = "Rahasia123"
LETTER = "800/112/409.110/2026"


@pytest.fixture
def sekdin():
    """The office's secretary, an officer of the back office who may be appointed."""
    officer = make_user(roles.BACK_OFFICE, username="sekdin", password=PASSWORD,
                        first_name="Rina", last_name="Wulandari", nip="197805122003121002",
                        pangkat_golongan="IV/b")
    signer = get_signer()
    if isinstance(signer, LocalSigner):
        signer._pkcs12_path(officer).unlink(missing_ok=True)  # an id an earlier user had
    return officer


def appoint(delegate, kind="plt", first=0, last=0, letter=LETTER):
    """`delegate` appointed from today + `first` days to today + `last` days."""
    today = delegation.office_today()
    row = SigningDelegation(delegate_id=delegate.id, kind=kind,
                            start_date=today + timedelta(days=first),
                            end_date=today + timedelta(days=last), letter_number=letter,
                            created_by_id=user("kepaladinas").id)
    db.session.add(row)
    db.session.commit()
    return row
