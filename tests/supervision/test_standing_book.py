"""The standing book (台账, issue 14 §2): generated from records taken through the real operations (the figures'
builders), read back with openpyxl, its rows recounted and held to the registry's measures for the same agency and
period (requests, proactive disclosure, consultations, 双公示); its title row, Chinese headers, dates as dates,
frozen header and widths; a hostile title neutralised; who may download which agency's book (404 otherwise); a bad
period refused beside its field; and a large book built by the worker as a job with its page and download."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from disclosure.supervision import periods
from disclosure.supervision.measures import REGISTRY, Scope

D = dt.date
TODAY = D(2025, 12, 15)
PERIODS = (
    periods.year(2025),
    periods.quarter(2025, 3),
    periods.month(2025, 9),
    periods.custom(D(2024, 12, 1), D(2025, 6, 30)),
    periods.year(2024),
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _has_builder(name: str) -> bool:
    return importlib.util.find_spec(f"tests.supervision.builders.{name}") is not None


@pytest.fixture
def world(tree, app_ctx):
    """The figures' world: requests, 双公示 records, catalogue entries and consultations of the tree's agencies."""
    import importlib

    with app_ctx.test_request_context("/"):
        for name in ("requests", "publicity", "proactive", "consultations"):
            if _has_builder(name):
                importlib.import_module(f"tests.supervision.builders.{name}").build(tree, TODAY)
        yield tree


# --- Reading a book back ------------------------------------------------------------------------------------------


def _day(value):
    return value.date() if isinstance(value, dt.datetime) else value


def _book(agency, period, today=TODAY):
    from disclosure.supervision.standing_book import book

    return load_workbook(io.BytesIO(book.build_book(agency, period, today=today)))


def _rows(ws) -> list[dict]:
    """A sheet's data rows as {header: value} (row 1 the title, row 2 the headers)."""
    headers = [c.value for c in ws[2]]
    out = []
    for row in ws.iter_rows(min_row=3, values_only=True):
        if not any(v is not None for v in row):
            break
        out.append({h: _day(v) for h, v in zip(headers, row, strict=False)})
    return out


def _publicity(ws) -> tuple[dict, list[dict]]:
    """The 双公示 sheet: its total row ({header: value}) and the late or overdue records below the figures."""
    headers = [c.value for c in ws[2]]
    total, records, record_headers = None, [], None
    for row in ws.iter_rows(min_row=3, values_only=True):
        if row and row[0] == "合计":
            total = dict(zip(headers, row, strict=False))
        elif row and row[0] == "类别":
            record_headers = list(row)
        elif record_headers and row and row[0] is not None:
            records.append({h: _day(v) for h, v in zip(record_headers, row, strict=False)})
    return total, records


SEEN: dict[str, int] = {}


def _count(key: str, agency_id: int, period) -> int:
    n = REGISTRY.measures[key].count(Scope((agency_id,), period, TODAY)).get(agency_id, 0)
    SEEN[key] = SEEN.get(key, 0) + n
    return n


def _in(period, day) -> bool:
    return day is not None and period.start <= day <= period.end


# --- The rows match the dashboard's figures ------------------------------------------------------------------------


