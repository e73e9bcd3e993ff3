"""Changes to users, roles and the configuration are recorded as they are saved, from any
screen or service: the columns before and after, related rows by name; the entry commits
with the change and is gone when the change is rolled back."""

import io

import yaml
from flask import current_app, g
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.security import roles
from models import (
    DocumentTemplate,
    PermitCategory,
    PermitType,
    Process,
    Requirement,
    SiapUser,
)
from tests.audit.support import entries, holds_no_password, only
from tests.documents.test_templates import edit_form
from tests.factories import make_user
from tests.processes.support import TRIAL_YAML
from tests.support import user

NEW_USER = {"first_name": "Citra", "last_name": "Lestari", "username": "citra",
            "email": "citra@example.id", "active": "y", "nik": "3505014107900002",
            "whatsapp": "0812-9999-8888", "password": "Rahasia123",
            "conf_password": "Rahasia123"}


def role(name):
    return current_app.appbuilder.sm.find_role(name)


def requirement(name="KTP pemohon"):
    return db.session.scalar(select(Requirement).join(PermitType).where(
        Requirement.name == name, PermitType.code == "PKKPR-NB"))


def requirement_form(row, **changes):
    data = {"permit_type": str(row.permit_type_id), "name": row.name,
            "description": row.description or "", "accepted_types": row.accepted_types,
            "max_size_mb": str(row.max_size_mb), "position": str(row.position)}
    data.update({flag: "y" for flag in ("mandatory", "active") if getattr(row, flag)})
    data.update(changes)
    return data


# --- users ----------------------------------------------------------------------------


def test_an_admin_creating_a_user_is_recorded_with_the_roles_and_without_the_password(
        login_as):
    admin = login_as("admin")
    response = admin.post("/users/add", data={
        **NEW_USER, "roles": [str(role(roles.FRONT_OFFICE).id)]})
    assert response.status_code == 302
    citra = db.session.scalar(select(SiapUser).where(SiapUser.username == "citra"))

    entry = only(audit.USER_CREATED)
    assert (entry.actor_name, entry.object_type, entry.object_id, entry.object_label) == (
        "admin", "user", citra.id, "citra")
    assert entry.details["username"] == "citra" and entry.details["active"] is True
    assert entry.details["roles"] == ["Front Office"]
    assert "password" not in entry.details
    assert entry.details["nik"] == "************0002"  # kept as the logs keep numbers
    assert entry.details["whatsapp"].endswith("8888") and "9999" not in entry.details[
        "whatsapp"]
    assert holds_no_password(entry)


def test_deactivating_a_user_and_changing_their_roles_records_before_and_after(login_as):
    officer = make_user(roles.FRONT_OFFICE, username="budi")
    response = login_as("admin").post(f"/users/edit/{officer.id}", data={
        "first_name": officer.first_name, "last_name": officer.last_name,
        "username": "budi", "email": officer.email, "whatsapp": officer.whatsapp,
        "nik": "", "nip": "", "pangkat_golongan": "", "queue_messages": "each_file",
        "roles": [str(role(roles.PEMERIKSA).id)]})  # "active" unticked
    assert response.status_code == 302

    entry = only(audit.USER_UPDATED)
    assert entry.object_id == officer.id and entry.actor_name == "admin"
    assert entry.details == {"changes": {
        "active": [True, False],
        "roles": {"added": ["Pemeriksa"], "removed": ["Front Office"]},
    }}


def test_deleting_a_user_keeps_their_name_in_the_entry(login_as):
    leaving_id = make_user(roles.PEMOHON, username="pergi").id
    assert login_as("admin").post(f"/users/delete/{leaving_id}").status_code == 302
    db.session.expire_all()
    assert db.session.get(SiapUser, leaving_id) is None

    entry = only(audit.USER_DELETED)
    assert (entry.object_id, entry.object_label) == (leaving_id, "pergi")
    assert entry.details["username"] == "pergi" and entry.details["roles"] == ["Pemohon"]


def test_a_self_registration_is_recorded_without_an_actor(client):
    from tests.test_registration import GOOD, register

    assert register(client).status_code == 302
    entry = only(audit.USER_CREATED)
    assert entry.actor_id is None and entry.object_label == GOOD["username"]
    assert entry.details["roles"] == ["Pemohon"]
    assert holds_no_password(entry, GOOD["password"])


def test_signing_in_changes_counters_but_records_no_user_change(login_as):
    login_as("pemohon")
    assert entries(audit.USER_UPDATED) == []
    assert len(entries(audit.LOGIN)) == 1


# --- roles ----------------------------------------------------------------------------


def test_granting_a_permission_to_a_role_names_the_permission(login_as):
    dpupr = role("DPUPR")
    sps = current_app.appbuilder.sm.find_permission_view_menu(
        "terbitkan_sps", "Workflow pkkpr_nb")
    kept = [str(pv.id) for pv in dpupr.permissions]
    response = login_as("admin").post(f"/roles/edit/{dpupr.id}", data={
        "name": "DPUPR", "permissions": [*kept, str(sps.id)]})
    assert response.status_code == 302

    entry = only(audit.ROLE_UPDATED)
    assert (entry.actor_name, entry.object_type, entry.object_label) == (
        "admin", "role", "DPUPR")
    assert entry.details == {"changes": {"permissions": {"added": [str(sps)],
                                                         "removed": []}}}


def test_a_new_role_is_recorded_with_its_permissions(login_as):
    chosen = current_app.appbuilder.sm.find_permission_view_menu("can_list", "PermitTypeView")
    login_as("admin").post("/roles/add", data={"name": "Petugas Uji",
                                               "permissions": [str(chosen.id)]})
    entry = only(audit.ROLE_CREATED)
    assert entry.object_label == "Petugas Uji"
    assert entry.details == {"name": "Petugas Uji", "permissions": [str(chosen)]}


