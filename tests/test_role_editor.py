"""The role editor (Keamanan → Daftar Peran) names permissions for people, grouped by
workflow and by screen, and still saves roles."""

import re
from html import unescape

from flask import current_app

from app.extensions import db
from app.workflow.registry import WORKFLOWS


def permission_groups(page):
    """{optgroup label: [(option value, option label, selected)]} of the permissions."""
    select_html = re.search(r'<select[^>]*name="permissions"[^>]*>(.*?)</select>', page, re.S)
    assert select_html, "no permissions select"
    groups = {}
    for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>',
                                  select_html[1], re.S):
        groups[unescape(label)] = [
            (re.search(r'value="([^"]*)"', attributes)[1], unescape(text),
             " selected" in attributes)
            for attributes, text in re.findall(r"<option([^>]*)>([^<]*)</option>", body)]
    return groups


def labels(groups, group):
    return [label for _, label, _ in groups[group]]


def role(name):
    return current_app.appbuilder.sm.find_role(name)


def permission_id(permission, view):
    return current_app.appbuilder.sm.find_permission_view_menu(permission, view).id


def test_the_add_form_names_permissions_for_people_grouped_by_workflow_and_screen(login_as):
    groups = permission_groups(login_as("admin").get("/roles/add").get_data(as_text=True))

    assert "Terbitkan SPS PNBP — PKKPR Non Berusaha" in labels(
        groups, "Alur kerja: PKKPR Non Berusaha")
    assert "Lihat semua berkas yang diajukan — Izin Pemanfaatan Aset" in labels(
        groups, "Alur kerja: Izin Pemanfaatan Aset")
    assert "Ubah profil sendiri (buka formulir)" in labels(groups, "Ubah profil sendiri")
    assert {"Jenis Izin (daftar)", "Jenis Izin (hapus)",
            "Katalog Izin › Jenis Izin (entri menu)"} <= set(labels(groups, "Jenis Izin"))
    every_label = [label for entries in groups.values() for _, label, _ in entries]
    assert not [label for label in every_label if " on " in label or "can_" in label]
    assert len(every_label) == len(set(every_label))


def test_the_edit_form_selects_the_roles_permissions(login_as):
    atr_bpn = role("ATR BPN")
    page = login_as("admin").get(f"/roles/edit/{atr_bpn.id}").get_data(as_text=True)
    workflow = permission_groups(page)["Alur kerja: PKKPR Non Berusaha"]
    chosen = {label for _, label, selected in workflow if selected}
    assert "Terbitkan SPS PNBP — PKKPR Non Berusaha" in chosen
    assert "Terbitkan KRK — PKKPR Non Berusaha" not in chosen


def test_the_show_page_lists_the_permissions_by_group_with_their_names(login_as):
    page = login_as("admin").get(f"/roles/show/{role('ATR BPN').id}").get_data(as_text=True)
    assert "<strong>Alur kerja: PKKPR Non Berusaha</strong>" in page
    assert "<li>Terbitkan SPS PNBP — PKKPR Non Berusaha</li>" in page
    assert "terbitkan sps on Workflow" not in page


def test_the_role_list_counts_permissions_instead_of_printing_their_codes(login_as):
    page = login_as("admin").get("/roles/list/").get_data(as_text=True)
    assert re.search(r"\d+ izin akses", page)
    assert "can this form get on" not in page


def test_moving_an_action_to_another_role_in_the_editor_is_saved(login_as):
    """As DESIGN.md section 2 expects: the SPS can be given to DPUPR without code."""
    dpupr = role("DPUPR")
    sps = permission_id("terbitkan_sps", WORKFLOWS["pkkpr_nb"].permission_view)
    kept = [str(pv.id) for pv in dpupr.permissions]
    response = login_as("admin").post(f"/roles/edit/{dpupr.id}", data={
        "name": "DPUPR", "permissions": [*kept, str(sps)]})
    assert response.status_code == 302
    db.session.expire_all()
    assert sps in {pv.id for pv in role("DPUPR").permissions}
    assert len(role("DPUPR").permissions) == len(kept) + 1


def test_a_new_role_is_saved_with_the_chosen_permissions(login_as):
    chosen = [permission_id("terima", WORKFLOWS["aset"].permission_view),
              permission_id("can_list", "PermitTypeView")]
    response = login_as("admin").post("/roles/add", data={
        "name": "Petugas Uji", "permissions": [str(pk) for pk in chosen]})
    assert response.status_code == 302
    db.session.expire_all()
    assert sorted(pv.id for pv in role("Petugas Uji").permissions) == sorted(chosen)


def test_every_workflow_permission_has_a_name_of_its_own():
    for workflow in WORKFLOWS.values():
        for permission in (*workflow.by_action, *workflow.extra_permissions):
            assert str(workflow.permission_label(permission)) != permission, permission



def test_the_role_screens_keep_the_permission_names_roles_already_hold():
    sm = current_app.appbuilder.sm
    assert sm.find_permission_view_menu("can_edit", "RoleModelView") is not None
    assert sm.find_view_menu("SiapRoleModelView") is None
