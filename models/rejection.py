"""A file refused after submission: the rejection letter's number and what it states."""

from flask_appbuilder import Model
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import backref, relationship


class Rejection(Model):
    """Written by the rejecting action (tolak, tolak_ds) in its transaction: the letter's
    number from the rejection letters' register, the reasons as the officer gave them,
    who refused the file in which role, and the SK number a refusal at signature
    cancels (it stays in the decree register, marked cancelled, and is never given
    again)."""

    __tablename__ = "rejection"

    id = Column(Integer, primary_key=True)
    # A rejected file is finished (ditolak is terminal): one rejection per file.
    application_id = Column(ForeignKey("application.id", ondelete="CASCADE"), nullable=False,
                            unique=True)
    application = relationship("Application",
                               backref=backref("rejection", uselist=False, cascade="all"))
    number = Column(String(80), nullable=False, unique=True)
    action = Column(String(30), nullable=False)  # the workflow action that refused it
    from_status = Column(String(30), nullable=False)  # the stage it was refused at
    reasons = Column(Text, nullable=False)
    rejected_by_id = Column(ForeignKey("ab_user.id"), nullable=False)
    rejected_by = relationship("SiapUser")
    rejected_by_role = Column(String(200), nullable=True)
    rejected_at = Column(DateTime, nullable=False)
    cancelled_sk_number = Column(String(80), nullable=True)
