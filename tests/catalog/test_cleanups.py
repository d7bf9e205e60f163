"""Cleanups (清理): opening lists every valid normative document; decisions; approval; the published result list
as its own catalogue entry; every decided document changes state on the effective date (issue 11 §2)."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure.catalog.models import CleanupItem, EntryLink, ValidityEvent
from disclosure.catalog.operations import cleanups, validity
from disclosure.core.errors import DomainError, FieldErrors, NotAllowed
from disclosure.core.timeutil import today_china
from disclosure.extensions import db
from tests.catalog.conftest import in_english

D = dt.date
TODAY = today_china()


@pytest.fixture
def four(cat, publish_on):
    """Four valid normative documents, one other document and one already repealed normative document."""
    docs = [
        publish_on(D(2026, 3, 10), document_number=f"测政规〔2026〕{n}号", title=f"规范性文件{n}") for n in range(1, 5)
    ]
    publish_on(D(2026, 3, 10), doc_kind="other", category="art20_15", document_number="测政办〔2026〕9号")
    gone = publish_on(D(2026, 3, 10), document_number="测政规〔2025〕1号", title="已废止的文件")
    validity.repeal(gone, by=docs[0], effective_on=D(2026, 4, 1), actor=cat.head, today=D(2026, 4, 1))
    db.session.commit()
    return docs


def _decide_all(cat, cleanup, decisions):
    for item, decision in zip(cleanup.items, decisions, strict=True):
        cleanups.decide(item, decision, f"理由：{decision}", actor=cat.legal)


def test_opening_lists_every_valid_normative_document(cat, four):
    cleanup = cleanups.open_cleanup(
        cat.agency, {"title": "2026年度规范性文件清理", "scope": "periodic"}, actor=cat.admin
    )
    assert [i.entry for i in cleanup.items] == four
    assert cleanup.state == "open"
    assert "cleanup.open" in [e.action for e in cleanup.audit_events()]


def test_opening_is_refused_with_precise_messages(cat, four):
    with pytest.raises(NotAllowed):
        cleanups.open_cleanup(cat.agency, {"title": "清理"}, actor=cat.head)
    with pytest.raises(FieldErrors) as exc:
        cleanups.open_cleanup(cat.agency, {"title": "", "scope": "weekly"}, actor=cat.admin)
    assert set(exc.value.errors) == {"title", "scope"}
    cleanups.open_cleanup(cat.agency, {"title": "第一次清理"}, actor=cat.admin)
    with pytest.raises(FieldErrors) as exc:
        cleanups.open_cleanup(cat.agency, {"title": "第二次清理"}, actor=cat.admin)
    assert "第一次清理" in str(exc.value.errors[None])


def test_an_agency_without_normative_documents_has_nothing_to_clean_up(cat):
    with pytest.raises(FieldErrors) as exc:
        cleanups.open_cleanup(cat.agency, {"title": "清理"}, actor=cat.admin)
    assert "no valid rule or normative document" in in_english(exc.value.errors[None])


def test_decisions_need_a_reviewer_a_known_decision_and_a_reason(cat, four):
    cleanup = cleanups.open_cleanup(cat.agency, {"title": "清理"}, actor=cat.admin)
    item = cleanup.items[0]
    with pytest.raises(NotAllowed):
        cleanups.decide(item, "continue", "仍适用", actor=cat.editor)
    with pytest.raises(FieldErrors) as exc:
        cleanups.decide(item, "keep", " ", actor=cat.legal)
    assert set(exc.value.errors) == {"decision", "reason"}
    with pytest.raises(DomainError):
        cleanups.complete(cleanup, actor=cat.legal)  # not all decided
    cleanups.decide(item, "continue", "仍适用", actor=cat.head)
    assert (item.decision, item.decided_by_id) == ("continue", cat.head.id)


def test_the_whole_path_publishes_the_result_list_and_changes_every_document(cat, four):
    cleanup = cleanups.open_cleanup(cat.agency, {"title": "2026年度规范性文件清理"}, actor=cat.admin)
    _decide_all(cat, cleanup, ["continue", "amend", "repeal", "expire"])
    cleanups.complete(cleanup, actor=cat.legal)
    with pytest.raises(DomainError) as exc:
        cleanups.approve(cleanup, actor=cat.head, effective_on=TODAY - dt.timedelta(days=1))
    assert exc.value.field == "effective_on"
    with pytest.raises(NotAllowed):
        cleanups.approve(cleanup, actor=cat.legal, effective_on=TODAY)
    cleanups.approve(cleanup, actor=cat.head, effective_on=TODAY)
    result = cleanups.publish(cleanup, actor=cat.head)
    db.session.commit()
    assert cleanup.state == "published" and cleanup.result_entry_id == result.id
    assert result.is_public and result.index_number and result.revision == 1
    assert result.title == "关于公布2026年度规范性文件清理结果的通知"
    body = result.published_version.body_html
    for heading in (
        "一、继续有效的规范性文件目录（1件）",
        "二、决定废止的规范性文件目录（1件）",
        "三、宣布失效的规范性文件目录（1件）",
        "四、需要修改的规范性文件目录（1件）",
    ):
        assert heading in body
    assert "规范性文件3" in body and "理由：repeal" in body
    kept, amended, repealed, expired = four
    assert [d.validity for d in four] == ["valid", "valid", "repealed", "expired"]
    assert repealed.validity_since == TODAY and expired.validity_since == TODAY
    assert validity.public_validity(repealed).cause == result
    assert (
        db.session.execute(
            db.select(EntryLink).where(EntryLink.source_id == result.id, EntryLink.target_id == repealed.id)
        )
        .scalar_one()
        .relation
        == "repeals"
    )
    changes = {
        e.entry_id: e.change
        for e in db.session.execute(db.select(ValidityEvent).where(ValidityEvent.cleanup_id == cleanup.id)).scalars()
    }
    assert changes == {
        kept.id: "continued",
        amended.id: "listed_for_amendment",
        repealed.id: "repealed",
        expired.id: "declared_expired",
    }
    actions = [e.action for e in cleanup.audit_events()]
    assert actions[:1] == ["cleanup.open"] and actions[-3:] == [
        "cleanup.complete",
        "cleanup.approve",
        "cleanup.publish",
    ]


def test_decisions_dated_ahead_wait_for_the_sweep(cat, four):
    cleanup = cleanups.open_cleanup(cat.agency, {"title": "清理"}, actor=cat.admin)
    _decide_all(cat, cleanup, ["continue", "continue", "repeal", "expire"])
    cleanups.complete(cleanup, actor=cat.head)
    ahead = TODAY + dt.timedelta(days=30)
    cleanups.approve(cleanup, actor=cat.head, effective_on=ahead)
    cleanups.publish(cleanup, actor=cat.head)
    assert [d.validity for d in four] == ["valid"] * 4
    assert validity.apply_due_changes(ahead - dt.timedelta(days=1))["applied"] == 0
    assert validity.apply_due_changes(ahead)["applied"] == 4
    assert [d.validity for d in four] == ["valid", "valid", "repealed", "expired"]
    assert four[2].validity_since == ahead


def test_a_document_repealed_meanwhile_is_left_as_it_is(cat, four):
    cleanup = cleanups.open_cleanup(cat.agency, {"title": "清理"}, actor=cat.admin)
    _decide_all(cat, cleanup, ["continue", "continue", "continue", "expire"])
    validity.repeal(four[3], by=four[0], effective_on=TODAY, actor=cat.head)
    cleanups.complete(cleanup, actor=cat.head)
    cleanups.approve(cleanup, actor=cat.head, effective_on=TODAY)
    cleanups.publish(cleanup, actor=cat.head)
    assert four[3].validity == "repealed"
    assert "cleanup.skipped" in [e.action for e in cleanup.audit_events()]


def test_reopen_revoke_and_cancel(cat, four):
    cleanup = cleanups.open_cleanup(cat.agency, {"title": "清理"}, actor=cat.admin)
    _decide_all(cat, cleanup, ["continue"] * 4)
    cleanups.complete(cleanup, actor=cat.legal)
    with pytest.raises(DomainError):
        cleanups.reopen(cleanup, actor=cat.legal, comment="")
    cleanups.reopen(cleanup, actor=cat.legal, comment="第二件需重新研究")
    assert cleanup.state == "open"
    cleanups.decide(cleanup.items[1], "repeal", "已被上位法取代", actor=cat.legal)
    cleanups.complete(cleanup, actor=cat.legal)
    cleanups.approve(cleanup, actor=cat.head, effective_on=TODAY)
    cleanups.revoke_approval(cleanup, actor=cat.head, comment="日期待定")
    assert cleanup.state == "decided"
    cleanups.cancel(cleanup, actor=cat.admin, reason="并入专项清理")
    assert cleanup.state == "cancelled" and cleanups.active_cleanup(cat.agency.id) is None
    assert db.session.query(CleanupItem).filter_by(cleanup_id=cleanup.id).count() == 4
