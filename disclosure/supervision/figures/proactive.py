"""The proactive-disclosure figures (主动公开; issue 14 §1): entries published, their timeliness against 条例
Art. 26, entries overdue now, policy interpretations on time, late and missing, normative documents due for
evaluation. Counted by the catalogue (`disclosure.catalog.oversight`), each entry for every organ that issued it
(a joint document for each of its issuers, as each sees it in its own catalogue)."""

from __future__ import annotations

import functools

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from disclosure.catalog import oversight
from disclosure.supervision.figures._pairs import grouped, in_period, measure, today
from disclosure.supervision.measures import Ratio, register

AREA = "proactive"
JOINT = _l("A joint document counts for each organ that issued it.")


_in_period, _today = in_period, today
_measure = functools.partial(measure, AREA)


def _timeliness(which: str):
    """One grouped statement for the publications judged, on time and late."""
    return grouped("proactive.timeliness", oversight.timeliness_counts, oversight.timeliness_records, which)


def _interpretations(which: str):
    """The period's interpretations judged once for the three measures."""
    return grouped(
        "proactive.interpretations", oversight.interpretation_counts, oversight.interpretation_records, which
    )


def _definition(text) -> object:
    return _l("%(rule)s %(joint)s", rule=text, joint=JOINT)


register(
    _measure(
        "published",
        _l("Entries published"),
        _in_period(oversight.published_counts, oversight.published_records),
        _definition(
            _l(
                "Catalogue entries disclosed proactively (documents and interpretations) first published in the "
                "period; an entry withdrawn later still counts."
            )
        ),
    ),
    _measure(
        "changes_published",
        _l("Changes published"),
        _in_period(oversight.changes_counts, oversight.changes_records),
        _definition(
            _l(
                "New versions of entries disclosed proactively published in the period, each version once "
                "(Regulations Art. 26: a change restarts the 20 working days)."
            )
        ),
    ),
    _measure(
        "judged",
        _l("Publications judged for timeliness"),
        _timeliness("all"),
        _definition(
            _l(
                "Published entries disclosed proactively whose current version was published in the period, "
                "judged against their due date: 20 working days (the agency's setting) from the day the "
                "information was made or last changed (Regulations Art. 26)."
            )
        ),
    ),
    _measure(
        "on_time",
        lazy_pgettext("catalog", "Published on time"),
        _timeliness("on_time"),
        _definition(_l("Of the publications judged, those published by their due date (Regulations Art. 26).")),
    ),
    _measure(
        "late",
        lazy_pgettext("catalog", "Published late"),
        _timeliness("late"),
        _definition(_l("Of the publications judged, those published after their due date (Regulations Art. 26).")),
        lower_is_better=True,
    ),
    Ratio(
        f"{AREA}.on_time_rate",
        AREA,
        _l("On-time rate (Art. 26)"),
        numerator=f"{AREA}.on_time",
        denominator=f"{AREA}.judged",
        definition=_l("Publications on time as a share of the publications judged in the period."),
    ),
    _measure(
        "overdue",
        _l("Overdue now"),
        _today(oversight.overdue_counts, oversight.overdue_records),
        _definition(
            _l(
                "Entries disclosed proactively still being prepared or revised whose due date (Regulations "
                "Art. 26) has passed today."
            )
        ),
        now=True,
        lower_is_better=True,
    ),
    _measure(
        "interpretations",
        _l("Interpretations published"),
        _interpretations("all"),
        _definition(
            _l(
                "Public policy interpretations first published in the period that interpret a published rule or "
                "normative document."
            )
        ),
    ),
    _measure(
        "interpretations_on_time",
        _l("Interpretations on time"),
        _interpretations("on_time"),
        _definition(
            _l(
                "Of those interpretations, the ones published within the agency's number of working days (3 unless "
                "set otherwise; 浙江 2016 circular) after each document they interpret."
            )
        ),
    ),
    _measure(
        "interpretations_late",
        _l("Interpretations late"),
        _interpretations("late"),
        _definition(
            _l(
                "Of those interpretations, the ones published after the due date of a document they interpret; "
                "each interpretation counts once."
            )
        ),
        lower_is_better=True,
    ),
    Ratio(
        f"{AREA}.interpretation_on_time_rate",
        AREA,
        _l("Interpretations on time (share)"),
        numerator=f"{AREA}.interpretations_on_time",
        denominator=f"{AREA}.interpretations",
        definition=_l("Interpretations on time as a share of the interpretations published in the period."),
    ),
    _measure(
        "interpretations_missing",
        _l("Interpretations missing"),
        _today(oversight.missing_interpretation_counts, oversight.missing_interpretation_records),
        _definition(
            _l(
                "Published rules and normative documents disclosed proactively still without a public "
                "interpretation once it was due (谁起草、谁解读), today."
            )
        ),
        now=True,
        lower_is_better=True,
    ),
    _measure(
        "evaluation_due",
        _l("Normative documents due for evaluation"),
        _today(oversight.evaluation_due_counts, oversight.evaluation_due_records),
        _definition(
            _l(
                "Valid rules and normative documents whose validity period ends within the lead issuer's "
                "evaluation window (6 months unless set otherwise) or has ended without their being marked "
                "expired: they must be evaluated, re-registered, amended or let lapse, today."
            )
        ),
        now=True,
        lower_is_better=True,
    ),
)
