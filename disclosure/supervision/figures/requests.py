"""Requests for disclosure (依申请公开) on the supervision dashboard (issue 14 §1): received, concluded, answered on
time or late with the on-time rate (条例 Art. 33), overdue now, the outcome mix, and the reconsiderations and
lawsuits with the share corrected.

Everything is counted by `disclosure.applications.oversight` (the cases) with the annual report's grid from
`disclosure.reports.oversight` (国办公开办函〔2021〕30号: table 3's blocks of results, table 4's kinds and its
结果纠正), so a year's figures equal the agency's annual report: received = table 3 row 一, concluded = row (七),
each outcome measure = one block (（一）予以公开 … （六）其他处理, a withdrawal under 其他处理), remedies and
corrected = table 4's totals. Several measures share one grouped query per scope (`_memo`).
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from disclosure import applications, reports
from disclosure.correspondence import outcome_info
from disclosure.supervision.figures._memo import memo
from disclosure.supervision.measures import Item, Measure, Ratio, Scope, register

AREA = "requests"
oversight = applications.oversight
GROUPS = reports.oversight.outcome_groups()

# Table 3's blocks as the interface names them (the report prints them in Chinese: `OutcomeGroup.label`).
GROUP_LABELS = {
    "granted": _l("Outcome: disclosed"),
    "partial": _l("Outcome: partly disclosed"),
    "deny": _l("Outcome: not disclosed"),
    "na": _l("Outcome: cannot be provided"),
    "np": _l("Outcome: not processed"),
    "oth": _l("Outcome: other handling"),
}
GROUP_DEFINITIONS = {
    "granted": _l("Requests concluded in the period with the information disclosed (annual report table 3, (1))."),
    "partial": _l("Requests concluded in the period with the information partly disclosed (table 3, (2))."),
    "deny": _l("Requests concluded in the period with disclosure refused under Arts. 14–16 (table 3, (3))."),
    "na": _l(
        "Requests concluded in the period where the information could not be provided: not held, to be created, "
        "or still unclear (table 3, (4))."
    ),
    "np": _l(
        "Requests concluded in the period and not processed: petitions, repeats, publications, mass requests, "
        "confirmations (table 3, (5))."
    ),
    "oth": _l(
        "Requests concluded in the period otherwise: not supplemented, fee unpaid, withdrawn or other (table 3, (6))."
    ),
}


# --- The grouped counts, once per scope --------------------------------------------------------------------------


def _received(scope: Scope) -> dict[int, int]:
    p = scope.period
    return dict(memo(("requests.received", scope), lambda: oversight.received_counts(scope.agency_ids, p.start, p.end)))


def _concluded(scope: Scope) -> dict[str, dict[int, int]]:
    """{field: {agency: n}} for concluded, answered, on_time, late and each outcome group."""

    def compute():
        out: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        group_of = {o: g.key for g in GROUPS for o in g.outcomes}
        withdrawn_group = next((g.key for g in GROUPS if g.with_withdrawn), None)
        p = scope.period
        for c in oversight.concluded_counts(scope.agency_ids, p.start, p.end):
            for name in ("concluded", "answered", "on_time", "late"):
                out[name][c.agency_id] += getattr(c, name)
            group = withdrawn_group if c.withdrawn else group_of.get(c.outcome)
            if group is not None:  # an unknown outcome is a data problem the annual report's checks name
                out[f"group:{group}"][c.agency_id] += c.concluded
        return {k: {a: n for a, n in v.items() if n} for k, v in out.items()}

    return memo(("requests.concluded", scope), compute)


def _overdue(scope: Scope) -> dict[int, int]:
    return dict(memo(("requests.overdue", scope), lambda: oversight.overdue_counts(scope.agency_ids, scope.today)))


def _remedies(scope: Scope) -> dict[str, dict[int, int]]:
    """{field: {agency: n}} for remedies filed in the period (table 4's kinds), reconsiderations, lawsuits and those
    corrected as they stood at the period's end."""

    def compute():
        out: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        ro = reports.oversight
        p = scope.period
        for r in oversight.remedy_counts(scope.agency_ids, p.start, p.end):
            if r.kind not in ro.REMEDY_KINDS:
                continue  # a kind table 4 does not know: the report's checks name it
            out["remedies"][r.agency_id] += r.count
            out["reconsiderations" if r.kind in ro.RECONSIDERATION_KINDS else "lawsuits"][r.agency_id] += r.count
            if r.result == ro.CORRECTED_RESULT:
                out["corrected"][r.agency_id] += r.count
        return {k: dict(v) for k, v in out.items()}

    return memo(("requests.remedies", scope), compute)


def _part(source, name: str):
    """One field of a shared grouped count, as a dict of the caller's own (the memo's stays as it was)."""
    return lambda scope: dict(source(scope).get(name, {}))


# --- The records behind them --------------------------------------------------------------------------------------


def _case_note(line, measure: str) -> str:
    if measure == "late":
        return _(
            "Replied on %(replied)s, due %(due)s", replied=line.issued_date.isoformat(), due=line.due_date.isoformat()
        )
    if measure == "overdue":
        return _("Due on %(due)s", due=line.due_date.isoformat())
    if measure == "received":
        return str(applications.state_label(line.state))
    if line.outcome:
        try:
            return str(outcome_info(line.outcome).label)
        except (KeyError, ValueError):
            return line.outcome
    return str(applications.state_label(line.state))


def _cases(measure: str, group=None):
    def items(scope: Scope, limit: int | None, offset: int) -> list[Item]:
        p = scope.period
        lines = oversight.cases(
            scope.agency_ids,
            p.start,
            p.end,
            scope.today,
            measure=measure,
            outcomes=group.outcomes if group else None,
            with_withdrawn=group.with_withdrawn if group else False,
            limit=limit,
            offset=offset,
        )
        return [
            Item(
                agency_id=c.agency_id,
                reference=c.reference or "",
                title=c.subject,
                on=c.on,
                url=c.url,
                note=_case_note(c, measure),
            )
            for c in lines
        ]

    return items


def _remedy_items(kinds, result=None):
    def items(scope: Scope, limit: int | None, offset: int) -> list[Item]:
        p = scope.period
        lines = oversight.remedies(
            scope.agency_ids, p.start, p.end, kinds=kinds, result=result, limit=limit, offset=offset
        )
        return [
            Item(
                agency_id=r.agency_id,
                reference=r.reference or "",
                title=" · ".join(str(x) for x in (applications.remedy_kind_label(r.kind), r.body) if x),
                on=r.filed_date,
                url=r.url,
                note=str(applications.remedy_result_label(r.result)),
            )
            for r in lines
        ]

    return items


# --- The registry -------------------------------------------------------------------------------------------------

ro = reports.oversight

register(
    Measure(
        "requests.received",
        AREA,
        _l("Requests received"),
        _received,
        _cases("received"),
        _l("Requests received in the period, by their received date (Regulations Art. 31; table 3, row 1)."),
    ),
    Measure(
        "requests.concluded",
        AREA,
        _l("Requests concluded"),
        _part(_concluded, "concluded"),
        _cases("concluded"),
        _l(
            "Requests replied to, treated as abandoned or withdrawn in the period, by their closing date "
            "(table 3, total of the results)."
        ),
    ),
    Measure(
        "requests.answered",
        AREA,
        _l("Replies issued"),
        _part(_concluded, "answered"),
        _cases("answered"),
        _l("Concluded requests whose reply was issued in the period."),
    ),
    Measure(
        "requests.on_time",
        AREA,
        _l("Replied on time"),
        _part(_concluded, "on_time"),
        _cases("on_time"),
        _l("Replies issued in the period on or before their due date (Regulations Art. 33)."),
    ),
    Measure(
        "requests.late",
        AREA,
        _l("Replied late"),
        _part(_concluded, "late"),
        _cases("late"),
        _l("Replies issued in the period after their due date (Regulations Art. 33)."),
        lower_is_better=True,
    ),
    Ratio(
        "requests.on_time_rate",
        AREA,
        _l("Requests: on-time rate"),
        "requests.on_time",
        "requests.answered",
        _l("Replies issued on time among the replies issued in the period."),
    ),
    Measure(
        "requests.overdue",
        AREA,
        _l("Requests overdue now"),
        _overdue,
        _cases("overdue"),
        _l(
            "Open requests past their due date today, the clock running (not paused by a consultation, a fee notice "
            "or a request to supplement)."
        ),
        now=True,
        lower_is_better=True,
    ),
)

for _group in GROUPS:
    register(
        Measure(
            f"requests.outcome_{_group.key}",
            AREA,
            GROUP_LABELS[_group.key],
            _part(_concluded, f"group:{_group.key}"),
            _cases("concluded", _group),
            GROUP_DEFINITIONS[_group.key],
        )
    )

register(
    Measure(
        "requests.remedies",
        AREA,
        _l("Reconsiderations and lawsuits filed"),
        _part(_remedies, "remedies"),
        _remedy_items(ro.REMEDY_KINDS),
        _l("Administrative reconsiderations and lawsuits about the agency's replies filed in the period (table 4)."),
    ),
    Measure(
        "requests.reconsiderations",
        AREA,
        _l("Reconsiderations filed"),
        _part(_remedies, "reconsiderations"),
        _remedy_items(ro.RECONSIDERATION_KINDS),
        _l("Administrative reconsiderations filed in the period (table 4)."),
    ),
    Measure(
        "requests.lawsuits",
        AREA,
        _l("Lawsuits filed"),
        _part(_remedies, "lawsuits"),
        _remedy_items(ro.LAWSUIT_KINDS),
        _l("Administrative lawsuits filed in the period, directly or after a reconsideration (table 4)."),
    ),
    Measure(
        "requests.corrected",
        AREA,
        _l("Reconsiderations and lawsuits: corrected"),
        _part(_remedies, "corrected"),
        _remedy_items(ro.REMEDY_KINDS, ro.CORRECTED_RESULT),
        _l(
            "Reconsiderations and lawsuits filed in the period whose result, at the period's end, corrected the "
            "agency's decision (table 4, 'corrected')."
        ),
        lower_is_better=True,
    ),
    Ratio(
        "requests.correction_rate",
        AREA,
        _l("Reconsiderations and lawsuits: share corrected"),
        "requests.corrected",
        "requests.remedies",
        _l("Corrected among the reconsiderations and lawsuits filed in the period."),
        lower_is_better=True,
    ),
)
