"""Table 2 and section 一 from real data: rules and normative documents published, repealed and valid across years
through the catalogue's review path, and 双公示 licensing and penalty decisions (public or not) counted in the year
of their decision."""

from __future__ import annotations

import datetime as dt

from disclosure.catalog.operations import validity
from disclosure.extensions import db
from disclosure.reports import operations
from disclosure.reports.compute import compute
from tests.factories import licensing_raw, penalty_raw, save

D = dt.date


def test_catalogue_documents_across_years(cat, publish_on):
    a = publish_on(D(2024, 5, 6), document_number="测政规〔2024〕1号")
    publish_on(D(2024, 9, 2), document_number="测政府令第1号", doc_kind="regulation")
    c = publish_on(D(2025, 3, 3), document_number="测政规〔2025〕1号")
    validity.repeal(a, by=c, effective_on=D(2025, 3, 3), actor=cat.head, today=D(2025, 3, 3))
    publish_on(D(2025, 8, 1), doc_kind="other", category="art20_15", document_number="测政办〔2025〕1号")
    db.session.commit()

    t2_2024 = compute(cat.agency, 2024)["table2"]
    assert t2_2024["regulations"] == {"made": 1, "repealed": 0, "valid": 1}
    assert t2_2024["normative_documents"] == {"made": 1, "repealed": 0, "valid": 1}
    n = compute(cat.agency, 2025)
    assert n["table2"]["regulations"] == {"made": 0, "repealed": 0, "valid": 1}
    assert n["table2"]["normative_documents"] == {"made": 1, "repealed": 1, "valid": 1}
    cross = next(c for c in n["checks"] if c["rule"] == "table2.cross_year")
    assert cross["ok"]  # last year's 1 valid + 1 made − 1 repealed = 1

    report = operations.start_report(cat.agency, 2025, cat.registrar)
    assert "本年度主动公开政府信息2条，其中规章0件、行政规范性文件1件" in report.overview
    assert "现行有效规章1件、行政规范性文件1件" in report.overview


def test_licensing_and_penalty_decisions_public_or_not_in_their_decision_year(pub):
    save(pub, licensing_raw(pub, XK_WSH="杭市监许〔2025〕1号", XK_JDRQ="2025-06-01", XK_YXQZ="2025-06-01"), "licensing")
    save(
        pub,
        licensing_raw(pub, XK_WSH="杭市监许〔2025〕2号", XK_JDRQ="2025-12-31", XK_YXQZ="2025-12-31"),
        "licensing",
        publish=False,
    )
    save(pub, licensing_raw(pub, XK_WSH="杭市监许〔2026〕1号", XK_JDRQ="2026-01-01", XK_YXQZ="2026-01-01"), "licensing")
    save(pub, penalty_raw(pub, CF_WSH="杭市监罚〔2025〕1号", CF_JDRQ="2025-03-03"))
    save(pub, penalty_raw(pub, CF_WSH="杭市监罚〔2025〕2号", CF_JDRQ="2025-04-04"), publish=False)
    save(pub, penalty_raw(pub, CF_WSH="杭市监罚〔2024〕9号", CF_JDRQ="2024-12-31"))
    db.session.commit()

    t2 = compute(pub.agency, 2025)["table2"]
    assert t2["licensing"] == {"decisions": 2} and t2["penalty"] == {"decisions": 2}
    t2 = compute(pub.agency, 2026)["table2"]
    assert t2["licensing"] == {"decisions": 1} and t2["penalty"] == {"decisions": 0}


def test_the_decisions_behind_a_figure_show_their_publicity_status_in_words(pub, client, login, make_staff):
    from disclosure.accounts.roles import Role

    save(pub, penalty_raw(pub, CF_WSH="杭市监罚〔2025〕1号", CF_JDRQ="2025-03-03"))
    save(pub, penalty_raw(pub, CF_WSH="杭市监罚〔2025〕2号", CF_JDRQ="2025-04-04"), publish=False)
    db.session.commit()
    head = make_staff(pub.agency, [Role.OFFICE_HEAD])
    report = operations.start_report(pub.agency, 2025, head)
    db.session.commit()
    login(client, head)
    with client.session_transaction() as s:
        s["lang"] = "en"
    page = client.get(f"/staff/reports/{report.id}/cells/table2/penalty/decisions")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "杭市监罚〔2025〕1号" in text and "杭市监罚〔2025〕2号" in text
    assert "<td>pending</td>" not in text and "<td>published</td>" not in text
    assert "Not yet published" in text
