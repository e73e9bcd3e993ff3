"""Configured processes (alur proses): permit workflows an admin designs in the screens
instead of in Python (app/workflow/configured.py compiles them).

A process is known by its code, which is also the `kind` of its permit types and of
their files. What it does lives in versions: one specification document (steps, forms,
requirements, decree) per version, edited while a draft and frozen once published. A
file pins the version it was created with and finishes on it."""

from flask_appbuilder import Model
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from models.application import JSON_DOCUMENT, utcnow


class Process(Model):
    __tablename__ = "process"

    id = Column(Integer, primary_key=True)
    code = Column(String(20), unique=True, nullable=False)
    name = Column(String(150), nullable=False)
    description = Column(Text, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)

    versions = relationship("ProcessVersion", back_populates="process",
                            order_by="ProcessVersion.number", cascade="all, delete-orphan")

    def __repr__(self):
        return self.name

    @property
    def draft(self):
        return next((v for v in self.versions if v.published_at is None), None)

    @property
    def published(self):
        """The version new files are created with: the last one published."""
        published = [v for v in self.versions if v.published_at is not None]
        return max(published, key=lambda v: v.published_at, default=None)


class ProcessVersion(Model):
    __tablename__ = "process_version"
    __table_args__ = (UniqueConstraint("process_id", "number",
                                       name="uq_process_version_number"),)

    id = Column(Integer, primary_key=True)
    process_id = Column(ForeignKey("process.id", ondelete="CASCADE"), nullable=False)
    process = relationship("Process", back_populates="versions")
    number = Column(Integer, nullable=False)
    spec = Column(JSON_DOCUMENT, nullable=False)
    note = Column(String(200), nullable=True)  # what changed
    created_at = Column(DateTime, nullable=False, default=utcnow)
    created_by_id = Column(ForeignKey("ab_user.id"), nullable=True)
    # Empty while a draft; a published version is never changed again.
    published_at = Column(DateTime, nullable=True, index=True)
    published_by_id = Column(ForeignKey("ab_user.id"), nullable=True)

    def __repr__(self):
        return f"{self.process.code} v{self.number}"
