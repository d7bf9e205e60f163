"""The public-consultation figures (意见征集; issue 14 §1): consultations held, comments received, adoption
feedback published on time and late, and feedback overdue now. Counted by the participation package
(`disclosure.participation.oversight`), each consultation for the agency that holds it."""

from __future__ import annotations

import functools

from flask_babel import lazy_gettext as _l

from disclosure.participation import oversight
from disclosure.supervision.figures._pairs import grouped, in_period, measure, today
from disclosure.supervision.measures import Ratio, register

AREA = "consultations"


_in_period, _today = in_period, today
_measure = functools.partial(measure, AREA)


def _feedback(which: str):
    """The period's published feedback judged once for the three measures."""
    return grouped("consultations.feedback", oversight.feedback_counts, oversight.feedback_records, which)


register(
    _measure(
        "held",
        _l("Consultations held"),
        _in_period(oversight.held_counts, oversight.held_records),
        _l("Public consultations on drafts opened in the period (Beijing time), whatever became of them since."),
    ),
    _measure(
        "comments",
        _l("Comments received"),
        _in_period(oversight.comment_counts, oversight.comment_records),
        _l(
            "Comments received in the period by every channel (online, email, post, fax, at hearings), duplicates "
            "included."
        ),
    ),
    _measure(
        "feedback_published",
        _l("Feedback published"),
        _feedback("all"),
        _l("Consultations whose adoption feedback (采纳情况), with every answer, was published in the period."),
    ),
    _measure(
        "feedback_on_time",
        _l("Feedback published on time"),
        _feedback("on_time"),
        _l(
            "Of that feedback, the ones published within %(n)d working days of the close of comments (Regulations "
            "Art. 26 applied to the adoption status; no national rule fixes another period).",
            n=oversight.FEEDBACK_DUE_WORKING_DAYS,
        ),
    ),
    _measure(
        "feedback_late",
        _l("Feedback published late"),
        _feedback("late"),
        _l(
            "Of that feedback, the ones published more than %(n)d working days after the close of comments.",
            n=oversight.FEEDBACK_DUE_WORKING_DAYS,
        ),
        lower_is_better=True,
    ),
    Ratio(
        f"{AREA}.feedback_on_time_rate",
        AREA,
        _l("Feedback on time (share)"),
        numerator=f"{AREA}.feedback_on_time",
        denominator=f"{AREA}.feedback_published",
        definition=_l("Feedback published on time as a share of the feedback published in the period."),
    ),
    _measure(
        "feedback_overdue",
        _l("Feedback overdue now"),
        _today(oversight.feedback_overdue_counts, oversight.feedback_overdue_records),
        _l(
            "Closed consultations, not withdrawn, whose adoption feedback is still unpublished more than %(n)d "
            "working days after the close of comments, today.",
            n=oversight.FEEDBACK_DUE_WORKING_DAYS,
        ),
        now=True,
        lower_is_better=True,
    ),
)
