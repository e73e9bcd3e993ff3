"""signers: NIP and rank on the account, Plt./Plh. appointments, initials before the
signature; Admin holds no workflow action

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 09:00:00

- ab_user gets the signer's NIP (18 digits, unique when set) and rank/grade
  (pangkat/golongan, one of the civil service's grades I/a … IV/e), printed under the
  signature on decrees.
- signing_delegation: an officer appointed Plt. or Plh. of the head of office from a
  first to a last day (both included, CHECK end_date >= start_date), with the appointing
  letter's number, who recorded it and when; indexed for "the active appointments of a
  user on a date".
- Paraf koordinasi: permit_type_initial_role names the roles whose initials a permit
  type's decree needs before the signature; application_initial holds a file's current
  round of them (one row per role, filled in when a holder initials). Existing permit
  types name none: their files go from the SK number to Siap DS as before.
- A NIK left blank in the admin's user form was stored as an empty text, so a second
  account without NIK could not be saved: empty NIKs become NULL.
- Separation of duties: the Admin role (AUTH_ROLE_ADMIN, "Admin") configures and no
  longer holds any workflow action. Its grants of the permissions on the view menus
  "Workflow <kind>" (every action, lihat_semua, cabut_izin, …) are removed; grants of
  those permissions to every other role stay. The downgrade does not give them back (an
  admin grants them in Keamanan → Daftar Peran if ever needed).
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

GRADES = ("I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d", "III/a", "III/b",
          "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e")


def upgrade():
    op.execute("UPDATE ab_user SET nik = NULL WHERE nik = ''")
    op.execute(
        "DELETE FROM ab_permission_view_role"
        " WHERE role_id IN (SELECT id FROM ab_role WHERE name = 'Admin')"
        " AND permission_view_id IN ("
        "  SELECT pv.id FROM ab_permission_view pv"
        "  JOIN ab_view_menu vm ON vm.id = pv.view_menu_id"
        "  WHERE vm.name LIKE 'Workflow %')"
    )
    grades = ", ".join(f"'{grade}'" for grade in GRADES)
    with op.batch_alter_table('ab_user') as batch:
        batch.add_column(sa.Column('nip', sa.String(length=18), nullable=True))
        batch.add_column(sa.Column('pangkat_golongan', sa.String(length=5), nullable=True))
        batch.create_unique_constraint('uq_ab_user_nip', ['nip'])
        batch.create_check_constraint('ck_ab_user_nip', 'length(nip) = 18')
        batch.create_check_constraint('ck_ab_user_pangkat_golongan',
                                      f'pangkat_golongan IN ({grades})')
    op.create_table(
        'signing_delegation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('delegate_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=3), nullable=False),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('end_date', sa.Date(), nullable=False),
        sa.Column('letter_number', sa.String(length=100), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('plt', 'plh')", name='ck_signing_delegation_kind'),
        sa.CheckConstraint('end_date >= start_date', name='ck_signing_delegation_period'),
        sa.ForeignKeyConstraint(['delegate_id'], ['ab_user.id']),
        sa.ForeignKeyConstraint(['created_by_id'], ['ab_user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_signing_delegation_delegate_period', 'signing_delegation',
                    ['delegate_id', 'start_date', 'end_date'])
    op.create_table(
        'permit_type_initial_role',
        sa.Column('permit_type_id', sa.Integer(), nullable=False),
        sa.Column('role_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['permit_type_id'], ['permit_type.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['role_id'], ['ab_role.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('permit_type_id', 'role_id'),
    )
    op.create_table(
        'application_initial',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('role_id', sa.Integer(), nullable=False),
        sa.Column('initialled_by_id', sa.Integer(), nullable=True),
        sa.Column('initialled_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['application_id'], ['application.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['role_id'], ['ab_role.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['initialled_by_id'], ['ab_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('application_id', 'role_id', name='uq_application_initial_role'),
    )


def downgrade():
    op.drop_table('application_initial')
    op.drop_table('permit_type_initial_role')
    op.drop_index('ix_signing_delegation_delegate_period', table_name='signing_delegation')
    op.drop_table('signing_delegation')
    with op.batch_alter_table('ab_user') as batch:
        batch.drop_constraint('ck_ab_user_pangkat_golongan', type_='check')
        batch.drop_constraint('ck_ab_user_nip', type_='check')
        batch.drop_constraint('uq_ab_user_nip', type_='unique')
        batch.drop_column('pangkat_golongan')
        batch.drop_column('nip')
