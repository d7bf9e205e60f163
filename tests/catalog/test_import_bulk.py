"""The import's bulk write (issue 11 §6, speed): an imported entry is indexed, classified for browsing and frozen
exactly as publishing it through the operations would (same search columns, public columns, issuing organs,
version metadata, Art. 26 due date); not-public ones are not indexed; many rows share one calendar look-up."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from disclosure.catalog import platform, search
from disclosure.catalog.importer.inserting import Overlapped
from disclosure.catalog.models import Entry, SearchIssuer
from disclosure.catalog.operations.entries import public_metadata, settings_for
from disclosure.catalog.search import refresh_search_text
from disclosure.catalog.timeliness import publish_due
from disclosure.extensions import db
from disclosure.workdays import calendar

_spec = importlib.util.spec_from_file_location("catalog_import_tests", Path(__file__).with_name("test_import.py"))
_helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_helpers)
row, xlsx = _helpers.row, _helpers.xlsx
run_import = _helpers.run_import  # the fixture


SEARCH_COLUMNS = (
    "search_title",
    "search_text",
    "search_counts",
    "search_key",
    "public_theme_id",
    "public_genre_id",
    "public_category",
    "public_doc_kind",
)


def _columns(entry: Entry) -> dict:
    return {name: getattr(entry, name) for name in SEARCH_COLUMNS if hasattr(entry, name)}


def _issuers(entry_id: int) -> set[int]:
    return set(db.session.execute(select(SearchIssuer.agency_id).where(SearchIssuer.entry_id == entry_id)).scalars())


def test_imported_entries_are_indexed_as_published_ones(cat, run_import):
    data = xlsx(
        row(
            索引号="014119467/2016-00076",
            发文机关=cat.other.full_name,
            正文="各单位：\n防汛抗旱工作通知如下。防汛抗旱。",
        ),
        row(标题="第二份通知", 发文字号="钟政办发〔2017〕2号", 成文日期=dt.date(2017, 9, 29), 发布日期="2017-10-09"),
        row(标题="某项目审批材料", 发文字号="", 公开方式="依申请公开"),
    )
    job = run_import(data)
    assert (job.status, job.created_count, job.error_count) == ("done", 3, 0), job.errors_preview
    first, second, recorded = db.session.execute(
        select(Entry).where(Entry.agency_id == cat.agency.id).order_by(Entry.id)
    ).scalars()
    days = settings_for(cat.agency.id).publish_due_days
    for entry in (first, second):
        assert entry.is_public and entry.search_key is not None
        imported, issuers = _columns(entry), _issuers(entry.id)
        assert entry.published_version.metadata_json == public_metadata(entry)
        assert entry.due_on == publish_due(entry.changed_on or entry.made_on, days)
        refresh_search_text(entry)  # what publishing through the operations writes
        db.session.flush()
        assert _columns(entry) == imported and _issuers(entry.id) == issuers
    assert _issuers(first.id) == {cat.agency.id, cat.other.id}
    assert recorded.search_key is None and recorded.search_text == "" and not _issuers(recorded.id)
    # the full-text index holds them as its triggers would (on SQLite the import fills it itself, triggers paused)
    assert [h.entry.id for h in search.search(search.SearchQuery(q="防汛抗旱")).hits] == [first.id]
    assert [h.entry.id for h in search.search(search.SearchQuery(q="第二份通知")).hits] == [second.id]
    if db.engine.dialect.name == "sqlite":
        counts = db.session.execute(
            text(f"SELECT search_counts FROM {search.COUNTS_TABLE} WHERE search_key = :k"), {"k": first.search_key}
        ).scalar_one()
        assert counts == first.search_counts
        assert db.session.execute(text(f"SELECT count(*) FROM {search.PAUSE_TABLE}")).scalar_one() == 0
    # browsing by the published version's classification finds the imported entries, newest first
    found = db.session.execute(
        platform.public_rows(platform.Browse(agency_id=cat.agency.id, category=first.public_category))
    ).all()
    assert [e.id for e, _v in found] == [second.id, first.id]
    # the joint issuer sees the joint document in its own catalogue
    joint = db.session.execute(platform.public_rows(platform.Browse(agency_id=cat.other.id))).all()
    assert [e.id for e, _v in joint] == [first.id]


def test_a_chunk_of_rows_takes_the_calendar_once(cat, run_import, monkeypatch):
    calls = []
    real = calendar._load_token
    monkeypatch.setattr(calendar, "_load_token", lambda: calls.append(1) or real())
    rows = [
        row(标题=f"通知{i}", 发文字号=f"钟政办发〔2016〕{i}号", 成文日期=dt.date(2016, 1, 1) + dt.timedelta(days=i))
        for i in range(40)
    ]
    job = run_import(xlsx(*rows))
    assert job.created_count == 40, job.errors_preview
    assert len(calls) <= 2  # one look-up for the chunk (and at most one more for the sweep of the job)


def test_a_write_beside_the_building_raises_in_the_import(cat):
    """A part's insert runs in a thread while the next part is built (`Overlapped`), on the import's session and in
    its transaction; its failure is raised by the import's own thread, at the next part or at the end of the chunk,
    and the transaction then fails as after any failed statement."""
    before = db.session.execute(text("SELECT count(*) FROM catalog_themes")).scalar_one()
    with pytest.raises(DBAPIError), Overlapped() as writes:
        writes.submit(lambda: db.session.execute(text("DELETE FROM catalog_themes WHERE id = -1")))
        writes.submit(lambda: db.session.execute(text("SELECT * FROM no_such_table")))
    db.session.rollback()
    with Overlapped() as writes:  # the same session and transaction as the caller's: it sees what the write did
        writes.submit(lambda: db.session.execute(text("DELETE FROM catalog_themes WHERE parent_id IS NOT NULL")))
    left = db.session.execute(text("SELECT count(*) FROM catalog_themes")).scalar_one()
    assert 0 < left < before
    db.session.rollback()
    assert db.session.execute(text("SELECT count(*) FROM catalog_themes")).scalar_one() == before
