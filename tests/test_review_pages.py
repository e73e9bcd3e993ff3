"""The document review on the file page: a document opens in the page (served inline to
whoever may download it), a verdict is saved by an in-page request answered in JSON (a
plain form post still works without JavaScript), every document not judged yet is
accepted in one confirmed step, and the applicant reads why their file came back at the
top of its page and on their dashboard."""

import re

import pytest

from app.extensions import db
from app.services import applications as service
from app.storage.files import store_bytes
from models import Application
from tests.support import PNG, make_pkkpr, returned_pkkpr, user

JSON = {"Accept": "application/json"}


def verdict_url(application, document):
    return f"/permohonan/{application.id}/dokumen/{document.id}/verifikasi"


def preview_url(application, document):
    return f"/permohonan/{application.id}/berkas/dokumen/{document.id}/lihat"


def accept_all_url(application):
    return f"/permohonan/{application.id}/dokumen/terima-semua"


def verdicts(application_id):
    db.session.expire_all()
    return {d.id: d.verdict for d in db.session.get(Application, application_id).documents}


@pytest.fixture
def csrf_on(app):
    """Switches the CSRF checks on as in production (once the test has signed in)."""
    yield lambda: app.config.update(WTF_CSRF_ENABLED=True)
    app.config["WTF_CSRF_ENABLED"] = False


# --- verdicts in the page ----------------------------------------------------------


def test_a_verdict_asked_for_in_json_answers_the_new_verdict_and_what_remains(login_as):
    application = make_pkkpr("diterima_fo", documents="pending")
    first, second = application.documents[0], application.documents[1]
    total = len(application.documents)
    frontoffice = login_as("frontoffice")

    accepted = frontoffice.post(verdict_url(application, first), data={"verdict": "accepted"},
                                headers=JSON)
    assert accepted.status_code == 200 and accepted.is_json
    assert accepted.get_json() | {"remaining_text": None} == {
        "document_id": first.id, "verdict": "accepted", "label": "Diterima", "reason": None,
        "remaining": total - 1, "remaining_text": None}
    assert accepted.get_json()["remaining_text"]

    rejected = frontoffice.post(verdict_url(application, second),
                                data={"verdict": "rejected", "reason": " Foto buram "},
                                headers=JSON).get_json()
    assert (rejected["verdict"], rejected["label"], rejected["reason"],
            rejected["remaining"]) == ("rejected", "Ditolak", "Foto buram", total - 2)
    assert verdicts(application.id)[second.id] == "rejected"


def test_a_refused_verdict_in_json_says_why_in_indonesian_and_changes_nothing(login_as):
    application = make_pkkpr("diterima_fo", documents="pending")
    document = application.documents[0]
    response = login_as("frontoffice").post(
        verdict_url(application, document), data={"verdict": "rejected", "reason": ""},
        headers=JSON)
    assert response.status_code == 400
    body = response.get_json()
    assert body["field_errors"]["reason"] == "Berikan alasan dokumen ditolak."
    assert body["message"]
    assert verdicts(application.id)[document.id] == "pending"

    forwarded = make_pkkpr("diteruskan_dinas", documents="pending")
    late = login_as("pemeriksa").post(verdict_url(forwarded, forwarded.documents[0]),
                                      data={"verdict": "accepted"}, headers=JSON)
    assert late.status_code == 409 and late.get_json()["message"]


