"""The supervision dashboards (issue 14 §1; 条例 Art. 47): the competent department's over every agency the user
may see, one agency's, and the drill-down that lists the records behind any number.

The views parse the period and authorise (`scope`); the figures come from `board.build` over the registry. A
period that does not parse is shown beside its field while the page keeps the last good period (the session
remembers it), so nothing the user was reading disappears.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from urllib.parse import quote, urlencode

from babel.dates import get_month_names
from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape

from disclosure.core.timeutil import today_china
from disclosure.supervision import measures, periods, scope
from disclosure.supervision.blueprints import staff_bp
from disclosure.supervision.dashboard import board as boards
from disclosure.supervision.dashboard.collector import without_collection
from disclosure.supervision.measures import REGISTRY, Measure, Ratio, Scope
from disclosure.web.access import staff_required
from disclosure.web.paging import Page, page_number
from disclosure.web.params import parse_id

PERIOD_SESSION_KEY = "supervision_period"
PER_PAGE = 50
AGENCIES_PER_PAGE = 50  # rows of the competent department's agencies-at-a-glance table (and bars of its chart)
ATTENTION_ITEMS = 10  # items listed per 'now' figure at the top of an agency's dashboard
PERIOD_FIELDS = ("period", "year", "month", "quarter", "from", "to")
ECHARTS = Path("vendor") / "echarts" / "echarts.min.js"


class Linker:
    """Drill-down addresses (`/staff/supervision/records?figure=…&agency=…&<period>`) and the linked numbers of the
    tables, joined as strings: the competent department's page links thousands of numbers (500 agencies × the key
    figures), and `url_for` or a template macro for each would cost more than counting the figures."""

    def __init__(self, period: periods.Period):
        self.base = url_for("supervision.records")
        self.period_qs = urlencode(period.as_args())
        self._href_base = str(escape(self.base))
        self._href_tail = str(escape(f"&{self.period_qs}"))
        self._keys: dict[str, str] = {}
        # An empty rate (nothing to rate), translated once per page.
        self.nil = Markup('<span aria-hidden="true">—</span><span class="visually-hidden">{}</span>').format(
            _("nothing to rate")
        )

    def __call__(self, key: str, agency_id: int | None = None, period: periods.Period | None = None) -> str:
        qs = self.period_qs if period is None else urlencode(period.as_args())
        agency = "" if agency_id is None else str(int(agency_id))
        return f"{self.base}?figure={quote(key, safe='.')}&agency={agency}&{qs}"

    def _key(self, key: str) -> str:
        if key not in self._keys:
            self._keys[key] = str(escape(quote(key, safe=".")))
        return self._keys[key]

    def number(self, figure: boards.Figure, value: boards.Value, agency_id: int | None = None) -> Markup:
        """A figure's value as a link to its records (a rate to its numerator's records), or `nil`."""
        if value.number is None:
            return self.nil
        shown = f"{value.number:.1f}%" if figure.is_ratio else str(int(value.number))
        agency = "" if agency_id is None else str(int(agency_id))
        # Every part is escaped or a number: the base from url_for, the key escaped once, the period escaped once.
        href = f"{self._href_base}?figure={self._key(figure.key)}&amp;agency={agency}{self._href_tail}"
        return Markup(f'<a href="{href}">{shown}</a>')  # noqa: S704 - escaped above (Markup.format costs too much here)

    def cell(self, chart: boards.Chart, series: boards.Series, row: int) -> Markup:
        """One value of a chart's table, linked to its records where it has any address."""
        number = series.values[row]
        if number is None:
            return self.nil
        shown = f"{number:.1f}%" if chart.unit == "%" else str(number)
        href = series.links[row]
        return Markup('<a href="{}">{}</a>').format(href, shown) if href else escape(shown)


def period_args() -> dict[str, str]:
    """The query string's period arguments for `periods.parse`, a number that is not ASCII made plainly invalid:
    `parse` checks numbers with `str.isdigit`, which also accepts '²', and `int('²')` then raises a ValueError (a
    500) instead of the field's message."""
    args = {name: request.args.get(name, "") for name in PERIOD_FIELDS if name in request.args}
    for name in ("year", "month", "quarter"):
        if not args.get(name, "").isascii():
            args[name] = "?"
    return args


def _last_good(today) -> periods.Period:
    saved = session.get(PERIOD_SESSION_KEY)
    if isinstance(saved, dict):
        try:
            return periods.parse(saved, today)
        except periods.PeriodError:
            pass
    return periods.parse({}, today)


