"""双公示 pages, by audience (as `accounts/` splits its views):

- `staff`: the records, their entry form and actions, and imports; `history`: a record's history in words;
- `staff_catalogue`: the matter catalogue and its review, the responsibility form, the entrusted organs;
- `staff_supervision`: the dashboard, statistics and the export for the credit platforms
  (all three on the blueprint `publicity`, /staff/publicity);
- `admin`: code lists, periods and settings (blueprint `publicity_admin`, /admin/publicity);
- `public`: search, the latest list, record pages, exports and catalogues (blueprint `publicity_public`,
  /publicity);
- `common`: the blueprints and what the pages share.

Views parse, load, authorise and call one operation; the request boundary commits.
"""

from __future__ import annotations

from disclosure.publicity.views import admin, public, staff, staff_catalogue, staff_supervision
from disclosure.publicity.views.common import admin_bp, public_bp, staff_bp

__all__ = ["admin", "admin_bp", "public", "public_bp", "staff", "staff_bp", "staff_catalogue", "staff_supervision"]