def test_without_javascript_the_verdict_form_posts_and_comes_back_to_the_file(login_as):
    application = make_pkkpr("diperiksa", documents="pending")
    document = application.documents[0]
    response = login_as("pemeriksa").post(verdict_url(application, document),
                                          data={"verdict": "accepted"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/permohonan/{application.id}")
    assert verdicts(application.id)[document.id] == "accepted"


def page_token(client, application):
    page = client.get(f"/permohonan/{application.id}").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_an_in_page_verdict_needs_the_csrf_token_in_its_header(login_as, csrf_on):
    application = make_pkkpr("diterima_fo", documents="pending")
    document = application.documents[0]
    frontoffice = login_as("frontoffice")
    csrf_on()
    refused = frontoffice.post(verdict_url(application, document),
                               data={"verdict": "accepted"}, headers=JSON)
    assert refused.status_code == 400 and refused.get_json()["message"]
    assert verdicts(application.id)[document.id] == "pending"

    token = page_token(frontoffice, application)
    saved = frontoffice.post(verdict_url(application, document), data={"verdict": "accepted"},
                             headers={**JSON, "X-CSRFToken": token})
    assert saved.status_code == 200 and saved.get_json()["verdict"] == "accepted"


@pytest.mark.parametrize("username, status", [
    ("pemohon", 403),  # the applicant of the file
    ("dpupr", 403),  # an officer who sees the file but gives no verdict
    ("pengelolaaset", 404),  # an officer who does not see the file
])
def test_a_verdict_and_accepting_all_are_refused_to_whoever_may_not_judge(
        login_as, username, status):
    application = make_pkkpr("diperiksa", documents="pending")
    client = login_as(username)
    verdict = client.post(verdict_url(application, application.documents[0]),
                          data={"verdict": "accepted"}, headers=JSON)
    assert verdict.status_code == status
    assert client.post(accept_all_url(application)).status_code == status
    assert client.get(accept_all_url(application)).status_code == status
    assert set(verdicts(application.id).values()) == {"pending"}


# --- accepting every document not judged yet ----------------------------------------


def test_accepting_all_asks_for_a_confirmation_then_accepts_the_unjudged_ones(login_as):
    application = make_pkkpr("diperiksa", documents="pending")
    rejected = application.documents[0]
    service.judge_document(application.id, rejected.id, user("pemeriksa"), "rejected", "Buram")
    pemeriksa = login_as("pemeriksa")

    file_page = pemeriksa.get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert f'href="{accept_all_url(application)}"' in file_page  # the no-script way
    assert 'id="terima-semua-dialog"' in file_page  # the in-page confirmation

    confirm = pemeriksa.get(accept_all_url(application))
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert f'action="{accept_all_url(application)}"' in page
    assert set(verdicts(application.id).values()) == {"pending", "rejected"}  # GET: nothing

    done = pemeriksa.post(accept_all_url(application))
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/permohonan/{application.id}")
    after = verdicts(application.id)
    assert after.pop(rejected.id) == "rejected" and set(after.values()) == {"accepted"}


def test_accepting_all_needs_the_csrf_token(login_as, csrf_on):
    application = make_pkkpr("diperiksa", documents="pending")
    pemeriksa = login_as("pemeriksa")
    csrf_on()
    assert pemeriksa.post(accept_all_url(application)).status_code == 400
    assert set(verdicts(application.id).values()) == {"pending"}


def test_accepting_all_outside_the_document_check_comes_back_and_changes_nothing(login_as):
    forwarded = make_pkkpr("diteruskan_dinas", documents="pending")
    pemeriksa = login_as("pemeriksa")
    for response in (pemeriksa.get(accept_all_url(forwarded)),
                     pemeriksa.post(accept_all_url(forwarded))):
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/permohonan/{forwarded.id}")
    assert set(verdicts(forwarded.id).values()) == {"pending"}


def test_the_accept_all_button_shows_only_to_whoever_may_judge_now(login_as):
    checking = make_pkkpr("diperiksa", documents="pending")
    forwarded = make_pkkpr("diteruskan_dinas", documents="pending")
    assert accept_all_url(checking) in login_as("pemeriksa").get(
        f"/permohonan/{checking.id}").get_data(as_text=True)
    assert accept_all_url(checking) not in login_as("dpupr").get(
        f"/permohonan/{checking.id}").get_data(as_text=True)
    assert accept_all_url(forwarded) not in login_as("pemeriksa").get(
        f"/permohonan/{forwarded.id}").get_data(as_text=True)


# --- the document in the page --------------------------------------------------------


def test_a_document_is_served_inline_for_the_page_and_never_runs_there(login_as):
    application = make_pkkpr("diperiksa", documents="pending")
    document = application.documents[0]
    response = login_as("pemeriksa").get(preview_url(application, document))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "default-src 'none'" in policy
    assert "sandbox" in policy  # Chromium's PDF viewer renders a sandboxed PDF
    assert "no-store" in response.headers["Cache-Control"]


def test_an_image_document_is_served_inline_as_an_image(login_as):
    application = make_pkkpr("diperiksa", documents="pending")
    document = application.documents[0]
    for column, value in store_bytes(PNG, "png", "ktp.png").columns().items():
        setattr(document, column, value)
    db.session.commit()
    response = login_as("pemeriksa").get(preview_url(application, document))
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline")
    page = login_as("pemeriksa").get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert f'data-preview-url="{preview_url(application, document)}"' in page
    assert 'data-preview-kind="image"' in page and 'data-preview-kind="pdf"' in page


@pytest.mark.parametrize("username, status", [
    ("pemohon", 200),  # the applicant's own document
    ("dpupr", 200),  # who may download the file's documents may see them
    ("pengelolaaset", 404),  # does not see the file
    ("admin", 404),  # sees no file (separation of duties)
])
def test_a_document_opens_in_the_page_exactly_for_those_who_may_download_it(
        login_as, username, status):
    application = make_pkkpr("diperiksa", documents="pending")
    document = application.documents[0]
    client = login_as(username)
    download = client.get(f"/permohonan/{application.id}/berkas/dokumen/{document.id}")
    assert client.get(preview_url(application, document)).status_code == status
    assert download.status_code == status


def test_a_document_of_another_file_does_not_open_through_this_one(login_as):
    application = make_pkkpr("diperiksa", documents="pending")
    other = make_pkkpr("diperiksa", documents="pending")
    response = login_as("pemeriksa").get(
        f"/permohonan/{application.id}/berkas/dokumen/{other.documents[0].id}/lihat")
    assert response.status_code == 404


def test_the_file_page_links_each_document_to_its_view_and_its_download(login_as):
    application = make_pkkpr("diperiksa", documents="pending")
    document = application.documents[0]
    page = login_as("pemeriksa").get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert f'href="{preview_url(application, document)}"' in page
    assert f'href="/permohonan/{application.id}/berkas/dokumen/{document.id}"' in page
    assert "js/document-review.js" in page
    assert 'data-verdict="pending"' in page


# --- why the file came back --------------------------------------------------------------


def test_the_reason_of_a_return_is_at_the_top_of_the_applicants_file_page(login_as):
    application = returned_pkkpr("Lengkapi KTP yang jelas")
    page = login_as("pemohon").get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert 'id="koreksi"' in page
    notice = page[page.index('id="koreksi"'):]
    notice = notice[:notice.index("</div>")]
    assert "Lengkapi KTP yang jelas" in notice
    assert "KTP pemohon tidak terbaca" in notice and notice.count("KTP pemohon") == 2
    # at the top: before the applicant's data, the documents and the history
    assert page.index('id="koreksi"') < page.index('id="dokumen"')
    assert page.index('id="koreksi"') < page.index('id="actions"')


def test_the_reason_of_a_return_is_on_the_applicants_dashboard(login_as):
    application = returned_pkkpr("Lengkapi KTP yang jelas")
    examined = make_pkkpr("diperiksa", documents="pending")
    page = login_as("pemohon").get("/dasbor/").get_data(as_text=True)
    row = page[page.index(application.registration_number, page.index('id="permohonan"')):]
    row = row[:row.index("</tr>")]
    assert "Lengkapi KTP yang jelas" in row
    assert "KTP pemohon tidak terbaca" in row and row.count("KTP pemohon") == 2
    other = page[page.index(examined.registration_number, page.index('id="permohonan"')):]
    assert "koreksi" not in other[:other.index("</tr>")]
