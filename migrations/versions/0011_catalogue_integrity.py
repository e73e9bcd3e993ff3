"""catalogue integrity: enumerations checked, requirement sets of files, active flags

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 09:00:00

- Every enumerated column gets a CHECK constraint. Values typed into the old free-text
  admin fields are repaired first when they are a label of a value, whole or cut to the
  column's length ("per hari" → per_hari, "Izin Pemanfaatan Ase" → aset); any other
  unknown value stops the upgrade with the rows to correct.
- application_requirement records the requirement set of each file; existing files get
  their permit type's current requirements (and any requirement they hold a document for).
- Requirements and agencies get an `active` flag: what files use is deactivated, not
  deleted.
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

WORKFLOW_KINDS = {"pkkpr_nb": ("PKKPR Non Berusaha",),
                  "aset": ("Asset Use Permit", "Izin Pemanfaatan Aset")}
USE_FORMS = {
    "sewa": ("Rent (sewa)", "Sewa"),
    "pinjam_pakai": ("Loan for use (pinjam pakai)", "Pinjam pakai"),
    "kerja_sama_pemanfaatan": ("Utilisation partnership (KSP)",
                               "Kerja sama pemanfaatan (KSP)", "KSP"),
    "bgs_bsg": ("Build-operate-transfer (BGS/BSG)",
                "Bangun guna serah / bangun serah guna (BGS/BSG)", "BGS/BSG"),
    "kspi": ("Infrastructure partnership (KSPI)",
             "Kerja sama penyediaan infrastruktur (KSPI)"),
}
TARIFF_UNITS = {"per_hari": ("per day", "per hari"), "per_bulan": ("per month", "per bulan"),
                "per_tahun": ("per year", "per tahun"),
                "per_m2_tahun": ("per m² per year", "per m² per tahun")}

# (table, column, column length, {value: labels}, constraint name)
CHECKS = [
    ("permit_type", "workflow_kind", 20, WORKFLOW_KINDS, "ck_permit_type_workflow_kind"),
    ("permit_type", "use_form", 30, USE_FORMS, "ck_permit_type_use_form"),
    ("permit_type", "tariff_unit", 20, TARIFF_UNITS, "ck_permit_type_tariff_unit"),
    ("application", "kind", 20, WORKFLOW_KINDS, "ck_application_kind"),
    ("asset_use", "use_form", 30, USE_FORMS, "ck_asset_use_use_form"),
    ("asset_use", "booking", 10, {"bersama": (), "eksklusif": ()}, "ck_asset_use_booking"),
    ("application_document", "verdict", 10,
     {"pending": (), "accepted": (), "rejected": ()}, "ck_application_document_verdict"),
    ("decree", "status", 10, {"berlaku": (), "dicabut": ()}, "ck_decree_status"),
    ("notification_outbox", "status", 12,
     {"pending": (), "sending": (), "sent": (), "delivered": (), "failed": ()},
     "ck_notification_outbox_status"),
]


# An empty text in these (typed into the old free-text fields) means "none".
NULLABLE = {("permit_type", "use_form"), ("permit_type", "tariff_unit"),
            ("asset_use", "booking")}


def _condition(column, values):
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def _intended(stored, length, choices):
    """The value a stored text stands for: the value itself in another spelling, or a
    label (English or Indonesian) whole or cut to the column's length."""
    text = stored.strip().lower()
    for value, labels in choices.items():
        spellings = {value, value.replace("_", " "), value.replace("_", "-")}
        if text in spellings or any(text == label.lower()[:length] for label in labels):
            return value
    return None


def _repairs(bind):
    """[(table, column, stored, value or None)] for every stored value outside its
    enumeration; raises, before anything is changed, when one cannot be repaired."""
    repairs, unknown = [], []
    for table, column, length, choices, _ in CHECKS:
        stored_values = bind.execute(sa.text(
            f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL "
            f"AND NOT ({_condition(column, choices)})")).scalars().all()
        for stored in stored_values:
            value = _intended(stored, length, choices)
            if value is not None or (not stored.strip() and (table, column) in NULLABLE):
                repairs.append((table, column, stored, value))
            else:
                unknown.append(f"{table}.{column} = {stored!r} (allowed: {', '.join(choices)})")
    if unknown:
        raise RuntimeError("Correct these values before upgrading: " + "; ".join(unknown))
    return repairs


def _fill_requirement_sets(bind):
    bind.execute(sa.text(
        "INSERT INTO application_requirement (application_id, requirement_id, mandatory) "
        "SELECT a.id, r.id, r.mandatory FROM application a "
        "JOIN permit_requirement r ON r.permit_type_id = a.permit_type_id"))
    bind.execute(sa.text(
        "INSERT INTO application_requirement (application_id, requirement_id, mandatory) "
        "SELECT DISTINCT d.application_id, d.requirement_id, r.mandatory "
        "FROM application_document d JOIN permit_requirement r ON r.id = d.requirement_id "
        "WHERE NOT EXISTS (SELECT 1 FROM application_requirement x "
        "WHERE x.application_id = d.application_id AND x.requirement_id = d.requirement_id)"))


def upgrade():
    bind = op.get_bind()
    repairs = _repairs(bind)  # first: an upgrade it stops has changed nothing
    for table, column, stored, value in repairs:
        bind.execute(sa.text(f"UPDATE {table} SET {column} = :value WHERE {column} = :stored"),
                     {"value": value, "stored": stored})

    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    with op.batch_alter_table('permit_requirement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))

    op.create_table(
        'application_requirement',
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('requirement_id', sa.Integer(), nullable=False),
        sa.Column('mandatory', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['application_id'], ['application.id'],
                                name='fk_application_requirement_application_id_application',
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['requirement_id'], ['permit_requirement.id'],
                                name='fk_application_requirement_requirement_id_requirement',
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('application_id', 'requirement_id'),
    )
    op.create_index('ix_application_requirement_requirement_id', 'application_requirement',
                    ['requirement_id'], unique=False)
    _fill_requirement_sets(bind)

    for table in dict.fromkeys(table for table, *_ in CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for check_table, column, _, choices, name in CHECKS:
                if check_table == table:
                    batch_op.create_check_constraint(name, _condition(column, choices))


def downgrade():
    for table in dict.fromkeys(table for table, *_ in CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for check_table, _, _, _, name in CHECKS:
                if check_table == table:
                    batch_op.drop_constraint(name, type_='check')
    op.drop_index('ix_application_requirement_requirement_id',
                  table_name='application_requirement')
    op.drop_table('application_requirement')
    with op.batch_alter_table('permit_requirement', schema=None) as batch_op:
        batch_op.drop_column('active')
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_column('active')
