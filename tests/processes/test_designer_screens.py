"""The process designer's screens: an admin builds a process from lists, sees its problems
and its diagram, publishes it, opens a permit type on it, compares and republishes
versions, exports and imports YAML; nobody else may."""

import io

import yaml
from sqlalchemy import select

from app.extensions import db
from app.services import processes
from models import Application, PermitCategory, PermitType, Process, Requirement
from tests.processes.support import TRIAL_YAML


def _process(code="uji_desain"):
    db.session.expire_all()  # the screens wrote through their own requests
    return db.session.scalar(select(Process).where(Process.code == code))


def _draft_spec(code="uji_desain"):
    return _process(code).draft.spec


def _create(admin):
    response = admin.post("/alur-proses/baru", data={"code": "uji_desain",
                                                     "name": "Izin Uji Desain"})
    assert response.status_code == 302
    return _process()


def _put(admin, process, place, data, position=None):
    url = f"/alur-proses/{process.id}/bagian/{place}" + (f"/{position}" if position else "")
    return admin.post(url, data=data, follow_redirects=True)


def _build(admin):
    """A process of two form fields, a requirement and three steps, through the forms."""
    process = _create(admin)
    _put(admin, process, "form", {"name": "luas", "type": "number", "label": "Luas bidang",
                                  "required": "y", "min": "1", "max": "100", "decimals": "2",
                                  "unit": "m²", "visible_to": "all"})
    _put(admin, process, "form", {"name": "jenis", "type": "choice", "label": "Jenis",
                                  "required": "y", "visible_to": "all",
                                  "options": "papan = Papan\nbaliho = Baliho"})
    _put(admin, process, "requirements", {"name": "KTP pemohon", "mandatory": "y",
                                          "accept": ["pdf", "jpg"], "max_mb": "2"})
    _put(admin, process, "steps", {
        "code": "tinjau", "type": "inspection", "label": "Peninjauan lapangan",
        "role": "DPUPR", "can_return": "y", "when_field": "luas", "when_op": "gt",
        "when_value": "10", "tariff_basis": "entered"})
    _put(admin, process, "steps", {
        "code": "retribusi", "type": "fee", "label": "Retribusi", "role": "",
        "new_role": "Dinas Uji Desain", "tariff_basis": "per_m2", "tariff_rate": "15000",
        "tariff_field": "luas", "when_op": "eq"})
    _put(admin, process, "step:tinjau", {"name": "catatan_lapangan", "type": "textarea",
                                         "label": "Catatan lapangan", "visible_to": "staff"})
    return process


def test_an_admin_builds_a_process_from_lists(login_as):
    admin = login_as("admin")
    process = _build(admin)
    spec = _draft_spec()
    assert [f["name"] for f in spec["form"]] == ["luas", "jenis"]
    assert spec["form"][0] == {"name": "luas", "type": "number", "label": "Luas bidang",
                               "required": True, "min": 1, "max": 100, "decimals": 2,
                               "unit": "m²"}
    assert spec["form"][1]["options"] == [{"value": "papan", "label": "Papan"},
                                          {"value": "baliho", "label": "Baliho"}]
    assert spec["requirements"] == [{"name": "KTP pemohon", "description": "",
                                     "mandatory": True, "accept": ["pdf", "jpg"],
                                     "max_mb": 2}]
    codes = [s["code"] for s in spec["steps"]]
    assert codes == ["periksa", "tinjau", "retribusi"]
    tinjau, fee = spec["steps"][1], spec["steps"][2]
    assert tinjau["when"] == {"field": "luas", "op": "gt", "value": 10}
    assert tinjau["fields"][0]["visible_to"] == "staff"
    assert fee["role"] == "Dinas Uji Desain"
    assert fee["tariff"] == {"basis": "per_m2", "rate": 15000, "field": "luas"}
    assert processes.problems_of(spec) == []

    page = admin.get(f"/alur-proses/{process.id}").get_data(as_text=True)
    assert "Peninjauan lapangan" in page and "Retribusi" in page
    assert "<svg" in page and "luas" in page  # the diagram, with its condition
    assert "Catatan lapangan" in page


