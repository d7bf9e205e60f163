"""Browsing the platform by category, theme, genre, year and issuing organ reads the published version's
classification from indexed columns (issue 11 §5): a revision in progress changes nothing the public sees until it
is published; a withdrawn entry leaves the lists; the lists are ordered newest first along the browse indexes."""

from __future__ import annotations

from sqlalchemy import select, text

from disclosure.catalog import platform
from disclosure.catalog.models import Genre, Theme
from disclosure.catalog.operations import entries as ops
from disclosure.extensions import db

from .conftest import entry_input


def _ids(browse: platform.Browse) -> list[int]:
    return [e.id for e, _v in db.session.execute(platform.public_rows(browse)).all()]


def test_filters_follow_the_published_version(cat, publish_entry, take_to):
    entry = publish_entry(category="art20_15")
    other = publish_entry(title="另一份文件", document_number="测政办发〔2026〕6号", category="art20_1")
    scope = {"agency_id": cat.agency.id}
    assert _ids(platform.Browse(**scope, category="art20_15")) == [entry.id]
    assert platform.public_count(platform.Browse(**scope)) == 2
    facets = platform.facet_counts(platform.Browse(**scope))
    assert facets["category"] == {"art20_15": 1, "art20_1": 1} and facets["issuer"] == {cat.agency.id: 2}
    # A revision in progress moves the entry to another category and genre: the public lists do not move yet.
    report = db.session.execute(select(Genre).where(Genre.name == "报告")).scalar_one()
    ops.act(entry, "revise", actor=cat.editor)
    ops.update_entry(
        entry, entry_input(category="art20_1", genre_id=str(report.id)), actor=cat.editor, expected_version=None
    )
    db.session.flush()
    assert _ids(platform.Browse(**scope, category="art20_15")) == [entry.id]
    assert _ids(platform.Browse(**scope, genre_id=report.id)) == []
    take_to(entry, "published")
    db.session.flush()
    assert _ids(platform.Browse(**scope, category="art20_15")) == []
    assert set(_ids(platform.Browse(**scope, category="art20_1"))) == {entry.id, other.id}
    assert _ids(platform.Browse(**scope, genre_id=report.id)) == [entry.id]
    # newest publication first (the same day: the later entry first)
    assert _ids(platform.Browse(**scope)) == [other.id, entry.id]
    ops.act(entry, "withdraw", actor=cat.head, reason="内容有误")
    db.session.flush()
    assert _ids(platform.Browse(**scope, genre_id=report.id)) == []


def test_theme_year_and_issuer_filters(cat, publish_entry):
    theme = db.session.execute(select(Theme).where(Theme.name == "政务公开")).scalar_one()
    entry = publish_entry()
    year = entry.published_version.published_on.year
    assert _ids(platform.Browse(theme_id=theme.id)) == [entry.id]
    assert _ids(platform.Browse(theme_id=theme.parent_id)) == [entry.id]  # a first level includes its second
    assert _ids(platform.Browse(year=year)) == [entry.id]
    assert _ids(platform.Browse(year=year - 1)) == [] and _ids(platform.Browse(year=year + 1)) == []
    assert _ids(platform.Browse(issuer_id=cat.other.id)) == []
    assert platform.facet_counts(platform.Browse())["year"] == {year: 1}


def test_a_category_list_reads_its_index(cat, publish_entry):
    publish_entry()
    engine = db.session.get_bind().dialect.name
    statement = platform.public_rows(platform.Browse(category="art20_15")).limit(20)
    compiled = statement.compile(db.session.get_bind(), compile_kwargs={"literal_binds": True})
    if engine == "sqlite":
        plan = " ".join(str(r[-1]) for r in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    else:
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = " ".join(r[0] for r in db.session.execute(text(f"EXPLAIN {compiled}")))
    assert "ix_catalog_entries_browse_category" in plan, plan
