"""The Alembic migrations build exactly the schema the models describe."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import current_app
from flask_appbuilder import Model
from sqlalchemy import func, inspect, select, text

from app.extensions import db
from app.security import roles
from app.seed.demo import ensure_demo_users
from app.workflow.document_templates import ensure_document_templates
from models import Agency, Application
from tests.factories import make_user
from tests.support import make_pkkpr, pkkpr_type


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


def _insert_permit_type_as_the_old_screen_saved_it(code, workflow_kind, tariff_unit):
    # Raw SQL: at an old revision the model has columns the table has not yet.
    category_id = db.session.scalar(text(
        "SELECT category_id FROM permit_type WHERE code = 'PKKPR-NB'"))
    db.session.execute(text(
        "INSERT INTO permit_type (code, name, category_id, workflow_kind, service_days, "
        "active, position, registration_format, sk_format, use_form, tariff_unit) "
        "VALUES (:code, :code, :category, :kind, 5, :yes, 0, '{seq}', '{seq}', '', :unit)"),
        {"code": code, "category": category_id, "kind": workflow_kind, "unit": tariff_unit,
         "yes": True})
    db.session.commit()


def _permit_type_row(code):
    return db.session.execute(text(
        "SELECT workflow_kind, tariff_unit, use_form FROM permit_type WHERE code = :code"),
        {"code": code}).one()


def _migrate(revision):
    """Alembic's own commands: they raise (flask-migrate's would exit). Back at the head,
    the demo data that columns dropped on the way held is seeded again (the head of
    office's NIP and rank)."""
    db.session.commit()
    db.session.close()
    config = current_app.extensions["migrate"].migrate.get_config()
    if revision == "head":
        command.upgrade(config, "head")
        # Tables the downgrade dropped come back empty: seed what the baseline had.
        ensure_demo_users(current_app.config["DEMO_PASSWORD"])
        ensure_document_templates()
        _restore_retribution_codes()
    else:
        columns = {c["name"] for c in inspect(db.engine).get_columns("permit_type")}
        if "retribution_code" in columns:
            _RETRIBUTION_CODES.update(db.session.execute(text(
                "SELECT id, retribution_code FROM permit_type")).all())
            db.session.close()  # its read lock would block the downgrade on PostgreSQL
        command.downgrade(config, revision)
    db.session.close()


# The seeded retribution codes (a column of 0017), kept across a downgrade below it so
# the tests after a migration test see the baseline.
_RETRIBUTION_CODES = {}


def _restore_retribution_codes():
    for permit_type_id, code in _RETRIBUTION_CODES.items():
        db.session.execute(text("UPDATE permit_type SET retribution_code = :code "
                                "WHERE id = :id"), {"code": code, "id": permit_type_id})
    db.session.commit()


def test_the_upgrade_repairs_what_the_old_free_text_fields_saved_and_fills_requirement_sets():
    """What the review found: "Izin Pemanfaatan Aset" cut to 20 characters as the
    workflow and "per hari" as the tariff unit; files from before requirement sets."""
    application_id = make_pkkpr("diajukan").id
    expected = {(r.id, r.mandatory) for r in pkkpr_type().requirements}
    _migrate("0009")
    try:
        _insert_permit_type_as_the_old_screen_saved_it("RUSAK", "Izin Pemanfaatan Ase",
                                                       "per hari")
    finally:
        _migrate("head")
    assert tuple(_permit_type_row("RUSAK")) == ("aset", "per_hari", None)
    assert {(entry.requirement_id, entry.mandatory) for entry in
            db.session.get(Application, application_id).requirement_set} == expected
    assert db.session.scalar(select(func.count()).where(Agency.active.is_(False))) == 0


def test_an_unknown_value_stops_the_upgrade_before_it_changes_anything():
    _migrate("0009")
    try:
        _insert_permit_type_as_the_old_screen_saved_it("RUSAK", "izin_baru", None)
        with pytest.raises(RuntimeError, match=r"permit_type.workflow_kind = 'izin_baru'"):
            _migrate("head")
        db.session.rollback()
        assert "application_requirement" not in inspect(db.engine).get_table_names()
        db.session.execute(text("UPDATE permit_type SET workflow_kind = 'aset' "
                                "WHERE code = 'RUSAK'"))
        db.session.commit()
    finally:
        _migrate("head")
    assert _permit_type_row("RUSAK").workflow_kind == "aset"


def test_the_upgrade_takes_the_workflow_actions_from_the_admin_role_and_leaves_the_rest():
    """Before 0013 the Admin role was granted every workflow action."""
    sm = current_app.appbuilder.sm
    sign, users_screen = ("tandatangani", "Workflow pkkpr_nb"), ("can_list", "UserDBModelView")
    sm.add_permission_role(sm.find_role(roles.ADMIN), sm.find_permission_view_menu(*sign))
    try:
        _migrate("0012")
    finally:
        _migrate("head")

    def held(role_name):
        return {(pv.permission.name, pv.view_menu.name)
                for pv in sm.find_role(role_name).permissions}

    assert sign not in held(roles.ADMIN) and users_screen in held(roles.ADMIN)
    assert sign in held(roles.KEPALA_DINAS)


def test_the_upgrade_opens_the_documents_of_earlier_rejections_and_revocations():
    """Before 0016 a rejection and a revocation had a number and no document."""
    from werkzeug.datastructures import MultiDict

    from app.services import revocation
    from app.workflow.engine import apply_action
    from models import IssuedDocument
    from tests.decrees.support import signed_pkkpr
    from tests.support import user

    rejected = make_pkkpr("diteruskan_dinas")
    apply_action(rejected.id, "tolak", user("dpupr"), MultiDict({"alasan": "Kawasan lindung"}))
    revoked = signed_pkkpr()
    revocation.revoke(revoked.id, user("kepaladinas"), "Data tidak benar")
    db.session.expire_all()
    numbers = {db.session.get(Application, rejected.id).rejection.number: "surat_penolakan",
               db.session.get(Application, revoked.id).decree.revocation_number:
               "sk_pencabutan"}
    try:
        _migrate("0015")
        assert "issued_document" not in inspect(db.engine).get_table_names()
    finally:
        _migrate("head")
    documents = db.session.scalars(select(IssuedDocument)).all()
    assert {d.number: d.kind for d in documents} == numbers
    assert all(d.token and not d.is_signed for d in documents)
    assert len({d.token for d in documents}) == 2


def test_the_chain_downgrade_keeps_whatsapp_attempts_and_gives_each_account_an_address():
    from models import OutboxMessage

    account_id = make_user(username="tanpa.email", email=None).id
    first = OutboxMessage(channel="whatsapp", next_channels=["sms"], template_key="akun_dikunci",
                          recipient_number="+6281234500003", body="x", variables={},
                          status="failed")
    db.session.add(first)
    db.session.commit()
    db.session.add(OutboxMessage(channel="sms", template_key="akun_dikunci", body="x",
                                 recipient_number="+6281234500003", variables={},
                                 first_id=first.id, previous_id=first.id))
    first_id = first.id
    _migrate("0017")
    try:
        assert db.session.execute(text("SELECT email FROM ab_user WHERE id = :id"),
                                  {"id": account_id}).scalar() == \
            "tanpa.email@tanpa-email.invalid"
        assert db.session.execute(text("SELECT id FROM notification_outbox")).scalars().all() \
            == [first_id]
    finally:
        _migrate("head")


def test_the_renewal_columns_come_with_asset_types_renewable_and_go_back():
    """0024: permit_type.renewable (true for the asset types already there) and the file
    a renewal renews."""
    from app.services import renewal
    from tests.decrees.test_renewal import period, signed_hall_rent
    from tests.support import user

    old = signed_hall_rent()
    renewal_id = renewal.renew(old.id, user("pemohon"), period(old)).id
    _migrate("0023")
    try:
        assert "renewable" not in {c["name"] for c in inspect(db.engine).get_columns(
            "permit_type")}
        assert "renews_application_id" not in {c["name"] for c in inspect(
            db.engine).get_columns("application")}
        assert db.session.execute(text("SELECT status FROM application WHERE id = :id"),
                                  {"id": renewal_id}).scalar() == "draft"
    finally:
        _migrate("head")
    rows = dict(db.session.execute(text("SELECT workflow_kind, renewable FROM permit_type "
                                        "WHERE code IN ('PKKPR-NB', 'ASET-GOR')")).all())
    assert rows == {"pkkpr_nb": False, "aset": True}
    assert db.session.get(Application, renewal_id).renews_application_id is None
