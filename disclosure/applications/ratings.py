"""The applicants' ratings of replies, counted per agency and period for public appraisal (社会评议, 条例 Art. 50(4);
浙江 2016 circular §4(3); issue 14 §4).

A rating counts on the Beijing calendar day it was given (`Rating.created_at`, a UTC timestamp, compared with the
UTC bounds of the period's first and last Beijing day) and for the agency that handled the case. The counts come
from one grouped query over the agencies and the period; the list behind a count (the drill-down) from the same
conditions, newest first. The applicant's comment is for staff: nothing here is shown publicly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import case, func, select

from disclosure.applications.models import Application, Rating
from disclosure.core import rollups
from disclosure.core.idlists import in_ids
from disclosure.core.timeutil import CHINA_TZ, as_utc
from disclosure.extensions import db


@dataclass(frozen=True)
class RatingCounts:
    """One agency's ratings in a period: all of them, and those that say 'satisfied'."""

    total: int
    satisfied: int


@dataclass(frozen=True)
class RatingRef:
    """One rating, as a staff drill-down lists it (the comment is for staff only)."""

    id: int
    case_id: int
    agency_id: int
    reference: str | None
    satisfied: bool
    comment: str
    rated_on: dt.date  # the Beijing day it was given

    @property
    def staff_url(self) -> str:
        """The case's staff page, where the rating is shown with the case."""
        return url_for("applications_staff.case", case_id=self.case_id)


def utc_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants of 00:00 Beijing time on `start` and on the day after `end` (end excluded)."""
    low = dt.datetime(start.year, start.month, start.day, tzinfo=CHINA_TZ).astimezone(dt.UTC)
    after = end + dt.timedelta(days=1)
    high = dt.datetime(after.year, after.month, after.day, tzinfo=CHINA_TZ).astimezone(dt.UTC)
    return low, high


def _where(agency_ids: Iterable[int], start: dt.date, end: dt.date, satisfied: bool | None):
    low, high = utc_bounds(start, end)
    conditions = [
        in_ids(Application.agency_id, agency_ids),
        Rating.created_at >= low,
        Rating.created_at < high,
    ]
    if satisfied is not None:
        conditions.append(Rating.satisfied.is_(satisfied))
    return conditions


def rating_counts(
    agency_ids: Iterable[int], start: dt.date, end: dt.date, *, live: bool = False
) -> dict[int, RatingCounts]:
    """{agency_id: RatingCounts} of the ratings given from `start` to `end` (Beijing days, both included); an
    agency without ratings is missing. The whole months from the rollup (`ROLLUPS`), the rest from the ratings
    (`live`: all from the ratings, one grouped query)."""
    ids = list(agency_ids)
    if not ids:
        return {}
    if not live:

        def from_ratings(a: dt.date, b: dt.date) -> rollups.Counts:
            counted = rating_counts(ids, a, b, live=True)
            return {(agency, "", ""): [c.total, c.satisfied] for agency, c in counted.items()}

        counts = rollups.gather(ROLLUP_RATINGS, ids, start, end, from_ratings)
        return {agency: RatingCounts(*values[:2]) for (agency, _k1, _k2), values in counts.items() if values[0]}
    rows = db.session.execute(
        select(
            Application.agency_id,
            func.count(Rating.id),
            func.sum(case((Rating.satisfied.is_(True), 1), else_=0)),
        )
        .join(Application, Application.id == Rating.application_id)
        .where(*_where(ids, start, end, None))
        .group_by(Application.agency_id)
    ).all()
    return {agency_id: RatingCounts(int(n), int(s or 0)) for agency_id, n, s in rows}


# The ratings per agency and Beijing month, kept by the database (core.rollups): a rating counts for the agency of
# its case, on the Beijing day of `created_at` (stored in UTC; China keeps no summer time). A change of a case's
# agency moves its rating (never done, but counted right).
ROLLUP_RATINGS = "applications.ratings"
_BEIJING_DAY = {
    "postgresql": "(({t}.created_at AT TIME ZONE 'Asia/Shanghai')::date)",
    "sqlite": "date({t}.created_at, '+8 hours')",
}


def _day(t: str) -> dict[str, str]:
    return {dialect: expr.format(t=t) for dialect, expr in _BEIJING_DAY.items()}


ROLLUPS = (
    rollups.Source(
        "application_ratings",
        (
            rollups.Part(
                ROLLUP_RATINGS,
                "a.agency_id",
                _day("{r}"),
                "a.id = {r}.application_id",
                sums=("CASE WHEN {r}.satisfied THEN 1 ELSE 0 END",),
                tables="applications a",
            ),
        ),
        columns=("application_id", "satisfied", "created_at"),
    ),
    rollups.Source(
        "applications",
        (
            rollups.Part(
                ROLLUP_RATINGS,
                "{r}.agency_id",
                _day("rt"),
                "rt.application_id = {r}.id",
                sums=("CASE WHEN rt.satisfied THEN 1 ELSE 0 END",),
                tables="application_ratings rt",
                rebuild=False,
            ),
        ),
        columns=("agency_id",),
    ),
)
rollups.register(*ROLLUPS)


def ratings(
    agency_ids: Iterable[int],
    start: dt.date,
    end: dt.date,
    *,
    satisfied: bool | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[RatingRef]:
    """The ratings counted by `rating_counts` (only the satisfied, or only the others, when `satisfied` is given),
    newest first, `limit` at a time from `offset`."""
    ids = list(agency_ids)
    if not ids:
        return []
    q = (
        select(
            Rating.id,
            Application.id,
            Application.agency_id,
            Application.reference,
            Rating.satisfied,
            Rating.comment,
            Rating.created_at,
        )
        .join(Application, Application.id == Rating.application_id)
        .where(*_where(ids, start, end, satisfied))
        .order_by(Rating.created_at.desc(), Rating.id.desc())
        .offset(max(0, offset))
    )
    if limit is not None:
        q = q.limit(limit)
    return [
        RatingRef(rid, case_id, agency_id, reference, bool(ok), comment or "", as_utc(at).astimezone(CHINA_TZ).date())
        for rid, case_id, agency_id, reference, ok, comment, at in db.session.execute(q).all()
    ]
