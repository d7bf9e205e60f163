"""Server-side paging for lists."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from sqlalchemy import Select, func, select

from disclosure.extensions import db
from disclosure.web.params import parse_int

MAX_PAGE = 100_000  # beyond any list a person pages through; keeps OFFSET far inside a 64-bit integer


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
    """`?page=` clamped to 1…MAX_PAGE: a malformed or negative page is the first, a huge one the last allowed."""
    raw = (request.args.get("page") or "").strip()
    page = parse_int(raw, min=1)
    if page is None:
        return MAX_PAGE if raw.isascii() and raw.isdigit() and raw.strip("0") else 1
    return min(page, MAX_PAGE)


def paginate(query: Select, per_page: int = 50, *, count: bool = True) -> Page:
    page = page_number()
    total = (
        db.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
        if count
        else 0
    )
    items = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return Page(items, page, per_page, total)
