"""The workbench search (issue 10): an exact reference finds its case in any state, the text search goes through
the character index (reference, names, requested items), kept in the transaction of every change, and `%` / `_`
are not wildcards."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.factories import application_input


def _search(agency_id, q, **kw):
    from disclosure.applications import queries
    from disclosure.extensions import db

    f = queries.Filters(q=q, **kw)
    return [a.reference for a in db.session.execute(queries.workbench_query(agency_id, f)).scalars()]


def _page(agency_id, q, **kw):
    from disclosure.applications import queries

    return [r.reference for r in queries.list_page(agency_id, queries.Filters(q=q, **kw), page=1).items]


@pytest.fixture
def cases(world):
    """A case waiting for confirmation, a received one of an organisation, a draft; and another agency's case."""
    from disclosure.accounts.roles import ApplicantCategory, ApplicantType
    from disclosure.applications import operations as ops
    from disclosure.applications.operations import ItemInput
    from disclosure.demo import make_credit_code
    from disclosure.extensions import db

    submitted = ops.file_online(
        world.citizen, world.agency, application_input(applicant_name="王李明", items=[ItemInput("环境监测数据")])
    )
    org = ops.register(
        world.agency,
        world.registrar,
        application_input(
            applicant_type=ApplicantType.ORGANISATION,
            applicant_category=ApplicantCategory.COMMERCIAL,
            applicant_name="示例科技有限公司",
            org_credit_code=make_credit_code("91", "330100", "MA27XY12"),
            legal_representative="赵六",
            doc_number=None,
            items=[ItemInput("2025年学校招生计划", "测教〔2025〕7号")],
        ),
        channel="in_person",
        received_date=submitted.submitted_at.date(),
    )
    draft = ops.save_draft(world.citizen, world.agency, application_input(applicant_name="草稿人"))
    db.session.commit()
    return submitted, org, draft


def test_an_exact_reference_finds_a_case_waiting_for_confirmation(world, cases):
    submitted, org, _draft = cases
    assert submitted.state == "submitted"
    # The default queue (open cases) hides a submitted case, but its reference finds it — in any case.
    assert _search(world.agency.id, submitted.reference) == [submitted.reference]
    assert _page(world.agency.id, submitted.reference.lower()) == [submitted.reference]
    assert _page(world.agency.id, f"  {org.reference} ", queue="to_register", state="issued") == [org.reference]
    # Not another agency's case, for its staff.
    assert _search(world.agency.id + 1000, submitted.reference) == []
    assert _search(None, submitted.reference) == [submitted.reference]


def test_the_reference_shape_follows_the_configured_format(app_ctx):
    from disclosure.applications.queries import reference_pattern

    assert reference_pattern().fullmatch("BENCH-3-2026-01234")
    assert not reference_pattern().fullmatch("BENCH-3-2026")
    assert reference_pattern("依申{year}第{serial}号（{slug}）").fullmatch("依申2026第12号（AGENCY-1）")


def test_text_search_matches_names_items_and_references_as_character_phrases(world, cases):
    submitted, org, draft = cases
    agency = world.agency.id
    assert _search(agency, "王李", queue="all") == [submitted.reference]  # two characters of a name
    assert _search(agency, "李明", queue="all") == [submitted.reference]
    assert _search(agency, "监测数", queue="all") == [submitted.reference]  # an item, three characters
    assert _search(agency, "科技有限", queue="all") == [org.reference]  # the organisation
    assert _search(agency, "赵六", queue="all") == [org.reference]  # its legal representative
    assert _search(agency, "招生计划", queue="open") == [org.reference]  # filters still apply
    assert _search(agency, "测教〔2025〕7号", queue="all") == [org.reference]  # a document number, any brackets
    year_and_serial = org.reference.split("-", 2)[2]  # AGENCY-1-2026-00002 -> 2026-00002
    assert _search(agency, year_and_serial, queue="all") == [org.reference]
    assert _search(agency, "王明", queue="all") == []  # not adjacent
    assert _search(agency, "%王_", queue="all") == [submitted.reference]  # punctuation is not a wildcard
    assert _search(agency, "草稿", queue="all") == []  # drafts are the applicant's own
    assert draft.search_text  # (but indexed like any other row)


def test_a_phrase_does_not_run_from_one_field_into_the_next(world, cases):
    # 王李明 is the name and 环境… the first item: "明环" spans the two fields.
    assert _search(world.agency.id, "明环", queue="all") == []
    assert _search(world.agency.id, "李明环境", queue="all") == []


@pytest.mark.parametrize("q", ["%", "_", "%%", "\\", "_%_", "%_"])
def test_like_wildcards_match_nothing(world, cases, q):
    assert _search(world.agency.id, q, queue="all") == []
    assert _page(world.agency.id, q, queue="all") == []


def test_like_escape_keeps_wildcards_literal(db_session):
    from sqlalchemy import literal, select

    from disclosure.core.textsearch import contains, like_escape

    assert like_escape("50%_a\\b") == "50\\%\\_a\\\\b"
    hits = db_session.execute(
        select(
            contains(literal("增长50%以上"), "50%"), contains(literal("增长50倍"), "50%"), contains(literal("a_b"), "_")
        )
    ).one()
    assert tuple(hits) == (True, False, True)


def test_the_index_follows_corrections_and_clarified_items(world, cases):
    from disclosure.applications import operations as ops
    from disclosure.extensions import db

    _submitted, org, _draft = cases
    agency = world.agency.id
    ops.correct_applicant(org, world.registrar, changes={"applicant_name": "示例数据有限公司"}, reason="笔误")
    db.session.commit()
    assert _search(agency, "数据有限", queue="all") == [org.reference]
    assert _search(agency, "科技有限", queue="all") == []
    # A supplementation answer that rewords an item (as handling does): the new words find the case.
    item = org.items[0]
    item.description = "2025年小学招生计划及划片范围"
    db.session.commit()
    assert _search(agency, "划片", queue="all") == [org.reference]
    # An item removed.
    db.session.delete(org.items[0])
    db.session.commit()
    assert _search(agency, "划片", queue="all") == []


def test_the_migration_fills_the_index_for_existing_cases(world, cases):
    from disclosure.applications.models import Application
    from disclosure.extensions import db

    submitted, org, _draft = cases
    db.session.execute(db.update(Application).values(search_text=""))
    db.session.commit()
    assert _search(world.agency.id, "王李", queue="all") == []
    path = Path(__file__).resolve().parents[2] / "migrations/versions/applications_0004_workbench_search_index.py"
    spec = importlib.util.spec_from_file_location("applications_0004", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    migration._backfill(db.session.connection())
    db.session.commit()
    assert _search(world.agency.id, "王李", queue="all") == [submitted.reference]
    assert _search(world.agency.id, "招生", queue="all") == [org.reference]
    db.session.expire_all()
    assert org.search_text == db.session.get(Application, org.id).search_text
