"""Server-side paging for lists."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from sqlalchemy import Select, func, select

from disclosure.extensions import db


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int
    more: bool = False  # the count stopped at `total`: there are more rows (a capped count)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_number() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


def paginate(query: Select, per_page: int = 50, *, count: bool = True) -> Page:
    page = page_number()
    total = (
        db.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
        if count
        else 0
    )
    items = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return Page(items, page, per_page, total)
