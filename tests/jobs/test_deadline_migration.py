"""The migration that made deadlines typed columns moves those of earlier files out of
the SPS's and SKRD's data."""

from datetime import date

from app import office_time
from app.extensions import db
from models import Application
from tests.assets.test_skrd import recommend
from tests.jobs.test_reminders import waiting_for_pnbp, working_day_after
from tests.test_migrations import _migrate


def test_the_upgrade_fills_the_deadlines_of_files_from_before_it(login_as):
    expiry = working_day_after(office_time.today(), 10)
    pkkpr_id = waiting_for_pnbp(expiry).id
    asset_use, skrd = recommend(login_as)
    asset_use_id, skrd_due = asset_use.id, date.fromisoformat(skrd.data["jatuh_tempo"])
    _migrate("0017")
    _migrate("head")
    pkkpr, asset_use = db.session.get(Application, pkkpr_id), \
        db.session.get(Application, asset_use_id)
    assert pkkpr.billing_expires_on == expiry and pkkpr.payment_due_on is None
    assert asset_use.payment_due_on == skrd_due
    assert asset_use.billing_expires_on is None


def test_files_waiting_for_a_correction_get_the_full_period_from_the_upgrade():
    """Their applicants were told of no deadline: it runs from the day of the upgrade."""
    from app.workflow import clock
    from tests.support import make_pkkpr

    waiting_id = make_pkkpr("perlu_perbaikan").id
    received_id = make_pkkpr("diterima_fo").id
    _migrate("0020")
    _migrate("head")
    upgraded_on = clock.today()
    assert db.session.get(Application, waiting_id).correction_due_on == \
        working_day_after(upgraded_on, 14)
    assert db.session.get(Application, received_id).correction_due_on is None
