"""The demo government's annual reports: last year's published (frozen with its PDF), this year's a draft; loading
the demo again changes nothing."""

from __future__ import annotations

from sqlalchemy import select


def test_demo_reports_published_and_draft_once(app_ctx, client):
    from disclosure.accounts.models import Agency
    from disclosure.core.timeutil import today_china
    from disclosure.demo import load_demo
    from disclosure.extensions import db
    from disclosure.reports import operations

    load_demo()
    db.session.commit()
    gov = db.session.execute(select(Agency).where(Agency.slug == "demo-gov")).scalar_one()
    year = today_china().year
    by_year = {r.year: r for r in operations.reports_of(gov.id)}
    assert set(by_year) == {year - 1, year}
    published, draft = by_year[year - 1], by_year[year]
    assert published.state == "published" and published.pdf_sha256 and published.frozen_numbers["year"] == year - 1
    assert published.pdf_file.read_bytes().startswith(b"%PDF")
    assert "主动公开政府信息" in published.overview
    assert draft.state == "draft" and draft.fees_source
    page = client.get(f"/catalog/demo-gov/annual-reports/{published.id}").get_data(as_text=True)
    assert f"{year - 1}年" in page

    load_demo()
    db.session.commit()
    assert [r.id for r in operations.reports_of(gov.id)] == [draft.id, published.id]
