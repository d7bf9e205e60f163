"""Participation pages by audience; see `common` for the blueprints. Each module registers its routes on import."""

from __future__ import annotations

from disclosure.participation.views import admin, public, staff
from disclosure.participation.views.common import admin_bp, public_bp, staff_bp

__all__ = ["admin", "admin_bp", "public", "public_bp", "staff", "staff_bp"]
