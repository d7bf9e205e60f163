"""Annual reports as the competent department supervises them (条例 Arts. 47, 49; issue 14 §1), and the annual
report's grid as the supervision figures reuse it.

The reports due within a range of days: an agency's report for year Y is due on its statutory date (`dues.py`: a
department's by 31 January of Y+1, a county-level-or-above government's by 31 March, no roll-over), and it is
counted in the range holding that date. Each due report is, on a given day, exactly one of: published on time
(its first publication on or before the date), published late, overdue (not published and the date has passed)
or not yet due. A report's status is its latest version's state (workflows/report.py), or none when not started.
A correction does not move the first publication: the report was public from then on.

Two grouped queries for any number of agencies (their report settings; their reports' versions grouped by agency
and year), the rest in memory: an agency has at most a few reports due in a range.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import and_, case, func, select

from disclosure.core.idlists import in_ids
from disclosure.extensions import db
from disclosure.reports import labels
from disclosure.reports.dues import DUE, due_date
from disclosure.reports.grid import OUTCOMES_BY_ROW, REMEDY_BLOCKS, TABLE3_ROWS, WITHDRAWN_ROW
from disclosure.reports.models import AgencyKind, AnnualReport, ReportSettings
from workflows.report import States

_PUBLIC = (States.PUBLISHED.value, States.SUPERSEDED.value)


class Standing(enum.StrEnum):
    """Where a due report stands on a given day."""

    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    NOT_YET_DUE = "not_yet_due"


@dataclass(frozen=True)
class DueReport:
    """One agency's annual report due within the range."""

    agency_id: int
    year: int  # the report year (the statistics period 1 January – 31 December)
    agency_kind: str  # department | government
    due: dt.date
    published_on: dt.date | None  # its first publication
    state: str | None  # the latest version's state; None when no version was started
    report_id: int | None  # the latest version
    standing: Standing

    @property
    def url(self) -> str:
        """The latest version's staff page, or the annual reports page when none was started. Built when asked
        (a drill-down, in a request), so counting works anywhere: a command, a job, the demo."""
        return url_for("reports.show", report_id=self.report_id) if self.report_id else url_for("reports.index")

    @property
    def state_label(self):
        """The latest version's state in words (None when no version was started)."""
        return None if self.state is None else labels.state_label(self.state)


def _ids(agency_ids: Iterable[int]) -> list[int]:
    return sorted({int(i) for i in agency_ids})


def _years_due(kind: str, start: dt.date, end: dt.date) -> list[int]:
    """The report years whose statutory date for this kind of agency falls between `start` and `end`."""
    return [y for y in range(start.year - 1, end.year) if start <= due_date(kind, y) <= end]


def due_reports(agency_ids: Iterable[int], start: dt.date, end: dt.date, today: dt.date) -> list[DueReport]:
    """Every annual report of these agencies due between `start` and `end`, with where it stands `today`, ordered
    by due date, then agency id."""
    ids = _ids(agency_ids)
    if not ids or start > end:
        return []
    kinds = {
        int(a): k
        for a, k in db.session.execute(
            select(ReportSettings.agency_id, ReportSettings.agency_kind).where(in_ids(ReportSettings.agency_id, ids))
        )
    }
    years = {k: _years_due(k, start, end) for k in DUE}
    wanted = sorted({y for ys in years.values() for y in ys})
    if not wanted:
        return []
    r = AnnualReport
    latest = (
        select(r.agency_id, r.year, func.max(r.number).label("number"))
        .where(in_ids(r.agency_id, ids), r.year.in_(wanted))
        .group_by(r.agency_id, r.year)
        .subquery()
    )
    first = (
        select(r.agency_id, r.year, func.min(case((r.state.in_(_PUBLIC), r.published_on))).label("published_on"))
        .where(in_ids(r.agency_id, ids), r.year.in_(wanted))
        .group_by(r.agency_id, r.year)
        .subquery()
    )
    rows = db.session.execute(
        select(r.agency_id, r.year, r.id, r.state, first.c.published_on)
        .join(latest, and_(latest.c.agency_id == r.agency_id, latest.c.year == r.year, latest.c.number == r.number))
        .join(first, and_(first.c.agency_id == r.agency_id, first.c.year == r.year))
    ).all()
    found = {(int(a), int(y)): (rid, state, published) for a, y, rid, state, published in rows}
    out = []
    for agency_id in ids:
        kind = kinds.get(agency_id, AgencyKind.DEPARTMENT.value)
        for year in years.get(kind, ()):
            due = due_date(kind, year)
            report_id, state, published = found.get((agency_id, year), (None, None, None))
            out.append(
                DueReport(
                    agency_id=agency_id,
                    year=year,
                    agency_kind=kind,
                    due=due,
                    published_on=published,
                    state=state,
                    report_id=report_id,
                    standing=standing(due, published, today),
                )
            )
    out.sort(key=lambda d: (d.due, d.agency_id, d.year))
    return out


def standing(due: dt.date, published_on: dt.date | None, today: dt.date) -> Standing:
    """条例 Art. 49: published by the statutory date, after it, not at all though it has passed, or not yet due."""
    if published_on is not None:
        return Standing.ON_TIME if published_on <= due else Standing.LATE
    return Standing.OVERDUE if today > due else Standing.NOT_YET_DUE


# --- The grid, as supervision groups the cases and remedies ------------------------------------------------------


@dataclass(frozen=True)
class OutcomeGroup:
    """One block of table 3's 本年度办理结果: （一）予以公开 … （六）其他处理."""

    key: str  # the block's single row key (granted, partial) or its rows' common prefix (deny, na, np, oth)
    label: str  # as the report prints it (Chinese)
    rows: tuple[str, ...]
    outcomes: tuple[str, ...]  # the case outcomes counted in these rows (correspondence's OUTCOMES)
    with_withdrawn: bool  # withdrawn requests count here (WITHDRAWN_ROW)


def outcome_groups() -> tuple[OutcomeGroup, ...]:
    """The blocks of table 3's results, read from the grid: a row at the first indent is a block of its own, a
    heading at the first indent opens a block of the rows below it; the total closes them."""
    blocks: list[tuple[str, list[str]]] = []
    started = False
    for key, label, indent in TABLE3_ROWS:
        if key == "total":
            break
        if key is None and indent == 0:
            started = True  # 三、本年度办理结果
            continue
        if not started:
            continue
        if indent == 1:
            blocks.append((label, [key] if key else []))
        elif blocks:
            blocks[-1][1].append(key)
    out = []
    for label, rows in blocks:
        key = rows[0] if len(rows) == 1 else rows[0].split("_", 1)[0]
        outcomes = tuple(o for row in rows for o in OUTCOMES_BY_ROW.get(row, ()))
        out.append(OutcomeGroup(key, label, tuple(rows), outcomes, WITHDRAWN_ROW in rows))
    return tuple(out)


# Table 4's blocks: the remedy kinds the report counts; and the result it counts as corrected (结果纠正).
REMEDY_KINDS = REMEDY_BLOCKS
RECONSIDERATION_KINDS = ("reconsideration",)
LAWSUIT_KINDS = tuple(k for k in REMEDY_BLOCKS if k not in RECONSIDERATION_KINDS)
CORRECTED_RESULT = "corrected"
