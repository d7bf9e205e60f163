"""Large Art. 25 exports run in the worker (issue 11 §5): above the threshold the page offers a background export,
the POST starts a job (CSRF), the job's page shows its progress and the ZIP is downloaded when ready; another
agency's staff never see the job; bad periods are reported beside their fields."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import load_workbook
from sqlalchemy import select

from disclosure.catalog import export
from disclosure.catalog.models import CatalogExport
from disclosure.core.audit import AuditEvent
from disclosure.core.timeutil import today_china
from disclosure.extensions import db


def _csrf(html: str) -> str:
    return re.search(r'name="job-csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_a_period_above_the_threshold_is_exported_in_the_background(cat, app, client, use, publish_entry):
    first = publish_entry(title="第一份文件", document_number="测政发〔2026〕1号")
    second = publish_entry(title="第二份文件", document_number="测政发〔2026〕2号")
    app.config["CATALOG_EXPORT_SYNC_ENTRIES"] = 1
    use(cat.editor)  # logs in, then reads in English (the login starts a new session)
    app.config["WTF_CSRF_ENABLED"] = True  # after the login, which posts without a token
    try:
        today = today_china().isoformat()
        page = client.get(f"/staff/catalog/export?start=2026-01-01&end={today}")
        assert page.status_code == 200 and page.mimetype == "text/html"
        html = page.get_data(as_text=True)
        assert "2 entries were published in this period" in html
        # Without the CSRF token nothing starts.
        refused = client.post("/staff/catalog/export/jobs", data={"job-start": "2026-01-01", "job-end": today})
        assert refused.status_code == 400 and db.session.execute(select(CatalogExport)).first() is None
        started = client.post(
            "/staff/catalog/export/jobs",
            data={"job-csrf_token": _csrf(html), "job-start": "2026-01-01", "job-end": today},
        )
        assert started.status_code == 303
        job = db.session.execute(select(CatalogExport)).scalar_one()
        assert started.headers["Location"].endswith(f"/staff/catalog/export/jobs/{job.id}")
        # huey runs immediately in the tests: the job is done
        assert (job.status, job.total_entries, job.processed_entries) == ("done", 2, 2)
        status = client.get(f"/staff/catalog/export/jobs/{job.id}/status.json").get_json()
        assert status["done"] and status["percent"] == 100 and status["entries"] == 2
        job_page = client.get(f"/staff/catalog/export/jobs/{job.id}").get_data(as_text=True)
        assert "Download the ZIP file" in job_page
        resp = client.get(f"/staff/catalog/export/jobs/{job.id}/download")
        assert resp.status_code == 200 and resp.mimetype == "application/zip"
        assert "filename*=UTF-8''" in resp.headers["Content-Disposition"]
        data = resp.data
        resp.close()  # the file is streamed from storage: the server closes it after sending
        rows = list(
            load_workbook(io.BytesIO(zipfile.ZipFile(io.BytesIO(data)).read("目录.xlsx"))).active.iter_rows(
                values_only=True
            )
        )
        assert [r[0] for r in rows[1:]] == [first.index_number, second.index_number]
        actions = set(
            db.session.execute(select(AuditEvent.action).where(AuditEvent.object_type == "catalog_export")).scalars()
        )
        assert actions == {"catalog.export.start", "catalog.export.done"}
    finally:
        del app.config["CATALOG_EXPORT_SYNC_ENTRIES"]
        app.config["WTF_CSRF_ENABLED"] = False


def test_export_jobs_belong_to_their_agency(cat, app, client, login, make_staff, publish_entry):
    publish_entry()
    job = export.start_export(
        cat.agency, cat.editor, export.Period(today_china().replace(month=1, day=1), today_china())
    )
    db.session.commit()
    stranger = make_staff(agency=cat.other, roles=["catalog_editor"])
    login(client, stranger)
    for path in ("", "/status.json", "/download"):
        assert client.get(f"/staff/catalog/export/jobs/{job.id}{path}").status_code == 404
    assert client.get("/staff/catalog/export/jobs/999999").status_code == 404


def test_background_export_refuses_empty_and_oversized_periods(cat, app, client, use, publish_entry):
    publish_entry()
    use(cat.editor)  # logs in, then reads in English (the login starts a new session)
    data = {"job-start": "2020-01-01", "job-end": "2020-02-01"}
    try:
        empty = client.post("/staff/catalog/export/jobs", data=data)
        assert empty.status_code == 400 and "Nothing was published in this period." in empty.get_data(as_text=True)
        backwards = client.post("/staff/catalog/export/jobs", data={"job-start": "2026-05-01", "job-end": "2026-04-01"})
        assert "The period cannot end before it starts." in backwards.get_data(as_text=True)
        app.config["CATALOG_EXPORT_MAX_ENTRIES"] = 0
        today = today_china().isoformat()
        too_many = client.post("/staff/catalog/export/jobs", data={"job-start": "2026-01-01", "job-end": today})
        assert "More than 0 entries were published in this period" in too_many.get_data(as_text=True)
    finally:
        app.config.pop("CATALOG_EXPORT_MAX_ENTRIES", None)
    assert db.session.execute(select(CatalogExport)).first() is None


def test_export_reads_the_period_in_pages(cat, monkeypatch, publish_entry):
    numbers = [publish_entry(title=f"文件{i}", document_number=f"测政发〔2026〕{i}号").index_number for i in range(5)]
    monkeypatch.setattr(export, "PAGE", 2)
    period = export.Period(today_china().replace(month=1, day=1), today_china())
    assert [e.index_number for e, _v in export.entries_published(cat.agency, period)] == numbers
    assert export.count_published(cat.agency, period) == 5
    seen = []
    buf = io.BytesIO()
    assert export.write_archive(cat.agency, period, buf, progress=seen.append) == 5
    assert seen == [2, 4]
