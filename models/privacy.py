"""What an applicant asked of their personal data (UU 27/2022): the deletion of their
account, recorded when it was done (app/services/account_deletion.py)."""

from flask_appbuilder import Model
from sqlalchemy import Column, DateTime, ForeignKey, Integer

from models.application import utcnow


class AccountDeletion(Model):
    """An applicant deleted their account: who (the anonymised account, which stays so
    that the files it kept still name their owner) and when, with what was removed and
    what was kept as the office's archive."""

    __tablename__ = "account_deletion"

    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("ab_user.id"), nullable=False, unique=True)
    requested_at = Column(DateTime, nullable=False, default=utcnow)
    drafts_removed = Column(Integer, nullable=False, default=0)
    files_kept = Column(Integer, nullable=False, default=0)
