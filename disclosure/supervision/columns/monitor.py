"""The column monitor (栏目更新监测; proactive-china §2.8, issue 14 §1): per agency and day, each column's rule,
last update, days since, and status; and the site-level single-veto checks of 国办秘函〔2019〕19号.

- A column's last update is the latest publication of a public entry in its category that the agency issued
  (joint documents count for each issuer: `disclosure.catalog.last_updates`).
- Status: blank when the agency never published in it; overdue when more days have passed since its last update
  than its maximum gap; due soon (warning) past `warning_percent` of the gap; up to date otherwise, and always for
  a column with no gap (static, irregular). A column that does not apply to the agency has no status and counts
  nowhere.
- Long stale (19号 "应更新但长期不更新"): an overdue column not updated for more than `long_stale_days` days (and
  more than its gap). The 19号 text does not say how long "long" is (⚠): the limit is data.
- The site fails a single-veto check (单项否决) when ≥ `overdue_columns` columns are overdue, ≥ `long_stale_columns`
  are long stale, ≥ `blank_columns` are blank, or nothing at all was published for more than `quiet_days` days
  (首页不更新: 2 weeks).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from disclosure.accounts.models import Agency
from disclosure.catalog import LastUpdate, last_updates
from disclosure.catalog.classification import CATEGORIES, CATEGORY_ARTICLES
from disclosure.core.idlists import in_ids
from disclosure.extensions import db
from disclosure.supervision.columns.models import ColumnDefault, ColumnSetting, ColumnThreshold
from disclosure.supervision.columns.rules import (
    DEFAULTS,
    THRESHOLDS,
    ColumnRule,
    Flag,
    Status,
    Threshold,
    UpdateClass,
    applies_by_default,
    is_township,
)
from disclosure.supervision.figures._memo import memo

CHUNK = 900  # ids per IN list (SQLite's bound-parameter limit)
TOWNSHIP, CITY = "art21_township", "art21_city"  # the columns that apply by the agency's level (rules)


def default_rules() -> dict[str, ColumnRule]:
    """Every column's deployment default: the administrator's where set, else `rules.DEFAULTS`."""
    rules = dict(DEFAULTS)
    for row in db.session.execute(select(ColumnDefault)).scalars():
        if row.category in rules:
            rules[row.category] = ColumnRule(UpdateClass(row.update_class), row.max_gap_days)
    return rules


def thresholds() -> dict[Threshold, int]:
    """The site-level thresholds and the monitor's limits: the administrator's where set, else the defaults."""
    values = {key: info.default for key, info in THRESHOLDS.items()}
    for row in db.session.execute(select(ColumnThreshold)).scalars():
        if row.key in Threshold.__members__.values():
            values[Threshold(row.key)] = row.value
    return values


@dataclass(slots=True)
class ColumnSetup:
    """A column as it applies to one agency: its rule, whether it applies, and whether the agency's supervisor set
    it (rather than the defaults)."""

    category: str
    rule: ColumnRule
    applies: bool
    custom: bool


def setups(agencies: Iterable[Agency], defaults: dict[str, ColumnRule] | None = None) -> dict[int, list[ColumnSetup]]:
    """{agency_id: [ColumnSetup in the order of CATEGORIES]}."""
    agencies = list(agencies)
    defaults = defaults if defaults is not None else default_rules()
    own: dict[tuple[int, str], ColumnSetting] = {}
    ids = sorted(a.id for a in agencies)
    for start in range(0, len(ids), CHUNK):
        for row in db.session.execute(
            select(ColumnSetting).where(in_ids(ColumnSetting.agency_id, ids[start : start + CHUNK]))
        ).scalars():
            own[(row.agency_id, row.category)] = row
    customised = {agency_id for agency_id, _category in own}
    # An agency without settings of its own has the defaults of its level (township or not): one list per level.
    by_level: dict[bool, list[ColumnSetup]] = {}
    out: dict[int, list[ColumnSetup]] = {}
    for agency in agencies:
        if agency.id not in customised:
            township = is_township(agency)
            if township not in by_level:
                by_level[township] = [
                    ColumnSetup(category, defaults[category], applies_by_default(category, agency), False)
                    for category in CATEGORIES
                ]
            out[agency.id] = list(by_level[township])
            continue
        columns = []
        for category in CATEGORIES:
            row = own.get((agency.id, category))
            if row is not None:
                columns.append(
                    ColumnSetup(
                        category, ColumnRule(UpdateClass(row.update_class), row.max_gap_days), row.applies, True
                    )
                )
            else:
                columns.append(ColumnSetup(category, defaults[category], applies_by_default(category, agency), False))
        out[agency.id] = columns
    return out


@dataclass(slots=True)
class ColumnState:
    """One column of one agency on one day."""

    category: str
    rule: ColumnRule
    applies: bool
    custom: bool
    last: LastUpdate | None
    days_since: int | None
    status: Status
    long_stale: bool

    @property
    def label(self):
        return CATEGORIES[self.category]

    @property
    def article(self) -> str:
        return CATEGORY_ARTICLES.get(self.category, "")

    @property
    def last_on(self) -> dt.date | None:
        return self.last.published_on if self.last is not None else None


@dataclass(frozen=True)
class AgencyColumns:
    """An agency's columns on a day, with the site-level checks."""

    agency_id: int
    today: dt.date
    columns: list[ColumnState]
    last_any: dt.date | None  # the latest publication of any public entry of the agency (any column)
    limits: dict[Threshold, int]
    flags: list[Flag] = field(default_factory=list)

    def with_status(self, status: Status) -> list[ColumnState]:
        return [c for c in self.columns if c.status is status]

    # Each list worked out once (the columns do not change): the site's checks and every column figure read them.
    @functools.cached_property
    def overdue(self) -> list[ColumnState]:
        return self.with_status(Status.OVERDUE)

    @functools.cached_property
    def blank(self) -> list[ColumnState]:
        return self.with_status(Status.BLANK)

    @functools.cached_property
    def warning(self) -> list[ColumnState]:
        return self.with_status(Status.WARNING)

    @functools.cached_property
    def long_stale(self) -> list[ColumnState]:
        return [c for c in self.columns if c.long_stale]

    @property
    def quiet_days(self) -> int | None:
        """Days since anything was last published (None: never)."""
        return (self.today - self.last_any).days if self.last_any is not None else None

    @property
    def vetoed(self) -> bool:
        return bool(self.flags)


