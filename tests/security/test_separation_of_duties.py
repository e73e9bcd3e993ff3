"""Separation of duties: an administrator configures, officers decide. The Admin role
reaches every screen but holds no workflow action — it signs nothing, anywhere."""

import pytest
from sqlalchemy import func, select

from app.cli import sync_permissions
from app.errors import SiapError
from app.extensions import db
from app.security import roles
from app.workflow.engine import apply_action
from app.workflow.registry import WORKFLOWS
from models import Application, HistoryEvent
from tests.api.support import api, token
from tests.signing.test_decree import ready_file, sign_on_the_phone_page, status_of
from tests.support import SIGNING_PASSPHRASE, action_input, make_asset_use, make_pkkpr, user


def admin_permissions(app):
    admin = app.appbuilder.sm.find_role(roles.ADMIN)
    return {(pv.permission.name, pv.view_menu.name) for pv in admin.permissions}


def test_the_admin_role_holds_every_screen_but_no_workflow_permission(app):
    sync_permissions()  # seeding again gives nothing back
    held = admin_permissions(app)
    assert not [pair for pair in held if pair[1].startswith("Workflow ")]
    for screen in [("can_list", "UserDBModelView"), ("can_edit", "PermitTypeView"),
                   ("can_list", "OutboxView"), ("can_list", "RoleModelView")]:
        assert screen in held, screen
    kepala = app.appbuilder.sm.find_role(roles.KEPALA_DINAS)
    assert ("tandatangani", "Workflow pkkpr_nb") in {
        (pv.permission.name, pv.view_menu.name) for pv in kepala.permissions}


def test_an_admin_cannot_open_the_signing_page_nor_sign_on_it(login_as):
    application = ready_file()
    admin = login_as("admin")
    assert admin.get("/tandatangan/").status_code == 403
    refused = admin.post("/tandatangan/", data={"application_id": [str(application.id)],
                                                "passphrase": SIGNING_PASSPHRASE})
    assert refused.status_code == 403
    assert status_of(application.id) == "siap_ds"
    assert 'href="/tandatangan/"' not in admin.get("/").get_data(as_text=True)
    assert 'href="/tandatangan/"' in login_as("kepaladinas").get("/").get_data(as_text=True)


def test_an_admin_cannot_sign_through_the_api(client):
    application = ready_file()
    bearer = token(client, "admin")
    response = api(client, bearer, "POST", "/sign/batch", json={
        "application_ids": [application.id], "passphrase": SIGNING_PASSPHRASE})
    assert response.status_code == 403
    action = api(client, bearer, "POST", f"/applications/{application.id}/actions/tandatangani",
                 json={"passphrase": SIGNING_PASSPHRASE})
    assert action.status_code in (403, 404)
    assert status_of(application.id) == "siap_ds"


def test_an_admin_cannot_sign_through_the_action_page(login_as):
    application = ready_file()
    admin = login_as("admin")
    url = f"/permohonan/{application.id}/aksi/tandatangani"
    assert admin.get(url).status_code in (403, 404)
    assert admin.post(url, data={"passphrase": SIGNING_PASSPHRASE}).status_code in (403, 404)
    assert status_of(application.id) == "siap_ds"
    # The head of office signs the same file on the same page.
    sign_on_the_phone_page(login_as("kepaladinas"), application.id)
    assert status_of(application.id) == "selesai"


def history_length(application_id):
    return db.session.scalar(select(func.count(HistoryEvent.id))
                             .where(HistoryEvent.application_id == application_id))


MAKERS = {"pkkpr_nb": make_pkkpr, "aset": make_asset_use}
CASES = [(kind, transition.action, state.value)
         for kind, workflow in WORKFLOWS.items()
         for transition in workflow.transitions for state in transition.sources]


@pytest.mark.parametrize("kind, action, state", CASES)
def test_an_admin_takes_no_workflow_action(kind, action, state):
    application = MAKERS[kind](state)
    before = (application.status, application.version, history_length(application.id))
    with pytest.raises(SiapError):
        apply_action(application.id, action, user("admin"), action_input(action))
    db.session.expire_all()
    after = db.session.get(Application, application.id)
    assert (after.status, after.version, history_length(application.id)) == before