def current_period(today) -> tuple[periods.Period, dict[str, str]]:
    """The period the query string names, or — with every problem by field — the last good one."""
    try:
        period = periods.parse(period_args(), today)
    except periods.PeriodError as exc:
        return _last_good(today), exc.errors
    args = period.as_args()
    if session.get(PERIOD_SESSION_KEY) != args:
        session[PERIOD_SESSION_KEY] = args
    return period, {}


def _picker(period: periods.Period, errors: dict[str, str], today) -> dict:
    """What the period form shows: the shown period's values, or what was typed where it was refused."""
    values = {name: "" for name in PERIOD_FIELDS}
    values.update(period.as_args())
    values.setdefault("from", "")
    if period.kind is not periods.PeriodKind.CUSTOM:
        values["from"], values["to"] = period.start.isoformat(), period.end.isoformat()
    else:
        values["year"] = str(period.start.year)
    if errors:
        values.update({name: request.args.get(name, "") for name in PERIOD_FIELDS if name in request.args})
    months = get_month_names("wide", locale=get_locale() or "zh_Hans_CN")
    return {
        "values": values,
        "errors": errors,
        "kinds": [(k.value, label) for k, label in periods.PERIOD_KIND_LABELS.items()],
        "months": [(str(n), months[n]) for n in range(1, 13)],
        "quarters": [(str(n), _("Q%(quarter)d", quarter=n)) for n in range(1, 5)],
        "first_year": periods.FIRST_YEAR,
        "last_year": today.year + 1,
    }


def _echarts_available() -> bool:
    return (Path(current_app.static_folder) / ECHARTS).is_file()


def _render(template: str, board: boards.Board, period, errors, today, **context):
    return render_template(
        template,
        board=board,
        period=period,
        today=today,
        picker=_picker(period, errors, today),
        chart_data={"charts": [c.as_json() for c in board.charts]},
        echarts=ECHARTS.as_posix() if _echarts_available() else None,
        **context,
    ), (422 if errors else 200)


def _query() -> str:
    args = request.args.to_dict(flat=False)
    return f"?{urlencode(args, doseq=True)}" if args else ""


@staff_bp.route("/")
@staff_required(*scope.DASHBOARD_ROLES)
@without_collection
def dashboard():
    """The competent department's dashboard over every agency the user may see (an agency's own staff, who see
    one agency, are sent to its dashboard)."""
    ids = scope.visible_agency_ids(current_user)
    if len(ids) == 1 and not scope.is_supervisor(current_user):
        return redirect(url_for("supervision.dashboard_agency", agency_id=ids[0]) + _query())
    today = today_china()
    period, errors = current_period(today)
    agencies = scope.agencies(ids)
    link = Linker(period)
    board = boards.build(Scope(tuple(a.id for a in agencies), period, today), agencies, link=link, charts=False)
    key_figures = board.key_figures()
    glance = _glance(board, key_figures, period)
    board.shown = glance["page"].items
    boards.draw(board, link)
    # One url_for, then the ids joined in (the rule is /agencies/<int:agency_id>): one link per agency shown.
    first, marker = url_for("supervision.dashboard_agency", agency_id=1, **period.as_args()), "/agencies/1?"
    head, tail = first.split(marker, 1)
    agency_urls = {a.id: f"{head}/agencies/{a.id}?{tail}" for a in board.shown}
    return _render(
        "supervision/dashboard/index.html",
        board,
        period,
        errors,
        today,
        link=link,
        agency_urls=agency_urls,
        key_figures=key_figures,
        glance=glance,
    )


