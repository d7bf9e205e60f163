"""Words shown to people: a report's state, and the state, outcome and remedy result of the cases behind a figure
(read through the doors of the packages that hold them)."""

from __future__ import annotations

from flask_babel import lazy_pgettext

from disclosure import applications
from disclosure.correspondence import outcome_info
from workflows.report import States

STATE_LABELS = {
    States.DRAFT.value: lazy_pgettext("reports", "Draft"),
    States.SUBMITTED.value: lazy_pgettext("reports", "Submitted for approval"),
    States.APPROVED.value: lazy_pgettext("reports", "Approved"),
    States.PUBLISHED.value: lazy_pgettext("reports", "Published"),
    States.SUPERSEDED.value: lazy_pgettext("reports", "Superseded by a correction"),
}


def state_label(state: str):
    return STATE_LABELS.get(state, state)


def case_state_label(state: str):
    return applications.state_label(state)


def case_outcome_label(outcome: str | None):
    """A concluded case's outcome as the reply names it; an unknown value as it is."""
    if not outcome:
        return outcome
    try:
        return outcome_info(outcome).label
    except (ValueError, KeyError):
        return outcome


def remedy_result_label(result: str):
    return applications.remedy_result_label(result)
