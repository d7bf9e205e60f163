"""disclosure: government information disclosure (政务公开) for Chinese agencies."""

from __future__ import annotations

import gc
import importlib
import os
from pathlib import Path

from apiflask import APIBlueprint, APIFlask
from flask import Flask

from disclosure import cli
from disclosure.accounts import models as accounts_models
from disclosure.api import models as api_models
from disclosure.config import PACKAGE_DIR, ROOT_DIR, TEMPLATES_DIR, defaults, load_or_create_secret_key
from disclosure.core import audit, numbering, outbox, sqlite_tuning, storage, tasks
from disclosure.extensions import csrf, db, limiter, login_manager, mail, migrate
from disclosure.web import boundary, i18n, security, templating

# Loaded whichever packages are wired: the tables the migrations always know (the core's, the agencies and users,
# the API tokens), and core.tasks, which connects the outbox delivery to the commit (signals.outbox_committed).
ALWAYS_LOADED = (accounts_models, api_models, audit, numbering, outbox, storage, tasks)

# The domain packages, wired in this order; each exposes `init_app(app)`, which registers its blueprints, commands,
# menu entries and signal receivers (disclosure.core.signals). A package named here that is missing fails loudly.
DOMAIN_PACKAGES = (
    "accounts",
    "workdays",
    "public",
    "staff",
    "applications",
    "correspondence",
    "publicity",
    "catalog",
    "participation",
    "reports",
    "supervision",
    "api",
)


def create_app(config: dict | None = None) -> Flask:
    instance_path = os.environ.get("INSTANCE_PATH") or str(ROOT_DIR / "instance")
    # APIFlask is Flask plus the OpenAPI document of the API blueprints (plain blueprints stay out of it).
    app = APIFlask(
        __name__,
        title="disclosure API",
        version="1",
        spec_path="/api/openapi.json",
        docs_path=None,
        json_errors=False,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(TEMPLATES_DIR),
        static_folder=str(PACKAGE_DIR / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(defaults(app.instance_path))
    app.config.from_pyfile("settings.py", silent=True)
    if config:
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(app.instance_path)

    _init_extensions(app)
    i18n.init_app(app)
    security.init_app(app)
    boundary.init_app(app)
    templating.init_app(app)

    only = os.environ.get("DISCLOSURE_PACKAGES")  # e.g. for generating the foundation migration alone
    for name in DOMAIN_PACKAGES:
        if only is not None and name not in only.split(","):
            continue
        importlib.import_module(f"disclosure.{name}").init_app(app)

    _exempt_api_from_csrf(app)
    cli.init_app(app)
    _freeze_startup_objects()
    return app


def _freeze_startup_objects() -> None:
    """The objects made while the application is built (modules, models, templates, translations: some 280,000)
    live as long as the process. Moved out of the collector's reach (`gc.freeze`), they are no longer walked by
    every full collection, which a request holding many objects at once triggers: on a competent department's
    dashboard over 500 agencies each full pass took ~150 ms (issue 14, Benchmarks)."""
    gc.collect()
    gc.freeze()


def _exempt_api_from_csrf(app: Flask) -> None:
    """JSON endpoints authenticate with a bearer token, never a cookie: CSRF does not apply to them."""
    for bp in app.blueprints.values():
        if isinstance(bp, APIBlueprint):
            csrf.exempt(bp)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT_DIR / "migrations"))
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "strong"
    with app.app_context():
        sqlite_tuning.install(db.engine)
