"""What the scheduled jobs did (app/jobs/)."""

from flask_appbuilder import Model
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import relationship

from models.application import utcnow


class JobAction(Model):
    """One action a scheduled job took: a reminder queued, a file moved. Its key names
    the action (job, file, deadline, step) and is unique, so no second pass — on another
    host at the same moment, or after an interrupted one — takes it again. It is written
    in the action's own transaction, with the action's effects."""

    __tablename__ = "job_action"
    __table_args__ = (UniqueConstraint("key", name="uq_job_action_key"),)

    id = Column(Integer, primary_key=True)
    job = Column(String(40), nullable=False)
    key = Column(String(200), nullable=False)
    application_id = Column(ForeignKey("application.id", ondelete="CASCADE"), nullable=True,
                            index=True)
    application = relationship("Application")
    summary = Column(String(300), nullable=False)  # what it did, in Indonesian
    taken_at = Column(DateTime, nullable=False, default=utcnow)
    as_of = Column(DateTime, nullable=False)  # the pass's moment (`--now`)

    def __repr__(self):
        return self.key


class JobRun(Model):
    """The last run of each scheduled job (one row per job, replaced by every pass that
    is not a dry run): when it started and finished and how many actions it took. A run
    that found nothing due counts too: the metrics' "jobs last run" tell the timer runs."""

    __tablename__ = "job_run"

    job = Column(String(40), primary_key=True)
    started_at = Column(DateTime, nullable=False)
    finished_at = Column(DateTime, nullable=False)
    actions = Column(Integer, nullable=False, default=0)

    def __repr__(self):
        return self.job
