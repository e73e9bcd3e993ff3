"""Templates of the documents the office issues (decrees, letters, the SKRD), kept as
versioned data an admin edits, and the letterheads they are printed under.

A document records the template version it was made from; publishing a new version never
changes a document already issued (its PDF is stored, signed, and its version named)."""

from flask_appbuilder import Model
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from models.application import StoredFileMixin, utcnow

# What a template's content describes (app/documents/templating.py: its fields and its
# placeholders).
TEMPLATE_KINDS = ("keputusan", "surat", "skrd")


class DocumentTemplate(Model):
    """One document the office issues, e.g. the PKKPR decree or the rejection letter."""

    __tablename__ = "document_template"

    id = Column(Integer, primary_key=True)
    key = Column(String(40), nullable=False, unique=True)
    kind = Column(String(10), nullable=False)  # TEMPLATE_KINDS
    # Which data it may print (app/documents/placeholders.py SCOPES).
    scope = Column(String(20), nullable=False)
    name = Column(String(150), nullable=False)
    description = Column(Text, nullable=True)

    versions = relationship("DocumentTemplateVersion", back_populates="template",
                            order_by="DocumentTemplateVersion.number")

    def __repr__(self):
        return self.name


class DocumentTemplateVersion(Model):
    """A version of a template's content; published versions are never edited again."""

    __tablename__ = "document_template_version"
    __table_args__ = (UniqueConstraint("template_id", "number",
                                       name="uq_template_version_number"),)

    id = Column(Integer, primary_key=True)
    template_id = Column(ForeignKey("document_template.id"), nullable=False)
    template = relationship(DocumentTemplate, back_populates="versions")
    number = Column(Integer, nullable=False)
    content = Column(JSON, nullable=False)
    note = Column(String(200), nullable=True)  # what changed
    created_by_id = Column(ForeignKey("ab_user.id"), nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    published_at = Column(DateTime, nullable=True)  # empty: a draft

    @property
    def is_published(self):
        return self.published_at is not None

    def __repr__(self):
        return f"{self.template.name} v{self.number}"


class Letterhead(StoredFileMixin, Model):
    """The kop surat: DPMPTSP's (no agency) or an agency's, for the documents it issues
    (the SKRD). The stored file, if any, is the regency's emblem."""

    __tablename__ = "letterhead"

    id = Column(Integer, primary_key=True)
    agency_id = Column(ForeignKey("agency.id"), nullable=True, unique=True)
    agency = relationship("Agency")
    government = Column(String(100), nullable=False, default="PEMERINTAH KABUPATEN BLITAR")
    office = Column(String(200), nullable=False)
    address = Column(String(200), nullable=False)
    city = Column(String(60), nullable=False, default="Blitar")
    postal_code = Column(String(10), nullable=True)
    telephone = Column(String(40), nullable=True)
    email = Column(String(120), nullable=True)
    website = Column(String(120), nullable=True)

    def __repr__(self):
        return self.office