def _glance(board: boards.Board, key_figures, period: periods.Period) -> dict:
    """The agencies-at-a-glance table: one page of `AGENCIES_PER_PAGE` agencies, in tree order or sorted by one of
    its figures (`?sort=<key>&order=asc|desc`, highest first unless asked), with each column's sort address; the
    totals stay over every agency of the scope."""
    figures = {f.key: f for _area, chosen in key_figures for f in chosen}
    sort = (request.args.get("sort") or "").strip()
    figure = figures.get(sort)
    descending = figure is not None and request.args.get("order") != "asc"
    ordered = boards.sort_agencies(board.agencies, figure, descending)
    pages = max(1, -(-len(ordered) // AGENCIES_PER_PAGE))
    number = min(page_number(), pages)
    start = (number - 1) * AGENCIES_PER_PAGE
    page = Page(ordered[start : start + AGENCIES_PER_PAGE], number, AGENCIES_PER_PAGE, len(ordered))
    args = period.as_args()
    sorts = {}
    for key in figures:
        # The first click sorts highest first; a click on the sorted column turns the order round.
        order = "asc" if key == sort and descending else "desc"
        sorts[key] = url_for("supervision.dashboard", **args, sort=key, order=order) + "#by-agency"
    return {
        "page": page,
        "sort": figure.key if figure else "",
        "descending": descending,
        "sorts": sorts,
        "unsorted": url_for("supervision.dashboard", **args) + "#by-agency",
    }


@staff_bp.route("/agencies/<int:agency_id>")
@staff_required(*scope.DASHBOARD_ROLES)
@without_collection
def dashboard_agency(agency_id: int):
    """One agency's dashboard; what needs acting on (supervision notices, column flags) comes first."""
    agency = scope.agency_or_404(current_user, agency_id)
    today = today_china()
    period, errors = current_period(today)
    link = Linker(period)
    the_scope = Scope((agency.id,), period, today)
    board = boards.build(the_scope, [agency], agency_id=agency.id, link=link)
    attention, others = board.split(boards.ATTENTION_AREAS)
    listed = {
        f.key: f.spec.items(the_scope, ATTENTION_ITEMS, 0)
        for area in attention
        for f in area.figures
        if not f.is_ratio and f.now and f.total.number
    }
    overview = None
    if len(scope.visible_agency_ids(current_user)) > 1:
        overview = url_for("supervision.dashboard", **period.as_args())
    return _render(
        "supervision/dashboard/agency.html",
        board,
        period,
        errors,
        today,
        link=link,
        agency=agency,
        attention=attention,
        others=others,
        listed=listed,
        overview=overview,
    )


FIELD_LABELS = {
    "period": _l("Period"),
    "year": _l("Year"),
    "month": _l("Month"),
    "quarter": _l("Quarter"),
    "from": _l("From"),
    "to": _l("To"),
}


# Pages a supervisor opens for any agency it sees; another agency's own staff pages (a case, a catalogue entry)
# admit that agency's staff only, so a record there is listed with its facts and without a link that would 404.
SHARED_PAGES = ("/staff/supervision/",)


def openable(item):
    """The record as this user may follow it: its link kept when the user works for the record's agency (or runs
    the system) or when the link is a public page or a supervision page; otherwise listed without a link."""
    url = item.url or ""
    if (
        not url
        or current_user.is_sys_admin
        or item.agency_id == current_user.agency_id
        or not url.startswith("/staff/")
        or url.startswith(SHARED_PAGES)
    ):
        return item
    return dataclasses.replace(item, url="")


@staff_bp.route("/records")
@staff_required(*scope.DASHBOARD_ROLES)
def records():
    """The records behind one number of a dashboard: the figure's `Measure.items` over the same agencies and
    period, paginated; their count is the figure (for a rate, the numerator's records)."""
    agency = None
    agency_text = (request.args.get("agency") or "").strip()
    if agency_text:
        agency = scope.agency_or_404(current_user, parse_id(agency_text))
        ids = (agency.id,)
    else:
        ids = tuple(scope.visible_agency_ids(current_user))
    key = (request.args.get("figure") or "").strip()
    spec = REGISTRY.get(key) if key else None
    today = today_china()
    context = {"agency": agency, "key": key, "spec": spec, "today": today}
    if spec is None:
        if key:
            problem = _("There is no figure “%(key)s”. Follow a number on the dashboard.", key=key[:100])
        else:
            problem = _("Choose a figure: follow a number on the dashboard.")
        return render_template("supervision/dashboard/records.html", problem=problem, **context), 404
    try:
        period = periods.parse(period_args(), today)
    except periods.PeriodError as exc:
        problems = [(FIELD_LABELS.get(name, name), message) for name, message in exc.errors.items()]
        return render_template("supervision/dashboard/records.html", period_problems=problems, **context), 400
    the_scope = Scope(ids, period, today)
    measure: Measure = spec if isinstance(spec, Measure) else REGISTRY.measures[spec.numerator]
    total = measures.total(measure.count(the_scope), set(ids))
    number = page_number()
    items = [openable(i) for i in measure.items(the_scope, PER_PAGE, (number - 1) * PER_PAGE)] if total else []
    ratio = None
    if isinstance(spec, Ratio):
        denominator = measures.total(REGISTRY.measures[spec.denominator].count(the_scope), set(ids))
        ratio = {"numerator": total, "denominator": denominator, "value": spec.value(total, denominator)}
    names = {a.id: a.short_name for a in scope.agencies({i.agency_id for i in items})} if agency is None else {}
    link = Linker(period)
    back = (
        url_for("supervision.dashboard_agency", agency_id=agency.id, **period.as_args())
        if agency
        else url_for("supervision.dashboard", **period.as_args())
    )
    return render_template(
        "supervision/dashboard/records.html",
        measure=measure,
        period=period,
        total=total,
        page=Page(items, number, PER_PAGE, total),
        ratio=ratio,
        names=names,
        link=link,
        back=back,
        **context,
    )
