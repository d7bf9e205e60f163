"""Public appraisal's figures (社会评议, issue 14 §4; 条例 Art. 50(4)): the satisfaction survey's responses and those
satisfied (满意 or 非常满意 overall), the applicants' ratings of replies and those satisfied, and the two shares.
A response counts on the Beijing day it came in, a rating on the Beijing day it was given; each item links to the
staff page of the response, or of the case whose reply was rated."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from disclosure import applications
from disclosure.supervision.appraisal import aggregate
from disclosure.supervision.appraisal.questions import scale_label
from disclosure.supervision.measures import Item, Measure, Ratio, Scope, register


def _survey_count(satisfied: bool):
    def count(scope: Scope) -> dict[int, int]:
        per_agency = aggregate.survey_counts(scope.agency_ids, scope.period.start, scope.period.end)
        return {a: (s if satisfied else n) for a, (n, s) in per_agency.items() if (s if satisfied else n)}

    return count


def _survey_items(satisfied: bool):
    def items(scope: Scope, limit: int | None, offset: int) -> list[Item]:
        rows = aggregate.responses(
            scope.agency_ids,
            scope.period.start,
            scope.period.end,
            satisfied=True if satisfied else None,
            limit=limit,
            offset=offset,
        )
        return [
            Item(
                agency_id=r.agency_id,
                reference=_("Response %(n)s", n=r.id),
                title=str(scale_label(r.overall)),
                on=r.submitted_on,
                url=url_for("supervision.appraisal_response", response_id=r.id),
            )
            for r in rows
        ]

    return items


def _rating_count(satisfied: bool):
    def count(scope: Scope) -> dict[int, int]:
        per_agency = applications.rating_counts(scope.agency_ids, scope.period.start, scope.period.end)
        return {
            a: (c.satisfied if satisfied else c.total)
            for a, c in per_agency.items()
            if (c.satisfied if satisfied else c.total)
        }

    return count


def _rating_items(satisfied: bool):
    def items(scope: Scope, limit: int | None, offset: int) -> list[Item]:
        rows = applications.ratings(
            scope.agency_ids,
            scope.period.start,
            scope.period.end,
            satisfied=True if satisfied else None,
            limit=limit,
            offset=offset,
        )
        return [
            Item(
                agency_id=r.agency_id,
                reference=r.reference or str(r.case_id),
                title=_("Satisfied") if r.satisfied else _("Not satisfied"),
                on=r.rated_on,
                url=r.staff_url,
            )
            for r in rows
        ]

    return items


register(
    Measure(
        "appraisal.responses",
        "appraisal",
        _l("Survey responses"),
        _survey_count(False),
        _survey_items(False),
        definition=_l("Answers to the agency's satisfaction survey on the public platform received in the period."),
    ),
    Measure(
        "appraisal.responses_satisfied",
        "appraisal",
        _l("Satisfied survey responses"),
        _survey_count(True),
        _survey_items(True),
        definition=_l("Survey responses whose overall answer is satisfied or very satisfied (满意, 非常满意)."),
    ),
    Ratio(
        "appraisal.satisfied_share",
        "appraisal",
        _l("Survey satisfaction rate"),
        "appraisal.responses_satisfied",
        "appraisal.responses",
        definition=_l("Satisfied survey responses as a share of all survey responses in the period."),
    ),
    Measure(
        "appraisal.ratings",
        "appraisal",
        _l("Applicants' ratings of replies"),
        _rating_count(False),
        _rating_items(False),
        definition=_l("Ratings applicants gave the replies to their requests in the period."),
    ),
    Measure(
        "appraisal.ratings_satisfied",
        "appraisal",
        _l("Satisfied ratings of replies"),
        _rating_count(True),
        _rating_items(True),
        definition=_l("Applicants' ratings in the period that say they were satisfied with the reply."),
    ),
    Ratio(
        "appraisal.ratings_satisfied_share",
        "appraisal",
        _l("Applicants' satisfaction rate"),
        "appraisal.ratings_satisfied",
        "appraisal.ratings",
        definition=_l("Satisfied ratings as a share of all applicants' ratings in the period."),
    ),
)
