"""The JSON API under /api/v1 (issue: the mobile app and integrations). Log in with
Flask-AppBuilder's POST /api/v1/security/login; the document is /api/v1/openapi.json."""

from flask import current_app, request
from flask_appbuilder.security.api import SecurityApi

from api.applications import ApplicationsApi
from api.public import OpenApiDocument, PermitTypesApi, TrackApi, VerifyApi
from api.signing import SignApi


def _limit(appbuilder, view, limit, **options):
    appbuilder.sm.limiter.limit(limit, methods=["POST", "GET"], **options)(view.blueprint)


def _api_locale(fab_locale_selector):
    """API callers choose their language with ?_l_=en or Accept-Language; Indonesian
    otherwise. The screens keep FAB's choice (session)."""

    def select_locale():
        if request and request.path.startswith("/api/") and "_l_" not in request.args:
            languages = list(current_app.config["LANGUAGES"])
            return request.accept_languages.best_match(languages) or "id"
        return fab_locale_selector()

    return select_locale


def register_apis(appbuilder):
    for api in (PermitTypesApi, ApplicationsApi, SignApi, VerifyApi, OpenApiDocument):
        appbuilder.add_api(api)
    track = appbuilder.add_api(TrackApi)
    _limit(appbuilder, track, current_app.config["TRACKING_RATE_LIMIT"],
           deduct_when=lambda response: response.status_code == 404)
    # FAB limits the browser login only (reference/fab5.md): limit the API login alike.
    security_api = next(v for v in appbuilder.baseviews if isinstance(v, SecurityApi))
    _limit(appbuilder, security_api, current_app.config["AUTH_RATE_LIMIT"])
    babel = current_app.extensions["babel"]
    babel.locale_selector = _api_locale(babel.locale_selector)
