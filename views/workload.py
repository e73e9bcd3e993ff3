"""The officer's home page ("Beranda petugas"): what waits for each action they hold,
late files first, the walk-in files they registered, and what they finished today.

Where a signed-in person lands: an officer here, the head of office (who only signs) on
the signing page, applicants, the admin and visitors on the front page."""

from flask import g, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access

from app.services import workload
from app.workflow.access import staff_actions
from app.workflow.definition import SIGN_ACTION
from app.workflow.registry import workflow_of

WORKLOAD_VIEW = "Workload"


def home_of(user, appbuilder):
    """The page `user` starts from, or None for the front page."""
    if not user.is_authenticated:
        return None
    actions = staff_actions(user)
    if not actions:
        return None  # an applicant, or the admin (who takes no workflow action)
    if actions == {SIGN_ACTION} and appbuilder.sm.has_access("can_read", "Signing"):
        return url_for("SigningView.index")
    if appbuilder.sm.has_access("can_read", WORKLOAD_VIEW):
        return url_for("WorkloadView.index")
    return None


class WorkloadView(BaseView):
    route_base = "/beranda-petugas"
    default_view = "index"
    class_permission_name = WORKLOAD_VIEW
    method_permission_name = {"index": "read"}

    @expose("/")
    @has_access
    def index(self):
        user = g.user
        queues = workload.waiting(user)
        return self.render_template(
            "workload/index.html", queues=queues,
            waiting_count=sum(len(queue.files) for queue in queues),
            late_count=sum(queue.late for queue in queues),
            walk_ins=workload.walk_in_waiting(user),
            finished=workload.finished_today(user), workflow_of=workflow_of,
            sign_action=SIGN_ACTION,
        )