def test_rows_match_the_registrys_figures(world, app_ctx):
    tree = world
    checked = set()
    SEEN.clear()
    with app_ctx.test_request_context("/"):
        for agency in (tree.office, tree.bureau, tree.bureau2):
            for period in PERIODS:
                wb = _book(agency, period)
                a = agency.id

                requests = _rows(wb["依申请公开"])
                concluded = [r for r in requests if _in(period, r["办结日期"])]
                assert sum(_in(period, r["收到日期"]) for r in requests) == _count("requests.received", a, period)
                assert len(concluded) == _count("requests.concluded", a, period)
                assert sum(r["答复日期"] is not None for r in concluded) == _count("requests.answered", a, period)
                assert sum(r["是否按时"] == "是" for r in concluded) == _count("requests.on_time", a, period)
                assert sum(r["是否按时"] == "否" for r in concluded) == _count("requests.late", a, period)
                filed = [
                    m
                    for r in requests
                    for m in re.findall(r"（(\d{4}-\d{2}-\d{2})申请）：(\S+?)(?:；|$)", r["复议/诉讼"] or "")
                    if _in(period, D.fromisoformat(m[0]))
                ]
                assert len(filed) == _count("requests.remedies", a, period)
                assert sum(result == "结果纠正" for _day, result in filed) == _count("requests.corrected", a, period)
                checked.add("requests")

                entries = _rows(wb["主动公开"])
                published = [e for e in entries if e["公开属性"] == "主动公开" and _in(period, e["发布日期"])]
                assert len(published) == _count("proactive.published", a, period)
                judged = [e for e in entries if _in(period, e["最近发布日期"]) and e["是否按时"] in ("是", "否")]
                assert len(judged) == _count("proactive.judged", a, period)
                assert sum(e["是否按时"] == "是" for e in judged) == _count("proactive.on_time", a, period)
                assert sum(e["是否按时"] == "否" for e in judged) == _count("proactive.late", a, period)
                interpretations = [
                    e
                    for e in entries
                    if e["栏目"] == "政策解读" and _in(period, e["发布日期"]) and e["解读是否按时"] in ("是", "否")
                ]
                assert len(interpretations) == _count("proactive.interpretations", a, period)
                assert sum(e["解读是否按时"] == "否" for e in interpretations) == _count(
                    "proactive.interpretations_late", a, period
                )
                checked.add("proactive")

                consultations = _rows(wb["意见征集"])
                assert sum(_in(period, c["开始日期"]) for c in consultations) == _count("consultations.held", a, period)
                assert sum(c["本期收到意见"] for c in consultations) == _count("consultations.comments", a, period)
                fed_back = [c for c in consultations if _in(period, c["反馈发布日期"])]
                assert len(fed_back) == _count("consultations.feedback_published", a, period)
                assert sum(c["是否按时"] == "是" for c in fed_back) == _count(
                    "consultations.feedback_on_time", a, period
                )
                checked.add("consultations")

                total, records = _publicity(wb["双公示"])
                assert total["收到"] == _count("publicity.received", a, period)
                assert total["按时公示"] == _count("publicity.on_time", a, period)
                assert total["超期公示"] == _count("publicity.late", a, period)
                assert total["按时公示"] + total["超期公示"] + total["逾期未公示"] == _count(
                    "publicity.judged", a, period
                )
                assert len(records) == total["超期公示"] + total["逾期未公示"]
                assert sum(r["状态"] == "超期公示" for r in records) == total["超期公示"]
                checked.add("publicity")
    assert checked == {"requests", "proactive", "consultations", "publicity"}
    # the world has something behind every figure compared (no comparison of zeros only)
    assert not [key for key, n in SEEN.items() if n == 0], SEEN


def test_the_scenarios_own_rows(world, app_ctx):
    """The bureau's year as the builders made it: cases by their words, the late reply, the overdue case, the
    reconsideration corrected; the 双公示 records published late and overdue; nothing of the outsider."""
    tree = world
    with app_ctx.test_request_context("/"):
        wb = _book(tree.bureau, periods.year(2025))
    requests = _rows(wb["依申请公开"])
    words = {r["处理结果"] for r in requests}
    assert {"予以公开", "不予公开：属于国家秘密", "申请人撤回申请"} <= words
    late = [r for r in requests if r["是否按时"] == "否"]
    assert [r["处理结果"] for r in late] == ["不予公开：属于国家秘密"]
    assert late[0]["答复日期"] > late[0]["答复期限"]
    assert "行政复议（2025-05-10申请）：结果纠正" in late[0]["复议/诉讼"]
    (open_case,) = [r for r in requests if r["收到日期"] == D(2025, 11, 3)]
    assert (open_case["是否按时"], open_case["处理结果"], open_case["办结日期"]) == ("逾期未办结", "办理中", None)
    _total, records = _publicity(wb["双公示"])
    assert sorted(r["状态"] for r in records) == ["超期公示", "逾期未公示"]
    assert all(r["超期(工作日)"] > 0 for r in records)
    names = {r["申请编号"] for r in requests}
    assert not any(tree.outsider.slug in (n or "") for n in names)


# --- The book's shape -----------------------------------------------------------------------------------------


@pytest.fixture
def small(tree, app_ctx):
    """A published entry with a hostile title and a request received, for the bureau in 2025."""
    from disclosure.catalog.seeds import ensure_classifications
    from disclosure.extensions import db
    from tests.catalog.conftest import publish_as_system
    from tests.supervision.builders.requests import receive, staff_of

    with app_ctx.test_request_context("/"):
        ensure_classifications(db.session)
        entry = publish_as_system(tree.bureau, D(2025, 3, 10), title='=HYPERLINK("http://evil.example","点击")')
        case = receive(staff_of(tree.bureau), D(2025, 4, 1), "申请人甲")
        db.session.commit()
    return entry, case


