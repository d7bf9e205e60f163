"""The figures kept per agency and period between requests (`supervision/figures/store.py`) equal fresh counts
after writes of every kind the figures depend on (issue 14, Benchmarks: 'pre-aggregation is allowed if it is kept
exact and a test proves it').

- Every table any registered measure reads is watched by `core.changes` (`figures/watched.py`), or is one of the
  rollups kept from watched tables; the triggers are in place after the migrations.
- The store is filled, then the world is made area by area through the operations (the builders of
  `test_figures_exact.py`), then changed behind the operations' back — bulk statements, raw SQL, deletions, joint
  issuers, versions, links across agencies, settings, the calendar — and after each write every measure, for every
  agency and period kind (and the trend's months), read through the store equals the measure counted afresh.
- A write to one agency has only that agency counted again; the calendar has every agency counted again; a new day
  has the figures that read the date counted again, and the others (`store.UNDATED`) count the same on any day.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import event, text

from tests.supervision.test_figures_exact import PERIODS, TODAY, builder_modules

D = dt.date
MONTHS = tuple(__import__("disclosure.supervision.periods", fromlist=["month"]).month(2025, m) for m in (1, 6, 12))


def _ids(tree) -> tuple[int, ...]:
    return (tree.office.id, tree.bureau.id, tree.bureau2.id, tree.outsider.id)


def _nonzero(counted: dict) -> dict:
    return {k: {a: int(n) for a, n in v.items() if n} for k, v in counted.items()}


class Recounts:
    """The agencies the store counted again since the last `take()`."""

    def __init__(self, monkeypatch):
        from disclosure.supervision import measures

        self.seen: set[int] = set()
        self.keys: set[str] = set()
        real = measures.counts

        def spy(keys, scope):
            self.seen.update(scope.agency_ids)
            self.keys.update(keys)
            return real(keys, scope)

        monkeypatch.setattr(measures, "counts", spy)
        self._real = real

    def fresh(self, keys, scope):
        return self._real(keys, scope)

    def take(self) -> set[int]:
        """The agencies counted again since the last call (their measures in `last_keys`)."""
        seen, self.last_keys = self.seen, self.keys
        self.seen, self.keys = set(), set()
        return seen


def assert_kept_equal_fresh(tree, recounts: Recounts, today: dt.date = TODAY) -> set[int]:
    """Every measure through the store equals a fresh count, for all the agencies and for each alone, over every
    period kind; returns the agencies the store counted again."""
    from disclosure.extensions import db
    from disclosure.supervision.figures import _memo, store
    from disclosure.supervision.measures import REGISTRY, Scope

    db.session.rollback()
    keys = [*REGISTRY.measures, *REGISTRY.ratios]
    ids = _ids(tree)
    problems = []
    for period in (*PERIODS, *MONTHS):
        for agencies in (ids, *((a,) for a in ids)):
            scope = Scope(agencies, period, today)
            kept = _nonzero(store.counts(keys, scope))
            _memo.forget()  # the fresh count shares nothing with the store's
            fresh = _nonzero(recounts.fresh(keys, scope))
            fresh = {k: v for k, v in fresh.items() if k in kept}
            if kept != fresh:
                problems.append((period.label, agencies, {k: (kept[k], fresh[k]) for k in kept if kept[k] != fresh[k]}))
    db.session.rollback()
    assert problems == []
    return recounts.take()


@pytest.fixture
def recounts(monkeypatch, app_ctx):
    from disclosure.supervision.figures import store

    store.store().clear()
    return Recounts(monkeypatch)


def test_the_triggers_are_in_place_after_the_migrations(app_ctx):
    from disclosure.core import changes
    from disclosure.extensions import db
    from disclosure.supervision.figures import watched

    with db.engine.connect() as conn:
        present = changes.installed(conn)
    assert {name for names in changes.trigger_names().values() for name in names} <= present
    assert {w.table for w in watched.WATCHES} == set(changes.WATCHES)


def test_every_table_the_figures_read_is_watched(tree, app_ctx):
    from flask_babel import force_locale

    from disclosure.core import changes
    from disclosure.extensions import db
    from disclosure.supervision.figures import watched
    from disclosure.supervision.measures import REGISTRY, Scope

    with app_ctx.test_request_context("/"), force_locale("en"):
        for module in builder_modules():
            module.build(tree, TODAY)
        db.session.commit()
    read: set[str] = set()

    def tables(_conn, _cursor, statement, *_args):
        read.update(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)', statement, re.IGNORECASE))

    event.listen(db.engine, "before_cursor_execute", tables)
    try:
        for period in PERIODS:
            for measure in REGISTRY.measures.values():
                measure.count(Scope(_ids(tree), period, TODAY))
    finally:
        event.remove(db.engine, "before_cursor_execute", tables)
    read &= set(db.metadata.tables)  # not the statements' own names (CTEs, aliases)
    assert {"applications", "publicity_records", "catalog_entries", "catalog_links"} <= read
    assert read - set(changes.WATCHES) - set(watched.DERIVED) == set()


def test_the_kept_figures_equal_fresh_counts_as_the_world_is_made(tree, recounts):
    from flask_babel import force_locale

    from disclosure.extensions import db

    assert_kept_equal_fresh(tree, recounts)
    for module in builder_modules():
        with tree_context(), force_locale("en"):
            module.build(tree, TODAY)
            db.session.commit()
        assert assert_kept_equal_fresh(tree, recounts), module.__name__  # something was counted again
    # Nothing written: nothing counted again.
    assert assert_kept_equal_fresh(tree, recounts) == set()


def tree_context():
    from flask import current_app

    return current_app.test_request_context("/")


@pytest.fixture
def world(tree, recounts):
    from flask_babel import force_locale

    from disclosure.extensions import db

    with tree_context(), force_locale("en"):
        for module in builder_modules():
            module.build(tree, TODAY)
        db.session.commit()
    assert_kept_equal_fresh(tree, recounts)
    return tree


def _write(*statements: str, **params) -> None:
    from disclosure.extensions import db

    for sql in statements:
        db.session.execute(text(sql), params)
    db.session.commit()


def test_a_write_to_one_agency_counts_that_agency_again_only(world, recounts):
    bureau = world.bureau.id
    _write("UPDATE applications SET received_date = :day WHERE agency_id = :a", day=D(2025, 11, 11), a=bureau)
    assert assert_kept_equal_fresh(world, recounts) == {bureau}
    _write("UPDATE publicity_records SET timeliness = 'overdue' WHERE agency_id = :a AND status = 'pending'", a=bureau)
    assert assert_kept_equal_fresh(world, recounts) == {bureau}
    # A new day: every figure that reads the date is counted on it, the others are kept.
    from disclosure.supervision.figures.store import UNDATED

    assert assert_kept_equal_fresh(world, recounts, TODAY + dt.timedelta(days=1)) == set(_ids(world))
    assert recounts.last_keys
    assert not recounts.last_keys & UNDATED
    # The calendar concerns every agency.
    _write(
        "INSERT INTO workday_overrides (day, is_working, source, note, created_at, updated_at) "
        "VALUES (:day, :no, 'test', '', :now, :now)",
        day=D(2025, 11, 12),
        no=False,
        now=dt.datetime(2025, 11, 1, tzinfo=dt.UTC),
    )
    assert assert_kept_equal_fresh(world, recounts) == set(_ids(world))


def test_requests_double_publicity_and_their_remedies_written_behind_the_operations(world, recounts):
    from sqlalchemy import insert

    from disclosure.applications.models import Application
    from disclosure.extensions import db

    b, b2 = world.bureau.id, world.bureau2.id
    _write(
        "UPDATE applications SET closed_date = :day, outcome = 'not_exist' WHERE agency_id = :a "
        "AND closed_date IS NOT NULL",
        day=D(2025, 2, 14),
        a=b,
    )
    assert assert_kept_equal_fresh(world, recounts) == {b}
    # An open case's clock: its due date moved into the past, then paused.
    _write(
        "UPDATE applications SET due_date = :day WHERE agency_id = :a AND closed_date IS NULL", day=D(2025, 1, 5), a=b2
    )
    _write(
        "UPDATE applications SET deadline_status = 'paused' "
        "WHERE id = (SELECT min(id) FROM applications WHERE agency_id = :a)",
        a=b2,
    )
    assert assert_kept_equal_fresh(world, recounts) == {b2}
    db.session.execute(
        insert(Application),
        [
            {
                "agency_id": b2,
                "reference": f"BULK-{n}",
                "ref_year": 2025,
                "ref_serial": 900 + n,
                "state": "archived",
                "received_date": D(2025, 4, 1 + n),
                "due_date": D(2025, 4, 28),
                "outcome": "granted",
                "issued_date": D(2025, 4, 20),
            }
            for n in range(3)
        ],
    )
    _write("DELETE FROM applications WHERE reference = 'BULK-1'")
    _write("UPDATE application_remedies SET result = 'corrected', decided_date = :day", day=D(2025, 9, 1))
    _write("DELETE FROM application_ratings WHERE id = (SELECT min(id) FROM application_ratings)")
    _write("UPDATE publicity_records SET decision_date = '2025-06-30' WHERE id % 2 = 0")
    _write("DELETE FROM publicity_records WHERE id = (SELECT max(id) FROM publicity_records)")
    assert assert_kept_equal_fresh(world, recounts)


def test_catalogue_entries_versions_issuers_links_and_settings(world, recounts):
    from disclosure.catalog.models import Entry, EntryIssuer, EntryLink, EntryVersion
    from disclosure.core.timeutil import utcnow
    from disclosure.extensions import db

    published = (
        db.session.execute(db.select(Entry).where(Entry.published_version_id.is_not(None)).order_by(Entry.id))
        .scalars()
        .all()
    )
    first, second, third = published[:3]
    db.session.add(EntryIssuer(entry_id=first.id, agency_id=world.bureau2.id, lead=False, position=5))
    db.session.commit()
    assert world.bureau2.id in assert_kept_equal_fresh(world, recounts)
    _write("DELETE FROM catalog_entry_issuers WHERE entry_id = :e AND NOT lead", e=second.id)
    db.session.add(
        EntryVersion(
            entry_id=third.id,
            revision=9,
            published_at=utcnow(),
            published_on=D(2025, 8, 8),
            attribute="proactive",
            title=third.title,
        )
    )
    db.session.commit()
    assert_kept_equal_fresh(world, recounts)
    _write("UPDATE catalog_versions SET attribute = 'on_request' WHERE revision = 9")
    _write(
        "UPDATE catalog_entries SET agency_id = :a, published_on = :p, due_on = :d WHERE id = :e",
        a=world.office.id,
        p=D(2025, 2, 2),
        d=D(2025, 1, 1),
        e=third.id,
    )
    _write("UPDATE catalog_entries SET state = 'withdrawn' WHERE id = :e", e=first.id)
    assert_kept_equal_fresh(world, recounts)

    # An interpretation of another agency's document: the document's date decides the interpretation's lateness,
    # and the interpretation decides whether the document misses one.
    interpretations = (
        db.session.execute(
            db.select(Entry).where(Entry.entry_type == "interpretation", Entry.published_version_id.is_not(None))
        )
        .scalars()
        .all()
    )
    links = db.session.execute(db.select(EntryLink).where(EntryLink.relation == "interprets")).scalars().all()
    assert interpretations and links
    link = links[0]
    interpretation = db.session.get(Entry, link.source_id)
    other = next(a for a in _ids(world) if a != interpretation.agency_id)
    _write("UPDATE catalog_entries SET agency_id = :a WHERE id = :e", a=other, e=link.target_id)
    assert {other, interpretation.agency_id} <= assert_kept_equal_fresh(world, recounts)
    _write("UPDATE catalog_entries SET first_published_on = :d WHERE id = :e", d=D(2025, 11, 3), e=link.target_id)
    assert interpretation.agency_id in assert_kept_equal_fresh(world, recounts)
    _write("UPDATE catalog_entries SET withdrawn_at = :t WHERE id = :e", t=utcnow(), e=interpretation.id)
    assert other in assert_kept_equal_fresh(world, recounts)
    _write("DELETE FROM catalog_links WHERE id = :l", l=link.id)
    assert_kept_equal_fresh(world, recounts)
    # An agency's interpretation window (every agency: its documents' interpreters may be anyone).
    _write(
        "UPDATE catalog_settings SET interpretation_due_days = 1, review_months_before_expiry = 1 WHERE agency_id IN "
        "(SELECT agency_id FROM catalog_settings)"
    )
    _write(
        "INSERT INTO catalog_settings (agency_id, index_format, publish_due_days, interpretation_due_days, "
        "list_on_request_entries, validity_years, provisional_validity_years, review_months_before_expiry, version) "
        "SELECT :a, '', 5, 1, :no, 5, 2, 12, 1 WHERE NOT EXISTS (SELECT 1 FROM catalog_settings WHERE agency_id = :a)",
        a=world.bureau2.id,
        no=False,
    )
    assert assert_kept_equal_fresh(world, recounts) == set(_ids(world))


def test_consultations_reports_notices_appraisal_and_columns(world, recounts):
    b, b2 = world.bureau.id, world.bureau2.id
    _write("UPDATE participation_consultations SET answers_published_at = NULL WHERE agency_id = :a", a=b)
    _write(
        "UPDATE participation_comments SET received_on = :d WHERE id = (SELECT min(id) FROM participation_comments)",
        d=D(2025, 11, 5),
    )
    _write("UPDATE annual_reports SET published_on = :d WHERE agency_id = :a", d=D(2025, 4, 30), a=b)
    _write("UPDATE report_settings SET agency_kind = 'government' WHERE agency_id = :a", a=b2)
    _write("UPDATE supervision_notices SET due_on = :d, state = 'issued' WHERE agency_id = :a", d=D(2025, 12, 1), a=b)
    _write("UPDATE supervision_notice_rounds SET answered_on = :d WHERE answered_on IS NOT NULL", d=D(2025, 11, 20))
    _write(
        "UPDATE supervision_survey_responses SET overall = 1 "
        "WHERE id = (SELECT min(id) FROM supervision_survey_responses)"
    )
    assert assert_kept_equal_fresh(world, recounts)
    _write(
        "INSERT INTO supervision_column_settings (agency_id, category, update_class, max_gap_days, applies) "
        "VALUES (:a, 'art20_5', 'daily', 1, :yes)",
        a=b2,
        yes=True,
    )
    assert assert_kept_equal_fresh(world, recounts) == {b2}
    _write("INSERT INTO supervision_column_thresholds (key, value) VALUES ('overdue_columns', 1)")
    _write(
        "INSERT INTO supervision_column_defaults (category, update_class, max_gap_days) VALUES ('art20_1', 'daily', 1)"
    )
    assert assert_kept_equal_fresh(world, recounts) == set(_ids(world))


def test_compaction_keeps_every_stamp(world, recounts):
    from disclosure.core import changes
    from disclosure.extensions import db

    ids = _ids(world)
    before = changes.stamps(ids)
    db.session.rollback()
    assert changes.compact() > 0
    db.session.commit()
    assert changes.stamps(ids) == before
    assert db.session.scalar(text("SELECT count(*) FROM agency_changes")) <= len(ids) + 1
    db.session.rollback()
    assert assert_kept_equal_fresh(world, recounts) == set()


def test_the_figures_kept_whatever_the_day_do_not_read_the_date(world):
    """`store.UNDATED`: each of these measures counts the same on any day (events within the period), so it is kept
    per period alone; the others are kept per period and date."""
    from disclosure.supervision.figures.store import UNDATED
    from disclosure.supervision.measures import REGISTRY, Scope

    assert set(REGISTRY.measures) >= UNDATED
    assert {"requests.overdue", "proactive.overdue", "columns.overdue", "reports.late"}.isdisjoint(UNDATED)
    days = (TODAY, D(2025, 1, 2), D(2025, 7, 1), D(2027, 3, 1))
    for period in PERIODS:
        for key in sorted(UNDATED):
            measure = REGISTRY.measures[key]
            counted = [measure.count(Scope(_ids(world), period, day)) for day in days]
            assert all(c == counted[0] for c in counted), (key, period.label)
