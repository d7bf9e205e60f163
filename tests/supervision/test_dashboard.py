"""The supervision dashboards (issue 14 §1): the figures shown are the registry's counts, every number links to a
drill-down listing as many records as it says, a rate is computed from summed parts, period errors are precise and
beside their field, and who sees what (a supervisor the tree, an office head their agency, an outsider nothing of
the tree, a handler no dashboard).

The registry's real measures (whatever the area modules have registered) are on the page and checked like the test
figures of `dashboard_figures` that hold the data."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from disclosure.core.timeutil import today_china
from disclosure.supervision import measures, periods
from disclosure.supervision.dashboard import board as boards
from disclosure.supervision.measures import REGISTRY, Ratio, Scope
from tests.supervision.conftest import in_english
from tests.supervision.dashboard_figures import FakeFigures, fill

YEAR_2025 = "period=year&year=2025"
TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def request_ctx(app_ctx):
    """Measures build their records' addresses with url_for, as in a request."""
    with app_ctx.test_request_context("/"):
        yield


@pytest.fixture
def fake(tree):
    figures = FakeFigures()
    figures.register()
    fill(figures, tree)
    yield figures
    figures.unregister()


def page(client, url, status=200):
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.status_code, resp.get_data(as_text=True)[:3000])
    return lxml.html.fromstring(resp.get_data(as_text=True))


def text(el) -> str:
    return " ".join(el.text_content().split())


def drill_links(doc) -> dict[str, str]:
    """Every drill-down link on the page: href → the number it shows."""
    return {a.get("href"): text(a) for a in doc.xpath("//a[contains(@href, '/staff/supervision/records?')]")}


def card(doc, key: str):
    """The headline figure card of `key`."""
    return doc.xpath(f"//li[contains(@class, 'figure')][.//a[contains(@href, 'figure={key}&')]]")[0]


def card_number(doc, key: str) -> str:
    return text(card(doc, key).xpath(f".//span[@class='figure-value']/a[contains(@href, 'figure={key}&')]")[0])


def expected(key: str, ids, period: periods.Period, today=None):
    """The registry's value of a figure over these agencies: a count, or a rate from the summed parts."""
    scope = Scope(tuple(ids), period, today or today_china())
    spec = REGISTRY.get(key)
    if isinstance(spec, Ratio):
        num = measures.total(REGISTRY.measures[spec.numerator].count(scope), set(ids))
        den = measures.total(REGISTRY.measures[spec.denominator].count(scope), set(ids))
        return spec.value(num, den)
    return measures.total(spec.count(scope), set(ids))


def shown(value) -> str:
    return f"{value:.1f}%" if isinstance(value, float) else str(value)


def tree_ids(tree):
    return [tree.office.id, tree.bureau.id, tree.bureau2.id]


# --- composition ---------------------------------------------------------------------------------------------------


def test_a_rate_is_computed_from_the_summed_parts_not_averaged(request_ctx, tree, fake):
    agencies = [tree.office, tree.bureau, tree.bureau2]
    board = boards.build(Scope(tuple(tree_ids(tree)), periods.year(2025), TODAY), agencies)
    rate = board.figure("requests.zz_on_time_rate")
    assert rate.by_agency[tree.office.id].number == 100.0  # 1 of 1
    assert rate.by_agency[tree.bureau.id].number == 33.3  # 1 of 3
    assert rate.by_agency[tree.bureau2.id].number is None  # nothing concluded
    assert (rate.total.numerator, rate.total.denominator, rate.total.number) == (2, 4, 50.0)  # not 66.7
    received = board.figure("requests.zz_received")
    assert received.total.number == 6  # the 2024 one and the outsider's never counted
    assert [a.key for a in board.areas] == [k for k in measures.AREAS if REGISTRY.in_area(k)]


def test_each_measure_is_counted_once_for_the_period(app_ctx, tree, fake, monkeypatch, use):
    """The page counts each measure once over its period (the trend's measures besides once per month)."""
    calls: dict[str, list] = {}
    for key, m in list(REGISTRY.measures.items()):

        def counting(scope, _m=m, _key=key):
            calls.setdefault(_key, []).append(scope.period)
            return _m.count(scope)

        monkeypatch.setitem(REGISTRY.measures, key, type(m)(**{**m.__dict__, "count": counting}))
    use(tree.supervisor).get(f"/staff/supervision/?{YEAR_2025}")
    year = periods.year(2025)
    trend = {m.key for m in boards.trend_measures()}
    for key in REGISTRY.measures:
        assert calls[key].count(year) == 1, key
        if key in trend:
            assert len(calls[key]) == 1 + 12, key