def test_a_bad_piece_is_named_and_the_draft_is_unchanged(login_as):
    admin = login_as("admin")
    process = _build(admin)
    before = _draft_spec()
    page = _put(admin, process, "form", {"name": "Luas Bidang", "type": "number",
                                         "label": "Luas"}).get_data(as_text=True)
    assert "huruf kecil" in page
    page = _put(admin, process, "form", {"name": "luas", "type": "text",
                                         "label": "Luas lagi"}).get_data(as_text=True)
    assert "sudah ada" in page  # the name is taken in the form
    page = _put(admin, process, "steps", {"code": "lagi", "type": "data_entry",
                                          "label": "Tanpa peran", "role": "",
                                          "when_op": "eq"}).get_data(as_text=True)
    assert "peran" in page
    assert _draft_spec() == before


def test_pieces_move_change_and_go(login_as):
    admin = login_as("admin")
    process = _build(admin)
    admin.post(f"/alur-proses/{process.id}/bagian/form/2/geser", data={"arah": "naik"})
    assert [f["name"] for f in _draft_spec()["form"]] == ["jenis", "luas"]
    edit = admin.get(f"/alur-proses/{process.id}/bagian/form/1").get_data(as_text=True)
    assert "papan = Papan" in edit  # the form shows the piece as it is
    _put(admin, process, "form", {"name": "jenis", "type": "choice", "label": "Jenis reklame",
                                  "required": "y", "visible_to": "all",
                                  "options": "papan = Papan"}, position=1)
    assert _draft_spec()["form"][0]["label"] == "Jenis reklame"
    admin.post(f"/alur-proses/{process.id}/bagian/steps/1/hapus")
    assert [s["code"] for s in _draft_spec()["steps"]] == ["tinjau", "retribusi"]
    assert admin.post(f"/alur-proses/{process.id}/bagian/steps/9/hapus").status_code == 404


def test_publication_is_refused_with_the_problems_then_made(login_as):
    admin = login_as("admin")
    process = _build(admin)
    # the condition names a field that is then removed: the list says so
    admin.post(f"/alur-proses/{process.id}/bagian/form/1/hapus")
    page = admin.post(f"/alur-proses/{process.id}/terbitkan",
                      follow_redirects=True).get_data(as_text=True)
    assert "Belum diterbitkan" in page and "luas" in page
    assert _process().published is None
    _put(admin, process, "form", {"name": "luas", "type": "number", "label": "Luas bidang",
                                  "required": "y", "visible_to": "all"})
    admin.post(f"/alur-proses/{process.id}/bagian/form/2/geser", data={"arah": "naik"})
    page = admin.post(f"/alur-proses/{process.id}/terbitkan",
                      follow_redirects=True).get_data(as_text=True)
    assert "Versi 1 diterbitkan" in page
    assert _process().published.number == 1

    category = db.session.scalars(select(PermitCategory)).first()
    page = admin.post(f"/alur-proses/{process.id}/jenis-izin", data={
        "code": "uji-desain", "name": "Izin Uji Desain", "service_days": "7",
        "category": str(category.id)}, follow_redirects=True).get_data(as_text=True)
    assert "terbuka untuk permohonan" in page
    permit_type = db.session.scalar(select(PermitType).where(PermitType.code == "UJI-DESAIN"))
    assert permit_type.workflow_kind == "uji_desain"
    assert [r.name for r in db.session.scalars(select(Requirement).where(
        Requirement.permit_type_id == permit_type.id))] == ["KTP pemohon"]
    assert "Izin Uji Desain" in admin.get("/persyaratan/").get_data(as_text=True)
    page = admin.post(f"/alur-proses/{process.id}/jenis-izin", data={
        "code": "uji desain", "name": "", "service_days": "0", "category": "x"},
        follow_redirects=True).get_data(as_text=True)
    assert "huruf kapital" in page


