"""The counts the database keeps per agency and month (`core.rollups`) equal the live counts, always (issue 14,
Benchmarks: 'pre-aggregation is allowed if it is kept exact and a test proves it').

The world is the figures' builders (every area's records made through the operations), then changed behind the
operations' back the ways the code base does — bulk statements of imports and sweeps, raw SQL, deletions, a joint
issuer added and taken away, a new version — and after each change every rollup read through the oversight doors
(whole months from the rollup, partial months live) equals the same count from the rows alone (`live=True`), for
every agency and for all together, over months, quarters, years and ranges cut inside months; `rollups.verify`
finds nothing between the kept counts and a recount; compaction and a rebuild change no figure.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import pytest
from sqlalchemy import delete, insert, text, update

D = dt.date
TODAY = D(2025, 12, 15)
PERIODS = (
    (D(2025, 11, 1), D(2025, 11, 30)),  # a month
    (D(2025, 7, 1), D(2025, 9, 30)),  # a quarter
    (D(2025, 1, 1), D(2025, 12, 31)),  # a year
    (D(2024, 12, 1), D(2025, 12, 15)),  # whole months and a cut one
    (D(2025, 3, 4), D(2025, 10, 20)),  # cut at both ends
    (D(2025, 6, 3), D(2025, 6, 20)),  # inside one month
    (D(2020, 1, 1), D(2026, 12, 31)),  # everything
)


def builder_modules():
    from tests.supervision import builders

    return [
        importlib.import_module(f"{builders.__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(builders.__path__), key=lambda i: i.name)
        if not info.name.startswith("_")
    ]


@pytest.fixture
def world(tree, app_ctx):
    from flask_babel import force_locale

    from disclosure.extensions import db

    with app_ctx.test_request_context("/"), force_locale("en"):
        for module in builder_modules():
            module.build(tree, TODAY)
        db.session.commit()
        yield tree


def figures(ids, start, end, *, live: bool) -> dict:
    """Every count kept by a rollup, through the packages' doors."""
    from disclosure.applications import oversight as requests
    from disclosure.applications.ratings import rating_counts
    from disclosure.catalog import oversight as catalog
    from disclosure.publicity import oversight as publicity

    return {
        "received": requests.received_counts(ids, start, end, live=live),
        "concluded": sorted(requests.concluded_counts(ids, start, end, live=live), key=repr),
        "publicity": {a: vars(r) for a, r in publicity.agency_rows(ids, start, end, live=live).items()},
        "published": catalog.published_counts(ids, start, end, live=live),
        "changes": catalog.changes_counts(ids, start, end, live=live),
        "judged": catalog.timeliness_counts(ids, start, end, live=live),
        "ratings": rating_counts(ids, start, end, live=live),
    }


def assert_exact(tree) -> None:
    from disclosure.core import rollups
    from disclosure.extensions import db

    assert rollups.verify() == []
    agencies = [tree.office.id, tree.bureau.id, tree.bureau2.id, tree.outsider.id]
    for start, end in PERIODS:
        for ids in ([*agencies], *([a] for a in agencies)):
            kept, live = figures(ids, start, end, live=False), figures(ids, start, end, live=True)
            assert kept == live, (start, end, ids)
    db.session.rollback()


def test_the_triggers_are_in_place_after_the_migrations(app_ctx):
    from disclosure.core import rollups
    from disclosure.extensions import db

    with db.engine.connect() as conn:
        present = rollups.installed(conn)
    wanted = {name for names in rollups.trigger_names().values() for name in names}
    assert wanted <= present
    assert {"applications", "publicity_records", "catalog_entries", "catalog_versions"} <= set(rollups.SOURCES)


def test_the_world_has_figures_in_every_rollup(world):
    """The builders give every rollup something to count, so the comparisons below compare numbers."""
    from disclosure.core import rollups
    from disclosure.core.rollups import RollupDelta, RollupMonth
    from disclosure.extensions import db

    kept = {r for (r,) in db.session.execute(db.select(RollupDelta.rollup).distinct())}
    kept |= {r for (r,) in db.session.execute(db.select(RollupMonth.rollup).distinct())}
    assert kept == rollups.rollups()