def test_the_trend_adds_up_to_the_period_and_cuts_a_custom_range(request_ctx, tree, fake):
    ids = tuple(tree_ids(tree))
    period = periods.custom(dt.date(2025, 1, 15), dt.date(2025, 3, 31))
    steps, lines = boards.trend(Scope(ids, period, TODAY))
    assert [(s.start, s.end) for s in steps] == [
        (dt.date(2025, 1, 15), dt.date(2025, 1, 31)),
        (dt.date(2025, 2, 1), dt.date(2025, 2, 28)),
        (dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
    ]
    for measure, values in lines:
        assert sum(values) == expected(measure.key, ids, period, TODAY)
    long = periods.custom(dt.date(2021, 2, 1), dt.date(2025, 12, 31))
    steps = boards.buckets(long)
    assert steps[0] == periods.custom(dt.date(2021, 2, 1), dt.date(2021, 3, 31))
    assert steps[1] == periods.quarter(2021, 2) and len(steps) == 20


# --- the pages -----------------------------------------------------------------------------------------------------


def test_the_supervisor_sees_every_figure_of_the_tree_as_the_registry_counts_it(request_ctx, tree, fake, use):
    client = use(tree.supervisor)
    doc = page(client, f"/staff/supervision/?{YEAR_2025}")
    assert text(doc.xpath("//h1")[0]) == "Supervision dashboard"
    year = periods.year(2025)
    ids = tree_ids(tree)
    seen = set()
    for href, number in drill_links(doc).items():
        args = parse_qs(urlsplit(href).query, keep_blank_values=True)
        key, agency = args["figure"][0], args["agency"][0]
        if args["period"] != ["year"]:  # the trend's months
            assert args["period"] == ["month"] and args["year"] == ["2025"], href
            continue
        assert args["year"] == ["2025"], href
        over = [int(agency)] if agency else ids
        value = expected(key, over, year)
        if number.endswith("%") or not isinstance(value, float):
            assert number == shown(value), (key, agency)
        seen.add((key, agency))
    for key in [*REGISTRY.measures, *REGISTRY.ratios]:  # every figure's total is on the page
        value = expected(key, ids, year)
        assert (key, "") in seen or value is None, key
    # The overview table: the tree's agencies, never the outsider, each linking to its own dashboard.
    rows = doc.xpath("//table[@id='by-agency']/tbody/tr/th/a")
    assert sorted(text(a) for a in rows) == sorted(a.short_name for a in (tree.office, tree.bureau, tree.bureau2))
    assert all("/staff/supervision/agencies/" in a.get("href") for a in rows)
    assert tree.outsider.short_name not in text(doc)
    # Definitions beside the figures.
    rate = card(doc, "requests.zz_on_time_rate")
    assert "Answered on time among those concluded." in text(rate)
    assert "What is counted" in text(rate.xpath(".//summary")[0])
    assert "2 of 4" in text(rate)


def test_the_agencies_table_is_paged_and_sorted_its_totals_over_every_agency(tree, fake, use, monkeypatch):
    """The overview table shows a page of agencies (the page's on-time chart the same agencies, in the same order),
    sorted by any of its figures; its totals and the figure cards stay over every agency of the tree."""
    from disclosure.supervision.dashboard import views

    monkeypatch.setattr(views, "AGENCIES_PER_PAGE", 2)
    client = use(tree.supervisor)
    year = periods.year(2025)

    def rows(doc):
        return [text(a) for a in doc.xpath("//table[@id='by-agency']/tbody/tr/th/a")]

    def chart_rows(doc):
        return [text(th) for th in doc.xpath("//table[@id='chart-on-time-table']/tbody/tr/th[@scope='row']")]

    first = page(client, f"/staff/supervision/?{YEAR_2025}")
    second = page(client, f"/staff/supervision/?{YEAR_2025}&page=2")
    everyone = sorted(a.short_name for a in (tree.office, tree.bureau, tree.bureau2))
    assert len(rows(first)) == 2 and len(rows(second)) == 1
    assert sorted(rows(first) + rows(second)) == everyone
    assert chart_rows(first) == rows(first) and chart_rows(second) == rows(second)
    assert page(client, f"/staff/supervision/?{YEAR_2025}&page=99").xpath("//nav[@class='pager']")  # the last page
    assert rows(page(client, f"/staff/supervision/?{YEAR_2025}&page=99")) == rows(second)
    for doc in (first, second):
        assert doc.xpath("//nav[@class='pager']")
        assert card_number(doc, "requests.zz_received") == str(expected("requests.zz_received", tree_ids(tree), year))
        foot = doc.xpath("//table[@id='by-agency']/tfoot//a[contains(@href, 'figure=requests.zz_on_time_rate&')]")
        assert [text(a) for a in foot] == ["50.0%"]  # 2 of 4 over the three agencies, whichever page
    # Sorted by the on-time rate: highest first (nothing to rate last), then lowest first.
    key = "requests.zz_on_time_rate"
    heading = first.xpath(f"//table[@id='by-agency']/thead//a[contains(@href, 'sort={key}')]")[0]
    assert "order=desc" in heading.get("href")
    down = page(client, f"/staff/supervision/?{YEAR_2025}&sort={key}&order=desc")
    assert rows(down) == [tree.office.short_name, tree.bureau.short_name]  # 100 %, 33.3 %
    assert down.xpath("//table[@id='by-agency']/thead//th[@aria-sort]/@aria-sort") == ["descending"]
    assert rows(page(client, f"/staff/supervision/?{YEAR_2025}&sort={key}&order=desc&page=2")) == [
        tree.bureau2.short_name  # nothing concluded: nothing to rate
    ]
    up = page(client, f"/staff/supervision/?{YEAR_2025}&sort={key}&order=asc")
    assert rows(up) == [tree.bureau.short_name, tree.office.short_name]
    assert chart_rows(up) == rows(up)
    # An unknown sort key is tree order.
    assert rows(page(client, f"/staff/supervision/?{YEAR_2025}&sort=nonsense")) == rows(first)


def test_every_number_links_to_a_list_of_as_many_records(tree, fake, use):
    client = use(tree.supervisor)
    for url in (f"/staff/supervision/?{YEAR_2025}", f"/staff/supervision/agencies/{tree.bureau.id}?{YEAR_2025}"):
        doc = page(client, url)
        links = drill_links(doc)
        assert links
        for href, number in links.items():
            if not number[:1].isdigit():
                continue
            listing = page(client, href)
            rows = listing.xpath("//table[@id='records']/tbody/tr")
            count = text(listing.xpath("//p[@id='count']")[0])
            key = parse_qs(urlsplit(href).query)["figure"][0]
            if number.endswith("%"):  # a rate lists its numerator's records
                spec = REGISTRY.ratios[key]
                assert "records listed here" in text(listing)
                assert spec.numerator
            else:
                assert count == ("1 record" if number == "1" else f"{number} records"), href
                assert len(rows) == min(int(number), 50), href


def test_a_drill_down_lists_the_records_with_their_links(tree, fake, use):
    client = use(tree.supervisor)
    doc = page(client, f"/staff/supervision/records?figure=requests.zz_received&agency=&{YEAR_2025}")
    assert text(doc.xpath("//h1")[0]) == "ZZ received"
    rows = [[text(td) for td in tr.xpath("td")] for tr in doc.xpath("//table[@id='records']/tbody/tr")]
    assert len(rows) == 6
    assert {r[0] for r in rows} == {tree.office.short_name, tree.bureau.short_name}
    assert all(r[3].startswith("2025-") for r in rows)
    # Another agency's staff pages admit its own staff only: its records are listed without a link that would 404.
    for tr in doc.xpath("//table[@id='records']/tbody/tr"):
        linked = tr.xpath(".//a/@href")
        assert linked == (["/staff/"] if text(tr.xpath("td")[0]) == tree.office.short_name else [])
    one = page(client, f"/staff/supervision/records?figure=requests.zz_received&agency={tree.bureau.id}&{YEAR_2025}")
    assert len(one.xpath("//table[@id='records']/tbody/tr")) == 3
    assert text(one.xpath("//p[@id='count']")[0]) == "3 records"
    rate = page(client, f"/staff/supervision/records?figure=requests.zz_on_time_rate&agency=&{YEAR_2025}")
    assert "50.0%" in text(rate) and len(rate.xpath("//table[@id='records']/tbody/tr")) == 2
    now = page(client, f"/staff/supervision/records?figure=requests.zz_overdue&agency=&{YEAR_2025}")
    assert "as of today" in text(now) and len(now.xpath("//table[@id='records']/tbody/tr")) == 2


def test_the_drill_down_pages_a_long_list(tree, fake, use):
    fake.add("requests.zz_received", tree.bureau2, dt.date(2025, 6, 1), n=120)
    client = use(tree.supervisor)
    url = f"/staff/supervision/records?figure=requests.zz_received&agency={tree.bureau2.id}&{YEAR_2025}"
    first, third = page(client, url), page(client, url + "&page=3")
    assert text(first.xpath("//p[@id='count']")[0]) == "120 records"
    assert len(first.xpath("//table[@id='records']/tbody/tr")) == 50
    assert len(third.xpath("//table[@id='records']/tbody/tr")) == 20
    assert "Page 3 of 3" in text(third)
    beyond = page(client, url + "&page=99999999999999999999")
    assert "past the end of the list" in text(beyond)


def test_unknown_figures_agencies_and_periods_in_a_drill_down(tree, fake, use):
    client = use(tree.supervisor)
    doc = page(client, f"/staff/supervision/records?figure=nope&agency=&{YEAR_2025}", 404)
    assert text(doc.xpath("//*[@id='problem']")[0]) == "There is no figure “nope”. Follow a number on the dashboard."
    doc = page(client, f"/staff/supervision/records?agency=&{YEAR_2025}", 404)
    assert text(doc.xpath("//*[@id='problem']")[0]) == "Choose a figure: follow a number on the dashboard."
    for agency in ("abc", "0", "9223372036854775808", str(tree.outsider.id), "987654"):
        resp = client.get(f"/staff/supervision/records?figure=requests.zz_received&agency={agency}")
        assert resp.status_code == 404, agency
    doc = page(client, "/staff/supervision/records?figure=requests.zz_received&period=month&year=2025&month=13", 400)
    assert "Month: Choose a month from 1 to 12." in text(doc.xpath("//*[@id='problem']")[0])


def test_one_agency_dashboard_puts_notices_and_column_flags_first(tree, fake, use):
    client = use(tree.supervisor)
    doc = page(client, f"/staff/supervision/agencies/{tree.bureau.id}?{YEAR_2025}")
    assert text(doc.xpath("//h1")[0]) == f"Supervision dashboard: {tree.bureau.full_name}"
    attention = doc.xpath("//section[@class='attention']")[0]
    assert [text(h) for h in attention.xpath(".//h3")] == [
        in_english(label) for k, label in measures.AREAS.items() if k in boards.ATTENTION_AREAS and REGISTRY.in_area(k)
    ]
    assert "ZZ late notices" in text(attention) and "ZZ blank columns" in text(attention)
    assert attention.xpath(".//table[contains(@class, 'attention-items')]//a[text()]")
    # The attention block comes before the other areas.
    html = lxml.html.tostring(doc, encoding="unicode")
    assert html.index('id="area-notices"') < html.index('id="area-requests"')
    assert card_number(doc, "requests.zz_received") == "3"
    href = card(doc, "requests.zz_received").xpath(".//span[@class='figure-value']/a/@href")[0]
    assert f"agency={tree.bureau.id}&" in href
    assert doc.xpath("//a[text()='Back to the agencies you supervise']")


# --- periods -------------------------------------------------------------------------------------------------------


PERIOD_ERRORS = [
    ("period=custom&from=2025-05-01&to=2025-04-01", "to", "The end of the period comes before its start."),
    ("period=month&year=2025&month=13", "month", "Choose a month from 1 to 12."),
    ("period=week", "period", "Choose a month, a quarter, a year or a custom range."),
    ("period=custom&from=2025-02-30&to=2025-03-01", "from", "Enter a date as YYYY-MM-DD."),
    ("period=quarter&year=1999&quarter=2", "year", "Choose a year from 2008 to next year."),
    ("period=month&year=2025&month=%C2%B2", "month", "Choose a month from 1 to 12."),  # '²': isdigit, not int
]


def test_a_bad_period_is_refused_beside_its_field_and_the_last_good_one_stays(tree, fake, use):
    client = use(tree.supervisor)
    page(client, "/staff/supervision/?period=quarter&year=2025&quarter=1")
    for query, field, message in PERIOD_ERRORS:
        for url in (f"/staff/supervision/?{query}", f"/staff/supervision/agencies/{tree.office.id}?{query}"):
            doc = page(client, url, 422)
            error = doc.xpath(f"//p[@id='{field}-error']")[0]
            assert text(error) == message, url
            control = doc.xpath(f"//*[@id='{field}']")[0]
            assert control.get("aria-invalid") == "true" and f"{field}-error" in control.get("aria-describedby")
            assert error.getparent() is control.getparent()  # beside its field
            assert doc.xpath(f"//div[@class='error-summary']//a[@href='#{field}']")
            assert "Q1 2025" in text(doc.xpath("//p[@class='lead']")[0])  # still the last good period
        assert card_number(doc, "requests.zz_received") == "2"  # the office: Jan, Feb
        href = card(doc, "requests.zz_received").xpath(".//span[@class='figure-value']/a/@href")[0]
        assert "period=quarter&year=2025&quarter=1" in href
    doc = page(client, "/staff/supervision/?period=month&year=2025&month=13", 422)
    assert card_number(doc, "requests.zz_received") == "5"  # the tree: office Jan, Feb; bureau Jan ×2, Mar
    assert doc.xpath("//select[@id='month']/option[@selected]") == []  # 13 is no month: nothing chosen
    assert doc.xpath("//input[@id='year']/@value") == ["2025"]


def test_the_period_picker_shows_the_period(tree, fake, use):
    client = use(tree.supervisor)
    doc = page(client, "/staff/supervision/?period=month&year=2025&month=2")
    assert doc.xpath("//select[@id='period']/option[@selected]/@value") == ["month"]
    assert doc.xpath("//select[@id='month']/option[@selected]/@value") == ["2"]
    assert doc.xpath("//input[@id='year']/@value") == ["2025"]
    assert card_number(doc, "requests.zz_received") == "1"
    doc = page(client, "/staff/supervision/?period=custom&from=2025-01-01&to=2025-01-31")
    assert doc.xpath("//input[@id='from']/@value") == ["2025-01-01"]
    assert card_number(doc, "requests.zz_received") == "3"


# --- charts --------------------------------------------------------------------------------------------------------


def test_each_chart_has_its_figures_in_a_table_and_as_json(request_ctx, tree, fake, use):
    client = use(tree.supervisor)
    doc = page(client, f"/staff/supervision/?{YEAR_2025}")
    data = json.loads(doc.xpath("//script[@id='supervision-chart-data']")[0].text)
    charts = {c["id"]: c for c in data["charts"]}
    assert {"on-time", "outcomes", "trend"} <= set(charts)
    for chart in charts.values():
        table = doc.xpath(f"//table[@id='chart-{chart['id']}-table']")[0]
        assert text(table.xpath("caption")[0]) == chart["title"]
        assert [text(th) for th in table.xpath("thead/tr/th")][1:] == [s["name"] for s in chart["series"]]
        assert [text(th) for th in table.xpath("tbody/tr/th[@scope='row']")] == chart["categories"]
        for r, tr in enumerate(table.xpath("tbody/tr")):
            cells = [text(td) for td in tr.xpath("td")]
            for s, series in enumerate(chart["series"]):
                v = series["data"][r]
                assert cells[s] == ("—nothing to rate" if v is None else shown(v) if chart["unit"] == "%" else str(v))
        container = doc.xpath(f"//div[@id='chart-{chart['id']}']")[0]
        assert container.get("role") == "img" and "table beside it" in container.get("aria-label")
        assert container.get("hidden") is not None  # shown by the script once drawn
    on_time = charts["on-time"]
    zz = next(s for s in on_time["series"] if s["key"] == "requests.zz_on_time_rate")
    by_name = dict(zip(on_time["categories"], zz["data"], strict=True))
    assert by_name[tree.office.short_name] == 100.0 and by_name[tree.bureau.short_name] == 33.3
    outcomes = dict(zip(charts["outcomes"]["categories"], charts["outcomes"]["series"][0]["data"], strict=True))
    assert outcomes["ZZ granted"] == 3 and outcomes["ZZ refused"] == 1
    trend = charts["trend"]
    assert trend["categories"][0] == "2025-01" and len(trend["categories"]) == 12
    for series in trend["series"]:
        assert sum(series["data"]) == expected(series["key"], tree_ids(tree), periods.year(2025))
    # The scripts are served locally, never from elsewhere.
    for src in doc.xpath("//script/@src"):
        assert src.startswith("/static/"), src


def test_no_chart_text_is_script_source(tree, fake, use, app):
    """A label with markup reaches the page only as escaped JSON data."""
    REGISTRY.ratios["requests.zz_on_time_rate"] = Ratio(
        "requests.zz_on_time_rate", "requests", "</script><b>x</b>", "requests.zz_on_time", "requests.zz_concluded"
    )
    body = use(tree.supervisor).get(f"/staff/supervision/?{YEAR_2025}").get_data(as_text=True)
    assert "</script><b>" not in body
    assert "\\u003c/script\\u003e\\u003cb\\u003ex" in body


# --- access --------------------------------------------------------------------------------------------------------


def test_who_sees_which_dashboard(tree, fake, use, client):
    assert client.get("/staff/supervision/").status_code == 302  # to the login
    supervisor = use(tree.supervisor)
    for agency in (tree.office, tree.bureau, tree.bureau2):
        assert supervisor.get(f"/staff/supervision/agencies/{agency.id}").status_code == 200
    assert supervisor.get(f"/staff/supervision/agencies/{tree.outsider.id}").status_code == 404
    assert supervisor.get("/staff/supervision/agencies/9223372036854775808").status_code == 404

    head = use(tree.head)
    resp = head.get(f"/staff/supervision/?{YEAR_2025}")
    assert resp.status_code == 302
    assert resp.headers["Location"] == f"/staff/supervision/agencies/{tree.bureau.id}?{YEAR_2025}"
    doc = page(head, resp.headers["Location"])
    assert not doc.xpath("//a[text()='Back to the agencies you supervise']")
    for other in (tree.office, tree.bureau2, tree.outsider):
        assert head.get(f"/staff/supervision/agencies/{other.id}").status_code == 404
        assert head.get(f"/staff/supervision/records?figure=requests.zz_received&agency={other.id}").status_code == 404
    listing = page(head, f"/staff/supervision/records?figure=requests.zz_received&agency=&{YEAR_2025}")
    assert len(listing.xpath("//table[@id='records']/tbody/tr")) == 3  # their own agency only

    outsider = use(tree.outsider_head)
    for agency in (tree.office, tree.bureau, tree.bureau2):
        assert outsider.get(f"/staff/supervision/agencies/{agency.id}").status_code == 404
    listing = page(outsider, f"/staff/supervision/records?figure=requests.zz_received&agency=&{YEAR_2025}")
    assert len(listing.xpath("//table[@id='records']/tbody/tr")) == 5  # only the outsider's own

    admin = use(tree.admin)
    assert admin.get(f"/staff/supervision/agencies/{tree.bureau.id}").status_code == 200

    handler = use(tree.handler)
    assert handler.get("/staff/supervision/").status_code == 403
    assert handler.get(f"/staff/supervision/agencies/{tree.bureau.id}").status_code == 403
    assert handler.get("/staff/supervision/records?figure=requests.zz_received").status_code == 403


def test_the_menu_offers_the_dashboard_to_those_who_may_see_it(tree, fake, use):
    assert "Supervision dashboard" in use(tree.supervisor).get("/staff/").get_data(as_text=True)
    assert "Supervision dashboard" in use(tree.head).get("/staff/").get_data(as_text=True)
    assert "Supervision dashboard" not in use(tree.handler).get("/staff/").get_data(as_text=True)


def test_a_supervisor_without_figures_or_agencies_gets_a_page_that_says_so(tree, use, make_staff):
    from disclosure.accounts.roles import Role

    client = use(tree.supervisor)
    doc = page(client, f"/staff/supervision/?{YEAR_2025}")
    if not REGISTRY.measures:
        assert "No figures are counted yet." in text(doc)
    from disclosure.extensions import db

    loose = make_staff(tree.office, roles=[Role.SUPERVISOR])
    loose.agency_id = None
    db.session.commit()
    doc = page(use(loose), "/staff/supervision/")
    assert "You do not supervise any agency." in text(doc)
