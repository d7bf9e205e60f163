"""Annual reports on the supervision dashboard (issue 14 §1): for each agency, its annual report due within the
period — a department's by 31 January, a county-level-or-above government's by 31 March (条例 Art. 49,
`disclosure.reports.dues`) — published on time, published late, not published and overdue now, or not yet due,
each with the report's status (its latest version's state). Counted by `disclosure.reports.oversight`: one list of
due reports per scope, which every measure here partitions."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from disclosure import reports
from disclosure.supervision.figures._memo import memo
from disclosure.supervision.measures import Item, Measure, Scope, register

AREA = "reports"
oversight = reports.oversight
Standing = oversight.Standing


def _due(scope: Scope):
    p = scope.period
    return memo(("reports.due", scope), lambda: oversight.due_reports(scope.agency_ids, p.start, p.end, scope.today))


def _selected(scope: Scope, standing):
    return [d for d in _due(scope) if standing is None or d.standing == standing]


def _count(standing=None):
    def count(scope: Scope) -> dict[int, int]:
        out: dict[int, int] = {}
        for d in _selected(scope, standing):
            out[d.agency_id] = out.get(d.agency_id, 0) + 1
        return out

    return count


def _status(d) -> str:
    if d.state is None:
        return _("Not started")
    return str(d.state_label)


def _note(d) -> str:
    status = _status(d)
    if d.published_on is not None:
        return _(
            "%(status)s; first published on %(published)s, due %(due)s",
            status=status,
            published=d.published_on.isoformat(),
            due=d.due.isoformat(),
        )
    return _("%(status)s; due %(due)s", status=status, due=d.due.isoformat())


def _items(standing=None):
    def items(scope: Scope, limit: int | None, offset: int) -> list[Item]:
        chosen = _selected(scope, standing)
        chosen = chosen[offset:] if limit is None else chosen[offset : offset + limit]
        return [
            Item(
                agency_id=d.agency_id,
                reference=_("Annual report %(year)d", year=d.year),
                title=f"{d.year}年政府信息公开工作年度报告",
                on=d.due,
                url=d.url,
                note=_note(d),
            )
            for d in chosen
        ]

    return items


register(
    Measure(
        "reports.due",
        AREA,
        _l("Annual reports due"),
        _count(),
        _items(),
        _l(
            "Annual reports whose statutory date falls in the period: a department's by 31 January, a government's "
            "by 31 March (Regulations Art. 49)."
        ),
    ),
    Measure(
        "reports.on_time",
        AREA,
        _l("Annual reports published on time"),
        _count(Standing.ON_TIME),
        _items(Standing.ON_TIME),
        _l("Reports due in the period first published on or before their statutory date."),
    ),
    Measure(
        "reports.late",
        AREA,
        _l("Annual reports published late"),
        _count(Standing.LATE),
        _items(Standing.LATE),
        _l("Reports due in the period first published after their statutory date."),
        lower_is_better=True,
    ),
    Measure(
        "reports.overdue",
        AREA,
        _l("Annual reports overdue"),
        _count(Standing.OVERDUE),
        _items(Standing.OVERDUE),
        _l("Reports due in the period, not published, whose statutory date has passed today."),
        now=True,
        lower_is_better=True,
    ),
    Measure(
        "reports.not_yet_due",
        AREA,
        _l("Annual reports not yet due"),
        _count(Standing.NOT_YET_DUE),
        _items(Standing.NOT_YET_DUE),
        _l("Reports due later in the period, not published yet."),
    ),
)
