"""Catalogue pages by audience; see `common` for the blueprints. Each module registers its routes on import."""

from __future__ import annotations

from disclosure.catalog.views import (
    admin,
    admin_profile,
    public,
    public_agency,
    public_feeds,
    public_library,
    public_platform,
    public_search,
    staff,
    staff_attachments,
    staff_export,
    staff_import,
    staff_normative,
    staff_requests,
    staff_workbench,
)
from disclosure.catalog.views.common import admin_bp, public_bp, staff_bp

__all__ = [
    "admin",
    "admin_bp",
    "admin_profile",
    "public",
    "public_agency",
    "public_bp",
    "public_feeds",
    "public_library",
    "public_platform",
    "public_search",
    "staff",
    "staff_attachments",
    "staff_bp",
    "staff_export",
    "staff_import",
    "staff_normative",
    "staff_requests",
    "staff_workbench",
]
