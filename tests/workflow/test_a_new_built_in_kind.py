"""A new built-in kind takes its definition module, its page template and one line in
the registry (tests/workflow/toy_kind.py): registered as that line does, with the roles
seeded as `flask siap seed-roles` seeds them, a file of it goes from the application to
the signed decree through /api/v1 with no other change — the catalogue, the form, the
engine, the file page and its print view, the API's data, the decree template, its
placeholders and the statistics all ask the definition."""

from copy import deepcopy
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy import func, select

from app.cli import sync_permissions
from app.documents import placeholders
from app.extensions import db
from app.security import roles
from app.signing import get_signer
from app.signing.pades import is_authentic
from app.workflow import document_templates, registry
from models import Application, PermitCategory, PermitType
from tests.api.support import api, token
from tests.processes.support import GenericClient, pdf_text
from tests.workflow import toy_kind

STAFF = ("frontoffice", "pemeriksa", "backoffice", "kepaladinas")


@pytest.fixture
def toy_registered(app, monkeypatch):
    for registered in (registry.WORKFLOWS, registry.BUILT_IN_ROLES):
        monkeypatch.setitem(registered, toy_kind.KIND, None)  # taken back afterwards
    monkeypatch.setattr(roles, "DEFAULT_GRANTS", deepcopy(roles.DEFAULT_GRANTS))
    registry.register(toy_kind.WORKFLOW, toy_kind.DEFAULT_ROLES)  # the registry's line
    sync_permissions()  # flask siap seed-roles
    document_templates.ensure_document_templates()  # flask siap seed-templates
    pages = Path(__file__).parent / "templates"
    monkeypatch.setattr(app.jinja_env, "loader",
                        ChoiceLoader([app.jinja_env.loader, FileSystemLoader(pages)]))
    db.session.add(PermitType(code="UJI-WAHANA", name="Izin Uji Wahana",
                              category=db.session.query(PermitCategory).first(),
                              workflow_kind=toy_kind.KIND, service_days=5))
    db.session.commit()


def test_a_file_of_a_new_built_in_kind_runs_to_the_signed_decree(client, login_as,
                                                                 toy_registered):
    tokens = {name: token(client, name) for name in ("pemohon", *STAFF)}
    generic = GenericClient(client, tokens)
    fields = {f["name"] for f in generic.permit_type("UJI-WAHANA")["fields"]}
    assert "nama_wahana" in fields  # the kind's application form, in the catalogue

    application_id = generic.apply("UJI-WAHANA")
    final = generic.complete(application_id)

    assert final["status"] == "selesai"
    assert [action for _user, action in generic.trail] == [
        "ajukan", "terima", "teruskan_pemeriksa", "setujui", "input_nomor_sk",
        "tandatangani"]
    assert final["details"] == {"nama_wahana": "Isian Nama wahana"}
    decree = api(client, tokens["pemohon"], "GET", f"/applications/{application_id}/decree")
    assert decree.status_code == 200
    assert is_authentic(decree.data, get_signer().trust_roots())
    text = pdf_text(decree.data)
    assert "IZIN UJI WAHANA" in text and "Isian Nama wahana" in text

    pemohon = login_as("pemohon")
    page = pemohon.get(f"/permohonan/{application_id}").get_data(as_text=True)
    assert 'id="wahana"' in page and "Isian Nama wahana" in page
    printed = pemohon.get(f"/permohonan/{application_id}/cetak").get_data(as_text=True)
    assert 'id="wahana-cetak"' in printed
    assert "wahana.nama" in placeholders.placeholders(toy_kind.KIND)
    granted = select(func.count(Application.id)).where(
        Application.id == application_id, registry.status_in("granted_states"))
    assert db.session.scalar(granted) == 1  # as the statistics and the register count
