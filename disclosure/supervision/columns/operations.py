"""Changing the column-update settings (栏目更新; issue 14 §1): an agency's classes, gaps and applicable columns,
set by its supervisor (the competent department edits the frequencies of the agencies it supervises, 条例 Art. 47);
the deployment's defaults and the 19号 thresholds, set by a system administrator. Each operation checks every
field at once (a precise message beside each), only flushes, and writes one audit event naming what changed.

Input is a mapping of form values by field name (`<category>_class`, `<category>_gap`, `<category>_applies`, and
a threshold's key), as the pages post them; `agency_input` and `defaults_input` give the current values in that
shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from disclosure.accounts.models import Agency, User
from disclosure.catalog.classification import CATEGORIES
from disclosure.core import audit
from disclosure.core.errors import NotAllowed, collect_errors
from disclosure.extensions import db
from disclosure.supervision import scope
from disclosure.supervision.columns import monitor
from disclosure.supervision.columns.models import ColumnDefault, ColumnSetting, ColumnThreshold
from disclosure.supervision.columns.rules import (
    DEFAULTS,
    MAX_GAP_DAYS,
    THRESHOLDS,
    ColumnRule,
    Threshold,
    UpdateClass,
    applies_by_default,
)
from disclosure.web.params import parse_int

TRUE = ("y", "on", "1", "true", "yes")


def class_field(category: str) -> str:
    return f"{category}_class"


def gap_field(category: str) -> str:
    return f"{category}_gap"


def applies_field(category: str) -> str:
    return f"{category}_applies"


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def _flag(data: Mapping[str, Any], name: str) -> bool:
    value = data.get(name)
    return value is True or (isinstance(value, str) and value.strip().lower() in TRUE)


def _rule(data: Mapping[str, Any], category: str, errors) -> ColumnRule | None:
    """A column's class and gap from the input, every problem added to `errors` beside its field."""
    text = _text(data, class_field(category))
    try:
        update_class = UpdateClass(text)
    except ValueError:
        errors.add(_l("Choose an update class from the list."), field=class_field(category))
        update_class = None
    gap_text = _text(data, gap_field(category))
    gap = None
    if gap_text:
        gap = parse_int(gap_text)
        if gap is None:
            errors.add(
                _l("Enter the maximum gap as a whole number of days, or leave it empty for the class's own."),
                field=gap_field(category),
            )
        elif gap < 0:
            errors.add(_l("The maximum gap cannot be negative."), field=gap_field(category))
            gap = None
        elif gap == 0:
            errors.add(_l("The maximum gap is at least one day."), field=gap_field(category))
            gap = None
        elif gap > MAX_GAP_DAYS:
            errors.add(
                _l("The maximum gap may be at most %(days)d days (ten years).", days=MAX_GAP_DAYS),
                field=gap_field(category),
            )
            gap = None
        elif update_class is UpdateClass.STATIC:
            errors.add(_l("A static column is never due: leave its maximum gap empty."), field=gap_field(category))
            gap = None
    if update_class is None:
        return None
    return ColumnRule(update_class, gap)


def _as_dict(rule: ColumnRule, applies: bool | None = None) -> dict:
    out: dict[str, Any] = {"update_class": rule.update_class.value, "max_gap_days": rule.max_gap_days}
    if applies is not None:
        out["applies"] = applies
    return out


# --- An agency's columns (its supervisor) --------------------------------------------------------------------


def agency_input(agency: Agency) -> dict[str, Any]:
    """The agency's current settings as the form holds them."""
    out: dict[str, Any] = {}
    for setup in monitor.setups([agency])[agency.id]:
        out[class_field(setup.category)] = setup.rule.update_class.value
        out[gap_field(setup.category)] = "" if setup.rule.max_gap_days is None else str(setup.rule.max_gap_days)
        out[applies_field(setup.category)] = setup.applies
    return out


