"""The office's report pages speak words, not keys (issue 13): a report's state, a case's state and outcome and a
remedy's result in the reader's language; the checks name table 2's rows and table 4's blocks as the report prints
them, in the singular when there is one."""

from __future__ import annotations

import datetime as dt

from disclosure.reports.compute import compute

D = dt.date


def _start(office, year=2026):
    from disclosure.extensions import db
    from disclosure.reports.operations import start_report

    agency, registrar, _head = office
    report = start_report(agency, year, registrar, today=D(year + 1, 1, 5))
    db.session.commit()
    return report


def test_the_report_list_and_page_name_the_state(office, client, login):
    report = _start(office)
    login(client, office[1])
    for url in ("/staff/reports/", f"/staff/reports/{report.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "草稿" in page and ">draft<" not in page, url
    with client.session_transaction() as s:
        s["lang"] = "en"
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert '<strong class="report-state">Draft</strong>' in page


def test_the_figures_behind_a_cell_in_words(office, client, login, make_case, make_remedy):
    report = _start(office)
    agency = office[0]
    case = make_case(agency, D(2026, 1, 10), D(2026, 2, 1))  # granted, archived
    make_remedy(case, "reconsideration", D(2026, 3, 1))  # pending
    login(client, office[1])
    with client.session_transaction() as s:
        s["lang"] = "en"
    cases = client.get(f"/staff/reports/{report.id}/cells/table3/granted/total").get_data(as_text=True)
    assert case.reference in cases
    assert "Closed and archived" in cases and ">archived<" not in cases
    assert ">granted<" not in cases and "Received on" in cases and "Concluded on" in cases
    remedies = client.get(f"/staff/reports/{report.id}/cells/table4/reconsideration/total").get_data(as_text=True)
    assert "<td>Pending</td>" in remedies and "Reconsideration body or court" in remedies
    with client.session_transaction() as s:
        s["lang"] = "zh_CN"
    remedies = client.get(f"/staff/reports/{report.id}/cells/table4/reconsideration/total").get_data(as_text=True)
    assert "<td>尚未审结</td>" in remedies and "复议机关或法院" in remedies and "正文" not in remedies


def test_checks_name_the_blocks_as_the_report_prints_them(office, make_case, make_remedy):
    agency = office[0]
    case = make_case(agency, D(2026, 1, 8), D(2026, 2, 1))
    make_remedy(case, "reconsideration", D(2026, 3, 1), "lost", D(2026, 4, 1))
    make_remedy(case, "litigation_direct", D(2026, 3, 1), "lost", D(2026, 4, 1))
    make_case(agency, D(2026, 3, 1), D(2025, 12, 1))  # one case closed before it was received
    checks = {c["rule"]: c for c in compute(agency, 2026)["checks"]}
    detail = checks["table4.blocks"]["detail"]
    assert "行政复议、未经复议直接起诉" in detail and "reconsideration" not in detail
    assert _detail_in("en", agency, "table3.dates") == "1 request is concluded before the day it was received."


def _detail_in(lang: str, agency, rule: str) -> str:
    """A check's wording as a reader of `lang` sees it (the checks are worded when computed)."""
    from flask import current_app
    from flask_babel import force_locale

    with current_app.test_request_context("/"), force_locale(lang):
        return next(c for c in compute(agency, 2026)["checks"] if c["rule"] == rule)["detail"]
