"""The applicant's dashboard: their files with status, service clock and the next thing
they must do, and their latest notifications."""

from flask import g, redirect, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.security.roles import is_staff
from app.services import correction_notices
from app.workflow import clock
from app.workflow.access import available_transitions
from app.workflow.files import own
from app.workflow.registry import workflow_of
from models import Application, InAppNotification
from views.workload import WORKLOAD_VIEW

LATEST_NOTIFICATIONS = 8


def _row(application, user, notices):
    workflow = workflow_of(application)
    own_actions = [t for t in available_transitions(application, user) if t.by_applicant
                   and t.advances]
    return {
        "application": application,
        "workflow": workflow,
        "clock": clock.read(application, workflow),
        "next_step": workflow.applicant_next_step(application, application.status),
        "actions": own_actions,
        "correction": notices.get(application.id),
    }


def staff_home(appbuilder):
    """Whether the signed-in user has the officer's home page instead of this one."""
    return appbuilder.sm.has_access("can_read", WORKLOAD_VIEW) and is_staff(g.user)


class DashboardView(BaseView):
    route_base = "/dasbor"
    default_view = "index"
    class_permission_name = "MyApplicationsView"
    method_permission_name = {"index": "list"}

    @expose("/")
    @has_access
    def index(self):
        user = g.user
        if staff_home(self.appbuilder):
            # Officers (the front office registers walk-in files) start from their own
            # home page, which lists those files too.
            return redirect(url_for("WorkloadView.index"))
        applications = db.session.scalars(
            own(user)
            .options(selectinload(Application.permit_type), selectinload(Application.artifacts))
            .order_by(Application.status_changed_at.desc())
            .limit(100)
        ).all()
        notifications = db.session.scalars(
            select(InAppNotification).where(InAppNotification.user_id == user.id)
            .order_by(InAppNotification.id.desc()).limit(LATEST_NOTIFICATIONS)
        ).all()
        notices = correction_notices.notices_for(applications)
        rows = [_row(application, user, notices) for application in applications]
        return self.render_template(
            "dashboard/index.html", rows=rows, notifications=notifications,
            waiting_on_me=[row for row in rows if row["actions"]],
        )
