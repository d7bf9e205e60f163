"""Column-update figures (栏目更新; issue 14 §1; 国办秘函〔2019〕19号, proactive-china §1.7, §2.8): states today,
all lower-is-better, counted by the column monitor (`disclosure.supervision.columns.monitor`) from the
catalogue's door. Each lists what it counts: the columns (with their last update), or the agencies whose site
fails a single-veto check; every item links to the agency's column page."""

from __future__ import annotations

from flask import has_request_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from disclosure.supervision.blueprints import staff_bp
from disclosure.supervision.columns import monitor
from disclosure.supervision.columns.monitor import AgencyColumns, ColumnState
from disclosure.supervision.columns.rules import FLAG_LABELS
from disclosure.supervision.measures import Item, Measure, Scope, register


def column_url(agency_id: int, category: str | None = None) -> str:
    """The agency's column page (at the column's row)."""
    anchor = f"#column-{category}" if category else ""
    if has_request_context():
        return url_for("supervision.columns", agency=agency_id) + anchor
    return f"{staff_bp.url_prefix}/columns?agency={agency_id}{anchor}"


def _results(scope: Scope) -> dict[int, AgencyColumns]:
    return monitor.monitor(scope.agency_ids, scope.today, entries=False)


def _column_note(column: ColumnState) -> str:
    if column.last is None:
        return _("Nothing published in this column yet.")
    gap = column.rule.gap_days
    return ngettext(
        "%(num)d day since the last update (at most %(gap)s).",
        "%(num)d days since the last update (at most %(gap)s).",
        column.days_since,
        gap=gap if gap is not None else "—",
    )


def _columns_measure(pick):
    def count(scope: Scope) -> dict[int, int]:
        return {agency_id: len(pick(result)) for agency_id, result in _results(scope).items() if pick(result)}

    def items(scope: Scope, limit: int | None, offset: int) -> list[Item]:
        out = []
        for agency_id, result in _results(scope).items():
            for column in pick(result):
                out.append(
                    Item(
                        agency_id=agency_id,
                        reference=column.article,
                        title=str(column.label),
                        on=column.last_on,
                        url=column_url(agency_id, column.category),
                        note=_column_note(column),
                    )
                )
        return out[offset:] if limit is None else out[offset : offset + limit]

    return count, items


def _vetoes_count(scope: Scope) -> dict[int, int]:
    return {agency_id: 1 for agency_id, result in _results(scope).items() if result.vetoed}


def _vetoes_items(scope: Scope, limit: int | None, offset: int) -> list[Item]:
    out = []
    for agency_id, result in _results(scope).items():
        if result.vetoed:
            out.append(
                Item(
                    agency_id=agency_id,
                    reference="",
                    title="; ".join(str(FLAG_LABELS[f]) for f in result.flags),
                    on=result.last_any,
                    url=column_url(agency_id),
                    note=ngettext(
                        "%(num)d single-veto check failed.", "%(num)d single-veto checks failed.", len(result.flags)
                    ),
                )
            )
    return out[offset:] if limit is None else out[offset : offset + limit]


_overdue = _columns_measure(lambda r: r.overdue)
_blank = _columns_measure(lambda r: r.blank)
_stale = _columns_measure(lambda r: r.long_stale)

register(
    Measure(
        key="columns.overdue",
        area="columns",
        label=_l("Columns overdue"),
        count=_overdue[0],
        items=_overdue[1],
        definition=_l(
            "Columns that apply to the agency and were not updated within their maximum gap (国办秘函〔2019〕19号)."
        ),
        now=True,
        lower_is_better=True,
    ),
    Measure(
        key="columns.blank",
        area="columns",
        label=_l("Columns blank"),
        count=_blank[0],
        items=_blank[1],
        definition=_l("Columns that apply to the agency and in which it never published a public entry."),
        now=True,
        lower_is_better=True,
    ),
    Measure(
        key="columns.long_stale",
        area="columns",
        label=_l("Columns long stale"),
        count=_stale[0],
        items=_stale[1],
        definition=_l("Overdue columns not updated for longer than the long-stale limit (a year unless changed)."),
        now=True,
        lower_is_better=True,
    ),
    Measure(
        key="columns.vetoes",
        area="columns",
        label=_l("Agencies failing a single-veto check"),
        count=_vetoes_count,
        items=_vetoes_items,
        definition=_l(
            "Agencies whose site has too many overdue, long-stale or blank columns, or no update at all in two "
            "weeks: each is a single-veto item of 国办秘函〔2019〕19号."
        ),
        now=True,
        lower_is_better=True,
    ),
)
