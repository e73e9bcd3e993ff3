"""the cache generation: one counter that triggers bump whenever role grants,
Plt./Plh. appointments, days off, stage targets or the permit catalogue change

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 08:00:00

Each process keeps those tables' contents between requests and reads this counter once
per request: a change anywhere (the app, Flask-AppBuilder's role and user screens, plain
SQL) reaches every process on its next request. Which users hold which roles is read
with the user on each request and needs no counter.
"""
import sqlalchemy as sa
from alembic import op

revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None

WATCHED = ('ab_role', 'ab_permission', 'ab_view_menu', 'ab_permission_view',
           'ab_permission_view_role', 'signing_delegation', 'holiday', 'stage_target',
           'permit_category', 'permit_type', 'permit_requirement')
BUMP = "UPDATE cache_generation SET value = value + 1 WHERE id = 1"
BUMP_FUNCTION = f"""
CREATE FUNCTION cache_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {BUMP};
    RETURN NULL;
END
$$
"""
SQLITE_OPERATIONS = ('INSERT', 'UPDATE', 'DELETE')


def upgrade():
    op.create_table(
        'cache_generation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.execute("INSERT INTO cache_generation (id, value) VALUES (1, 0)")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(BUMP_FUNCTION)
        for table in WATCHED:
            # Once per statement: a bulk load of grants bumps once, not once a row.
            op.execute(f"CREATE TRIGGER cache_generation_{table} AFTER INSERT OR UPDATE "
                       f"OR DELETE OR TRUNCATE ON {table} FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION cache_generation_bump()")
    else:
        for table in WATCHED:
            for operation in SQLITE_OPERATIONS:
                op.execute(f"CREATE TRIGGER cache_generation_{table}_{operation.lower()} "
                           f"AFTER {operation} ON {table} BEGIN {BUMP}; END")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in WATCHED:
            op.execute(f"DROP TRIGGER cache_generation_{table} ON {table}")
        op.execute("DROP FUNCTION cache_generation_bump()")
    else:
        for table in WATCHED:
            for operation in SQLITE_OPERATIONS:
                op.execute(f"DROP TRIGGER cache_generation_{table}_{operation.lower()}")
    op.drop_table('cache_generation')
