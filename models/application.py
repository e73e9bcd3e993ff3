"""Applications for every permit kind, their history, documents and issued artifacts.

`Application.status` is written only by the workflow engine (app/workflow/engine.py);
a flush-time guard refuses any other change of it."""

import enum
from datetime import UTC, datetime

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    or_,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import mapped_column, relationship

from models.choices import Choices, refuse_unknown_choices

# JSON documents are JSONB on PostgreSQL (indexable, compact), plain JSON elsewhere.
JSON_DOCUMENT = JSON().with_variant(JSONB(), "postgresql")


def utcnow():
    return datetime.now(UTC).replace(tzinfo=None)


class Application(Model):
    __tablename__ = "application"
    __table_args__ = (
        Index("ix_application_kind_status", "kind", "status"),
        Index("ix_application_owner", "owner_id", "created_at"),
        # "My applications" also lists the walk-in files an officer registered.
        Index("ix_application_created_by", "created_by_id"),
        # The staff's search finds a file by the applicant's NIK (app/services/staff_search.py).
        Index("ix_application_nik", "applicant_nik"),
        # The statistics' export reads the files submitted in a date range, in order.
        Index("ix_application_submitted", "submitted_at", "id"),
        # The "all files" lists page by (status_changed_at, id) (views/keyset.py).
        Index("ix_application_status_changed", "status_changed_at", "id"),
        # The files whose personal uploads the retention job may still have to delete
        # (app/jobs/retention.py), by the end of the file it counts from.
        Index("ix_application_retention", "finished_at",
              postgresql_where=text("uploads_purged_at IS NULL"),
              sqlite_where=text("uploads_purged_at IS NULL")),
        # The files still in process, apart from the archive (app/workflow/access.py
        # inbox_clause): the inboxes' counts read only this index, their pages come in
        # order from the next one, however many finished files there are.
        Index("ix_application_waiting", "kind", "status", "process_version_id",
              "permit_type_id", postgresql_where=text("finished_at IS NULL"),
              sqlite_where=text("finished_at IS NULL")),
        Index("ix_application_waiting_since", "status_changed_at", "id",
              postgresql_where=text("finished_at IS NULL"),
              sqlite_where=text("finished_at IS NULL")),
    )

    id = Column(Integer, primary_key=True)
    # active_history: the old value is at hand when it changes, for the statistics'
    # summaries (app/workflow/summaries.py), as for every column marked so below.
    permit_type_id = mapped_column(ForeignKey("permit_type.id"), nullable=False, index=True,
                                   active_history=True)
    permit_type = relationship("PermitType")
    # The permit type's workflow: a built-in one (WorkflowKind) or a configured process's
    # code. Neither is checked by the database: the statuses that exist depend on the
    # workflow, and only the engine writes them (flush guard).
    kind = mapped_column(String(20), nullable=False, active_history=True)
    status = mapped_column(String(30), nullable=False, active_history=True)
    # A configured process's file finishes on the version it was created with.
    process_version_id = mapped_column(ForeignKey("process_version.id"), nullable=True,
                                       index=True, active_history=True)
    process_version = relationship("ProcessVersion")
    # The answers to a configured process's forms (application and steps), by field name.
    form_data = Column(JSON_DOCUMENT, nullable=True)
    # Optimistic locking: every transition bumps it; a stale writer fails.
    version = Column(Integer, nullable=False, default=1)
    registration_number = Column(String(60), unique=True, nullable=True)

    # The applicant's account; empty for a walk-in applicant registered by the front office.
    owner_id = Column(ForeignKey("ab_user.id"), nullable=True)
    owner = relationship("SiapUser", foreign_keys=[owner_id])
    created_by_id = Column(ForeignKey("ab_user.id"), nullable=False)
    created_by = relationship("SiapUser", foreign_keys=[created_by_id])

    # The applicant as typed on the application (may differ from the account holder).
    applicant_name = Column(String(128), nullable=False)
    applicant_nik = Column(String(16), nullable=False)
    applicant_address = Column(Text, nullable=False)
    applicant_whatsapp = Column(String(20), nullable=False)
    acts_for_organisation = Column(Boolean, nullable=False, default=False)
    organisation_name = Column(String(200), nullable=True)

    # The file whose permit this one renews (perpanjangan, app/services/renewal.py).
    renews_application_id = Column(ForeignKey("application.id", ondelete="SET NULL"),
                                   nullable=True, index=True)
    renews = relationship("Application", remote_side=[id],
                          foreign_keys=[renews_application_id])

    sk_number = Column(String(80), unique=True, nullable=True)
    sk_date = Column(DateTime, nullable=True)

    created_at = Column(DateTime, nullable=False, default=utcnow)
    submitted_at = mapped_column(DateTime, nullable=True, active_history=True)
    status_changed_at = Column(DateTime, nullable=False, default=utcnow)
    # The service-time clock (app/workflow/clock.py): working days used in the stretches
    # already closed, and since when it runs now (empty while paused or stopped).
    clock_days = mapped_column(Integer, nullable=False, default=0, active_history=True)
    clock_running_since = Column(DateTime, nullable=True)
    finished_at = Column(DateTime, nullable=True)
    # When the retention job deleted the applicant's uploads of this finished file (their
    # rows stay, each with its purged_at): the job looks at each file once.
    uploads_purged_at = Column(DateTime, nullable=True)
    # Deadlines the scheduled jobs act on (app/jobs/), as office dates: typed and indexed
    # so that a pass finds what is due without reading every file. Each runs while the
    # file is in the state its workflow names for it (Workflow.deadline_states).
    billing_expires_on = Column(Date, nullable=True, index=True)  # the PNBP billing code
    payment_due_on = Column(Date, nullable=True, index=True)  # the SKRD
    # The applicant's correction of a file returned to them (perlu_perbaikan).
    correction_due_on = Column(Date, nullable=True, index=True)

    pkkpr = relationship(
        "PkkprDetail", uselist=False, back_populates="application", cascade="all, delete-orphan"
    )
    asset_use = relationship(
        "AssetUse", uselist=False, back_populates="application", cascade="all, delete-orphan"
    )
    documents = relationship(
        "ApplicationDocument", back_populates="application", cascade="all, delete-orphan"
    )
    requirement_set = relationship(
        "ApplicationRequirement", back_populates="application", cascade="all, delete-orphan",
        passive_deletes=True,
    )
    artifacts = relationship(
        "Artifact", back_populates="application", cascade="all, delete-orphan",
        order_by="Artifact.id",
    )
    events = relationship(
        "HistoryEvent", back_populates="application", cascade="all, delete-orphan",
        order_by="HistoryEvent.id",
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self):
        return self.registration_number or f"#{self.id}"

    def record_requirement_set(self):
        """Record the permit type's active requirements as this file's own, with whether
        each is mandatory: what the admin changes later applies to files created later."""
        self.requirement_set = [
            ApplicationRequirement(requirement=requirement, mandatory=requirement.mandatory)
            for requirement in self.permit_type.active_requirements
        ]

    @property
    def requirements(self):
        """The file's requirement set in the catalogue's order."""
        return sorted(self.requirement_set,
                      key=lambda entry: (entry.requirement.position, entry.requirement_id))

    @hybrid_method
    def belongs_to(self, user_id):
        """The file of the user's applicant account, or a walk-in file the user
        registered at the counter: theirs to fill in, submit, correct and withdraw. As a
        SQL condition: Application.belongs_to(user.id)."""
        return user_id in (self.owner_id, self.created_by_id)

    @belongs_to.expression
    def belongs_to(cls, user_id):  # noqa: N805
        return or_(cls.owner_id == user_id, cls.created_by_id == user_id)

    def latest_artifact(self, kind):
        """The last issued artifact of this kind ("sps", "skrd", "peta"...), or None: a
        re-issued SPS replaces the earlier one."""
        return next((a for a in reversed(self.artifacts) if a.kind == kind), None)


