"""The Alembic migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_appbuilder import Model
from sqlalchemy import inspect

from app.extensions import db


def test_the_migrated_database_matches_the_models():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Model.metadata)
    assert differences == []


def test_the_migrations_cover_flask_appbuilders_own_tables():
    tables = set(inspect(db.engine).get_table_names())
    assert {"ab_user", "ab_role", "ab_permission_view_role", "ab_api_key", "ab_group"} <= tables
    assert "alembic_version" in tables


def test_every_model_declares_its_table_name():
    for mapper in Model.registry.mappers:
        assert "__tablename__" in vars(mapper.class_) or mapper.inherits, mapper.class_
