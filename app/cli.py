"""`flask siap …` commands: seeding roles, the catalogue and demo data; workflows;
the upload folder against the database (`storage`); backups (`backup`, `restore`,
`prune-backups`); the statistics' summaries (`statistics rebuild`)."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.backup.cli import backup, prune_backups, restore
from app.jobs.cli import jobs_cli
from app.notifications.templates import ensure_templates
from app.seed.assets import ensure_assets
from app.seed.catalogue import ensure_catalogue
from app.seed.demo import DEMO_USERS, demo_password, ensure_demo_users, process_demo_users
from app.seed.processes import ensure_processes
from app.storage.cli import storage_cli
from app.workflow.document_templates import ensure_document_templates

siap_cli = AppGroup("siap", help="SIAP n LOSS administration.")
siap_cli.add_command(storage_cli)
siap_cli.add_command(jobs_cli)
for command in (backup, restore, prune_backups):
    siap_cli.add_command(command)


def sync_permissions():
    """Create the permissions of every registered view, then the roles' grants (in a
    few statements: app/security/permission_sync.py)."""
    from app.security import permission_sync

    return permission_sync.sync_permissions(current_app.appbuilder)


@siap_cli.command("seed-roles")
def seed_roles():
    """Create roles and grant their default permissions (never removes grants)."""
    added = sync_permissions()
    click.echo(f"Roles ready ({added} grants added).")


@siap_cli.command("seed-catalogue")
def seed_catalogue():
    """Add the default permit categories, types, requirements, agencies and assets that
    are missing."""
    added = ensure_catalogue() + ensure_assets() + ensure_processes()
    click.echo(f"Catalogue ready ({added} entries added).")


@siap_cli.command("seed-templates")
def seed_templates():
    """Add the default message and document templates (and the letterhead) that are
    missing."""
    added = ensure_templates()
    documents = ensure_document_templates()
    click.echo(f"Templates ready ({added} message templates, {documents} document "
               "templates and letterheads added).")


@siap_cli.command("seed-demo")
def seed_demo():
    """Roles, catalogue, templates and one demo user per role. Safe to run again."""
    sync_permissions()
    ensure_catalogue()
    ensure_assets()
    ensure_templates()
    ensure_document_templates()
    ensure_processes()
    password = demo_password(Path(current_app.instance_path))
    created = ensure_demo_users(password)
    click.echo(f"Demo data ready ({created} users created).")
    click.echo("Demo users: " + ", ".join([*DEMO_USERS, *process_demo_users()]))
    click.echo(f"Demo password: {password}")


@siap_cli.command("workflow")
@click.argument("kind", required=False)
@click.option("--dot", "dot_path", type=click.Path(dir_okay=False, writable=True),
              help="Also write a Graphviz diagram (render with `dot -Tsvg`).")
def show_workflow(kind, dot_path):
    """Print a workflow's states and transitions (all kinds when KIND is omitted)."""
    from app.workflow.registry import current_workflows, find

    known = [workflow.kind for workflow in current_workflows()]
    if kind is not None and find(kind) is None:
        raise click.BadParameter(f"unknown workflow; choose from {', '.join(known)}")
    chosen = [find(kind)] if kind else current_workflows()
    sm = current_app.appbuilder.sm

    def holders_in(workflow):
        def holders(action):
            permission_view = sm.find_permission_view_menu(action, workflow.permission_view)
            names = sorted(role.name for role in sm.get_all_roles()
                           if permission_view and permission_view in role.permissions)
            return ", ".join(names) or "-"

        return holders

    click.echo("\n\n".join(workflow.describe(holders_in(workflow)) for workflow in chosen))
    if dot_path:
        Path(dot_path).write_text("\n".join(workflow.diagram() for workflow in chosen) + "\n")
        click.echo(f"Diagram written to {dot_path}")


statistics_cli = AppGroup("statistics", help="The statistics page's summaries.")
siap_cli.add_command(statistics_cli)


@statistics_cli.command("rebuild")
def rebuild_statistics():
    """Recompute the statistics' summaries from the files, in one transaction (after
    writes that bypass the app, such as a bulk load; running it again changes nothing)."""
    from app.extensions import db
    from app.workflow.summaries import rebuild

    rebuild(db.session.connection())
    db.session.commit()
    click.echo("Statistics summaries rebuilt.")


def register_cli(app):
    from app.notifications.cli import notifications_cli

    app.cli.add_command(siap_cli)
    app.cli.add_command(notifications_cli)
