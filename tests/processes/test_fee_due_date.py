"""The invoice of a configured process's fee falls due like an SKRD: the applicant is
told the amount, number and due date, reminded before it, and the day after it passes
unpaid the scheduled jobs close the file as lapsed (gugur), the invoice kept in its
history. A process without a fee has no such state."""

from datetime import timedelta

import yaml
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.jobs import run_due
from app.jobs.deadlines import lapsed_deadlines
from app.jobs.reminders import deadline_reminders
from app.workflow import clock
from app.workflow.configured import compile_spec, read_spec
from app.workflow.engine import apply_action
from models import Application, HistoryEvent
from tests.api.support import token
from tests.jobs.test_billing_expiry import morning
from tests.jobs.test_reminders import days_before, messages, working_day_after
from tests.processes.support import TRIAL_YAML, GenericClient, officer, publish_trial_process
from tests.support import user

STAFF = ("frontoffice", "pemeriksa", "dpupr", "pengelolaaset", "backoffice", "kepaladinas")


def invoiced(client, due):
    """A file of the trial process whose fee's invoice falls due on `due`."""
    publish_trial_process()
    officer("dinasuji", "Dinas Uji")
    generic = GenericClient(client, {name: token(client, name)
                                     for name in ("pemohon", *STAFF, "dinasuji")})
    application_id = generic.apply("UJI-REKLAME")
    assert generic.complete(application_id, until="pajak")["status"] == "pajak"
    apply_action(application_id, "pajak", user("pengelolaaset"),
                 MultiDict({"nomor": "973/045/2026", "jatuh_tempo": due.isoformat()}))
    return generic, application_id


def test_the_applicant_is_told_reminded_and_the_unpaid_file_lapses(client):
    due = working_day_after(clock.today(), 6)
    generic, application_id = invoiced(client, due)
    body = generic.detail("pemohon", application_id)
    assert body["status"] == "pajak_bayar"
    assert "Rp250.000" in body["next_step"] and "973/045/2026" in body["next_step"]

    reminded = run_due(days_before(due, 1), jobs=(deadline_reminders,))
    assert [d.job for d in reminded] == ["deadline_reminders"]
    told = messages("pengingat_retribusi", application_id)[-1].body
    assert "973/045/2026" in told and "Rp250.000" in told.replace(" ", "")

    assert run_due(morning(due), jobs=(lapsed_deadlines,)) == []  # still in time
    lapsed = run_due(morning(due + timedelta(days=1)), jobs=(lapsed_deadlines,))
    assert [d.application_id for d in lapsed] == [application_id]
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    assert application.status == "gugur" and application.payment_due_on is None
    event = db.session.scalar(select(HistoryEvent).where(
        HistoryEvent.application_id == application_id,
        HistoryEvent.action == "pajak_lewat_tempo"))
    assert event.data == {"tenggat": due.isoformat(), "nomor_tagihan_pajak": "973/045/2026"}
    assert "tidak dibayar" in generic.detail("pemohon", application_id)["next_step"]


def test_only_a_process_with_a_fee_has_the_lapsed_state():
    with_fee = yaml.safe_load(TRIAL_YAML)
    without = {**with_fee, "steps": [s for s in with_fee["steps"] if s["type"] != "fee"]}
    assert "gugur" in {s.value for s in compile_spec(read_spec(with_fee))[0].states}
    assert "gugur" not in {s.value for s in compile_spec(read_spec(without))[0].states}