@pytest.fixture
def drafted(small, tree, app_ctx):
    """A second case of the bureau, its reply drafted (an outcome derived, nothing concluded)."""
    from disclosure.applications import operations as ops
    from disclosure.extensions import db
    from tests.supervision.builders import on_day
    from tests.supervision.builders.requests import handle, receive, staff_of

    with app_ctx.test_request_context("/"):
        w = staff_of(tree.bureau)
        case = receive(w, D(2025, 5, 6), "申请人乙")
        handle(w, case, D(2025, 5, 7))
        with on_day(D(2025, 5, 8)):
            (item,) = case.items
            ops.decide_item(item, w.handler, outcome="not_exist", reasons="经检索，本机关未制作该信息。")
            ops.draft_reply(case, w.handler)
        db.session.commit()
        assert case.state == "reply_drafted" and case.outcome == "not_exist"
    return case


def test_title_headers_dates_and_formulas(small, drafted, tree, app_ctx):
    from flask_babel import force_locale

    from disclosure.applications import state_label
    from disclosure.supervision.standing_book import book

    with app_ctx.test_request_context("/"):
        wb = _book(tree.bureau, periods.year(2025))
    assert wb.sheetnames[:2] == ["依申请公开", "主动公开"]
    assert {"意见征集", "双公示"} <= set(wb.sheetnames)
    for name in wb.sheetnames:
        ws = wb[name]
        assert ws["A1"].value.startswith("测试市教育局政务公开台账（2025年度）"), ws["A1"].value
        assert ws.freeze_panes == "A3"
        assert ws.column_dimensions["A"].width > 8
    assert [c.value for c in wb["依申请公开"][2]] == [c.header for c in book.REQUEST_COLUMNS]
    assert [c.value for c in wb["主动公开"][2]] == [c.header for c in book.ENTRY_COLUMNS]
    (row,) = _rows(wb["主动公开"])
    assert row["标题"] == '\'=HYPERLINK("http://evil.example","点击")'
    title_cell = wb["主动公开"]["B3"]
    assert title_cell.data_type == "s"
    assert row["栏目"] == "行政法规、规章和行政规范性文件"
    assert row["公开属性"] == "主动公开" and row["有效性"] == "有效"
    assert row["是否按时"] == "是" and row["发布日期"] == D(2025, 3, 10)
    assert wb["主动公开"]["G3"].is_date and wb["依申请公开"]["B3"].is_date
    case, open_case = _rows(wb["依申请公开"])
    assert case["收到日期"] == D(2025, 4, 1) and isinstance(case["答复期限"], dt.date)
    with app_ctx.test_request_context("/"), force_locale("zh_CN"):
        drafting = str(state_label("reply_drafted"))
    # an open case's derived outcome is not a result yet: its state is shown
    assert (open_case["收到日期"], open_case["处理结果"], open_case["办结日期"]) == (D(2025, 5, 6), drafting, None)
    for ws in wb.worksheets:  # no formula anywhere
        for cells in ws.iter_rows():
            assert all(c.data_type != "f" for c in cells)


def test_a_quarter_in_chinese_and_the_file_name(small, tree, use):
    client = use(tree.supervisor)
    resp = client.get(f"/staff/supervision/standing-book?agency={tree.bureau.id}&period=quarter&year=2025&quarter=2")
    assert resp.status_code == 200
    assert resp.mimetype == XLSX
    disposition = resp.headers["Content-Disposition"]
    assert "filename*=UTF-8''" in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "台账-测试市教育局-2025年第二季度.xlsx"
    assert f'filename="standing-book-{tree.bureau.slug}-2025-04-01-2025-06-30.xlsx"' in disposition
    wb = load_workbook(io.BytesIO(resp.data))
    assert wb["依申请公开"]["A1"].value == "测试市教育局政务公开台账（2025年第二季度）——依申请公开"
    assert len(_rows(wb["依申请公开"])) == 1


# --- Who may see which book ------------------------------------------------------------------------------------