def test_the_kept_counts_equal_the_live_counts_for_every_agency_and_period(world):
    assert_exact(world)


def test_bulk_statements_raw_sql_and_deletions_are_counted(world):
    """What imports, sweeps and hand-written SQL do to the rows, bypassing the operations."""
    from disclosure.applications.models import Application
    from disclosure.extensions import db
    from disclosure.publicity.models import PublicityRecord

    bureau = world.bureau
    # A ledger-like correction of every concluded case of an agency: conclusion moved to February, outcome changed.
    db.session.execute(
        update(Application)
        .where(Application.agency_id == bureau.id, Application.closed_date.is_not(None))
        .values(closed_date=D(2025, 2, 14), outcome="not_exist")
        .execution_options(synchronize_session=False)
    )
    # Cases inserted in bulk (a ledger import), then one of them deleted outright.
    rows = [
        {
            "agency_id": world.bureau2.id,
            "reference": f"BULK-{n}",
            "ref_year": 2025,
            "ref_serial": 900 + n,
            "state": state,
            "received_date": D(2025, 4, 1 + n),
            "due_date": D(2025, 4, 28),
            "outcome": outcome,
            "issued_date": issued,
            "closed_date": None,
        }
        for n, (state, outcome, issued) in enumerate(
            [
                ("archived", "granted", D(2025, 4, 20)),
                ("archived", "partial", D(2025, 5, 6)),
                ("registered", None, None),
            ]
        )
    ]
    db.session.execute(insert(Application), rows)
    db.session.execute(text("DELETE FROM applications WHERE reference = 'BULK-1'"))
    # The 双公示 sweep's kind of statement: every pending record marked overdue, by hand.
    db.session.execute(
        update(PublicityRecord)
        .where(PublicityRecord.status == "pending")
        .values(timeliness="overdue")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(text("UPDATE publicity_records SET decision_date = '2025-06-30' WHERE id % 2 = 0"))
    db.session.commit()
    assert_exact(world)


def test_catalogue_changes_of_issuers_versions_and_entries_are_counted(world):
    from disclosure.catalog.models import Entry, EntryIssuer, EntryVersion
    from disclosure.core.timeutil import utcnow
    from disclosure.extensions import db

    published = (
        db.session.execute(db.select(Entry).where(Entry.published_version_id.is_not(None)).order_by(Entry.id))
        .scalars()
        .all()
    )
    assert len(published) >= 3
    first, second, third = published[:3]
    # A joint issuer added to a published entry, then another taken away.
    db.session.add(EntryIssuer(entry_id=first.id, agency_id=world.bureau2.id, lead=False, position=5))
    db.session.flush()
    db.session.execute(delete(EntryIssuer).where(EntryIssuer.entry_id == second.id, EntryIssuer.lead.is_(False)))
    # A new version of the third, published in the period, then its attribute changed by hand.
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
    db.session.flush()
    db.session.execute(text("UPDATE catalog_versions SET attribute = 'on_request' WHERE revision = 9"))
    db.session.execute(text("UPDATE catalog_versions SET attribute = 'proactive' WHERE revision = 9"))
    # Entries withdrawn, republished and moved to another lead issuer in bulk.
    db.session.execute(
        update(Entry)
        .where(Entry.id == third.id)
        .values(agency_id=world.office.id, published_on=D(2025, 2, 2), due_on=D(2025, 1, 1))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Entry).where(Entry.id == first.id).values(state="withdrawn").execution_options(synchronize_session=False)
    )
    db.session.commit()
    assert_exact(world)