def column_state(setup: ColumnSetup, last: LastUpdate | None, today: dt.date, limits: dict) -> ColumnState:
    """The status of one column on `today` (the rules in the module's docstring)."""
    days = (today - last.published_on).days if last is not None else None
    gap = setup.rule.gap_days
    long_stale = False
    if not setup.applies:
        status = Status.NOT_APPLICABLE
    elif last is None:
        status = Status.BLANK
    elif gap is None:
        status = Status.OK
    elif days > gap:
        status = Status.OVERDUE
        long_stale = days > max(gap, limits[Threshold.LONG_STALE_DAYS])
    elif days * 100 > gap * limits[Threshold.WARNING_PERCENT]:
        status = Status.WARNING
    else:
        status = Status.OK
    return ColumnState(setup.category, setup.rule, setup.applies, setup.custom, last, days, status, long_stale)


def site_flags(result: AgencyColumns) -> list[Flag]:
    """The single-veto checks the agency's site fails (19号), in a fixed order."""
    limits = result.limits
    flags = []
    if len(result.overdue) >= limits[Threshold.OVERDUE_COLUMNS]:
        flags.append(Flag.OVERDUE)
    if len(result.long_stale) >= limits[Threshold.LONG_STALE_COLUMNS]:
        flags.append(Flag.LONG_STALE)
    if len(result.blank) >= limits[Threshold.BLANK_COLUMNS]:
        flags.append(Flag.BLANK)
    quiet = result.quiet_days
    if quiet is None or quiet > limits[Threshold.QUIET_DAYS]:
        flags.append(Flag.QUIET)
    return flags


def _agencies(agency_ids: list[int]) -> list:
    """The agencies' ids and what tells their level (`rules.is_township`), as plain rows."""
    out = []
    for start in range(0, len(agency_ids), CHUNK):
        chunk = agency_ids[start : start + CHUNK]
        query = select(Agency.id, Agency.division_code, Agency.full_name).where(in_ids(Agency.id, chunk))
        out.extend(db.session.execute(query).all())
    return sorted(out, key=lambda a: a.id)


def monitor(agency_ids: Iterable[int], today: dt.date, *, entries: bool = True) -> dict[int, AgencyColumns]:
    """{agency_id: AgencyColumns} of these agencies on `today`, in id order (unknown ids are left out). Without
    `entries`, the last updates carry no entry titles (counting needs only the days). The result is kept until the
    next write or the end of the transaction (`figures._memo`), so the dashboard's several column figures read the
    catalogue once."""
    ids = tuple(sorted(set(agency_ids)))
    return memo(("columns.monitor", ids, today, entries), lambda: _monitor(ids, today, entries))


def _monitor(ids: tuple[int, ...], today: dt.date, entries: bool) -> dict[int, AgencyColumns]:
    limits = thresholds()
    columns_of = setups(_agencies(list(ids)))
    latest = last_updates(list(columns_of), today, entries=entries)
    last_any: dict[int, dt.date] = {}
    for (agency_id, _category), update in latest.items():
        if agency_id not in last_any or update.published_on > last_any[agency_id]:
            last_any[agency_id] = update.published_on
    out: dict[int, AgencyColumns] = {}
    for agency_id, column_setups in columns_of.items():
        states = [column_state(s, latest.get((agency_id, s.category)), today, limits) for s in column_setups]
        result = AgencyColumns(agency_id, today, states, last_any.get(agency_id), limits)
        result.flags.extend(site_flags(result))
        out[agency_id] = result
    return out


def for_agency(agency_id: int, today: dt.date) -> AgencyColumns | None:
    return monitor([agency_id], today).get(agency_id)
