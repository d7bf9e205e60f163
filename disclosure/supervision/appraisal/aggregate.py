"""Public appraisal's figures per agency and period (社会评议, issue 14 §4; 条例 Art. 50(4)): the survey's
responses, the mean score of each question, the share satisfied (满意 + 非常满意), and the applicants' ratings of
replies with their share satisfied (counted by the applications package, `applications.rating_counts`).

Every figure comes from grouped queries over the agencies and the period (Beijing days, both ends included); the
lists behind them (`responses`, `applications.ratings`) from the same conditions, newest first. The annual report
reads a year's figures through `appraisal_figures` (the supervision door).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from disclosure import applications
from disclosure.core.idlists import in_ids
from disclosure.extensions import db
from disclosure.supervision.appraisal.models import SurveyAnswer, SurveyResponse
from disclosure.supervision.appraisal.questions import ASPECTS, OVERALL, QUESTIONS, SATISFIED_FROM


def percent(num: int, den: int) -> float | None:
    """num / den × 100 to one decimal, None without a denominator (as `measures.Ratio.value`)."""
    return None if not den else round(100.0 * num / den, 1)


@dataclass
class Appraisal:
    """One agency's (or a group's) public appraisal over a period."""

    agency_id: int | None
    responses: int = 0
    satisfied: int = 0
    sums: dict[str, int] = field(default_factory=dict)  # question key -> sum of its scores
    answered: dict[str, int] = field(default_factory=dict)  # question key -> responses that answered it
    ratings: int = 0
    ratings_satisfied: int = 0

    def mean(self, key: str) -> float | None:
        """The question's mean score (1–5) to two decimals, None when nobody answered it."""
        n = self.answered.get(key, 0)
        return None if not n else round(self.sums.get(key, 0) / n, 2)

    @property
    def satisfied_share(self) -> float | None:
        return percent(self.satisfied, self.responses)

    @property
    def ratings_share(self) -> float | None:
        return percent(self.ratings_satisfied, self.ratings)

    def add(self, other: Appraisal) -> None:
        self.responses += other.responses
        self.satisfied += other.satisfied
        self.ratings += other.ratings
        self.ratings_satisfied += other.ratings_satisfied
        for key in {*other.sums, *other.answered}:
            self.sums[key] = self.sums.get(key, 0) + other.sums.get(key, 0)
            self.answered[key] = self.answered.get(key, 0) + other.answered.get(key, 0)


def _in_period(agency_ids: list[int], start: dt.date, end: dt.date) -> tuple:
    return (
        in_ids(SurveyResponse.agency_id, agency_ids),
        SurveyResponse.submitted_on >= start,
        SurveyResponse.submitted_on <= end,
    )


def survey_counts(agency_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    """{agency_id: (responses, satisfied responses)} from `start` to `end`; agencies without any are missing."""
    ids = list(agency_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            SurveyResponse.agency_id,
            func.count(SurveyResponse.id),
            func.sum(case((SurveyResponse.overall >= SATISFIED_FROM, 1), else_=0)),
        )
        .where(*_in_period(ids, start, end))
        .group_by(SurveyResponse.agency_id)
    ).all()
    return {a: (int(n), int(s or 0)) for a, n, s in rows}


def appraisal(agency_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, Appraisal]:
    """Every agency's appraisal in the period (an agency with nothing gets an empty row): three grouped queries
    (responses with the overall score, aspect scores, applicants' ratings)."""
    ids = list(agency_ids)
    out = {a: Appraisal(a) for a in ids}
    if not ids:
        return out
    rows = db.session.execute(
        select(
            SurveyResponse.agency_id,
            func.count(SurveyResponse.id),
            func.sum(case((SurveyResponse.overall >= SATISFIED_FROM, 1), else_=0)),
            func.sum(SurveyResponse.overall),
        )
        .where(*_in_period(ids, start, end))
        .group_by(SurveyResponse.agency_id)
    ).all()
    for agency_id, n, satisfied, total in rows:
        row = out[agency_id]
        row.responses, row.satisfied = int(n), int(satisfied or 0)
        row.sums[OVERALL.key], row.answered[OVERALL.key] = int(total or 0), int(n)
    aspects = db.session.execute(
        select(SurveyResponse.agency_id, SurveyAnswer.question, func.count(), func.sum(SurveyAnswer.score))
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(*_in_period(ids, start, end), SurveyAnswer.question.in_([q.key for q in ASPECTS]))
        .group_by(SurveyResponse.agency_id, SurveyAnswer.question)
    ).all()
    for agency_id, question, n, total in aspects:
        out[agency_id].sums[question] = int(total or 0)
        out[agency_id].answered[question] = int(n)
    for agency_id, counts in applications.rating_counts(ids, start, end).items():
        out[agency_id].ratings, out[agency_id].ratings_satisfied = counts.total, counts.satisfied
    return out


