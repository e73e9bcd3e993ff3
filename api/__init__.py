"""The JSON API under /api/v1 (issue: the mobile app and integrations). Log in with
Flask-AppBuilder's POST /api/v1/security/login; the document is /api/v1/openapi.json."""

from flask import current_app, request
from flask_appbuilder.security.api import SecurityApi

from api.applications import ApplicationsApi
from api.public import OpenApiDocument, PermitTypesApi, TrackApi, VerifyApi
from api.signing import SignApi
from app.security.http import limit_shared, only_endpoint


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
    config = current_app.config
    limit_shared(appbuilder, track.blueprint, "tracking", config["TRACKING_RATE_LIMIT"],
                 methods=["GET"], deduct_when=lambda response: response.status_code == 404)
    security_api = next(v for v in appbuilder.baseviews if isinstance(v, SecurityApi))
    limit_shared(appbuilder, security_api.blueprint, "login", config["AUTH_RATE_LIMIT"],
                 methods=["POST"], exempt_when=only_endpoint("login"))
    babel = current_app.extensions["babel"]
    babel.locale_selector = _api_locale(babel.locale_selector)
