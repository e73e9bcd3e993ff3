"""`flask siap` commands: seeding is idempotent and prints the demo password."""

from sqlalchemy import func, select

from app.cli import siap_cli
from app.extensions import db
from app.seed.processes import seeded
from models import SiapUser
from tests.conftest import DEMO_PASSWORD


def run(app, *args):
    result = app.test_cli_runner().invoke(siap_cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_seed_demo_is_idempotent_and_prints_users_and_password(app):
    before = db.session.scalar(select(func.count(SiapUser.id)))
    output = run(app, "seed-demo")
    assert "0 users created" in output
    assert f"Demo password: {DEMO_PASSWORD}" in output
    assert "kepaladinas" in output
    assert db.session.scalar(select(func.count(SiapUser.id))) == before


def test_seed_roles_and_catalogue_add_nothing_the_second_time(app):
    assert "0 grants added" in run(app, "seed-roles")
    # The test database has no configured processes: the first run publishes the three
    # seeded ones (app/seed/processes/), the second adds nothing.
    assert f"{len(seeded())} entries added" in run(app, "seed-catalogue")
    assert "0 entries added" in run(app, "seed-catalogue")


def test_a_generated_demo_password_is_kept_under_instance_and_reused(app, tmp_path):
    from app.seed.demo import demo_password

    app.config["DEMO_PASSWORD"] = None
    try:
        first = demo_password(tmp_path)
        assert first == demo_password(tmp_path)
        assert (tmp_path / "demo_password.txt").read_text().strip() == first
        assert len(first) >= 12
    finally:
        app.config["DEMO_PASSWORD"] = DEMO_PASSWORD
