"""Catalogue pages by audience; see `common` for the blueprints. Each module registers its routes on import."""

from __future__ import annotations

from disclosure.catalog.views.common import admin_bp, public_bp, staff_bp

__all__ = ["admin_bp", "public_bp", "staff_bp"]
