"""/lacak: public tracking of a file by its registration number and the last four
digits of the applicant's WhatsApp number. Wrong guesses are rate limited."""

from flask import current_app, request
from flask_appbuilder import BaseView, expose

from app.security.http import limit_shared
from app.services import tracking


class TrackingView(BaseView):
    route_base = "/lacak"
    default_view = "index"

    @expose("/", methods=["GET", "POST"])
    def index(self):
        number = request.form.get("nomor", "") if request.method == "POST" else ""
        found, status = None, 200
        if request.method == "POST":
            application = tracking.find(number, request.form.get("akhiran", ""))
            if application is None:
                status = 404  # counted by the rate limit (see limit_tracking)
            else:
                found = tracking.track(application)
        page = self.render_template("tracking/index.html", number=number, found=found,
                                    not_found=tracking.NOT_FOUND if status == 404 else None)
        return page, status


def limit_tracking(appbuilder, view):
    """Only unsuccessful lookups count, so an applicant checking often is never blocked
    while someone guessing numbers soon is; the API's lookups share the counter."""
    limit_shared(appbuilder, view.blueprint, "tracking",
                 current_app.config["TRACKING_RATE_LIMIT"], methods=["POST"],
                 deduct_when=lambda response: response.status_code == 404)
