"""Double publicity (双公示) on the supervision dashboard (issue 14 §1): records received, published on time and late,
overdue now, and the on-time rate — the 双公示 dashboard's own statistics (`disclosure.publicity.oversight`, which
groups `stats.py`'s sums by agency), never recomputed differently: for the same agencies and decision dates the
numbers and the rate equal that dashboard's (rules-china §5.1: published within 7 working days of the decision).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from disclosure import publicity
from disclosure.supervision.figures._memo import memo
from disclosure.supervision.measures import Item, Measure, Ratio, Scope, register

AREA = "publicity"
oversight = publicity.oversight


def _rows(scope: Scope):
    p = scope.period
    return memo(("publicity.rows", scope), lambda: oversight.agency_rows(scope.agency_ids, p.start, p.end))


def _field(name: str):
    def count(scope: Scope) -> dict[int, int]:
        return {a: getattr(row, name) for a, row in _rows(scope).items() if getattr(row, name)}

    return count


def _judged(scope: Scope) -> dict[int, int]:
    """The base of `stats.Row.on_time_rate`: on time + late + overdue."""
    out = {a: row.on_time + row.late + row.overdue for a, row in _rows(scope).items()}
    return {a: n for a, n in out.items() if n}


def _overdue(scope: Scope) -> dict[int, int]:
    return dict(memo(("publicity.overdue", scope), lambda: oversight.overdue_counts(scope.agency_ids, scope.today)))


def _note(line, measure: str) -> str:
    if measure == "overdue":
        return _(
            "Decided on %(decided)s, due %(due)s", decided=line.decision_date.isoformat(), due=line.due_date.isoformat()
        )
    if line.published_on is not None:
        return _(
            "Published on %(published)s, due %(due)s",
            published=line.published_on.isoformat(),
            due=line.due_date.isoformat(),
        )
    return _("Not published, due %(due)s", due=line.due_date.isoformat())


def _items(measure: str):
    def items(scope: Scope, limit: int | None, offset: int) -> list[Item]:
        p = scope.period
        lines = oversight.records(
            scope.agency_ids, p.start, p.end, scope.today, measure=measure, limit=limit, offset=offset
        )
        return [
            Item(
                agency_id=r.agency_id,
                reference=r.decision_no,
                title=r.counterpart_name,
                on=r.on,
                url=r.url,
                note=_note(r, measure),
            )
            for r in lines
        ]

    return items


register(
    Measure(
        "publicity.received",
        AREA,
        _l("Licensing and penalty decisions recorded"),
        _field("received"),
        _items("received"),
        _l(
            "Licensing and penalty records of decisions taken in the period, published or not "
            "(as the double publicity dashboard counts them)."
        ),
    ),
    Measure(
        "publicity.on_time",
        AREA,
        _l("Published on time"),
        _field("on_time"),
        _items("on_time"),
        _l("Records of the period's decisions published within 7 working days of the decision."),
    ),
    Measure(
        "publicity.late",
        AREA,
        _l("Published late"),
        _field("late"),
        _items("late"),
        _l("Records of the period's decisions published after their due date."),
        lower_is_better=True,
    ),
    Measure(
        "publicity.judged",
        AREA,
        _l("Records due or published"),
        _judged,
        _items("judged"),
        _l(
            "Records of the period's decisions published (on time or late) or not published past their due date: "
            "the base of the on-time rate, as the double publicity dashboard counts it."
        ),
    ),
    Ratio(
        "publicity.on_time_rate",
        AREA,
        _l("Double publicity: on-time rate"),
        "publicity.on_time",
        "publicity.judged",
        _l("Published on time among the records due or published, as on the double publicity dashboard."),
    ),
    Measure(
        "publicity.overdue",
        AREA,
        _l("Records overdue now"),
        _overdue,
        _items("overdue"),
        _l("Records not yet published whose due date has passed today, whatever the decision date."),
        now=True,
        lower_is_better=True,
    ),
)
