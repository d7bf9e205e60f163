"""The supervision package's three blueprints, shared by its parts; the door registers them once every part has
attached its views. Endpoints are named by part ('supervision.notice', 'supervision.dashboard', …)."""

from __future__ import annotations

from flask import Blueprint

staff_bp = Blueprint("supervision", __name__, url_prefix="/staff/supervision")
public_bp = Blueprint("supervision_public", __name__, url_prefix="/supervision")
admin_bp = Blueprint("supervision_admin", __name__, url_prefix="/admin/supervision")