def save_agency_columns(agency: Agency, data: Mapping[str, Any], *, actor: User | None) -> dict:
    """Set an agency's columns: class, gap and whether each applies (条例 Art. 47: the competent department, through
    its supervisor, or a system administrator). A column set back to the default keeps no row of its own, so later
    changes of the default reach it. Returns the changed columns ({category: (before, after)}); nothing changes and
    FieldErrors is raised if any field is wrong."""
    if actor is not None and agency.id not in scope.supervised_agency_ids(actor):
        raise NotAllowed(_l("Only the agency's supervisor may change its column settings."))
    with collect_errors() as errors:
        wanted = {category: _rule(data, category, errors) for category in CATEGORIES}
    defaults = monitor.default_rules()
    current = {s.category: s for s in monitor.setups([agency], defaults)[agency.id]}
    rows = {
        row.category: row
        for row in db.session.execute(select(ColumnSetting).where(ColumnSetting.agency_id == agency.id)).scalars()
    }
    changes: dict[str, tuple[dict, dict]] = {}
    for category, rule in wanted.items():
        applies = _flag(data, applies_field(category))
        was = current[category]
        if rule == was.rule and applies == was.applies:
            continue
        changes[category] = (_as_dict(was.rule, was.applies), _as_dict(rule, applies))
        row = rows.get(category)
        if rule == defaults[category] and applies == applies_by_default(category, agency):
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = ColumnSetting(agency_id=agency.id, category=category)
            db.session.add(row)
        row.update_class, row.max_gap_days, row.applies = rule.update_class.value, rule.max_gap_days, applies
    if changes:
        db.session.flush()
        audit.record(
            "supervision.columns.agency",
            object_type="supervision_column_settings",
            object_id=agency.id,
            agency_id=agency.id,
            before={k: v[0] for k, v in changes.items()},
            after={k: v[1] for k, v in changes.items()},
            actor=actor,
        )
    return changes


def agency_events(agency_id: int) -> list:
    return audit.events_for("supervision_column_settings", agency_id)


# --- The deployment's defaults and thresholds (system administrators) ----------------------------------------


def defaults_input() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for category, rule in monitor.default_rules().items():
        out[class_field(category)] = rule.update_class.value
        out[gap_field(category)] = "" if rule.max_gap_days is None else str(rule.max_gap_days)
    for key, value in monitor.thresholds().items():
        out[key.value] = str(value)
    return out


def save_defaults(data: Mapping[str, Any], *, actor: User | None) -> dict:
    """Set the deployment's default class and gap of every column and the site-level thresholds (19号 is only
    locally confirmed: they are data). A value equal to the built-in default keeps no row. Returns the changes
    ({key: (before, after)}); nothing changes and FieldErrors is raised if any field is wrong."""
    if actor is not None and not actor.is_sys_admin:
        raise NotAllowed(_l("Only a system administrator may change the defaults."))
    with collect_errors() as errors:
        wanted = {category: _rule(data, category, errors) for category in CATEGORIES}
        limits: dict[Threshold, int] = {}
        for key, info in THRESHOLDS.items():
            value = parse_int(_text(data, key.value), min=info.low, max=info.high)
            if value is None:
                errors.add(
                    _l("Enter a whole number from %(low)d to %(high)d.", low=info.low, high=info.high), field=key.value
                )
            else:
                limits[key] = value
    changes: dict[str, tuple[Any, Any]] = {}
    current_rules, current_limits = monitor.default_rules(), monitor.thresholds()
    for category, rule in wanted.items():
        if rule == current_rules[category]:
            continue
        changes[category] = (_as_dict(current_rules[category]), _as_dict(rule))
        row = db.session.get(ColumnDefault, category)
        if rule == DEFAULTS[category]:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = ColumnDefault(category=category)
            db.session.add(row)
        row.update_class, row.max_gap_days = rule.update_class.value, rule.max_gap_days
    for key, value in limits.items():
        if value == current_limits[key]:
            continue
        changes[key.value] = (current_limits[key], value)
        row = db.session.get(ColumnThreshold, key.value)
        if value == THRESHOLDS[key].default:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = ColumnThreshold(key=key.value)
            db.session.add(row)
        row.value = value
    if changes:
        db.session.flush()
        audit.record(
            "supervision.columns.defaults",
            object_type="supervision_column_defaults",
            object_id="deployment",
            before={k: v[0] for k, v in changes.items()},
            after={k: v[1] for k, v in changes.items()},
            actor=actor,
        )
    return changes


def defaults_events() -> list:
    return audit.events_for("supervision_column_defaults", "deployment")
