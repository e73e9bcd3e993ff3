"""Reviewing a file's documents: accepting every document not judged yet in one step, and
what the applicant is told when a file comes back to them (the return's reason and each
rejected document's), read for many files at once without a query per file."""

import pytest
from sqlalchemy import event, select

from app.errors import Conflict, Forbidden, NotFound
from app.extensions import db
from app.services import applications as service
from app.services import correction_notices
from models import Application, HistoryEvent
from tests.support import make_pkkpr, returned_pkkpr, upload, user


def verdicts(application_id):
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    return sorted(document.verdict for document in application.documents)


def test_accepting_all_accepts_only_the_documents_not_judged_yet():
    application = make_pkkpr("diperiksa", documents="pending")
    first, second = application.documents[0], application.documents[1]
    service.judge_document(application.id, first.id, user("pemeriksa"), "rejected",
                           "Foto KTP buram")
    service.judge_document(application.id, second.id, user("pemeriksa"), "accepted")
    total = len(application.documents)

    accepted = service.accept_unreviewed_documents(application.id, user("pemeriksa"))

    assert len(accepted) == total - 2
    db.session.expire_all()
    documents = db.session.get(Application, application.id).documents
    by_id = {document.id: document for document in documents}
    assert by_id[first.id].verdict == "rejected"
    assert by_id[first.id].verdict_reason == "Foto KTP buram"
    assert sorted(d.verdict for d in documents) == ["accepted"] * (total - 1) + ["rejected"]
    assert all(d.verdict_by_id == user("pemeriksa").id for d in documents)
    events = db.session.scalars(select(HistoryEvent).where(
        HistoryEvent.application_id == application.id,
        HistoryEvent.action == "dokumen_accepted")).all()
    assert len(events) == total - 1  # one per document, as a verdict given one by one


def test_accepting_all_with_nothing_left_to_judge_changes_nothing():
    application = make_pkkpr("diperiksa", documents="accepted")
    assert service.accept_unreviewed_documents(application.id, user("frontoffice")) == []


def test_accepting_all_is_one_transaction_nothing_is_half_written(monkeypatch):
    application = make_pkkpr("diterima_fo", documents="pending")
    calls = []
    real_record_event = service.record_event

    def failing_on_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the disk is full")
        return real_record_event(*args, **kwargs)

    monkeypatch.setattr(service, "record_event", failing_on_the_third)
    with pytest.raises(RuntimeError):
        service.accept_unreviewed_documents(application.id, user("frontoffice"))
    assert set(verdicts(application.id)) == {"pending"}


@pytest.mark.parametrize("username, refusal", [
    ("pemohon", Forbidden),  # the applicant judges nothing
    ("dpupr", Forbidden),  # sees the file, holds no verdict
    ("pengelolaaset", NotFound),  # does not see the file at all
])
def test_accepting_all_is_refused_to_whoever_may_not_judge(username, refusal):
    application = make_pkkpr("diperiksa", documents="pending")
    with pytest.raises(refusal):
        service.accept_unreviewed_documents(application.id, user(username))
    assert set(verdicts(application.id)) == {"pending"}


def test_accepting_all_is_refused_outside_the_document_check():
    application = make_pkkpr("diteruskan_dinas", documents="pending")
    with pytest.raises(Conflict):
        service.accept_unreviewed_documents(application.id, user("pemeriksa"))
    assert set(verdicts(application.id)) == {"pending"}


def test_who_may_judge_follows_the_permission_and_the_status():
    checking = make_pkkpr("diterima_fo", documents="pending")
    forwarded = make_pkkpr("diteruskan_dinas", documents="pending")
    assert service.may_judge(checking, user("frontoffice"))
    assert service.may_judge(checking, user("pemeriksa"))
    assert not service.may_judge(checking, user("dpupr"))
    assert not service.may_judge(checking, user("pemohon"))
    assert not service.may_judge(forwarded, user("pemeriksa"))


# --- what the applicant is told -----------------------------------------------------


def test_a_returned_file_tells_the_reason_and_each_rejected_document():
    application = returned_pkkpr("Lengkapi KTP", rejected=("KTP pemohon", "NPWP"))
    notice = correction_notices.notice_of(application)
    assert notice.return_reason == "Lengkapi KTP"
    assert notice.rejected_documents == (("KTP pemohon", "KTP pemohon tidak terbaca"),
                                         ("NPWP", "NPWP tidak terbaca"))


def test_a_file_not_waiting_for_a_correction_has_no_notice():
    examined = make_pkkpr("diperiksa", documents="pending")
    service.judge_document(examined.id, examined.documents[0].id, user("pemeriksa"),
                           "rejected", "Buram")
    assert correction_notices.notice_of(examined) is None
    assert correction_notices.notice_of(make_pkkpr("draft")) is None


def test_a_document_uploaded_again_is_no_longer_listed_as_rejected():
    application = returned_pkkpr(rejected=("KTP pemohon", "NPWP"))
    ktp = next(d for d in application.documents if d.requirement.name == "KTP pemohon")
    service.upload_document(application.id, ktp.requirement_id, user("pemohon"), upload())
    notice = correction_notices.notice_of(db.session.get(Application, application.id))
    assert [name for name, _ in notice.rejected_documents] == ["NPWP"]


def count_statements(work):
    statements = []

    def count(*args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        result = work()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return result, len(statements)


def test_the_notices_of_many_files_take_as_many_queries_as_those_of_one():
    one = [returned_pkkpr()]
    few_notices, few = count_statements(lambda: correction_notices.notices_for(one))
    many = one + [returned_pkkpr(f"Alasan {n}") for n in range(3)] + [make_pkkpr("diperiksa")]
    db.session.expire_all()
    many = [db.session.get(Application, application.id) for application in many]
    many_notices, more = count_statements(lambda: correction_notices.notices_for(many))
    assert len(few_notices) == 1 and len(many_notices) == 4
    assert more == few
