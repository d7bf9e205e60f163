"""主动公开: the government information catalogue (政府信息公开目录), normative documents, policy interpretations,
the agency's statutory content and disclosure guide, and the public disclosure platform (条例 Arts. 19–26;
issue 11).

This module is the package's door: other packages import from `disclosure.catalog` only.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from disclosure.catalog import api, cli, demo, models, oversight, search, standing_rows, views
from disclosure.catalog.column_activity import LastUpdate, last_updates
from disclosure.catalog.operations import guide
from disclosure.catalog.operations.entries import publish_generated
from disclosure.catalog.operations.requests import (
    DraftResult,
    LinkedEntry,
    PublicEntry,
    RequestRef,
    create_draft_from_request,
    find_public_entry,
    link_answer,
    linked_entries,
)
from disclosure.catalog.reports import normative_counts, yearly_figures
from disclosure.catalog.views.common import ADMINS
from disclosure.core import signals
from disclosure.web import nav


def init_app(app: Flask) -> None:
    app.register_blueprint(views.staff_bp)
    app.register_blueprint(views.public_bp)
    app.register_blueprint(views.admin_bp)
    app.register_blueprint(views.public_feeds.sitemap_bp)  # /sitemap.xml, at the site's root
    nav.register(app, "public", _l("Proactive disclosure"), "catalog_public.platform_home", order=20)
    nav.register(app, "public", _l("Search government information"), "catalog_public.search", order=21)
    nav.register(app, "admin", _l("Statutory content and guide"), "catalog_admin.profile", roles=ADMINS, order=60)
    signals.agency_changed.connect(guide.on_agency_changed)  # the guide quotes the agency's details
    signals.demo_data.connect(demo.on_demo_data)  # a living catalogue for each demo agency (issue 11 §6)
    views.staff_workbench.register(app)  # the staff workspace: menus, action words, workbench panel, extraction
    views.staff_requests.register(app)  # Arts. 36(1), 44: the requests linked to an entry (action words)
    views.staff_normative.register(app)  # normative documents, cleanups, library: menus and workbench panel
    cli.init_app(app)
    cli.group.add_command(search.reindex_command)
    api.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        search.SEARCH_INDEX.declare_postgres_indexes()  # the search's GIN indexes, for the migration comparison


__all__ = [
    "DraftResult",
    "LastUpdate",
    "LinkedEntry",
    "PublicEntry",
    "RequestRef",
    "create_draft_from_request",
    "find_public_entry",
    "init_app",
    "last_updates",
    "link_answer",
    "linked_entries",
    "models",
    "normative_counts",
    "oversight",
    "publish_generated",
    "standing_rows",
    "yearly_figures",
]
