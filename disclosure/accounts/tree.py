"""The agency tree (Agency.parent_id): a government's general office above the bureaux it supervises, a city
above its counties. Supervision (条例 Art. 47) and the credit office's statistics see an agency and everything
below it."""

from __future__ import annotations

from sqlalchemy import select

from disclosure.accounts.models import Agency
from disclosure.extensions import db


def subtree_ids(agency_id: int) -> list[int]:
    """The agency and every agency below it, at any depth, in id order (one recursive query; UNION, not UNION
    ALL, so a cycle typed by mistake ends instead of looping)."""
    tree = select(Agency.id).where(Agency.id == agency_id).cte("agency_tree", recursive=True)
    tree = tree.union(select(Agency.id).join(tree, Agency.parent_id == tree.c.id))
    return list(db.session.execute(select(tree.c.id).order_by(tree.c.id)).scalars())


def visible_agency_ids(user) -> list[int] | None:
    """None for a system administrator (every agency); otherwise the user's agency and the agencies below it."""
    if user.is_sys_admin:
        return None
    if user.agency_id is None:
        return []
    return subtree_ids(user.agency_id)
