"""Registration and SK numbers follow each permit type's format and are gapless."""

from datetime import date

from app.extensions import db
from app.workflow.numbering import check_format, propose_number, render_number, take_number
from tests.support import pkkpr_type


def test_a_format_renders_sequence_year_month_and_code():
    on = date(2026, 3, 9)
    assert render_number("503/{seq:03d}/409.110/{year}", 7, "X", on) == "503/007/409.110/2026"
    assert render_number("{code}/{roman_month}/{year}/{seq:06d}", 123, "PKKPR-NB", on) == \
        "PKKPR-NB/III/2026/000123"
    assert render_number("188/{seq}/409.06/KPTS/{year}", 25, "X", on) == \
        "188/25/409.06/KPTS/2026"


def test_a_format_with_unknown_placeholders_or_without_sequence_is_reported():
    assert check_format("503/{seq:03d}/{year}") == []
    assert check_format("503/{nomor}/{year}") == ["nomor", "seq (missing)"]


def test_numbers_follow_each_other_and_restart_every_year():
    permit_type = pkkpr_type()
    first = take_number("sk", permit_type, date(2026, 5, 1))
    second = take_number("sk", permit_type, date(2026, 5, 2))
    next_year = take_number("sk", permit_type, date(2027, 1, 2))
    db.session.commit()
    assert (first, second, next_year) == (
        "503/001/409.110/2026", "503/002/409.110/2026", "503/001/409.110/2027")
    assert propose_number("sk", permit_type, date(2026, 6, 1)) == "503/003/409.110/2026"


def test_a_number_taken_in_a_rolled_back_transaction_is_used_again():
    permit_type = pkkpr_type()
    take_number("registration", permit_type, date(2026, 5, 1))
    db.session.rollback()
    assert take_number("registration", permit_type, date(2026, 5, 1)).endswith("/000001")
    db.session.commit()


def test_permit_types_sharing_an_sk_format_share_its_counter():
    """Two types with the default SK format must not both give 503/001/409.110/2026."""
    from datetime import date

    from sqlalchemy import select

    from app.extensions import db
    from app.workflow.numbering import propose_number, take_number
    from models import PermitType

    pkkpr, hall = (db.session.scalar(select(PermitType).where(PermitType.code == code))
                   for code in ("PKKPR-NB", "ASET-GEDUNG-PERTEMUAN"))
    assert pkkpr.sk_format == hall.sk_format
    day = date(2026, 11, 28)
    numbers = [take_number("sk", pkkpr, day), take_number("sk", hall, day),
               take_number("sk", pkkpr, day)]
    db.session.commit()
    assert numbers == ["503/001/409.110/2026", "503/002/409.110/2026",
                       "503/003/409.110/2026"]
    assert propose_number("sk", hall, day) == "503/004/409.110/2026"
    registrations = {take_number("registration", t, day) for t in (pkkpr, hall)}
    db.session.commit()
    assert registrations == {"PKKPR-NB/2026/000001", "ASET-GEDUNG-PERTEMUAN/2026/000001"}
