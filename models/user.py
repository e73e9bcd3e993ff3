"""The user account: Flask-AppBuilder's ``ab_user`` with the fields this product needs."""

import enum

from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import relationship, validates

from models.choices import Choices, refuse_unknown_choices

# The civil service's ranks (pangkat) by grade (golongan/ruang), as a decree prints them
# under the signer's name: stored as the grade, shown as "Pembina Utama Muda (IV/c)".
# Indonesian titles, the same in every language.
RANKS = {
    "I/a": "Juru Muda", "I/b": "Juru Muda Tingkat I", "I/c": "Juru", "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda", "II/b": "Pengatur Muda Tingkat I", "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda", "III/b": "Penata Muda Tingkat I", "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina", "IV/b": "Pembina Tingkat I", "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya", "IV/e": "Pembina Utama",
}
PANGKAT_GOLONGAN = Choices({grade: f"{rank} ({grade})" for grade, rank in RANKS.items()})


class QueueMessages(enum.StrEnum):
    """How an officer hears of the files that enter their queue."""

    EACH_FILE = "each_file"  # a message per file, as it arrives
    DAILY_DIGEST = "daily_digest"  # one message a working day (app/jobs/digests.py)


QUEUE_MESSAGES = Choices({
    QueueMessages.EACH_FILE: _l("A message for each file"),
    QueueMessages.DAILY_DIGEST: _l("One daily digest"),
})


class FirstChannel(enum.StrEnum):
    """The channel a person wants to be reached on first (the rest of the chain follows)."""

    WHATSAPP = "whatsapp"
    SMS = "sms"
    EMAIL = "email"


FIRST_CHANNEL = Choices({
    FirstChannel.WHATSAPP: _l("WhatsApp"),
    FirstChannel.SMS: _l("SMS"),
    FirstChannel.EMAIL: _l("Email"),
})


class SiapUser(User):
    """Applicants and staff. NIK identifies an applicant; the WhatsApp number (E.164,
    e.g. +6281234567890) receives notifications, for staff as well as applicants.
    Officers who sign decrees carry their NIP and rank (pangkat/golongan), printed under
    their signature (app/workflow/signers.py)."""

    __tablename__ = "ab_user"

    nik = Column(String(16), unique=True, nullable=True)
    whatsapp = Column(String(20), nullable=True)
    # Officers of an asset-managing agency (Pengelola Aset) belong to it.
    agency_id = Column(Integer, ForeignKey("agency.id"), nullable=True)
    agency = relationship("Agency", backref="users")
    # After repeated wrong passwords no password is checked until then (app/security/lockout.py).
    locked_until = Column(DateTime, nullable=True)
    # Nomor Induk Pegawai: 18 digits, checked by app.security.identity.nip_problem.
    nip = Column(String(18), CheckConstraint("length(nip) = 18", name="ck_ab_user_nip"),
                 unique=True, nullable=True)
    pangkat_golongan = Column(
        String(5), PANGKAT_GOLONGAN.check("pangkat_golongan", "ck_ab_user_pangkat_golongan"),
        nullable=True)
    # Officers choose between a message per file entering their queue and a daily digest
    # of them (the in-app notification of each file is kept either way).
    queue_messages = Column(
        String(12), QUEUE_MESSAGES.check("queue_messages", "ck_ab_user_queue_messages"),
        nullable=False, default=QueueMessages.EACH_FILE.value,
        server_default=QueueMessages.EACH_FILE.value)
    # The channel tried first for this person's messages; none: the office's order
    # (app/notifications/chain.py).
    first_channel = Column(
        String(10), FIRST_CHANNEL.check("first_channel", "ck_ab_user_first_channel"),
        nullable=True)

    _refuse_unknown_choices = refuse_unknown_choices(
        pangkat_golongan=(PANGKAT_GOLONGAN, _l("Rank/grade")),
        queue_messages=(QUEUE_MESSAGES, _l("Messages about my queue")),
        first_channel=(FIRST_CHANNEL, _l("Reach me first by")))

    @validates("nik", "nip", "email")
    def _blank_number_is_none(self, key, value):
        """A NIK, NIP or e-mail address left blank in a form is none (several accounts may
        have none)."""
        return (value or "").strip() or None

    @property
    def full_name(self):
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def rank_label(self):
        """"Pembina Utama Muda (IV/c)", or None without a rank."""
        return PANGKAT_GOLONGAN.label(self.pangkat_golongan) if self.pangkat_golongan else None


# The e-mail address is optional (many applicants have none; messages then go by WhatsApp
# and SMS only): Flask-AppBuilder declares it NOT NULL, migration 0019 lifts that.
SiapUser.__table__.c.email.nullable = True