class PkkprDetail(Model):
    """What a PKKPR Non Berusaha application asks about the location and the activity."""

    __tablename__ = "pkkpr_detail"

    application_id = Column(ForeignKey("application.id", ondelete="CASCADE"), primary_key=True)
    application = relationship(Application, back_populates="pkkpr")
    location_address = Column(Text, nullable=False)
    desa = Column(String(100), nullable=False)
    kecamatan = Column(String(50), nullable=False)
    latitude = Column(Numeric(9, 6), nullable=False)
    longitude = Column(Numeric(9, 6), nullable=False)
    polygon_geojson = Column(Text, nullable=True)
    polygon_area_m2 = Column(Numeric(14, 2), nullable=True)
    land_area_m2 = Column(Numeric(14, 2), nullable=False)
    land_title_status = Column(String(100), nullable=False)
    activity = Column(String(200), nullable=False)
    planned_floors = Column(Integer, nullable=False)
    planned_floor_area_m2 = Column(Numeric(14, 2), nullable=False)


class ApplicationRequirement(Model):
    """One requirement of one file, recorded when the file is created. A requirement the
    admin adds or makes mandatory afterwards does not block the files already created;
    a requirement a file has cannot be deleted (it can be deactivated)."""

    __tablename__ = "application_requirement"

    application_id = Column(ForeignKey("application.id", ondelete="CASCADE"), primary_key=True)
    application = relationship(Application, back_populates="requirement_set")
    requirement_id = Column(ForeignKey("permit_requirement.id", ondelete="RESTRICT"),
                            primary_key=True, index=True)
    requirement = relationship("Requirement", lazy="joined")
    mandatory = Column(Boolean, nullable=False)