def test_versions_compare_export_import_and_republish(login_as):
    admin = login_as("admin")
    process = _build(admin)
    admin.post(f"/alur-proses/{process.id}/terbitkan")
    _put(admin, process, "requirements", {"name": "Surat kuasa", "accept": ["pdf"],
                                          "max_mb": "5"})
    admin.post(f"/alur-proses/{process.id}/terbitkan")
    assert _process().published.number == 2
    diff = admin.get(f"/alur-proses/{process.id}/beda?dari=1&ke=2").get_data(as_text=True)
    assert "Surat kuasa" in diff
    exported = admin.get(f"/alur-proses/{process.id}/yaml?versi=1")
    assert exported.headers["Content-Disposition"].endswith('uji_desain-v1.yaml"')
    assert "Surat kuasa" not in exported.get_data(as_text=True)
    page = admin.post(f"/alur-proses/{process.id}/versi/1/terbitkan-ulang",
                      follow_redirects=True).get_data(as_text=True)
    assert "sebagai versi 3" in page
    assert [r["name"] for r in _process().published.spec["requirements"]] == ["KTP pemohon"]

    changed = yaml.safe_load(TRIAL_YAML)
    response = admin.post("/alur-proses/impor", data={
        "file": (io.BytesIO(yaml.safe_dump(changed).encode()), "uji.yaml")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "Diimpor sebagai draf" in response.get_data(as_text=True)
    assert _process("uji_reklame").draft is not None
    broken = admin.post("/alur-proses/impor", data={
        "file": (io.BytesIO(b"code: x\nsteps: []\n"), "rusak.yaml")},
        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "Belum diterbitkan" in broken


def test_only_an_admin_designs_processes(login_as):
    admin = login_as("admin")
    process = _build(admin)
    for username in ("pemohon", "pemeriksa", "kepaladinas"):
        client = login_as(username)
        assert client.get("/alur-proses/").status_code in (302, 403)
        response = client.post(f"/alur-proses/{process.id}/bagian/steps/1/hapus")
        assert response.status_code in (302, 403)
    assert len(_draft_spec()["steps"]) == 3


def test_the_dry_run_shows_every_path_and_keeps_nothing(login_as):
    admin = login_as("admin")
    process = _build(admin)
    applications = db.session.scalar(select(db.func.count()).select_from(Application))
    page = admin.post(f"/alur-proses/{process.id}/uji-coba").get_data(as_text=True)
    assert "Uji coba versi 1" in page and "Tidak ada masalah" in page
    assert "luas" in page and "Retribusi" in page and "Peninjauan lapangan" in page
    assert "data:image/png;base64," in page  # the draft decree, previewed page by page
    assert db.session.scalar(select(db.func.count()).select_from(Application)) == \
        applications
    assert _process().published is None


def test_an_import_with_yaml_aliases_is_refused(login_as):
    admin = login_as("admin")
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{b}: &{b} [*{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}]\n"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)) + "code: bom\nname: Bom\n"
    page = admin.post("/alur-proses/impor", data={
        "file": (io.BytesIO(laughs.encode()), "bom.yaml")},
        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "alias" in page
    assert _process("bom") is None


def test_the_decree_template_is_edited_in_the_draft(login_as):
    admin = login_as("admin")
    process = _build(admin)
    page = admin.get(f"/alur-proses/{process.id}/keputusan").get_data(as_text=True)
    assert "isian.luas" in page and "pemohon.nama" in page
    form = processes.decree_content(_draft_spec(), processes.read_spec(_draft_spec()))
    data = {name: "\n\n".join(value) if isinstance(value, list) else value
            for name, value in form.items() if isinstance(value, (str, list))}
    page = admin.post(f"/alur-proses/{process.id}/keputusan", data={
        **data, "subject": "IZIN {{ isian.tidak_ada }}"}, follow_redirects=True)
    assert "tidak_ada" in page.get_data(as_text=True)
    assert "template" not in _draft_spec()["decree"]
    admin.post(f"/alur-proses/{process.id}/keputusan",
               data={**data, "subject": "IZIN SELUAS {{ isian.luas }}"})
    assert _draft_spec()["decree"]["template"]["subject"] == "IZIN SELUAS {{ isian.luas }}"
    admin.post(f"/alur-proses/{process.id}/keputusan", data={"generic": "1"})
    assert "template" not in _draft_spec()["decree"]
