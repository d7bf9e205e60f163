"""The catalogue's settings and classification lists: an agency's `CatalogSettings` (its administrator), and the
deployment's 主题分类 and 体裁分类 (the system administrator: add, rename, deactivate, reorder; a theme or genre an
entry uses is never deleted, only deactivated, so old entries keep their classification)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from disclosure.accounts.models import Agency
from disclosure.catalog.index_numbers import COUNTER_SCOPE, check_format, format_number
from disclosure.catalog.models import CatalogSettings, Entry, Genre, Theme
from disclosure.catalog.operations.entries import CONFLICT, settings_for
from disclosure.core import audit
from disclosure.core.errors import Conflict, DomainError, collect_errors
from disclosure.core.numbering import current_value
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from disclosure.web.params import parse_int

# (field, lowest, highest): the numbers an administrator may set, with the reason for each bound in its message.
NUMBERS = {
    "publish_due_days": (1, 60),  # 条例 Art. 26: 20 working days; laws may set other periods
    "interpretation_due_days": (0, 30),  # 0: the same day as the document
    "validity_years": (1, 30),
    "provisional_validity_years": (1, 30),
    "review_months_before_expiry": (0, 24),
}
SETTINGS_FIELDS = ("index_format", *NUMBERS, "list_on_request_entries")
NAME_LIMITS = {"theme": 60, "genre": 40}


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "y")
    return bool(value)


def save_settings(
    agency: Agency, data: Mapping[str, Any], *, actor, expected_version: int | None = None
) -> CatalogSettings:
    """Check every setting at once (FieldErrors) and save them; the index number format must be usable."""
    row = settings_for(agency.id)
    if expected_version is not None and expected_version != row.version:
        raise Conflict(CONFLICT)
    values: dict[str, Any] = {}
    with collect_errors() as errors:
        fmt = str(data.get("index_format") or "").strip()
        if not fmt:
            errors.add(_l("Enter the index number format."), field="index_format")
        elif len(fmt) > 80:
            errors.add(_l("At most %(n)d characters.", n=80), field="index_format")
        else:
            try:
                check_format(fmt)
            except DomainError as exc:
                errors.add(exc.message, field="index_format")
        values["index_format"] = fmt
        for name, (low, high) in NUMBERS.items():
            value = parse_int(data.get(name), min=low, max=high)
            if value is None:
                errors.add(_l("Enter a whole number from %(low)d to %(high)d.", low=low, high=high), field=name)
            values[name] = value
        if (
            values["validity_years"] is not None
            and values["provisional_validity_years"] is not None
            and values["provisional_validity_years"] > values["validity_years"]
        ):
            errors.add(
                _l("A provisional (暂行 / 试行) document's period cannot be longer than the usual period."),
                field="provisional_validity_years",
            )
        values["list_on_request_entries"] = _flag(data.get("list_on_request_entries"))
    before = audit.snapshot(row, SETTINGS_FIELDS)
    for name, value in values.items():
        setattr(row, name, value)
    db.session.flush()
    old, new = audit.diff(before, audit.snapshot(row, SETTINGS_FIELDS))
    if new:
        row.log("catalog.settings", before=old, after=new, actor=actor)
    return row


def next_index_number(agency: Agency, fmt: str | None = None, *, on: dt.date | None = None) -> str | None:
    """The index number the agency's next publication would take this year (a preview: nothing is taken), or None
    when the format is not usable."""
    on = on or today_china()
    fmt = fmt if fmt is not None else settings_for(agency.id).index_format
    try:
        check_format(fmt)
    except DomainError:
        return None
    serial = current_value(COUNTER_SCOPE, agency.id, on.year) + 1
    return format_number(fmt, org=agency.org_code, year=on.year, month=on.month, serial=serial)


# --- Themes and genres -------------------------------------------------------------------------------------------

MODELS = {"theme": Theme, "genre": Genre}


def _name(kind: str, data: Mapping[str, Any], errors) -> str:
    name = str(data.get("name") or "").strip()
    if not name:
        errors.add(_l("Enter the name."), field="name")
    elif len(name) > NAME_LIMITS[kind]:
        errors.add(_l("At most %(n)d characters.", n=NAME_LIMITS[kind]), field="name")
    return name


def _position(data: Mapping[str, Any], errors) -> int | None:
    raw = data.get("position")
    if raw in (None, ""):
        return None
    value = parse_int(raw, min=0, max=9999)
    if value is None:
        errors.add(_l("Enter a whole number from 0 to %(n)d.", n=9999), field="position")
    return value


def _taken(kind: str, name: str, parent_id: int | None, exclude: int | None) -> bool:
    model = MODELS[kind]
    q = select(model.id).where(model.name == name)
    if kind == "theme":
        q = q.where(Theme.parent_id.is_(None) if parent_id is None else Theme.parent_id == parent_id)
    if exclude is not None:
        q = q.where(model.id != exclude)
    return db.session.execute(q.limit(1)).first() is not None


def _log(kind: str, obj, action: str, *, actor, before=None, after=None) -> None:
    audit.record(
        f"catalog.{kind}_{action}",
        object_type=f"catalog_{kind}",
        object_id=obj.id,
        before=before,
        after=after,
        actor=actor,
    )


def add_classification(kind: str, data: Mapping[str, Any], *, actor):
    """A new theme (top level, or under a top-level theme) or genre, at the end of its list unless placed."""
    model = MODELS[kind]
    parent_id = None
    with collect_errors() as errors:
        name = _name(kind, data, errors)
        position = _position(data, errors)
        if kind == "theme" and data.get("parent_id") not in (None, ""):
            parent_id = parse_int(data.get("parent_id"), min=1)
            parent = db.session.get(Theme, parent_id) if parent_id else None
            if parent is None or parent.parent_id is not None:
                errors.add(_l("Choose a first-level theme (themes have two levels)."), field="parent_id")
                parent_id = None
        if name and "name" not in errors and _taken(kind, name, parent_id, None):
            errors.add(_l("This name is in the list already."), field="name")
    if position is None:
        q = select(func.max(model.position))
        if kind == "theme":
            q = q.where(Theme.parent_id.is_(None) if parent_id is None else Theme.parent_id == parent_id)
        position = (db.session.execute(q).scalar_one() or 0) + 1
    obj = model(name=name, position=position, active=True)
    if kind == "theme":
        obj.parent_id = parent_id
    db.session.add(obj)
    db.session.flush()
    _log(kind, obj, "add", actor=actor, after={"name": name, "position": position, "parent_id": parent_id})
    return obj


def change_classification(kind: str, obj_id: int, data: Mapping[str, Any], *, actor):
    """Rename, move in the list, activate or deactivate (a deactivated one is no longer offered to new entries)."""
    obj = db.session.get(MODELS[kind], obj_id)
    if obj is None:
        raise DomainError(_l("This item is not in the list."))
    with collect_errors() as errors:
        name = _name(kind, data, errors)
        position = _position(data, errors)
        if name and "name" not in errors and _taken(kind, name, getattr(obj, "parent_id", None), obj.id):
            errors.add(_l("This name is in the list already."), field="name")
    before = {"name": obj.name, "position": obj.position, "active": obj.active}
    obj.name = name
    if position is not None:
        obj.position = position
    obj.active = _flag(data.get("active"))
    after = {"name": obj.name, "position": obj.position, "active": obj.active}
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        db.session.flush()
        _log(
            kind,
            obj,
            "change",
            actor=actor,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return obj


def usage(kind: str, obj_id: int) -> int:
    """How many entries use this theme (or one of its sub-themes) or genre."""
    if kind == "genre":
        return db.session.execute(select(func.count()).where(Entry.genre_id == obj_id)).scalar_one()
    ids = [obj_id, *db.session.execute(select(Theme.id).where(Theme.parent_id == obj_id)).scalars()]
    return db.session.execute(select(func.count()).where(Entry.theme_id.in_(ids))).scalar_one()


def delete_classification(kind: str, obj_id: int, *, actor) -> None:
    """Delete a theme or genre no entry uses (a theme also needs no sub-themes); one in use is deactivated."""
    obj = db.session.get(MODELS[kind], obj_id)
    if obj is None:
        raise DomainError(_l("This item is not in the list."))
    if usage(kind, obj_id):
        raise DomainError(_l("Entries use this item: deactivate it instead, so they keep their classification."))
    if kind == "theme" and db.session.execute(select(Theme.id).where(Theme.parent_id == obj_id).limit(1)).first():
        raise DomainError(_l("Delete or move its second-level themes first."))
    _log(kind, obj, "delete", actor=actor, before={"name": obj.name})
    db.session.delete(obj)
    db.session.flush()


def themes_tree(*, active_only: bool = False) -> list[tuple[Theme, list[Theme]]]:
    """First-level themes with their second-level ones, in list order."""
    q = select(Theme).order_by(Theme.position, Theme.id)
    if active_only:
        q = q.where(Theme.active.is_(True))
    rows = list(db.session.execute(q).scalars())
    children: dict[int, list[Theme]] = {}
    for t in rows:
        if t.parent_id is not None:
            children.setdefault(t.parent_id, []).append(t)
    return [(t, children.get(t.id, [])) for t in rows if t.parent_id is None]


def genres(*, active_only: bool = False) -> list[Genre]:
    q = select(Genre).order_by(Genre.position, Genre.id)
    if active_only:
        q = q.where(Genre.active.is_(True))
    return list(db.session.execute(q).scalars())