class StoredFileMixin:
    """A file kept in the storage (UPLOAD_FOLDER or a bucket) under a generated name
    (app/storage). Every table with these columns is searched by `flask siap storage
    check` and `migrate`."""

    COLUMNS = ("stored_name", "original_name", "content_type", "size_bytes", "sha256")

    stored_name = Column(String(120), nullable=True)
    original_name = Column(String(255), nullable=True)
    content_type = Column(String(50), nullable=True)
    size_bytes = Column(Integer, nullable=True)
    sha256 = Column(String(64), nullable=True)


class PersonalUploadMixin:
    """An applicant's upload (KTP, land title...): personal data whose file the retention
    job deletes some years after the file ends (app/jobs/retention.py). The row stays,
    saying when its file was deleted; its download then says so."""

    purged_at = Column(DateTime, nullable=True)


class Verdict(enum.StrEnum):
    """An officer's judgement of an uploaded document."""

    PENDING = "pending"  # uploaded, not judged yet
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # the applicant uploads it again


VERDICTS = Choices({Verdict.PENDING: _l("Not checked yet"), Verdict.ACCEPTED: _l("Accepted"),
                    Verdict.REJECTED: _l("Rejected")})


class ApplicationDocument(StoredFileMixin, PersonalUploadMixin, Model):
    """The current upload for one requirement, with the officer's verdict."""

    __tablename__ = "application_document"
    __table_args__ = (
        UniqueConstraint("application_id", "requirement_id", name="uq_document_requirement"),
        VERDICTS.check("verdict", "ck_application_document_verdict"),
    )

    id = Column(Integer, primary_key=True)
    application_id = Column(ForeignKey("application.id", ondelete="CASCADE"), nullable=False)
    application = relationship(Application, back_populates="documents")
    requirement_id = Column(ForeignKey("permit_requirement.id"), nullable=False)
    requirement = relationship("Requirement")
    uploaded_by_id = Column(ForeignKey("ab_user.id"), nullable=False)
    uploaded_by = relationship("SiapUser", foreign_keys=[uploaded_by_id])
    uploaded_at = Column(DateTime, nullable=False, default=utcnow)
    verdict = Column(String(10), nullable=False, default=Verdict.PENDING.value)
    verdict_reason = Column(Text, nullable=True)
    verdict_by_id = Column(ForeignKey("ab_user.id"), nullable=True)
    verdict_by = relationship("SiapUser", foreign_keys=[verdict_by_id])
    verdict_at = Column(DateTime, nullable=True)
    # Files this one replaced, newest first.
    versions = relationship("DocumentVersion", back_populates="document",
                            order_by="DocumentVersion.id.desc()",
                            cascade="all, delete-orphan", passive_deletes=True)