def combined(rows: Iterable[Appraisal]) -> Appraisal:
    """The figures of several agencies together (means weighted by the answers, not averaged per agency)."""
    total = Appraisal(None)
    for row in rows:
        total.add(row)
    return total


def responses_query(agency_ids: Iterable[int], start: dt.date, end: dt.date, *, satisfied: bool | None = None):
    """The responses counted above (only the satisfied, or only the others, when `satisfied` is given), newest
    first, each with its answers."""
    q = (
        select(SurveyResponse)
        .where(*_in_period(list(agency_ids), start, end))
        .options(selectinload(SurveyResponse.answers))
    )
    if satisfied is True:
        q = q.where(SurveyResponse.overall >= SATISFIED_FROM)
    elif satisfied is False:
        q = q.where(SurveyResponse.overall < SATISFIED_FROM)
    return q.order_by(SurveyResponse.submitted_on.desc(), SurveyResponse.id.desc())


def responses(
    agency_ids: Iterable[int],
    start: dt.date,
    end: dt.date,
    *,
    satisfied: bool | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[SurveyResponse]:
    ids = list(agency_ids)
    if not ids:
        return []
    q = responses_query(ids, start, end, satisfied=satisfied).offset(max(0, offset))
    if limit is not None:
        q = q.limit(limit)
    return list(db.session.execute(q).scalars())


def appraisal_figures(agency_id: int, year: int) -> dict:
    """A year's public appraisal of one agency, for the annual report's narrative (条例 Art. 50(4): the reports of
    people's governments include the results of public appraisal): survey responses, satisfied and their share,
    the mean of each question (with its Chinese name), the applicants' ratings, satisfied and their share."""
    row = appraisal([agency_id], dt.date(year, 1, 1), dt.date(year, 12, 31))[agency_id]
    return {
        "year": year,
        "responses": row.responses,
        "satisfied": row.satisfied,
        "satisfied_share": row.satisfied_share,
        "questions": [
            {"key": q.key, "zh": q.zh, "answered": row.answered.get(q.key, 0), "mean": row.mean(q.key)}
            for q in QUESTIONS
        ],
        "ratings": row.ratings,
        "ratings_satisfied": row.ratings_satisfied,
        "ratings_share": row.ratings_share,
    }


def appraisal_sentence(figures: dict) -> str:
    """A suggested sentence on public appraisal (社会评议), from `appraisal_figures`: the reports of
    people's governments include the results of public appraisal (条例 Art. 50(4)). Offered to the writer beside
    the sections, never written into them; empty in a year without survey answers or applicants' ratings."""
    parts = []
    if figures["responses"]:
        parts.append(
            f"通过政府信息公开平台开展满意度调查，收到评价{figures['responses']}份，"
            f"其中“满意”和“非常满意”{figures['satisfied']}份，满意率{figures['satisfied_share']:.1f}%"
        )
    if figures["ratings"]:
        parts.append(
            f"申请人对依申请公开答复作出评价{figures['ratings']}件，其中满意{figures['ratings_satisfied']}件，"
            f"满意率{figures['ratings_share']:.1f}%"
        )
    return f"社会评议方面，本年度{'；'.join(parts)}。" if parts else ""


def report_sentence(_app, *, agency_id: int, year: int) -> str:
    """`signals.report_appraisal`: the sentence a government's draft annual report offers its writer."""
    return appraisal_sentence(appraisal_figures(agency_id, year))
