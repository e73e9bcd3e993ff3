"""The availability of a regional asset: its booked periods, for staff and for
applicants choosing a period."""

from datetime import timedelta

from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access

from app import office_time
from app.errors import NotFound
from app.extensions import db
from app.workflow import assets
from app.workflow.files import sees_files_of_agency
from app.workflow.registry import WORKFLOWS
from models import Asset, WorkflowKind
from views.support import current_user, engine_errors_as_http

# Recent past periods stay listed a while, so a just-finished use is still visible.
SHOWN_PAST_DAYS = 30


class AvailabilityView(BaseView):
    route_base = "/aset"
    class_permission_name = "Application"
    method_permission_name = {"show": "read"}

    @expose("/<int:asset_id>")
    @has_access
    @engine_errors_as_http
    def show(self, asset_id):
        asset = db.session.get(Asset, asset_id)
        if asset is None or not asset.active:
            raise NotFound()
        workflow = WORKFLOWS[WorkflowKind.ASET.value]
        user = current_user()
        since = office_time.today() - timedelta(days=SHOWN_PAST_DAYS)
        return self.render_template(
            "assets/availability.html", asset=asset, workflow=workflow,
            bookings=assets.bookings(asset, since=since), since=since,
            # Staff may follow a booking to its file (an agency's officers: for their own
            # agency's assets only); applicants see only the periods.
            show_files=sees_files_of_agency(user, workflow, asset.asset_type.agency_id),
        )
