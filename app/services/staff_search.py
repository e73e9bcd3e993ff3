"""The staff's search box: a file by its registration number, SK number, the applicant's
NIK (each in full or its beginning) or the applicant's name (any part, any case) — among
the files the officer may see (app.workflow.files), never others.

Numbers are looked up first, through their indexes; a name only when no number matches
and the text has a letter in it (a NIK or a number's beginning is digits)."""

from sqlalchemy import and_, func, or_
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.workflow.files import visible
from models import Application

# The most files a search lists; more means the officer should type more of it.
MAX_RESULTS = 50
MAX_LENGTH = 100


def _next_number(digits):
    """"3505" → "3506": the first string of digits after every one starting with
    `digits` (None after "999")."""
    if set(digits) == {"9"}:
        return None
    return str(int(digits) + 1).zfill(len(digits))


def _matches(column, text):
    """The column is `text` or begins with it. Equality uses the column's index; a
    beginning is bounded below by `text` (true in every collation, so a btree index
    starts there) and, for digits, above by the next number — LIKE alone uses no index
    on SQLite (whose LIKE ignores case) nor on PostgreSQL's linguistic collations."""
    begins = and_(column >= text, column.startswith(text, autoescape=True))
    if text.isdigit() and (upper := _next_number(text)) is not None:
        begins = and_(begins, column < upper)
    return or_(column == text, begins)


def _by_number(text):
    number = text.upper()  # numbers are given in capitals (the tracking page does too)
    return or_(_matches(Application.registration_number, number),
               _matches(Application.sk_number, number),
               _matches(Application.applicant_nik, text))


def _by_name(text):
    words = text.lower()
    return or_(func.lower(Application.applicant_name).contains(words, autoescape=True),
               func.lower(Application.organisation_name).contains(words, autoescape=True))


def normalised(text):
    """The search text as looked up: spaces trimmed and collapsed, at most MAX_LENGTH."""
    return " ".join((text or "").split())[:MAX_LENGTH]


def find_files(user, text):
    """Up to MAX_RESULTS + 1 files `user` sees matching `text` (one more than shown
    tells the screen there are more), latest change first."""
    text = normalised(text)
    if not text:
        return []
    conditions = [_by_number(text)]
    if any(character.isalpha() for character in text):
        conditions.append(_by_name(text))
    for condition in conditions:
        found = db.session.scalars(
            visible(user).where(condition)
            .options(selectinload(Application.permit_type),
                     selectinload(Application.process_version))
            .order_by(Application.status_changed_at.desc(), Application.id.desc())
            .limit(MAX_RESULTS + 1)).all()
        if found:
            return found
    return []