def test_only_agencies_the_user_may_see(small, tree, use):
    url = "/staff/supervision/standing-book?period=year&year=2025&agency="
    client = use(tree.supervisor)
    for agency in (tree.office, tree.bureau, tree.bureau2):
        assert client.get(url + str(agency.id)).status_code == 200
    assert client.get(url + str(tree.outsider.id)).status_code == 404
    for hostile in ("9223372036854775808", "2147483648", "abc", "-1", "0"):
        assert client.get(url + hostile).status_code == 404
    client = use(tree.head)
    assert client.get(url + str(tree.bureau.id)).status_code == 200
    assert client.get(url + str(tree.bureau2.id)).status_code == 404
    assert client.get(url + str(tree.office.id)).status_code == 404
    client = use(tree.outsider_head)
    assert client.get(url + str(tree.bureau.id)).status_code == 404
    client = use(tree.handler)
    assert client.get(url + str(tree.bureau.id)).status_code == 403
    page = use(tree.head).get("/staff/supervision/standing-book").get_data(as_text=True)
    assert "测试市教育局" in page and "测试市民政局" not in page


def test_a_bad_period_is_named_beside_its_field(tree, use):

    client = use(tree.supervisor)
    resp = client.get(
        f"/staff/supervision/standing-book?agency={tree.bureau.id}&period=custom&from=2025-05-01&to=2025-04-01"
    )
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert re.search(r'<p class="error" id="sb-to-error">\s*The end of the period comes before its start.', page)
    assert 'aria-invalid="true"' in page
    assert 'value="2025-05-01"' in page  # what was typed stays
    resp = client.get(f"/staff/supervision/standing-book?agency={tree.bureau.id}&period=month&year=2025&month=13")
    assert resp.status_code == 422
    assert "Choose a month from 1 to 12." in resp.get_data(as_text=True)
    resp = client.get("/staff/supervision/standing-book?period=year&year=2025&agency=")
    assert resp.status_code == 422
    assert "Choose an agency." in resp.get_data(as_text=True)
    resp = client.get(f"/staff/supervision/standing-book?agency={tree.bureau.id}&period=decade")
    assert resp.status_code == 422
    assert "Choose a month, a quarter, a year or a custom range." in resp.get_data(as_text=True)


# --- A large book goes to the worker --------------------------------------------------------------------------


def test_a_large_book_is_a_job_with_progress_and_download(small, tree, use, app):
    from disclosure.core.audit import events_for
    from disclosure.core.timeutil import today_china
    from disclosure.extensions import db
    from disclosure.supervision.standing_book.models import StandingBookJob

    client = use(tree.supervisor)
    url = f"/staff/supervision/standing-book?agency={tree.bureau.id}&period=year&year=2025"
    app.config["STANDING_BOOK_SYNC_ROWS"] = 1
    try:
        resp = client.get(url)
        assert resp.status_code == 200 and resp.mimetype == "text/html"
        page = resp.get_data(as_text=True)
        rows = 2 + len(_rows(_book(tree.bureau, periods.year(2025), today_china())["栏目更新"]))
        assert f"holds {rows} rows: too many to download at once" in page
        resp = client.post(
            "/staff/supervision/standing-book/jobs",
            data={"agency": str(tree.bureau.id), "period": "year", "year": "2025"},
        )
    finally:
        app.config.pop("STANDING_BOOK_SYNC_ROWS")
    assert resp.status_code == 303
    job_url = resp.headers["Location"]
    job = db.session.execute(db.select(StandingBookJob)).scalar_one()  # built at once (the test worker is immediate)
    assert job.status == "done" and job.total_rows == job.processed_rows == rows
    assert [e.action for e in events_for("supervision_standing_book", job.id)] == [
        "supervision.standing_book.start",
        "supervision.standing_book.done",
    ]
    page = client.get(job_url).get_data(as_text=True)
    assert "Download the standing book" in page and "Ready" in page
    status = client.get(f"{job_url}/status.json").get_json()
    assert status["done"] and status["percent"] == 100 and status["processed"] == rows
    resp = client.get(f"{job_url}/download")
    assert resp.status_code == 200 and resp.mimetype == XLSX
    assert (
        unquote(resp.headers["Content-Disposition"].split("filename*=UTF-8''")[1]) == "台账-测试市教育局-2025年度.xlsx"
    )
    wb = load_workbook(io.BytesIO(resp.data))
    resp.close()  # the file is streamed from storage: the server closes it after sending
    assert len(_rows(wb["主动公开"])) == 1
    # the book's page and file are the bureau's: an agency that does not see the bureau gets 404
    other = use(tree.head2)
    for suffix in ("", "/status.json", "/download"):
        assert other.get(f"{job_url}{suffix}").status_code == 404
        for hostile in ("2147483648", "9223372036854775807", "0"):
            assert other.get(f"/staff/supervision/standing-book/jobs/{hostile}{suffix}").status_code == 404
    resp = use(tree.head).get(f"{job_url}/download")
    resp.close()
    assert resp.status_code == 200


