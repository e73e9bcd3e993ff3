"""One engine round per action (DESIGN.md section 7): a screen's action loads the file
once and builds the action's form once; the errors it shows are that form's own."""

from app.extensions import db
from app.workflow import engine
from models import Application
from tests.support import make_pkkpr


def counting_loads(monkeypatch):
    loads = []
    real = engine.load_visible

    def load_visible(application_id, actor, *options):
        loads.append(application_id)
        return real(application_id, actor, *options)

    monkeypatch.setattr(engine, "load_visible", load_visible)
    return loads


def test_an_action_posted_from_its_page_loads_the_file_once(login_as, monkeypatch):
    application = make_pkkpr("diajukan")
    officer = login_as("frontoffice")
    loads = counting_loads(monkeypatch)
    response = officer.post(f"/permohonan/{application.id}/aksi/kembalikan",
                            data={"alasan": "KTP buram"})
    assert response.status_code == 302 and loads == [application.id]
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "perlu_perbaikan"


def test_a_refused_form_shows_its_own_errors_after_one_load(login_as, monkeypatch):
    application = make_pkkpr("diajukan")
    officer = login_as("frontoffice")
    loads = counting_loads(monkeypatch)
    page = officer.post(f"/permohonan/{application.id}/aksi/kembalikan", data={"alasan": ""})
    assert page.status_code == 200 and loads == [application.id]
    assert 'id="alasan"' in page.get_data(as_text=True)
    assert "has-error" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "diajukan"