def test_compaction_and_rebuild_change_no_figure(world):
    from disclosure.core import rollups
    from disclosure.core.rollups import RollupDelta, RollupMonth, RollupYear
    from disclosure.extensions import db

    agencies = [world.office.id, world.bureau.id, world.bureau2.id, world.outsider.id]
    before = {p: figures(agencies, *p, live=False) for p in PERIODS}
    assert db.session.scalar(db.select(db.func.count()).select_from(RollupDelta)) > 0
    moved = rollups.compact()
    db.session.commit()
    assert moved > 0
    assert db.session.scalar(db.select(db.func.count()).select_from(RollupDelta)) == 0
    assert rollups.compact() == 0
    assert {p: figures(agencies, *p, live=False) for p in PERIODS} == before
    assert_exact(world)
    # Counts lost (a restore of part of the database) are found by verify and counted again by rebuild.
    db.session.execute(delete(RollupYear).where(RollupYear.agency_id == world.bureau.id))
    db.session.commit()
    assert rollups.verify()  # a year no longer the sum of its months
    db.session.execute(delete(RollupMonth).where(RollupMonth.agency_id == world.bureau.id))
    db.session.commit()
    assert rollups.verify()
    rollups.rebuild()
    db.session.commit()
    assert {p: figures(agencies, *p, live=False) for p in PERIODS} == before
    assert_exact(world)


def test_a_change_after_compaction_is_counted_from_the_deltas(world):
    from disclosure.applications.models import Application
    from disclosure.core import rollups
    from disclosure.extensions import db

    rollups.compact()
    db.session.commit()
    db.session.execute(
        update(Application)
        .where(Application.agency_id == world.bureau.id)
        .values(received_date=D(2025, 11, 11))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    assert_exact(world)


@pytest.mark.parametrize(
    ("start", "end", "months", "edges"),
    [
        (D(2025, 1, 1), D(2025, 12, 31), (D(2025, 1, 1), D(2025, 12, 1)), []),
        (D(2025, 2, 1), D(2025, 2, 28), (D(2025, 2, 1), D(2025, 2, 1)), []),
        (D(2024, 2, 1), D(2024, 2, 29), (D(2024, 2, 1), D(2024, 2, 1)), []),
        (
            D(2025, 1, 5),
            D(2025, 3, 10),
            (D(2025, 2, 1), D(2025, 2, 1)),
            [(D(2025, 1, 5), D(2025, 1, 31)), (D(2025, 3, 1), D(2025, 3, 10))],
        ),
        (D(2025, 1, 5), D(2025, 1, 20), None, [(D(2025, 1, 5), D(2025, 1, 20))]),
        (D(2025, 1, 31), D(2025, 2, 1), None, [(D(2025, 1, 31), D(2025, 2, 1))]),
        (D(2025, 1, 1), D(2025, 2, 27), (D(2025, 1, 1), D(2025, 1, 1)), [(D(2025, 2, 1), D(2025, 2, 27))]),
        (D(2024, 12, 2), D(2025, 1, 31), (D(2025, 1, 1), D(2025, 1, 1)), [(D(2024, 12, 2), D(2024, 12, 31))]),
        (D(2025, 3, 1), D(2025, 2, 1), None, []),
    ],
)
def test_a_period_is_its_whole_months_and_the_days_at_its_ends(start, end, months, edges):
    from disclosure.core.rollups import split

    assert split(start, end) == (months, edges)


def test_a_monthly_trend_reads_its_year_once_and_sees_every_change(world):
    """Single months asked for in a row (a chart's trend) are answered from one read of their year, forgotten as soon
    as anything is written: each month equals its live count before and after a change in the same transaction."""
    from disclosure.applications import oversight as requests
    from disclosure.applications.models import Application
    from disclosure.extensions import db

    ids = [world.office.id, world.bureau.id, world.bureau2.id, world.outsider.id]
    months = [(D(2025, m, 1), D(2025, m + 1, 1) - dt.timedelta(days=1)) for m in range(1, 12)]

    def trend(live: bool) -> list:
        return [requests.received_counts(ids, start, end, live=live) for start, end in months]

    assert trend(False) == trend(True)
    assert any(trend(True))
    db.session.execute(
        update(Application)
        .where(Application.agency_id == world.bureau.id)
        .values(received_date=D(2025, 4, 4))
        .execution_options(synchronize_session=False)
    )
    assert trend(False) == trend(True)
    db.session.rollback()
    assert trend(False) == trend(True)
