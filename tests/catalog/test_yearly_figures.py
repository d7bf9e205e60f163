"""Section 一 of the annual report: the catalogue's facts of one year (catalog.yearly_figures), from real entries
published through the review path."""

from __future__ import annotations

import datetime as dt

from disclosure.catalog import yearly_figures
from disclosure.catalog.operations import entries as ops
from disclosure.catalog.operations import interpretations as interp
from disclosure.extensions import db
from tests.catalog.conftest import interpretation_input, publish_as_system

D = dt.date


def _interpret(cat, take_to, document, day, title):
    entry = ops.create_entry(cat.agency, interpretation_input(title=title), actor=cat.editor)
    interp.link_interpretation(entry, document, actor=cat.editor)
    take_to(entry, "published", day)
    db.session.commit()
    return entry


def test_published_interpretations_late_and_withdrawn_of_the_year(cat, publish_on, take_to):
    rule = publish_on(D(2026, 3, 2), doc_kind="regulation", document_number="测政府令第2号")
    doc = publish_on(D(2026, 9, 30), document_number="测政规〔2026〕3号")
    publish_on(D(2026, 4, 1), doc_kind="other", category="art20_15", document_number="测政办〔2026〕7号")
    publish_on(D(2025, 6, 2), document_number="测政规〔2025〕9号")  # last year's
    _interpret(cat, take_to, rule, D(2026, 3, 2), "规章解读")  # published with its rule: on time
    _interpret(cat, take_to, doc, D(2026, 10, 12), "迟到的解读")  # after the 3 working days of the setting
    withdrawn = publish_on(D(2026, 5, 6), doc_kind="other", category="art20_15", document_number="测政办〔2026〕8号")
    ops.act(withdrawn, "withdraw", actor=cat.head, reason="内容有误")
    withdrawn.withdrawn_at = dt.datetime(2025, 12, 31, 17, 0, tzinfo=dt.UTC)  # 1 January 2026, 01:00 in China
    ops.create_entry(cat.agency, interpretation_input(title="草稿"), actor=cat.editor)  # never published
    publish_as_system(cat.other, D(2026, 3, 2), document_number="外政规〔2026〕1号")  # another agency's
    db.session.commit()

    assert yearly_figures(cat.agency.id, 2026) == {
        "published": 6,
        "regulations": 1,
        "normative": 1,
        "interpretations": 2,
        "late_interpretations": 1,
        "withdrawn": 1,
    }
    assert yearly_figures(cat.agency.id, 2025) == {
        "published": 1,
        "regulations": 0,
        "normative": 1,
        "interpretations": 0,
        "late_interpretations": 0,
        "withdrawn": 0,
    }


def test_an_agency_without_entries_has_zeros(cat):
    assert set(yearly_figures(cat.other.id, 2026).values()) == {0}
