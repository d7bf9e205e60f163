"""Navigation registry: each domain package registers its menu entries in its `init_app`.

The staff workbench shows only the entries whose roles the user holds (role values, as in `web.access`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    section: str  # "public" | "applicant" | "staff" | "admin"
    label: object  # lazy translated string
    endpoint: str
    roles: frozenset[str] = field(default_factory=frozenset)
    order: int = 100


def register(app: Flask, section: str, label, endpoint: str, roles=(), order: int = 100) -> None:
    app.extensions.setdefault("nav", []).append(NavItem(section, label, endpoint, frozenset(roles), order))


def items_for(app: Flask, section: str) -> list[NavItem]:
    out = []
    for item in sorted(app.extensions.get("nav", []), key=lambda i: (i.order, str(i.endpoint))):
        if item.section != section:
            continue
        if item.roles and not (
            current_user.is_authenticated
            and current_user.is_staff
            and (current_user.is_sys_admin or current_user.has_role(*item.roles))
        ):
            continue
        out.append(item)
    return out