class DocumentVersion(StoredFileMixin, PersonalUploadMixin, Model):
    """An earlier upload for a requirement, kept when a new file replaced it (a
    re-upload after rejection): the reviewer can still open what was there before,
    and every stored file keeps a row."""

    __tablename__ = "application_document_version"
    __table_args__ = (Index("ix_document_version_document", "document_id", "id"),)

    id = Column(Integer, primary_key=True)
    document_id = Column(ForeignKey("application_document.id", ondelete="CASCADE"),
                         nullable=False)
    document = relationship(ApplicationDocument, back_populates="versions")
    uploaded_by_id = Column(ForeignKey("ab_user.id"), nullable=False)
    uploaded_by = relationship("SiapUser", foreign_keys=[uploaded_by_id])
    uploaded_at = Column(DateTime, nullable=False)
    # The verdict the file had when it was replaced, with its reason.
    verdict = Column(String(10), nullable=False)
    verdict_reason = Column(Text, nullable=True)
    replaced_at = Column(DateTime, nullable=False, default=utcnow)

    @classmethod
    def of(cls, document, now):
        """The document's current file as an earlier version."""
        return cls(document=document, uploaded_by_id=document.uploaded_by_id,
                   uploaded_at=document.uploaded_at, verdict=document.verdict,
                   verdict_reason=document.verdict_reason, replaced_at=now,
                   **{name: getattr(document, name) for name in StoredFileMixin.COLUMNS})

    _refuse_unknown_choices = refuse_unknown_choices(verdict=(VERDICTS, _l("Verdict")))


class Artifact(StoredFileMixin, Model):
    """Something issued on the file: KRK, SPS, payment proof, Pertek, recommendation,
    map image, decree. `data` keeps the form's fields (numbers, dates, KRK rules)."""

    __tablename__ = "application_artifact"
    __table_args__ = (Index("ix_artifact_application_kind", "application_id", "kind"),)

    id = Column(Integer, primary_key=True)
    application_id = Column(ForeignKey("application.id", ondelete="CASCADE"), nullable=False)
    application = relationship(Application, back_populates="artifacts")
    kind = Column(String(30), nullable=False)
    number = Column(String(100), nullable=True)
    data = Column(JSON, nullable=False, default=dict)
    issued_by_id = Column(ForeignKey("ab_user.id"), nullable=False)
    issued_by = relationship("SiapUser")
    issued_at = Column(DateTime, nullable=False, default=utcnow)
    # A document the app draws from a template (the SKRD) names the version it was made
    # from; publishing a new version never changes it.
    template_version_id = Column(ForeignKey("document_template_version.id"), nullable=True)
    template_version = relationship("DocumentTemplateVersion")


class HistoryEvent(Model):
    """One line of an application's history: a transition or another recorded act
    (upload, document verdict)."""

    __tablename__ = "application_event"
    __table_args__ = (
        Index("ix_event_application", "application_id", "id"),
        # What an officer did today (their home page, app/services/workload.py).
        Index("ix_event_actor_created", "actor_id", "created_at"),
    )

    id = Column(Integer, primary_key=True)
    application_id = Column(ForeignKey("application.id", ondelete="CASCADE"), nullable=False)
    application = relationship(Application, back_populates="events")
    action = Column(String(40), nullable=False)
    from_status = Column(String(30), nullable=True)
    to_status = Column(String(30), nullable=True)
    actor_id = Column(ForeignKey("ab_user.id"), nullable=True)
    actor = relationship("SiapUser")
    actor_role = Column(String(200), nullable=True)
    comment = Column(Text, nullable=True)
    data = Column(JSON, nullable=False, default=dict)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    # Working days the file spent in from_status (transitions only).
    working_days = Column(Integer, nullable=True)


class NumberSequence(Model):
    """A gapless counter per sequence name and year (registration and SK numbers).
    Incremented under a row lock inside the transition's transaction."""

    __tablename__ = "number_sequence"
    __table_args__ = (UniqueConstraint("name", "year", name="uq_number_sequence_name_year"),)

    id = Column(Integer, primary_key=True)
    name = Column(String(60), nullable=False)
    year = Column(Integer, nullable=False)
    last_value = Column(Integer, nullable=False, default=0)
