"""Paraf koordinasi: the initials a file's decree needs before the signature, one row per
named role of its permit type, filled in when a holder of the role initials it. The rows
are those of the current round: entering the SK number again opens a new one."""

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import Column, DateTime, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import relationship


class ApplicationInitial(Model):
    __tablename__ = "application_initial"
    # One initial per role and file; also the index of "the initials of this file".
    __table_args__ = (UniqueConstraint("application_id", "role_id",
                                       name="uq_application_initial_role"),)

    id = Column(Integer, primary_key=True)
    application_id = Column(ForeignKey("application.id", ondelete="CASCADE"), nullable=False)
    application = relationship("Application")
    role_id = Column(ForeignKey("ab_role.id", ondelete="CASCADE"), nullable=False)
    role = relationship(Role)
    initialled_by_id = Column(ForeignKey("ab_user.id"), nullable=True)
    initialled_by = relationship("SiapUser")
    initialled_at = Column(DateTime, nullable=True)  # None: still awaited

    @property
    def pending(self):
        return self.initialled_at is None
