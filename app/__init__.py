"""SIAP n LOSS: the application factory."""

import os

from flask import Flask
from flask_appbuilder import AppBuilder
from werkzeug.middleware.proxy_fix import ProxyFix

from app.logs import configure_logging
from config import CONFIGS, INSTANCE_DIR, check_production_config

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config_name=None, **overrides):
    """Build the app. `config_name` (or SIAP_ENV) picks the configuration class:
    production (default), development or testing; `overrides` are applied on top."""
    config_name = config_name or os.environ.get("SIAP_ENV", "production")
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    from app.errors import BoundedJSONProvider
    from app.security.input_guard import use_id_converter

    app.json = BoundedJSONProvider(app)
    use_id_converter(app)  # before any route is added
    app.config.from_object(CONFIGS[config_name])
    app.config.update(overrides)
    if config_name == "production":
        check_production_config(app.config)
    elif not app.config.get("SECRET_KEY"):
        from app.security.private_files import development_secret_key

        app.config["SECRET_KEY"] = development_secret_key(INSTANCE_DIR)
    from app.security.passwords import check_password_strength

    app.config.setdefault("FAB_PASSWORD_COMPLEXITY_VALIDATOR", check_password_strength)
    configure_logging(app.config["LOG_FORMAT"])

    from app.extensions import csrf, db, mail, migrate
    from app.storage.backends import init_storage

    init_storage(app)  # the folder or bucket of STORAGE_URL (app/storage/backends.py)
    db.init_app(app)
    mail.init_app(app)
    # CSRFProtect must come before Flask-AppBuilder (reference/fab5.md).
    csrf.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(BASE_DIR, "migrations"))

    from app.i18n import use_our_wtforms_catalog

    use_our_wtforms_catalog()

    with app.app_context():
        import models  # noqa: F401  (registers every table on FAB's metadata)
        from app.prepared_statements import keep_prepared_statements

        keep_prepared_statements(db.engine)
        appbuilder = AppBuilder()
        appbuilder.init_app(app, db.session)

        from api import register_apis
        from app.security.http import limit_login, limit_registration, secure_headers
        from app.security.input_guard import refuse_malformed_requests
        from views import register_views

        register_views(appbuilder)
        register_apis(appbuilder)
        limit_registration(app, appbuilder)
        limit_login(app, appbuilder)

    refuse_malformed_requests(app)
    secure_headers(app)

    from app.cli import register_cli
    from app.errors import register_error_handlers
    from app.i18n import register_template_filters

    register_error_handlers(app)
    register_template_filters(app)
    register_cli(app)
    from app import observability

    observability.init_app(app)  # health checks, metrics, request ids
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    return app