def test_starting_a_job_refuses_what_the_form_refuses(tree, use):
    from disclosure.extensions import db
    from disclosure.supervision.standing_book.models import StandingBookJob

    client = use(tree.head)
    resp = client.post(
        "/staff/supervision/standing-book/jobs", data={"agency": str(tree.bureau2.id), "period": "year", "year": "2025"}
    )
    assert resp.status_code == 404
    resp = client.post(
        "/staff/supervision/standing-book/jobs",
        data={"agency": str(tree.bureau.id), "period": "quarter", "year": "2025", "quarter": "5"},
    )
    assert resp.status_code == 400
    assert "Choose a quarter from 1 to 4." in resp.get_data(as_text=True)
    assert db.session.execute(db.select(StandingBookJob)).first() is None


def test_the_dashboard_links_to_the_book_of_its_period(tree, use):
    client = use(tree.supervisor)
    page = client.get(f"/staff/supervision/agencies/{tree.bureau.id}?period=quarter&year=2025&quarter=3")
    assert page.status_code == 200
    links = re.findall(r'href="(/staff/supervision/standing-book\?[^"]+)"', page.get_data(as_text=True))
    assert len(links) == 1
    url = links[0].replace("&amp;", "&")
    assert f"agency={tree.bureau.id}" in url and "period=quarter" in url and "quarter=3" in url
    resp = client.get(url)
    assert resp.status_code == 200 and resp.mimetype == XLSX
    assert unquote(resp.headers["Content-Disposition"].split("filename*=UTF-8''")[1]) == (
        "台账-测试市教育局-2025年第三季度.xlsx"
    )


def test_a_job_that_fails_says_so_and_is_not_run_twice(tree, app_ctx, monkeypatch):
    from flask_babel import force_locale, gettext

    from disclosure.core.audit import events_for
    from disclosure.extensions import db
    from disclosure.supervision.standing_book import book, jobs
    from disclosure.supervision.standing_book.models import StandingBookJob

    job = StandingBookJob(agency_id=tree.bureau.id, period_kind="year", start=D(2025, 1, 1), end=D(2025, 12, 31))
    db.session.add(job)
    db.session.commit()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(book, "write_book", broken)
    with app_ctx.test_request_context("/"), pytest.raises(RuntimeError):
        jobs.process_book(job.id)
    job = db.session.get(StandingBookJob, job.id)
    assert job.status == "failed" and job.finished and job.file_id is None
    with app_ctx.test_request_context("/"), force_locale(app_ctx.config["BABEL_DEFAULT_LOCALE"]):
        assert job.failure == gettext("The standing book stopped on an internal error. Start it again.")
    assert [e.action for e in events_for("supervision_standing_book", job.id)] == ["supervision.standing_book.failed"]
    assert jobs.process_book(job.id) == "failed"  # a job already run is not run again
    assert jobs.process_book(job.id + 1000) is None  # not visible yet: the task retries


def test_starting_a_job_needs_the_forms_csrf_token(small, tree, use, app):
    from disclosure.extensions import db
    from disclosure.supervision.standing_book.models import StandingBookJob

    client = use(tree.supervisor)
    data = {"agency": str(tree.bureau.id), "period": "year", "year": "2025"}
    app.config.update(WTF_CSRF_ENABLED=True, STANDING_BOOK_SYNC_ROWS=1)
    try:
        assert client.post("/staff/supervision/standing-book/jobs", data=data).status_code == 400
        assert db.session.execute(db.select(StandingBookJob)).first() is None
        page = client.get(f"/staff/supervision/standing-book?agency={tree.bureau.id}&period=year&year=2025")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
        resp = client.post("/staff/supervision/standing-book/jobs", data={**data, "csrf_token": token})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
        app.config.pop("STANDING_BOOK_SYNC_ROWS")
    assert resp.status_code == 303
    assert db.session.execute(db.select(StandingBookJob)).scalar_one().status == "done"
