"""索引号 (issue 11 §1; proactive-china §2.2, §6.2): unique and gap-free under twenty concurrent publishers on SQLite
and PostgreSQL (run with TEST_DATABASE_URL for PostgreSQL), the agency's format checked, and imported numbers
validated permissively against the real numbers found."""

from __future__ import annotations

import re
import threading

import pytest

from disclosure.catalog import index_numbers as ix
from disclosure.catalog.models import Entry
from disclosure.catalog.operations import entries as ops
from disclosure.core.errors import DomainError
from disclosure.extensions import db
from tests.catalog.conftest import entry_input

THREADS = 20

# proactive-china §6.2: index numbers seen on real disclosure pages.
REAL_NUMBERS = (
    "000014349/2017-00110",
    "014119467/2016-00076",
    "0142768-8/2022-00185",
    "11370322004222241N/2021-5135380",
    "11341702486344515H/202110-00013",
    "640000001/2024-00490",
    "sggzyjyzx/2024-00002",
    "shg58/2021-402",
)


def _awaiting_approval(cat, n: int) -> list[int]:
    ids = []
    for i in range(n):
        entry = ops.create_entry(
            cat.agency, entry_input(title=f"并发发布测试文件{i}", document_number=""), actor=cat.editor
        )
        ops.act(entry, "submit", actor=cat.editor)
        ops.act(entry, "confirm_attribute", actor=cat.registrar)
        ops.act(entry, "pass_secrecy", actor=cat.secrecy)
        ids.append(entry.id)
    db.session.commit()
    return ids


def test_twenty_concurrent_publishers_get_unique_gap_free_index_numbers(app, cat):
    from disclosure.accounts.models import User

    entry_ids = _awaiting_approval(cat, THREADS)
    head_id = cat.head.id
    db.session.rollback()  # the test's own session must not hold SQLite's write lock while the publishers work
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def publish(i: int) -> None:
        # An office head's POST: on SQLite its transaction takes the write lock at BEGIN (core.sqlite_tuning).
        with app.test_request_context("/", method="POST"):
            try:
                barrier.wait(timeout=120)
                entry = db.session.get(Entry, entry_ids[i])
                ops.act(entry, "publish", actor=db.session.get(User, head_id))
                db.session.commit()
                results[i] = (entry.index_number, entry.index_serial)
            except Exception as exc:  # surfaced by the assertions below
                db.session.rollback()
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=publish, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert all(isinstance(r, tuple) for r in results), results
    serials = sorted(serial for _number, serial in results)
    assert serials == list(range(1, THREADS + 1))
    numbers = {number for number, _serial in results}
    assert numbers == {f"{cat.agency.org_code}/2026-{n:05d}" for n in range(1, THREADS + 1)}
    with app.app_context():
        stored = db.session.execute(db.select(Entry.index_number).where(Entry.id.in_(entry_ids))).scalars().all()
        assert sorted(stored) == sorted(numbers)
        # Every one of them is public and found by its number.
        from disclosure.catalog.search import SearchQuery, search

        assert search(SearchQuery(q="并发发布测试")).total == THREADS


def test_a_rolled_back_publication_gives_its_number_back(cat):
    (entry_id,) = _awaiting_approval(cat, 1)
    entry = db.session.get(Entry, entry_id)
    ops.act(entry, "publish", actor=cat.head)
    assert entry.index_number.endswith("-00001")
    db.session.rollback()
    entry = db.session.get(Entry, entry_id)
    assert entry.index_number is None and entry.state == "approval"
    ops.act(entry, "publish", actor=cat.head)
    db.session.commit()
    assert entry.index_number.endswith("-00001")


@pytest.mark.parametrize("number", REAL_NUMBERS)
def test_the_real_numbers_are_accepted_for_import(number):
    match = ix.parse_imported(number)
    assert match is not None
    org, period, serial = match.group("org", "period", "serial")
    assert f"{org}/{period}-{serial}" == number


