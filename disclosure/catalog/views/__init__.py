"""Catalogue pages by audience; see `common` for the blueprints. Each module registers its routes on import."""

from __future__ import annotations

from disclosure.catalog.views import admin  # noqa: F401
from disclosure.catalog.views import admin_profile  # noqa: F401
from disclosure.catalog.views import public  # noqa: F401
from disclosure.catalog.views import public_agency  # noqa: F401
from disclosure.catalog.views import public_feeds  # noqa: F401
from disclosure.catalog.views import public_library  # noqa: F401
from disclosure.catalog.views import public_platform  # noqa: F401
from disclosure.catalog.views import public_search  # noqa: F401
from disclosure.catalog.views import staff  # noqa: F401
from disclosure.catalog.views import staff_attachments  # noqa: F401
from disclosure.catalog.views import staff_export  # noqa: F401
from disclosure.catalog.views import staff_import  # noqa: F401
from disclosure.catalog.views import staff_requests  # noqa: F401
from disclosure.catalog.views import staff_normative  # noqa: F401
from disclosure.catalog.views import staff_workbench  # noqa: F401
from disclosure.catalog.views.common import admin_bp, public_bp, staff_bp

__all__ = ["admin_bp", "public_bp", "staff_bp"]
