"""The satisfaction survey (SKM): once a file is finished or rejected, its applicant
rates the nine elements from 1 to 4, once."""

import re

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.errors import Conflict
from app.extensions import db
from app.services import survey
from models import SKM_ELEMENTS, HistoryEvent, SurveyResponse
from tests.factories import make_user
from tests.support import make_pkkpr, user


def answers(**changes):
    data = {name: "3" for name in SKM_ELEMENTS}
    data.update(persyaratan="4", waktu="2", comment="Pelayanan cepat")
    data.update(changes)
    return data


def post_survey(client, application_id, data=None, **kwargs):
    return client.post(f"/permohonan/{application_id}/survei",
                       data=answers() if data is None else data, **kwargs)


def responses(application_id):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(SurveyResponse)
                             .where(SurveyResponse.application_id == application_id))


def test_the_applicant_of_a_finished_file_rates_the_service_once(login_as):
    application = make_pkkpr("selesai")
    pemohon = login_as("pemohon")
    detail = pemohon.get(f"/permohonan/{application.id}").get_data(as_text=True)
    assert "Nilai layanan kami" in detail
    form = pemohon.get(f"/permohonan/{application.id}/survei").get_data(as_text=True)
    assert "Kurang baik" in form and "Penanganan pengaduan" in form

    response = post_survey(pemohon, application.id, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Terima kasih atas penilaian Anda" in page
    assert "Terima kasih, Anda sudah menilai layanan ini." in page
    assert "Nilai layanan kami" not in page

    stored = db.session.scalar(select(SurveyResponse)
                               .where(SurveyResponse.application_id == application.id))
    assert stored.scores == [4, 3, 2, 3, 3, 3, 3, 3, 3]
    assert stored.respondent_id == user("pemohon").id
    assert stored.comment == "Pelayanan cepat"
    assert db.session.scalar(select(HistoryEvent).where(
        HistoryEvent.application_id == application.id, HistoryEvent.action == "survei_skm"))

    again = post_survey(pemohon, application.id, answers(persyaratan="1"),
                        follow_redirects=True)
    assert "Survei untuk berkas ini sudah diisi." in again.get_data(as_text=True)
    assert responses(application.id) == 1
    reopened = pemohon.get(f"/permohonan/{application.id}/survei")
    assert reopened.status_code == 302


def test_the_applicant_of_a_rejected_file_may_rate_the_service(login_as):
    application = make_pkkpr("ditolak")
    assert post_survey(login_as("pemohon"), application.id).status_code == 302
    assert responses(application.id) == 1


def test_a_file_still_in_process_has_no_survey(login_as):
    application = make_pkkpr("diperiksa")
    pemohon = login_as("pemohon")
    assert "Nilai layanan kami" not in pemohon.get(
        f"/permohonan/{application.id}").get_data(as_text=True)
    page = post_survey(pemohon, application.id, follow_redirects=True).get_data(as_text=True)
    assert "Survei dibuka setelah berkas selesai atau ditolak." in page
    assert responses(application.id) == 0


def test_another_applicant_gets_404(login_as):
    application = make_pkkpr("selesai")
    make_user(username="pemohon2")
    other = login_as("pemohon2")
    assert other.get(f"/permohonan/{application.id}/survei").status_code == 404
    assert post_survey(other, application.id).status_code == 404
    assert responses(application.id) == 0


def test_staff_cannot_answer_the_survey(login_as):
    application = make_pkkpr("selesai")
    frontoffice = login_as("frontoffice")
    assert "Nilai layanan kami" not in frontoffice.get(
        f"/permohonan/{application.id}").get_data(as_text=True)
    assert post_survey(frontoffice, application.id).status_code == 403
    assert responses(application.id) == 0


def test_a_walk_in_file_has_no_online_survey(login_as):
    application = make_pkkpr("selesai", owner=None, created_by="frontoffice")
    assert post_survey(login_as("frontoffice"), application.id).status_code == 403
    assert responses(application.id) == 0


@pytest.mark.parametrize("score", ["5", "0", None, "baik"])
def test_a_score_outside_1_to_4_is_refused_with_a_message(login_as, score):
    application = make_pkkpr("selesai")
    data = answers(prosedur=score)
    if score is None:
        del data["prosedur"]
    response = post_survey(login_as("pemohon"), application.id, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Pilih nilai 1 sampai 4." in page
    assert responses(application.id) == 0


def test_a_comment_longer_than_1000_characters_is_refused(login_as):
    application = make_pkkpr("selesai")
    response = post_survey(login_as("pemohon"), application.id, answers(comment="x" * 1001))
    assert response.status_code == 200
    assert responses(application.id) == 0


def test_two_submissions_at_once_store_one_row(monkeypatch):
    """Both pass the 'not yet answered' check before either commits: the unique
    constraint keeps the first, the second becomes a Conflict."""
    application = make_pkkpr("selesai")
    applicant = user("pemohon")
    survey.submit_survey(application.id, applicant, MultiDict(answers()))
    monkeypatch.setattr(survey, "response_of", lambda application: None)
    with pytest.raises(Conflict) as refused:
        survey.submit_survey(application.id, applicant, MultiDict(answers()))
    assert refused.value.message is survey.ALREADY_ANSWERED
    assert responses(application.id) == 1


def test_a_survey_post_without_csrf_token_is_refused(app, login_as, monkeypatch):
    application = make_pkkpr("selesai")
    pemohon = login_as("pemohon")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert post_survey(pemohon, application.id).status_code == 400
    assert responses(application.id) == 0

    page = pemohon.get(f"/permohonan/{application.id}/survei").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert post_survey(pemohon, application.id, answers(csrf_token=token)).status_code == 302
    assert responses(application.id) == 1