# --- configuration --------------------------------------------------------------------


def test_editing_a_requirement_records_only_the_changed_columns(login_as):
    row = requirement()
    before = row.max_size_mb
    response = login_as("admin").post(f"/requirementview/edit/{row.id}", data=requirement_form(
        row, name="KTP pemohon (asli)", max_size_mb=str(before + 3)))
    assert response.status_code == 302

    entry = only(audit.CONFIG_UPDATED)
    assert (entry.object_type, entry.object_id, entry.object_label) == (
        "permit_requirement", row.id, "KTP pemohon (asli)")
    assert entry.details == {"changes": {"name": ["KTP pemohon", "KTP pemohon (asli)"],
                                         "max_size_mb": [before, before + 3]}}


def test_a_form_the_screen_refuses_records_nothing(login_as):
    row = requirement()
    login_as("admin").post(f"/requirementview/edit/{row.id}",
                           data=requirement_form(row, accepted_types="exe"))
    assert {entry.event for entry in entries()} == {audit.LOGIN}


def test_adding_and_deleting_a_category_are_recorded(login_as):
    admin = login_as("admin")
    admin.post("/permitcategoryview/add", data={"name": "Kesehatan", "icon": "fa-heart",
                                               "position": "30", "description": ""})
    category_id = db.session.scalar(select(PermitCategory.id).where(
        PermitCategory.name == "Kesehatan"))
    admin.post(f"/permitcategoryview/delete/{category_id}")

    added, deleted = only(audit.CONFIG_CREATED), only(audit.CONFIG_DELETED)
    assert (added.object_type, added.object_id, added.object_label) == (
        "permit_category", category_id, "Kesehatan")
    assert added.details == {"name": "Kesehatan", "description": "", "icon": "fa-heart",
                             "position": 30}
    assert (deleted.object_id, deleted.object_label, deleted.details["name"]) == (
        category_id, "Kesehatan", "Kesehatan")


def test_a_related_row_is_named_when_it_changes_by_object_or_by_key(app):
    permit_type = db.session.scalar(select(PermitType).where(PermitType.code == "PKKPR-NB"))
    old_category = permit_type.category.name
    other = PermitCategory(name="Kategori Lain", position=50)
    db.session.add(other)
    db.session.commit()
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.9.8.7"}):
        g.user = user("admin")
        permit_type.category = other
        db.session.commit()
        permit_type.category_id = db.session.scalar(select(PermitCategory.id).where(
            PermitCategory.name == old_category))
        db.session.commit()

    moved, back = entries(audit.CONFIG_UPDATED, object_type="permit_type")
    assert moved.details == {"changes": {"category": [old_category, "Kategori Lain"]}}
    assert back.details == {"changes": {"category": ["Kategori Lain", old_category]}}
    assert (moved.actor_name, moved.address) == ("admin", "10.9.8.7")


def test_a_rolled_back_change_leaves_no_entry(app):
    row = requirement()
    with app.test_request_context():
        g.user = user("admin")
        row.name = "Tidak jadi"
        db.session.flush()  # the entry is in the transaction now…
        db.session.rollback()  # …and goes with it
        db.session.commit()
    assert entries() == []
    assert requirement().name == "KTP pemohon"


def test_changes_made_outside_a_request_are_not_recorded():
    """The seed commands and fixtures: whoever runs them holds the server already."""
    make_user(roles.PEMOHON, username="dari.perintah")
    assert entries() == []


def test_a_template_draft_and_its_publication_are_recorded(login_as):
    admin = login_as("admin")
    template = db.session.scalar(select(DocumentTemplate).where(
        DocumentTemplate.key == "sk_pkkpr_nb"))
    data = edit_form(admin, template, note="Tambah poin")
    assert admin.post(f"/templat-dokumen/{template.id}", data=data).status_code == 302
    assert admin.post(f"/templat-dokumen/{template.id}/terbitkan").status_code == 302

    draft = only(audit.CONFIG_CREATED, object_type="document_template_version")
    assert draft.details["note"] == "Tambah poin" and draft.details["published_at"] is None
    assert draft.details["template"] == template.name
    assert draft.details["content"]  # the whole text of the version
    published = only(audit.CONFIG_UPDATED, object_type="document_template_version")
    assert published.object_id == draft.object_id
    assert list(published.details["changes"]) == ["published_at"]


def test_publishing_a_process_records_the_version_and_the_grants_it_makes(login_as):
    admin = login_as("admin")
    admin.post("/alur-proses/impor", data={
        "file": (io.BytesIO(yaml.safe_dump(yaml.safe_load(TRIAL_YAML)).encode()),
                 "uji.yaml")}, content_type="multipart/form-data")
    process = db.session.scalar(select(Process).where(Process.code == "uji_reklame"))
    assert only(audit.CONFIG_CREATED, object_type="process").object_id == process.id
    admin.post(f"/alur-proses/{process.id}/terbitkan")

    version = only(audit.CONFIG_UPDATED, object_type="process_version")
    assert "published_at" in version.details["changes"]
    assert only(audit.ROLE_CREATED, object_label="Dinas Uji").actor_name == "admin"
    # Flask-AppBuilder commits each new permission: a grant is an entry of its own.
    grants = entries(audit.ROLE_UPDATED, object_label="Pemeriksa")
    assert {entry.actor_name for entry in grants} == {"admin"}
    added = [label for entry in grants
             for label in entry.details["changes"]["permissions"]["added"]]
    assert {"periksa on Workflow uji_reklame", "menu access on Inbox uji_reklame"} <= set(added)
    assert not [entry for entry in grants if entry.details["changes"]["permissions"]["removed"]]
