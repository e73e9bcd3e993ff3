"""The user account: Flask-AppBuilder's ``ab_user`` with the fields this product needs."""

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import relationship


class SiapUser(User):
    """Applicants and staff. NIK identifies an applicant; the WhatsApp number (E.164,
    e.g. +6281234567890) receives notifications, for staff as well as applicants."""

    __tablename__ = "ab_user"

    nik = Column(String(16), unique=True, nullable=True)
    whatsapp = Column(String(20), nullable=True)
    # Officers of an asset-managing agency (Pengelola Aset) belong to it.
    agency_id = Column(Integer, ForeignKey("agency.id"), nullable=True)
    agency = relationship("Agency", backref="users")
    # After repeated wrong passwords no password is checked until then (app/security/lockout.py).
    locked_until = Column(DateTime, nullable=True)

    @property
    def full_name(self):
        return " ".join(part for part in (self.first_name, self.last_name) if part)