@pytest.mark.parametrize(
    "number",
    [
        "",
        "014119467",  # no period and serial
        "014119467/2016",  # no serial
        "014119467/16-00076",  # a two-digit year
        "014119467/2016-000000001",  # a nine-digit serial
        "/2016-00076",  # no organisation
        "01/2016-00076",  # an organisation code too short
        "0141194670141194670141/2016-00076",  # and too long
        "014119467/2016-00076/extra",
        "014 119467/2016-00076",
        "<script>/2016-00076",
        "政府办/2016-00076",
    ],
)
def test_malformed_numbers_are_refused_for_import(number):
    assert ix.parse_imported(number) is None


@pytest.mark.parametrize(
    "fmt",
    [
        ix.DEFAULT_FORMAT,
        "{org}/{year}-{serial:05d}",
        "{org}/{year}{month}-{serial:05d}",
        "ZF-{year}-{serial:06d}",
        "{org}.{year}_{serial}",
    ],
)
def test_good_formats_are_accepted(fmt):
    ix.check_format(fmt)
    number = ix.format_number(fmt, org="014119467", year=2026, month=3, serial=7)
    assert re.fullmatch(r"[0-9A-Za-z/\-_.]+", number)


@pytest.mark.parametrize(
    "fmt",
    [
        "{org}/{year}",  # no serial
        "{serial}-{serial}",  # serial twice
        "{org}/{year}-{serial:05d}{agency}",  # an unknown field
        "{org}/{year}-{serial!r}",  # a conversion
        "{org}/{year}-{serial:>30}",  # a padding spec that is not an integer's
        "{org} {year}-{serial}",  # a space
        "{org}/{year}-{serial}号",  # not ASCII
        "{org/{serial}",  # unbalanced
    ],
)
def test_bad_formats_are_refused_with_a_message(fmt):
    with pytest.raises(DomainError) as exc:
        ix.check_format(fmt)
    assert exc.value.field == "index_format"


def test_numbers_follow_the_agencys_format_and_an_imported_number_is_kept(cat, publish_entry):
    settings = ops.settings_for(cat.agency.id)
    settings.index_format = "ZF-{year}{month}-{serial:03d}"
    db.session.commit()
    entry = publish_entry(document_number="")
    assert entry.index_number == "ZF-202603-001"
    draft = ops.create_entry(cat.agency, entry_input(document_number=""), actor=cat.editor)
    ops.set_imported_index_number(draft, "014119467/2016-00076")
    assert draft.index_number == "014119467/2016-00076"
    with pytest.raises(DomainError):
        ops.set_imported_index_number(draft, "not a number")
    other = ops.create_entry(cat.agency, entry_input(document_number=""), actor=cat.editor)
    with pytest.raises(DomainError):
        ops.set_imported_index_number(other, "014119467/2016-00076")


def test_publishing_writes_the_entry_in_one_update_and_keeps_everything(cat):
    """The version is frozen before the entry changes, so publishing writes the entry once (state, version, search
    columns, index number): on PostgreSQL every UPDATE of an entry is a new row version that its indexes (the
    search vectors' GIN indexes included) take in again and that runs the rollup triggers."""
    from sqlalchemy import event

    from disclosure.catalog.models import EntryVersion, SearchIssuer
    from disclosure.catalog.search import SearchQuery, search

    (entry_id,) = _awaiting_approval(cat, 1)
    updates: list[str] = []

    def seen(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE CATALOG_ENTRIES"):
            updates.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        entry = db.session.get(Entry, entry_id)
        ops.act(entry, "publish", actor=cat.head)
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert len(updates) == 1
    entry = db.session.get(Entry, entry_id)
    version = db.session.get(EntryVersion, entry.published_version_id)
    assert entry.state == "published" and entry.revision == version.revision == 1
    assert entry.index_number.endswith("-00001") and entry.published_on == version.published_on
    assert entry.search_key is not None and entry.search_title and entry.search_text
    assert (
        db.session.execute(db.select(SearchIssuer.agency_id).where(SearchIssuer.entry_id == entry.id)).scalars().all()
    )
    assert [h.entry.id for h in search(SearchQuery(q="并发发布")).hits] == [entry.id]
