"""signing_identity: who signs a decree on a date, with which prefix, name, NIP and rank —
the interface the decree renderer calls."""

from dataclasses import FrozenInstanceError
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.security import roles
from app.workflow.signers import (
    NotASigner,
    SignerIdentity,
    can_sign_in_capacity,
    signing_identity,
)
from models import SigningDelegation
from tests.factories import make_user
from tests.support import user

DAY = date(2027, 3, 15)


def appointed(kind, start=DAY, end=DAY, letter="800/7/409.110/2027", **profile):
    officer = make_user(roles.BACK_OFFICE, first_name="Rina", last_name="Wulandari",
                        **profile)
    db.session.add(SigningDelegation(delegate_id=officer.id, kind=kind, start_date=start,
                                     end_date=end, letter_number=letter,
                                     created_by_id=user("kepaladinas").id))
    db.session.commit()
    return officer


def test_the_head_of_office_signs_in_the_definitive_capacity_without_a_prefix():
    identity = signing_identity(user("kepaladinas"), DAY)
    assert identity == SignerIdentity(capacity="definitif", prefix="", name="Kepala DPMPTSP",
                                      nip="197001011995031003",
                                      rank="Pembina Utama Muda (IV/c)")
    with pytest.raises(FrozenInstanceError):
        identity.prefix = "Plt."


@pytest.mark.parametrize("kind, prefix", [("plt", "Plt."), ("plh", "Plh.")])
def test_a_delegate_signs_with_the_prefix_of_the_appointment(kind, prefix):
    officer = appointed(kind, nip="197805122003121002", pangkat_golongan="IV/b")
    identity = signing_identity(officer, DAY)
    assert (identity.capacity, identity.prefix, identity.name) == (kind, prefix,
                                                                   "Rina Wulandari")
    assert (identity.nip, identity.rank) == ("197805122003121002", "Pembina Tingkat I (IV/b)")
    assert identity.letter_number == "800/7/409.110/2027"


def test_the_appointment_counts_from_its_first_to_its_last_day():
    officer = appointed("plh", start=DAY, end=DAY + timedelta(days=2))
    assert [can_sign_in_capacity(officer, DAY + timedelta(days=n)) for n in range(-1, 4)] \
        == [False, True, True, True, False]
    with pytest.raises(NotASigner):
        signing_identity(officer, DAY + timedelta(days=3))


def test_an_officer_without_appointment_cannot_sign():
    assert not can_sign_in_capacity(user("backoffice"), DAY)
    with pytest.raises(NotASigner):
        signing_identity(user("backoffice"), DAY)
    assert not can_sign_in_capacity(user("admin"), DAY)


def test_a_head_of_office_also_appointed_signs_in_the_definitive_capacity():
    officer = make_user(roles.KEPALA_DINAS)
    db.session.add(SigningDelegation(delegate_id=officer.id, kind="plt", start_date=DAY,
                                     end_date=DAY, letter_number="800/8/409.110/2027",
                                     created_by_id=user("admin").id))
    db.session.commit()
    assert signing_identity(officer, DAY).capacity == "definitif"


def test_a_signer_without_nip_or_rank_gets_none_for_them():
    identity = signing_identity(appointed("plt"), DAY)
    assert (identity.nip, identity.rank) == (None, None)
