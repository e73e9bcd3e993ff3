"""issued documents: the rejection letter and the revocation decree, numbered, then signed

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 08:00:00

Every rejection and every revocation recorded before this migration gets its document,
unsigned, under the number it already took: it waits on the signing page like the new
ones. `flask siap seed-templates` adds their default templates (surat_penolakan and
sk_pencabutan).
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def _documents_for_earlier_numbers(bind):
    rows = [("surat_penolakan", application_id, number, when) for application_id, number, when
            in bind.execute(sa.text(
                "SELECT application_id, number, rejected_at FROM rejection"))]
    rows += [("sk_pencabutan", application_id, number, when) for application_id, number, when
             in bind.execute(sa.text(
                 "SELECT application_id, revocation_number, revoked_at FROM decree "
                 "WHERE revocation_number IS NOT NULL"))]
    for kind, application_id, number, when in rows:
        bind.execute(sa.text(
            "INSERT INTO issued_document (kind, application_id, number, token, created_at) "
            "VALUES (:kind, :application, :number, :token, :created)"),
            {"kind": kind, "application": application_id, "number": number,
             "token": secrets.token_urlsafe(32), "created": when})


def upgrade():
    op.create_table(
        'issued_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=80), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('template_version_id', sa.Integer(), nullable=True),
        sa.Column('signed_at', sa.DateTime(), nullable=True),
        sa.Column('signer_id', sa.Integer(), nullable=True),
        sa.Column('signer_name', sa.String(length=128), nullable=True),
        sa.Column('signer_capacity', sa.String(length=10), nullable=True),
        sa.Column('signer_letter_number', sa.String(length=80), nullable=True),
        sa.Column('backend', sa.String(length=20), nullable=True),
        sa.Column('stored_name', sa.String(length=120), nullable=True),
        sa.Column('original_name', sa.String(length=255), nullable=True),
        sa.Column('content_type', sa.String(length=50), nullable=True),
        sa.Column('size_bytes', sa.Integer(), nullable=True),
        sa.Column('sha256', sa.String(length=64), nullable=True),
        sa.CheckConstraint("kind IN ('surat_penolakan', 'sk_pencabutan')",
                           name='ck_issued_document_kind'),
        sa.ForeignKeyConstraint(['application_id'], ['application.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['signer_id'], ['ab_user.id']),
        sa.ForeignKeyConstraint(['template_version_id'], ['document_template_version.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('application_id', 'kind', name='uq_issued_document_kind'),
        sa.UniqueConstraint('number'),
        sa.UniqueConstraint('token'),
    )
    _documents_for_earlier_numbers(op.get_bind())


def downgrade():
    op.drop_table('issued_document')
